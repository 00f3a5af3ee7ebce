"""ArtistAnimation without blitting: every frame is a list of artists drawn up front."""
import numpy as np
import matplotlib.pyplot as plt
import matplotlib.animation as animation

fig, ax = plt.subplots(figsize=(3.2, 2.4))
ax.set_xlim(0, 10)
ax.set_ylim(-1.5, 1.5)
t = np.linspace(0, 10, 250)

artists = []
for k in range(10):
    damping = 0.05 + 0.05 * k
    lines = ax.plot(t, np.exp(-damping * t) * np.cos(2 * t), color="tab:blue")
    label = ax.text(0.98, 0.95, f"damping {damping:.2f}", transform=ax.transAxes, ha="right", va="top")
    artists.append(lines + [label])

ani = animation.ArtistAnimation(fig=fig, artists=artists, interval=120)
plt.show()
