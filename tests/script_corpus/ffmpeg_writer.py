"""Frame grabbing with FFMpegWriter: no Animation object, the script hands frames to the writer itself."""
import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.animation import FFMpegWriter

np.random.seed(19680801)

metadata = dict(title="Random walk", artist="A. Author", comment="grabbed frame by frame")
writer = FFMpegWriter(fps=15, metadata=metadata)

fig = plt.figure(figsize=(3.2, 2.4))
trail, = plt.plot([], [], "-", color="0.7")
head, = plt.plot([], [], "o", color="tab:red")
plt.xlim(-2, 2)
plt.ylim(-2, 2)

xs, ys = [0.0], [0.0]
with writer.saving(fig, "random_walk.mp4", 100):
    for i in range(12):
        xs.append(xs[-1] + 0.3 * np.random.randn())
        ys.append(ys[-1] + 0.3 * np.random.randn())
        trail.set_data(xs, ys)
        head.set_data([xs[-1]], [ys[-1]])
        writer.grab_frame()
