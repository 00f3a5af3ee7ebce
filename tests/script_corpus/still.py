"""A mistake authors make: the update function recomputes the same picture, so nothing moves."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

x = np.linspace(0, 2 * np.pi, 100)
fig, ax = plt.subplots(figsize=(3.2, 2.4))
line, = ax.plot(x, np.sin(x))


def update(frame):
    line.set_ydata(np.sin(x))  # meant: np.sin(x + frame / 5)
    return line,


ani = FuncAnimation(fig, update, frames=8, interval=50)
plt.show()
