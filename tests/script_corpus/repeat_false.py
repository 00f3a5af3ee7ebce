"""Bars growing towards their final values, played once: repeat=False."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

rng = np.random.default_rng(7)
final = rng.uniform(2, 10, size=6)
labels = ["A", "B", "C", "D", "E", "F"]

fig, ax = plt.subplots(figsize=(3.2, 2.4))
bars = ax.bar(labels, np.zeros_like(final), color="tab:green")
ax.set_ylim(0, 11)
ax.set_ylabel("score")
fig.tight_layout()

N = 10


def grow(frame):
    fraction = (frame + 1) / N
    for bar, height in zip(bars, final):
        bar.set_height(height * fraction)
    return bars


ani = FuncAnimation(fig, grow, frames=N, interval=60, repeat=False)
plt.show()
