"""A live-updating plot drawn by hand: fig.canvas.draw() then fig.canvas.flush_events() in a loop."""
import time

import numpy as np
import matplotlib.pyplot as plt

rng = np.random.default_rng(3)
readings = rng.normal(0, 1, 60).cumsum()

plt.ion()
fig, ax = plt.subplots(figsize=(3.2, 2.4))
trace, = ax.plot([], [], color="tab:olive")
ax.set_xlim(0, 60)
ax.set_ylim(readings.min() - 1, readings.max() + 1)
ax.set_xlabel("sample")

for n in range(5, 61, 5):
    trace.set_data(np.arange(n), readings[:n])
    fig.canvas.draw()
    fig.canvas.flush_events()
    time.sleep(0.01)
