"""Points traced along a curve: blit=True with an init_func that returns the artists it resets."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(3.2, 2.4))
xdata, ydata = [], []
ln, = ax.plot([], [], "o", color="tab:red", markersize=7)


def init():
    ax.set_xlim(0, 2 * np.pi)
    ax.set_ylim(-1.1, 1.1)
    xdata.clear()
    ydata.clear()
    ln.set_data(xdata, ydata)
    return ln,


def update(frame):
    xdata.append(frame)
    ydata.append(np.sin(frame))
    ln.set_data(xdata, ydata)
    return ln,


ani = FuncAnimation(fig, update, frames=np.linspace(0, 2 * np.pi, 12),
                    init_func=init, blit=True, interval=40)
plt.show()
