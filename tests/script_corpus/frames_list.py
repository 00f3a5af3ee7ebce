"""A Gaussian whose mean and width change: frames given as a list of (mu, sigma) tuples."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

x = np.linspace(-4, 4, 300)
settings = [(mu, sigma) for mu, sigma in zip(np.linspace(-2, 2, 10), np.linspace(0.4, 1.2, 10))]

fig, ax = plt.subplots(figsize=(3.2, 2.4))
curve, = ax.plot([], [], color="tab:purple")
fill = ax.fill_between(x, 0, 0, alpha=0.3, color="tab:purple")
ax.set_xlim(-4, 4)
ax.set_ylim(0, 1.05)


def gaussian(mu, sigma):
    return np.exp(-0.5 * ((x - mu) / sigma) ** 2)


def animate(params):
    global fill
    mu, sigma = params
    y = gaussian(mu, sigma)
    curve.set_data(x, y)
    fill.remove()
    fill = ax.fill_between(x, 0, y, alpha=0.3, color="tab:purple")
    ax.set_title(f"mu={mu:+.2f}  sigma={sigma:.2f}", fontsize=9)


anim = FuncAnimation(fig, animate, frames=settings, interval=80)
plt.show()
