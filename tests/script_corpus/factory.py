"""sitegen's factory form: make_animation(data, params) receives the directive's data and params."""
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation


def make_animation(data, params):
    field = data["field"]
    fig, ax = plt.subplots(figsize=(3.2, 2.4))
    image = ax.imshow(field[0], cmap=params.get("cmap", "viridis"), vmin=field.min(), vmax=field.max())
    title = ax.set_title("t = 0")
    step = params.get("step", 1)

    def update(i):
        image.set_data(field[i * step])
        title.set_text(f"t = {i * step}")
        return image, title

    return FuncAnimation(fig, update, frames=len(field) // step, interval=80)
