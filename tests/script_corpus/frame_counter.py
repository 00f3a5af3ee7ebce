"""Only a text artist changes: a frame counter drawn with ax.text and updated with set_text."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(3.2, 2.4))
x = np.linspace(0, 1, 50)
ax.plot(x, x ** 2, color="0.6")
counter = ax.text(0.05, 0.9, "", transform=ax.transAxes, fontsize=14, fontweight="bold")


def update(frame):
    counter.set_text(f"frame {frame:02d} / t = {frame * 0.05:.2f} s")
    return counter,


ani = FuncAnimation(fig, update, frames=10, interval=50)
plt.show()
