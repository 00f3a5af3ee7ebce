"""A rotating clock hand: no frames argument at all (frames=None counts up for ever), bounded by save_count."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(3.2, 2.4), subplot_kw={"aspect": "equal"})
ax.set_xlim(-1.2, 1.2)
ax.set_ylim(-1.2, 1.2)
ax.add_patch(plt.Circle((0, 0), 1, fill=False, lw=1.5))
hand, = ax.plot([0, 0], [0, 0.9], lw=3, color="tab:orange")


def tick(i):
    angle = np.pi / 2 - i * 2 * np.pi / 12
    hand.set_data([0, 0.9 * np.cos(angle)], [0, 0.9 * np.sin(angle)])
    return hand,


clock = FuncAnimation(fig, tick, save_count=12, interval=100)
plt.show()
