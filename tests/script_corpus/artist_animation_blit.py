"""ArtistAnimation of images with blit=True and repeat_delay: animated images stacked on one axes."""
import numpy as np
import matplotlib.pyplot as plt
import matplotlib.animation as animation

fig, ax = plt.subplots(figsize=(3.2, 2.4))


def f(x, y):
    return np.sin(x) + np.cos(y)


x = np.linspace(0, 2 * np.pi, 60)
y = np.linspace(0, 2 * np.pi, 45).reshape(-1, 1)

ims = []
for i in range(10):
    x += np.pi / 5
    y += np.pi / 8
    im = ax.imshow(f(x, y), animated=True)
    ims.append([im])

ani = animation.ArtistAnimation(fig, ims, interval=50, blit=True, repeat_delay=500)
plt.show()
