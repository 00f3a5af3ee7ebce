"""Heat from a moving source spreading on a grid: imshow once, then set_data each frame, with a colour bar."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

size = 40
field = np.zeros((size, size))


def step(u, alpha=0.2):
    padded = np.pad(u, 1, mode="edge")
    laplacian = padded[:-2, 1:-1] + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:] - 4 * u
    return u + alpha * laplacian


fig, ax = plt.subplots(figsize=(3.2, 2.4))
image = ax.imshow(field, cmap="inferno", vmin=0, vmax=1, origin="lower")
fig.colorbar(image, ax=ax, label="temperature")
ax.set_axis_off()


def update(frame):
    global field
    column = 4 + frame * 32 // 12
    field[18:22, column:column + 4] = 1.0  # the heater moves to the right
    for _ in range(3):
        field = step(field)
    image.set_data(field)
    return [image]


ani = FuncAnimation(fig, update, frames=12, interval=80)
plt.show()
