"""Phase portrait of a two-unit CTRNN: the vector field and nullclines drawn once, one trajectory
traced over them. sitegen calls make_animation(data, params); run directly, it shows the animation."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

W = np.array([[4.5, -1.0], [1.0, 4.5]])
THETA = np.array([-2.75, -1.75])


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def vector_field(y1: np.ndarray, y2: np.ndarray) -> np.ndarray:
    """dy/dt of the CTRNN (tau = 1) at every grid point."""
    grid = np.stack([y1, y2], axis=-1)
    return -grid + sigmoid(grid + THETA) @ W


def make_animation(data, params):
    paths = data["paths"]  # T×K×2
    which = int(params.get("path", 0))
    path = paths[:, which]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    coarse = np.meshgrid(np.linspace(-2.5, 7, 22), np.linspace(-2.5, 6, 18))
    flow = vector_field(*coarse)
    ax.quiver(*coarse, flow[..., 0], flow[..., 1], angles="xy", color="tab:gray", alpha=0.6, width=0.002)
    fine = np.meshgrid(np.linspace(-2.5, 7, 300), np.linspace(-2.5, 6, 300))
    field = vector_field(*fine)
    ax.contour(*fine, field[..., 0], levels=[0], colors="tab:orange", linestyles="--", linewidths=1.2)
    ax.contour(*fine, field[..., 1], levels=[0], colors="tab:green", linestyles="--", linewidths=1.2)
    ax.set_xlim(-2.5, 7)
    ax.set_ylim(-2.5, 6)
    ax.set_xlabel("$y_1$")
    ax.set_ylabel("$y_2$")
    trail, = ax.plot([], [], color="tab:blue", lw=2)
    head, = ax.plot([], [], "o", color="tab:blue", ms=7)
    fig.tight_layout()

    def update(i):
        start = max(0, i - 40)
        trail.set_data(path[start:i + 1, 0], path[start:i + 1, 1])
        head.set_data(path[i:i + 1, 0], path[i:i + 1, 1])
        return trail, head

    return FuncAnimation(fig, update, frames=range(0, len(path), 2), interval=50, blit=True)


if __name__ == "__main__":
    loaded = dict(np.load("../data/ctrnn_trajectories.npz"))
    animation = make_animation(loaded, {})
    plt.show()
