"""A dark figure of its own: fig.patch.set_facecolor, and savefig told to keep the figure's colour."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

# savefig (and so Animation.save) uses rcParams["savefig.facecolor"]; "auto" means the figure's own colour.
plt.rcParams["savefig.facecolor"] = "auto"

fig = plt.figure(figsize=(3.2, 2.4))
fig.patch.set_facecolor("#14213d")
ax = fig.add_subplot(facecolor="#1f2e52")
ax.tick_params(colors="white")
for spine in ax.spines.values():
    spine.set_color("white")

t = np.linspace(0, 2 * np.pi, 400)
figure8, = ax.plot(np.sin(t), np.sin(2 * t), color="#fca311", lw=2)
ax.set_xlim(-1.2, 1.2)
ax.set_ylim(-1.2, 1.2)


def update(i):
    figure8.set_data(np.sin(3 * t + i / 3), np.sin(2 * t))
    return figure8,


ani = FuncAnimation(fig, update, frames=10, interval=60)
plt.show()
