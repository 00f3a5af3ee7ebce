"""The crudest animation there is: change the plot, then plt.pause() so the window shows it."""
import numpy as np
import matplotlib.pyplot as plt

plt.ion()
fig, ax = plt.subplots(figsize=(3.2, 2.4))
x = np.linspace(0, 10, 200)
line, = ax.plot(x, np.zeros_like(x), color="tab:brown")
ax.set_ylim(-1.2, 1.2)

for k in range(10):
    line.set_ydata(np.sin(x - k / 2) * np.cos(x / 4))
    ax.set_title(f"step {k}")
    plt.pause(0.05)

plt.ioff()
plt.show()
