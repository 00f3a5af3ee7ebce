"""A decaying oscillation fed by a generator function; save_count says how many frames to keep."""
import itertools

import numpy as np
import matplotlib.pyplot as plt
import matplotlib.animation as animation


def data_gen():
    for cnt in itertools.count():
        t = cnt / 5
        yield t, np.sin(2 * np.pi * t) * np.exp(-t / 3)


def init():
    ax.set_ylim(-1.1, 1.1)
    ax.set_xlim(0, 3)
    del xdata[:]
    del ydata[:]
    line.set_data(xdata, ydata)
    return line,


fig, ax = plt.subplots(figsize=(3.2, 2.4))
line, = ax.plot([], [], lw=2)
ax.grid()
xdata, ydata = [], []


def run(data):
    t, y = data
    xdata.append(t)
    ydata.append(y)
    line.set_data(xdata, ydata)
    return line,


ani = animation.FuncAnimation(fig, run, data_gen, interval=100, init_func=init, save_count=14)
plt.show()
