"""The frame engine: a Scene -> RGB frames, by blitting (static parts drawn once) or by full redraws.

Blitting: the figure is drawn once without its animated artists (and overlays), that background is kept,
and each frame restores it, updates the scene, and draws only the animated artists and then the overlays,
in z-order. Overlays are left out of the background too, so they are composited exactly once per frame,
as in a full redraw: blitted frames are pixel-identical to `render_full`'s.
"""
from __future__ import annotations

import math
from typing import Iterator, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sitegen.animation.kinds.base import Scene


def make_figure(width_px: int, height_px: int, dpi: float) -> Figure:
    """A figure of exactly width_px × height_px pixels on its own Agg canvas (no pyplot, no global state).
    It takes its colours from the rcParams in force now: call it inside the style's rc_context."""
    if width_px < 1 or height_px < 1 or dpi <= 0:
        raise ValueError(f"a frame needs a positive size and dpi; got {width_px}×{height_px} px at dpi {dpi}")
    figure = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    return figure


def render_frames(scene: Scene, indices: Sequence[int]) -> Iterator[np.ndarray]:
    """Frames `indices` of the scene as H×W×3 uint8 arrays (copies), drawn by blitting."""
    canvas = _canvas(scene)
    moving = _in_zorder(scene.animated) + _in_zorder(scene.overlays)
    _set_animated(moving, True)
    canvas.draw()
    background = canvas.copy_from_bbox(scene.figure.bbox)
    for index in indices:
        canvas.restore_region(background)
        scene.update(index)
        for artist in moving:
            scene.figure.draw_artist(artist)
        yield _pixels(canvas)


def render_full(scene: Scene, indices: Sequence[int]) -> Iterator[np.ndarray]:
    """The same frames through a full `canvas.draw()` each: the reference blitting must match."""
    canvas = _canvas(scene)
    _set_animated([*scene.animated, *scene.overlays], False)
    for index in indices:
        scene.update(index)
        canvas.draw()
        yield _pixels(canvas)


def _canvas(scene: Scene) -> FigureCanvasAgg:
    canvas = scene.figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError(f"the scene's figure must have an Agg canvas (make_figure); got {type(canvas).__name__}")
    return canvas


def _in_zorder(artists: Sequence[Artist]) -> list[Artist]:
    # sorted() is stable: artists of equal zorder keep the order the kind gave, as a full draw does.
    return sorted(artists, key=lambda artist: artist.get_zorder())


def _set_animated(artists: Sequence[Artist], animated: bool) -> None:
    for artist in artists:
        artist.set_animated(animated)


def _pixels(canvas: FigureCanvasAgg) -> np.ndarray:
    """The canvas's RGB pixels, copied (the buffer is overwritten by the next frame)."""
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


def frame_indices(natural: int, count: int) -> list[int]:
    """Which of the animation's own frames each output frame shows, spread evenly."""
    return [min(natural - 1, math.floor(i * natural / count)) for i in range(count)]
