"""A travelling sine wave: FuncAnimation without blitting, frames given as an int."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

x = np.linspace(0, 2 * np.pi, 200)

fig, ax = plt.subplots(figsize=(3.2, 2.4))
line, = ax.plot(x, np.sin(x), lw=2)
ax.set_xlim(0, 2 * np.pi)
ax.set_ylim(-1.1, 1.1)
ax.set_xlabel("x")
ax.set_title("Travelling wave")


def update(frame):
    line.set_ydata(np.sin(x - frame / 2))


ani = FuncAnimation(fig, update, frames=12, interval=50)
plt.show()
