"""Uses the author's own helper package (helpers/) and reads a data file beside the script (amp.txt)."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

from helpers import COLOURS
from helpers.waves import damped_wave

amplitudes = np.loadtxt("amp.txt")
x = np.linspace(0, 8, 200)

fig, ax = plt.subplots(figsize=(3.2, 2.4))
lines = [ax.plot(x, damped_wave(x, a, 0), color=colour)[0] for a, colour in zip(amplitudes, COLOURS)]
ax.set_ylim(-amplitudes.max() * 1.1, amplitudes.max() * 1.1)


def update(frame):
    for line, amplitude in zip(lines, amplitudes):
        line.set_ydata(damped_wave(x, amplitude, frame / 2))
    return lines


ani = FuncAnimation(fig, update, frames=10, interval=60)
plt.show()
