import numpy as np


def damped_wave(x, amplitude, phase):
    """A cosine that dies away along x, shifted by phase."""
    return amplitude * np.exp(-x / 5) * np.cos(2 * x - phase)
