"""A swinging pendulum; the script saves its own GIF at the end, as tutorials end with ani.save(...)."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

g, length = 9.81, 1.0
times = np.linspace(0.1, 1.9, 12)
angles = 0.8 * np.cos(np.sqrt(g / length) * times)

fig, ax = plt.subplots(figsize=(3.2, 2.4))
ax.set_xlim(-1.2, 1.2)
ax.set_ylim(-1.2, 0.2)
ax.set_aspect("equal")
rod, = ax.plot([], [], "-", lw=2, color="k")
bob, = ax.plot([], [], "o", markersize=12, color="tab:blue")


def swing(i):
    x, y = length * np.sin(angles[i]), -length * np.cos(angles[i])
    rod.set_data([0, x], [0, y])
    bob.set_data([x], [y])
    return rod, bob


ani = FuncAnimation(fig, swing, frames=len(times), interval=50, blit=True)
ani.save("pendulum.gif", writer="pillow", fps=20)
