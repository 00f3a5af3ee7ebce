"""The frame engine: exact figure sizes, blitted frames equal to full redraws, and sane time and memory."""
from __future__ import annotations

import time
import tracemalloc

import matplotlib
import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sitegen.animation.frames import make_figure, render_frames, render_full
from sitegen.animation.kinds import KINDS
from test_kinds import CASES, DARK, case, dataset, params_for


def scene_of(kind: str, width: int = 200, height: int = 150, dpi: float = 50, **overrides):
    data, params = case(kind, title="Title", **overrides)
    return KINDS[kind].draw(make_figure(width, height, dpi), data, params)


@pytest.mark.parametrize("width, height, dpi", [(160, 120, 40), (601, 449, 72), (333, 211, 96), (1280, 720, 110.5)])
def test_make_figure_has_exactly_the_requested_pixels_on_its_own_agg_canvas(width, height, dpi):
    managers = Gcf.get_num_fig_managers()
    figure = make_figure(width, height, dpi)
    assert isinstance(figure.canvas, FigureCanvasAgg)
    assert figure.canvas.get_width_height(physical=True) == (width, height)
    assert Gcf.get_num_fig_managers() == managers  # not registered with pyplot


def test_make_figure_refuses_an_empty_size():
    with pytest.raises(ValueError, match="positive"):
        make_figure(0, 100, 100)


@pytest.mark.parametrize("name", sorted(CASES))
def test_blitted_frames_equal_full_redraws(name):
    scene = scene_of(name)
    indices = range(scene.frame_count)
    blitted = list(render_frames(scene, indices))
    full = list(render_full(scene, indices))
    assert len(blitted) == len(full) == scene.frame_count
    for fast, reference in zip(blitted, full):
        assert fast.shape == (150, 200, 3)
        assert np.abs(fast.astype(int) - reference.astype(int)).max() <= 1


@pytest.mark.parametrize("name", ["heatmap", "traces", "topomap"])
def test_blitting_matches_under_the_dark_style_too(name):
    with matplotlib.rc_context(DARK):
        scene = scene_of(name)
        blitted = list(render_frames(scene, [0, 2]))
        full = list(render_full(scene, [0, 2]))
    assert all(np.abs(a.astype(int) - b.astype(int)).max() <= 1 for a, b in zip(blitted, full))


@pytest.mark.parametrize("name", sorted(CASES))
def test_consecutive_frames_differ(name):
    frames = list(render_frames(scene_of(name), range(3)))
    assert not np.array_equal(frames[0], frames[1]) and not np.array_equal(frames[1], frames[2])


def test_frames_depend_on_their_index_alone_and_are_copies():
    scene = scene_of("scatter")
    in_order = list(render_frames(scene, [0, 1, 2, 3]))
    shuffled = list(render_frames(scene, [3, 1, 0, 2]))  # the scene is reused, as the renderer does
    for position, index in enumerate([3, 1, 0, 2]):
        assert np.array_equal(shuffled[position], in_order[index])
    in_order[0][:] = 0  # a frame owns its pixels: the next one is not affected
    assert in_order[1].any() and in_order[0].base is None


def test_blitting_is_faster_than_full_redraws():
    scene = scene_of("traces", width=640, height=360, dpi=100, step=4)
    indices = range(scene.frame_count)
    start = time.perf_counter()
    for _ in render_frames(scene, indices):
        pass
    blitting = time.perf_counter() - start
    start = time.perf_counter()
    for _ in render_full(scene, indices):
        pass
    assert blitting < time.perf_counter() - start


def test_memory_stays_flat_while_frames_stream():
    scene = scene_of("heatmap", width=320, height=240, dpi=80)
    frame_bytes = 320 * 240 * 3
    list(render_frames(scene, range(2)))  # warm caches (fonts, colormap lookup tables)
    tracemalloc.start()
    try:
        for _ in render_frames(scene, [i % scene.frame_count for i in range(60)]):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * frame_bytes  # a few frames' worth, not sixty


def test_a_hundred_frames_render_quickly():
    y, x = np.mgrid[0:64, 0:64]
    frames = np.stack([np.exp(-((x - 0.6 * i) ** 2 + (y - 32) ** 2) / 60.0) for i in range(100)])
    scene = KINDS["heatmap"].draw(make_figure(300, 225, 50), dataset(frames=frames), params_for("heatmap"))
    start = time.perf_counter()
    count = sum(1 for _ in render_frames(scene, range(100)))
    assert count == 100 and time.perf_counter() - start < 5.0
