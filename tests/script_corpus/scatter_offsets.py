"""Particles drifting in a box: one scatter, moved with set_offsets and recoloured with set_array."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

rng = np.random.default_rng(42)
n = 40
positions = rng.uniform(0, 1, size=(n, 2))
velocities = rng.normal(0, 0.04, size=(n, 2))

fig, ax = plt.subplots(figsize=(3.2, 2.4))
points = ax.scatter(positions[:, 0], positions[:, 1], c=np.hypot(*velocities.T), cmap="plasma", s=18)
ax.set_xlim(0, 1)
ax.set_ylim(0, 1)
ax.set_title("Particles in a box")


def update(frame):
    global positions
    positions = positions + velocities
    bounced = (positions < 0) | (positions > 1)
    velocities[bounced] *= -1
    positions = np.clip(positions, 0, 1)
    points.set_offsets(positions)
    points.set_array(np.hypot(*velocities.T) * (1 + 0.05 * frame))
    return points,


ani = FuncAnimation(fig, update, frames=12, interval=60)
plt.show()
