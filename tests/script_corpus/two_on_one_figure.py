"""Two animations on one figure, one per axes: both advance together when the figure is saved."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, (left, right) = plt.subplots(1, 2, figsize=(3.2, 2.4))
theta = np.linspace(0, 2 * np.pi, 100)

left.set_xlim(0, 2 * np.pi)
left.set_ylim(-1.1, 1.1)
sine, = left.plot(theta, np.sin(theta), color="tab:blue")

right.set_aspect("equal")
right.set_xlim(-1.1, 1.1)
right.set_ylim(-1.1, 1.1)
right.plot(np.cos(theta), np.sin(theta), color="0.8")
dot, = right.plot([1], [0], "o", color="tab:red")
fig.tight_layout()


def shift(i):
    sine.set_ydata(np.sin(theta + i * np.pi / 6))
    return sine,


def orbit(i):
    dot.set_data([np.cos(i * np.pi / 6)], [np.sin(i * np.pi / 6)])
    return dot,


wave = FuncAnimation(fig, shift, frames=12, interval=50)
circle = FuncAnimation(fig, orbit, frames=12, interval=50)
plt.show()
