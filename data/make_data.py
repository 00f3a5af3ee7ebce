"""Makes the small data files the example portfolio's animations read (run from the repository root:
`python data/make_data.py`). Deterministic: the same files on every machine. The outputs are committed
so `sitegen build` works at once; they are small (float16/float32, compressed)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def ctrnn_trajectories() -> None:
    """Twelve starts of a two-unit CTRNN converging onto its limit cycle (Euler, dt = 0.05)."""
    w = np.array([[4.5, -1.0], [1.0, 4.5]])
    theta = np.array([-2.75, -1.75])
    rng = np.random.default_rng(7)
    y = rng.uniform([-2, -2], [6.5, 5.5], size=(12, 2))
    dt, steps, keep = 0.05, 1200, 5
    out = []
    for step in range(steps):
        if step % keep == 0:
            out.append(y.copy())
        y = y + dt * (-y + (1 / (1 + np.exp(-(y + theta)))) @ w)
    paths = np.asarray(out, dtype=np.float32)  # T×K×2
    np.savez_compressed(HERE / "ctrnn_trajectories.npz", paths=paths,
                        time=np.arange(len(paths), dtype=np.float32) * dt * keep)


def eeg_patterns() -> None:
    """64 electrodes on concentric rings; an occipital pattern that rises, spreads and fades."""
    rings = [(0.0, 1), (0.25, 6), (0.5, 12), (0.72, 19), (0.92, 26)]
    positions = np.array([[r * np.sin(a), r * np.cos(a)] for r, n in rings
                          for a in np.linspace(0, 2 * np.pi, n, endpoint=False) + (0.2 if n % 2 else 0)])
    times = np.arange(-100, 500, 10, dtype=np.float32)
    occipital = np.exp(-((positions[:, 0]) ** 2 + (positions[:, 1] + 0.75) ** 2) / 0.12)
    frontal = np.exp(-((positions[:, 0]) ** 2 + (positions[:, 1] - 0.6) ** 2) / 0.2)
    rise = np.exp(-((times - 170) / 60) ** 2)
    late = np.clip((times - 250) / 200, 0, 1)
    rng = np.random.default_rng(3)
    values = (rise[:, None] * occipital - 0.5 * late[:, None] * frontal
              + 0.05 * rng.standard_normal((len(times), len(positions))))
    np.savez_compressed(HERE / "eeg_patterns.npz", positions=positions.astype(np.float32),
                        values=values.astype(np.float32), times=times)


def denoise_stack() -> None:
    """A blob (the 'mouse') circling an arena; noisy frames and a smoothed 'reconstruction'."""
    t = np.arange(40)
    yy, xx = np.mgrid[0:40, 0:40] / 39.0
    angle = 2 * np.pi * t / 40
    cx, cy = 0.5 + 0.3 * np.cos(angle), 0.5 + 0.3 * np.sin(angle)
    clean = np.exp(-((xx[None] - cx[:, None, None]) ** 2 + (yy[None] - cy[:, None, None]) ** 2) / 0.004)
    arena = ((xx - 0.5) ** 2 + (yy - 0.5) ** 2 < 0.2).astype(float) * 0.25
    rng = np.random.default_rng(11)
    noisy = np.clip(clean + arena + 0.35 * rng.standard_normal(clean.shape), 0, 1.2)
    recon = np.clip(0.95 * clean + arena + 0.02 * rng.standard_normal(clean.shape), 0, 1.2)
    np.savez_compressed(HERE / "denoise_stack.npz", noisy=noisy.astype(np.float16), recon=recon.astype(np.float16))


def umap_by_epoch() -> None:
    """600 latent points that start as a blob and organise into a ring with six arms over training."""
    rng = np.random.default_rng(5)
    n, epochs = 600, 40
    direction = rng.uniform(0, 2 * np.pi, n)
    port = rng.integers(0, 6, n)
    ring = np.c_[np.cos(direction), np.sin(direction)] * (1 + 0.08 * rng.standard_normal((n, 1)))
    arm = np.c_[np.cos(port * np.pi / 3), np.sin(port * np.pi / 3)] * 1.6
    near_port = rng.random(n) < 0.25
    final = np.where(near_port[:, None], arm + 0.12 * rng.standard_normal((n, 2)), ring)
    start = 0.6 * rng.standard_normal((n, 2))
    progress = (1 - np.exp(-np.arange(epochs) / 8.0))[:, None, None]
    positions = start[None] * (1 - progress) + final[None] * progress
    positions += 0.03 * rng.standard_normal(positions.shape)
    np.savez_compressed(HERE / "umap_by_epoch.npz", positions=positions.astype(np.float32),
                        labels=port.astype(np.int8), epochs=np.arange(1, epochs + 1, dtype=np.int16))


def ei_spikes() -> None:
    """80 excitatory + 20 inhibitory neurons for 2 s with a 40 Hz rhythm in the population."""
    rng = np.random.default_rng(9)
    duration, dt = 2.0, 0.0005
    t = np.arange(0, duration, dt)
    drive = 1 + 0.8 * np.sin(2 * np.pi * 40 * t)
    arrays = {}
    for neuron in range(100):
        rate = (5.0 if neuron < 80 else 30.0) * drive
        spikes = t[rng.random(len(t)) < rate * dt]
        arrays[f"n{neuron:03d}"] = spikes.astype(np.float32)
    np.savez_compressed(HERE / "ei_spikes.npz", **arrays)


def ei_network() -> None:
    """24 nodes on a circle, excitatory and inhibitory weights, activity travelling round the ring."""
    rng = np.random.default_rng(21)
    n, frames = 24, 60
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    positions = np.c_[np.cos(angle), np.sin(angle)]
    weights = rng.normal(0, 1, (n, n)) * (rng.random((n, n)) < 0.18)
    weights[:, n - 6:] = -np.abs(weights[:, n - 6:]) * 1.5  # the last six nodes inhibit
    weights[:, : n - 6] = np.abs(weights[:, : n - 6])
    np.fill_diagonal(weights, 0)
    phase = 2 * np.pi * np.arange(frames)[:, None] / frames - angle[None]
    activity = 0.5 * (1 + np.cos(phase)) ** 2
    np.savez_compressed(HERE / "ei_network.npz", positions=positions.astype(np.float32),
                        weights=weights.astype(np.float32), activity=activity.astype(np.float32))


def lfp_traces() -> None:
    """Eight CA1 channels, 6 s at 250 Hz: theta (8 Hz) with a phase shift down the probe, and gamma."""
    rng = np.random.default_rng(1)
    fs, seconds, channels = 250, 6, 8
    time = np.arange(fs * seconds) / fs
    depth = np.arange(channels)[:, None]
    theta = np.sin(2 * np.pi * 8 * time[None] - 0.35 * depth)
    gamma = 0.25 * np.sin(2 * np.pi * 55 * time[None]) * (1 + np.sin(2 * np.pi * 8 * time[None]))
    signals = theta * (1 + 0.1 * depth) + gamma + 0.15 * rng.standard_normal((channels, len(time)))
    np.savez_compressed(HERE / "lfp_traces.npz", signals=signals.astype(np.float32), time=time.astype(np.float32))


def learning_curves() -> None:
    """Training and validation loss over 120 epochs, as a CSV with a header row."""
    rng = np.random.default_rng(4)
    epochs = np.arange(1, 121)
    train = 0.9 * np.exp(-epochs / 18) + 0.08 + 0.01 * rng.standard_normal(len(epochs))
    val = 0.95 * np.exp(-epochs / 20) + 0.13 + 0.0006 * np.clip(epochs - 70, 0, None) + 0.015 * rng.standard_normal(len(epochs))
    lines = ["epoch,train loss,validation loss"] + [f"{e},{a:.4f},{b:.4f}" for e, a, b in zip(epochs, train, val)]
    (HERE / "learning_curves.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    for make in (ctrnn_trajectories, eeg_patterns, denoise_stack, umap_by_epoch, ei_spikes, ei_network, lfp_traces,
                 learning_curves):
        make()
    for path in sorted(HERE.iterdir()):
        if path.suffix in (".npz", ".csv"):
            print(f"{path.name:28s} {path.stat().st_size / 1024:7.1f} KB")
