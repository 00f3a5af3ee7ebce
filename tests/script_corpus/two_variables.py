"""Two figures, two animations kept in two variables: the post's directive picks one by name."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

x = np.linspace(0, 4 * np.pi, 200)

wave_fig, wave_ax = plt.subplots(figsize=(3.2, 2.4))
wave_line, = wave_ax.plot(x, np.sin(x), color="tab:cyan")
wave_ax.set_ylim(-2.2, 2.2)
wave_ax.set_title("Beating")


def beat(i):
    wave_line.set_ydata(np.sin(x) + np.sin(x * (1 + i / 20)))
    return wave_line,


spiral_fig, spiral_ax = plt.subplots(figsize=(3.2, 2.4), subplot_kw={"projection": "polar"})
spiral_line, = spiral_ax.plot(x, x, color="tab:pink", lw=2)
spiral_ax.set_rmax(4 * np.pi)


def turn(i):
    spiral_line.set_data(x + i * np.pi / 7, x)
    return spiral_line,


wave_anim = FuncAnimation(wave_fig, beat, frames=10, interval=60)
spiral_anim = FuncAnimation(spiral_fig, turn, frames=13, interval=60)
plt.show()
