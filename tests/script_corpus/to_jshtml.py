"""A random walk shown in a notebook through to_jshtml(): the HTML player is made by the script."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib import animation

np.random.seed(19680801)
steps = np.random.normal(0, 1, size=(3, 14)).cumsum(axis=1)

fig, ax = plt.subplots(figsize=(3.2, 2.4))
walkers = [ax.plot([], [], lw=1.5)[0] for _ in steps]
ax.set_xlim(0, 13)
ax.set_ylim(steps.min() - 1, steps.max() + 1)


def animate(n):
    for walker, path in zip(walkers, steps):
        walker.set_data(np.arange(n + 1), path[: n + 1])
    return walkers


ani = animation.FuncAnimation(fig, animate, frames=14, interval=40)
html = ani.to_jshtml()  # in a notebook: IPython.display.HTML(html)
