"""Frame grabbing with PillowWriter, the writer that needs no ffmpeg: a planet on its orbit."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import PillowWriter

fig, ax = plt.subplots(figsize=(3.2, 2.4))
ax.set_aspect("equal")
ax.set_xlim(-1.6, 1.6)
ax.set_ylim(-1.2, 1.2)
ax.plot([0], [0], "o", color="gold", markersize=14)
t = np.linspace(0, 2 * np.pi, 200)
ax.plot(1.4 * np.cos(t), np.sin(t), color="0.8", lw=1)
planet, = ax.plot([], [], "o", color="tab:blue", markersize=7)

writer = PillowWriter(fps=12)
with writer.saving(fig, "orbit.gif", dpi=100):
    for angle in np.linspace(0, 2 * np.pi, 12, endpoint=False):
        planet.set_data([1.4 * np.cos(angle)], [np.sin(angle)])
        writer.grab_frame()
