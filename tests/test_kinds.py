"""The built-in kinds: registry, data checks with messages a user can act on, small renders, styles."""
from __future__ import annotations

from typing import Any, Callable

import matplotlib
import numpy as np
import pytest
from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine

from sitegen.animation.dataset import DataSet
from sitegen.animation.frames import make_figure, render_frames
from sitegen.animation.kinds import KINDS, UnknownKind, kind_registry
from sitegen.animation.kinds.common import DataProblems
from sitegen.animation.spec import COMMON
from sitegen.schema import Option, Problem, Schema, validate

DARK = {"figure.facecolor": "#101418", "axes.facecolor": "#101418", "text.color": "#e6e6e6",
        "axes.labelcolor": "#e6e6e6", "xtick.color": "#e6e6e6", "ytick.color": "#e6e6e6",
        "axes.edgecolor": "#8a8f98"}
LIGHT = {"figure.facecolor": "#ffffff", "axes.facecolor": "#ffffff", "text.color": "#1a1a1a",
         "axes.labelcolor": "#1a1a1a", "xtick.color": "#1a1a1a", "ytick.color": "#1a1a1a",
         "axes.edgecolor": "#333333"}


def dataset(primary: str | None = None, columns: tuple[str, ...] = (), **arrays: Any) -> DataSet:
    """A DataSet of read-only arrays, as the loader hands them over."""
    frozen = {}
    for name, values in arrays.items():
        array = np.array(values)
        array.setflags(write=False)
        frozen[name] = array
    return DataSet(frozen, primary_name=primary, columns=columns)


def params_for(kind: str, **overrides: Any) -> dict[str, Any]:
    """Every key of the kind with its default, plus the common `title`, as the caller passes them."""
    params = {**KINDS[kind].params.defaults(), "title": None}
    params.update(overrides)
    return params


def _heatmap() -> DataSet:
    y, x = np.mgrid[0:32, 0:32]
    frames = np.stack([np.exp(-((x - 6 * i - 4) ** 2 + (y - 16) ** 2) / 20.0) for i in range(5)])
    return dataset(frames=frames, time=np.arange(5) * 0.05)


def _traces() -> DataSet:
    t = np.linspace(0, 2, 120)
    return dataset(signals=np.stack([np.sin(2 * np.pi * (k + 1) * t) for k in range(3)]), time=t)


def _raster() -> DataSet:
    rng = np.random.default_rng(0)
    trains = {f"n{k}": np.sort(np.r_[0.0, rng.uniform(0, 1, 15), 1.0]) for k in range(10)}
    return dataset(**trains)


def _scatter() -> DataSet:
    rng = np.random.default_rng(1)
    start, labels = rng.normal(size=(40, 2)), np.arange(40) % 4
    end = np.stack([np.cos(labels * np.pi / 2), np.sin(labels * np.pi / 2)], axis=1) * 3
    steps = np.linspace(0, 1, 5)[:, None, None]
    return dataset(positions=(1 - steps) * start + steps * end, labels=labels)


def _trajectory() -> DataSet:
    t = np.linspace(0, 6, 6)
    return dataset(paths=np.stack([np.c_[np.cos(t), np.sin(t)], np.c_[np.cos(t + 1) / 2, np.sin(t + 1) / 2]], axis=1))


def _electrodes() -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    ring = np.c_[np.cos(angles), np.sin(angles)]
    return np.vstack([[[0, 0]], 0.45 * ring[::2], 0.85 * ring])


def _topomap() -> DataSet:
    positions = _electrodes()
    values = np.stack([positions[:, 0] * np.cos(k) + positions[:, 1] * np.sin(k) for k in range(5)])
    return dataset(positions=positions, values=values, times=np.arange(5) * 100.0)


def _network() -> DataSet:
    angles = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    base = np.random.default_rng(2).normal(size=(6, 6))
    weights = np.stack([base * (1 + 0.5 * np.sin(k)) for k in range(5)])
    return dataset(positions=np.c_[np.cos(angles), np.sin(angles)], weights=weights,
                   activity=np.sin(np.arange(5)[:, None] + angles[None]))


CASES: dict[str, tuple[Callable[[], DataSet], dict[str, Any]]] = {
    "heatmap": (_heatmap, {}),
    "traces": (_traces, {"window": 0.6, "step": 20}),
    "raster": (_raster, {"window": 0.5, "step": 0.1}),
    "scatter": (_scatter, {"trail": 2}),
    "trajectory": (_trajectory, {"tail": 3}),
    "topomap": (_topomap, {}),
    "network": (_network, {"threshold": 0.3}),
}
FRAME_COUNTS = {"heatmap": 5, "traces": 5, "raster": 6, "scatter": 5, "trajectory": 6, "topomap": 5, "network": 5}


def case(kind: str, **overrides: Any) -> tuple[DataSet, dict[str, Any]]:
    make, defaults = CASES[kind]
    return make(), params_for(kind, **{**defaults, **overrides})


def draw_small(kind: str, style: dict[str, str] | None = None, width: int = 160, height: int = 120,
               dpi: float = 40, **overrides: Any) -> list[np.ndarray]:
    """Every frame of the kind's small case, rendered under `style`."""
    data, params = case(kind, **overrides)
    with matplotlib.rc_context(style or {}):
        scene = KINDS[kind].draw(make_figure(width, height, dpi), data, params)
        return list(render_frames(scene, range(scene.frame_count)))


# ---------------------------------------------------------------- the registry


def test_registry_holds_the_seven_kinds_in_a_stable_order():
    assert KINDS.names() == ("heatmap", "traces", "raster", "scatter", "trajectory", "topomap", "network")
    assert all(kind.name == name for name, kind in KINDS.items())


def test_an_unknown_name_suggests_the_closest_kind():
    with pytest.raises(UnknownKind) as raised:
        KINDS["heatmapp"]
    assert raised.value.message == "unknown kind 'heatmapp'" and raised.value.hint == "did you mean 'heatmap'?"
    assert "heatmapp" not in KINDS and KINDS.get("heatmapp") is None


class _Flat:
    name = "flat"
    summary = "One colour."
    data_layout = "anything"
    params = Schema((Option("shade", str, "grey", "the colour"),))


def test_a_kind_registers_by_its_name_once_and_keeps_its_place():
    registry = kind_registry()
    first, second = _Flat(), _Flat()
    second.name = "flat2"
    assert registry.register(first, first.name) is first
    registry.register(second, second.name)
    assert registry.names() == ("flat", "flat2") and registry["flat2"] is second
    with pytest.raises(ValueError, match="already registered"):
        registry.register(_Flat(), "flat")


def test_a_kind_must_declare_its_keys_as_a_schema():
    flat = _Flat()
    flat.params = ({"name": "shade"},)
    with pytest.raises(TypeError, match="as a Schema"):
        kind_registry().register(flat, flat.name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_kind_describes_itself_and_its_params(name):
    kind = KINDS[name]
    assert kind.summary and "\n" not in kind.summary
    assert kind.data_layout.strip()
    assert not set(kind.params.names) & set(COMMON.names)
    COMMON.extended(kind.params, owner=name)  # the directive's keys and the kind's together
    for param in kind.params:
        assert isinstance(param, Option) and param.doc and "\n" not in param.doc
        assert param.default is None or isinstance(param.default, param.types), param.name
        assert not param.choices or param.default in param.choices, param.name
        assert validate({param.name: param.default}, kind.params).problems == (), param.name


# ---------------------------------------------------------------- rendering small data


@pytest.mark.parametrize("name", sorted(CASES))
def test_small_data_checks_clean_and_renders(name):
    data, params = case(name, title="A title")
    assert KINDS[name].check(data, params) == []
    assert KINDS[name].frame_count(data, params) == FRAME_COUNTS[name]
    frames = draw_small(name, title="A title")
    assert len(frames) == FRAME_COUNTS[name]
    assert all(frame.shape == (120, 160, 3) and frame.dtype == np.uint8 for frame in frames)
    assert not np.array_equal(frames[0], frames[-1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_layout_is_done_once_and_then_off(name):
    data, params = case(name)
    figure = make_figure(160, 120, 40)
    scene = KINDS[name].draw(figure, data, params)
    assert not isinstance(figure.get_layout_engine(), (ConstrainedLayoutEngine, TightLayoutEngine))
    assert scene.figure is figure and scene.animated


@pytest.mark.parametrize("name", sorted(CASES))
def test_dark_style_gives_dark_corners_and_light_style_light_ones(name):
    for style, dark in ((DARK, True), (LIGHT, False)):
        frame = draw_small(name, style)[-1]
        corners = frame[[0, 0, -1, -1], [0, -1, 0, -1]].astype(int)
        assert (corners.max() < 60) if dark else (corners.min() > 200), (name, style is DARK, corners)


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_hard_coded_black_under_the_dark_style(name):
    """Marks that are not data take the style's colours: nothing renders near-black on a dark page."""
    frame = draw_small(name, DARK, width=240, height=180, dpi=60)[-1].astype(int)
    assert not np.any(frame.max(axis=2) < 10)


# ---------------------------------------------------------------- what `check` reports


def problems(kind: str, data: DataSet, **overrides: Any) -> list[Problem]:
    return KINDS[kind].check(data, params_for(kind, **{**CASES[kind][1], **overrides}))


def only(found: list[Problem], key: str) -> Problem:
    matching = [p for p in found if p.key == key]
    assert len(matching) == 1, found
    return matching[0]


def test_missing_array_names_what_was_looked_for_and_what_is_there():
    problem = only(problems("heatmap", dataset(movie=np.zeros((2, 3, 3)), mask=np.zeros(3))), "data")
    assert "'frames'" in problem.message and "'movie'" in problem.message and "'mask'" in problem.message


def test_wrong_shape_reports_the_actual_shape_and_the_layout():
    problem = only(problems("heatmap", dataset(frames=np.zeros((100, 64)))), "data")
    assert "heatmap needs frames of shape T×H×W; got (100, 64)" in problem.message


def key_problems(kind: str, **given: Any) -> list[Problem]:
    """What the kind's schema finds wrong with these keys (checked when the directive is read)."""
    return list(validate(given, KINDS[kind].params).problems)


def test_bad_cmap_suggests_the_closest():
    problem = only(key_problems("heatmap", cmap="virdis"), "cmap")
    assert problem.message == "'cmap' names no matplotlib colormap: 'virdis'" and problem.hint == "did you mean 'viridis'?"


def test_negative_threshold_is_blamed_on_its_key():
    problem = only(key_problems("network", threshold=-0.1), "threshold")
    assert problem.message == "'threshold' must be 0 or more, not -0.1"


@pytest.mark.parametrize("kind, data, fragment", [
    ("heatmap", dataset(frames=np.array([[["a"]]])), "not numeric"),
    ("heatmap", dataset(frames=np.full((3, 4, 4), np.nan)), "no finite values"),
    ("heatmap", dataset(frames=np.zeros((3, 4, 4)), time=np.arange(5)), "one number per frame (3)"),
    ("traces", dataset(signals=np.zeros((2, 3, 4))), "got (2, 3, 4)"),
    ("traces", dataset(signals=np.zeros((2, 50)), time=np.arange(40)), "one number per sample (50)"),
    ("raster", dataset(spikes=np.zeros((30, 3))), "N×2 (neuron, time); got (30, 3)"),
    ("raster", dataset(neuron=np.zeros(3), time=np.zeros(4)), "same length"),
    ("scatter", dataset(positions=np.zeros((10, 2))), "T×N×2; got (10, 2)"),
    ("scatter", dataset(positions=np.zeros((3, 10, 2)), labels=np.zeros(9)), "got (9,)"),
    ("trajectory", dataset(paths=np.zeros((10, 3))), "got (10, 3)"),
    ("topomap", dataset(positions=np.zeros((10, 2))), "'values'"),
    ("topomap", dataset(positions=np.zeros((10, 2)), values=np.zeros((5, 9))), "E = 10 electrodes; got (5, 9)"),
    ("network", dataset(positions=np.zeros((4, 2)), weights=np.zeros((4, 3))), "N = 4 nodes; got (4, 3)"),
])
def test_bad_data_is_reported_against_data(kind, data, fragment):
    problem = only(problems(kind, data), "data")
    assert fragment in problem.message


@pytest.mark.parametrize("kind, key, value", [
    ("heatmap", "time_label", "t = {x}"),
    ("heatmap", "clip_percent", 60),
    ("heatmap", "origin", "top"),
    ("heatmap", "vmax", -1),  # below vmin
    ("traces", "window", -1),
    ("traces", "step", 0),
    ("traces", "offset", -2.0),
    ("traces", "ylim", [1, 0]),
    ("traces", "labels", ["a", 2]),
    ("raster", "smooth", -1),
    ("raster", "window", float("inf")),
    ("raster", "color", "notacolour"),
    ("scatter", "alpha", 2),
    ("scatter", "trail", -1),
    ("scatter", "trail", 1.5),
    ("trajectory", "tail", -3),
    ("topomap", "resolution", 2),
    ("network", "depth", 1.5),
    ("network", "excitatory_color", "reddish"),
])
def test_out_of_range_params_are_blamed_on_their_key(kind, key, value):
    found = key_problems(kind, **{key: value, **({"vmin": 0} if key == "vmax" else {})})
    assert only(found, key).message.startswith(f"'{key}' ")


@pytest.mark.parametrize("kind, key, value, message", [
    ("heatmap", "panel_titles", ["a", "b"], "'panel_titles' has 2 entries but there are 1 panels"),
    ("traces", "labels", ["one"], "'labels' has 1 entries but there are 3 channels"),
    ("trajectory", "labels", ["only one"], "'labels' has 1 entries but there are 2 paths"),
    ("network", "labels", ["a"], "'labels' has 1 entries but there are 6 nodes"),
])
def test_a_name_per_channel_must_match_the_data(kind, key, value, message):
    assert only(problems(kind, CASES[kind][0](), **{key: value}), key).message == message


def test_panels_naming_a_missing_array_suggests_the_names_present():
    problem = only(problems("heatmap", dataset(frames=np.zeros((2, 3, 3)), recon=np.zeros((2, 3, 3))),
                            panels=["frames", "recno"]), "panels")
    assert "'recno'" in problem.message and "'recon'" in problem.hint


def test_draw_refuses_data_that_check_rejects():
    with pytest.raises(DataProblems, match="got \\(100, 64\\)"):
        KINDS["heatmap"].draw(make_figure(160, 120, 40), dataset(frames=np.zeros((100, 64))), params_for("heatmap"))


# ---------------------------------------------------------------- behaviour of each kind


def colour(cmap: str, fraction: float) -> list[int]:
    return list(matplotlib.colormaps[cmap](fraction, bytes=True))


def test_heatmap_scale_is_fixed_over_all_frames_and_label_uses_time():
    """Frame k is filled with k: on one scale for all frames, frame 0 is the colormap's low end, frame 4 its top."""
    data = dataset(frames=np.arange(5.0)[:, None, None] * np.ones((5, 4, 4)), time=np.arange(5) * 0.05)
    scene = KINDS["heatmap"].draw(make_figure(160, 120, 40), data, params_for("heatmap", clip_percent=0))
    image, label = scene.animated
    for k, fraction in ((0, 0.0), (2, 0.5), (4, 1.0)):
        scene.update(k)
        assert list(image.get_array()[1, 1]) == colour("viridis", fraction)
    scene.update(3)
    assert label.get_text() == "t = 0.15"  # the time array has no unit


def test_heatmap_panels_side_by_side_with_their_own_scales():
    frames = np.arange(5.0)[:, None, None] * np.ones((5, 4, 4))
    data = dataset(frames=frames, recon=frames * 10)
    params = params_for("heatmap", panels=["frames", "recon"], clip_percent=0, time_label="")
    for shared, recon_top in ((False, 1.0), (True, 1.0)):
        scene = KINDS["heatmap"].draw(make_figure(200, 100, 40), data, {**params, "shared_scale": shared})
        first, second = scene.animated
        scene.update(4)
        assert list(second.get_array()[0, 0]) == colour("viridis", recon_top)
        assert list(first.get_array()[0, 0]) == colour("viridis", 1.0 if not shared else 0.1)
    assert [ax.get_title(loc="center") for ax in scene.figure.axes[:2]] == ["frames", "recon"]


def test_traces_from_csv_columns_are_named_by_the_header():
    t = np.linspace(0, 1, 50)
    data = dataset(primary="table", columns=("time", "lfp", "emg"), time=t, lfp=np.sin(t), emg=np.cos(t),
                   table=np.c_[t, np.sin(t), np.cos(t)])
    params = params_for("traces", window=0.2, step=5)
    assert KINDS["traces"].check(data, params) == []
    scene = KINDS["traces"].draw(make_figure(200, 100, 40), data, params)
    legend = scene.figure.axes[0].get_legend()
    assert [text.get_text() for text in legend.get_texts()] == ["lfp", "emg"]


def test_traces_recognise_samples_by_channels_and_grow_mode_keeps_the_full_range():
    signals = np.random.default_rng(0).normal(size=(200, 2))  # N×C
    data = dataset(signals=signals)
    params = params_for("traces", mode="grow", step=50)
    assert KINDS["traces"].frame_count(data, params) == 4
    scene = KINDS["traces"].draw(make_figure(160, 120, 40), data, params)
    scene.update(1)
    assert len(scene.animated) == 2 and len(scene.animated[0].get_xdata()) == 100
    assert scene.figure.axes[0].get_xlim() == (0.0, 199.0)


def test_raster_orders_neurons_naturally_and_rates_in_hz():
    trains = {"n10": np.array([0.5]), "n2": np.array([0.1, 0.2]), "n1": np.array([0.0, 2.0])}
    params = params_for("raster", window=1.0, step=0.5, bin=0.5, smooth=0)
    scene = KINDS["raster"].draw(make_figure(160, 120, 40), dataset(**trains), params)
    raster_axes = scene.figure.axes[0]
    assert [t.get_text() for t in raster_axes.get_yticklabels()] == ["n1", "n2", "n10"]
    scene.update(0)
    marks, _, rate = scene.animated[:3]
    assert sorted(marks.get_offsets()[:, 1]) == [0, 1, 1, 2]
    # 4 spikes of 3 neurons in [0, 1): bins of 0.5 s hold 3 and 1 spikes -> 2 Hz and 0.67 Hz per neuron
    assert rate.get_ydata() == pytest.approx([2.0, 2 / 3])


def test_scatter_labels_get_a_legend_and_fixed_limits():
    data, params = case("scatter")
    scene = KINDS["scatter"].draw(make_figure(200, 150, 40), data, params)
    ax = scene.figure.axes[0]
    limits = ax.get_xlim(), ax.get_ylim()
    for i in range(5):
        scene.update(i)
    assert (ax.get_xlim(), ax.get_ylim()) == limits
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["0", "1", "2", "3"]


def test_trajectory_accepts_one_path_as_t_by_2():
    data = dataset(path=np.c_[np.arange(8.0), np.arange(8.0) ** 2])
    params = params_for("trajectory", tail=3)
    assert KINDS["trajectory"].check(data, params) == []
    scene = KINDS["trajectory"].draw(make_figure(160, 120, 40), data, params)
    tail, head = scene.animated[:2]
    scene.update(5)
    assert len(tail.get_segments()) == 3
    assert head.get_offsets().tolist() == [[5.0, 25.0]]


def test_topomap_is_masked_outside_the_head_and_passes_through_the_electrodes():
    data, params = case("topomap", resolution=33)
    scene = KINDS["topomap"].draw(make_figure(160, 120, 40), data, params)
    image = scene.animated[0]
    scene.update(2)
    grid = image.get_array()
    assert grid[0, 0, 3] == 0 and grid[-1, -1, 3] == 0  # transparent outside the head
    bound = np.abs(data["values"]).max()  # the default scale: symmetric, over all times
    centre = data["values"][2][0]  # electrode 0 sits at the centre of the grid
    assert np.abs(grid[16, 16].astype(int) - colour("RdBu_r", (centre + bound) / (2 * bound))).max() <= 1


def test_network_hides_edges_below_the_threshold():
    weights = np.array([[0, 1.0, 0.1], [1.0, 0, -0.5], [0.1, -0.5, 0]])
    data = dataset(positions=np.array([[0, 0], [1, 0], [0, 1.0]]), weights=weights)
    params = params_for("network", threshold=0.2, modulation="sine", period=4)
    assert KINDS["network"].frame_count(data, params) == 4
    scene = KINDS["network"].draw(make_figure(160, 120, 40), data, params)
    edges = scene.animated[0]
    scene.update(0)
    assert len(edges.get_segments()) == 2  # symmetric: each pair once; the 0.1 edge never shows
    colours = edges.get_colors()
    assert colours[0][0] > colours[0][2] and colours[1][2] > colours[1][0]  # excitatory red, inhibitory blue


# ---------------------------------------------------------------- text on a phone


@pytest.mark.parametrize("name", KINDS.names())
@pytest.mark.parametrize("width, height, dpi", [(640, 400, 100), (600, 450, 100), (500, 450, 100), (640, 480, 80)])
def test_every_text_is_legible_when_a_phone_shows_the_figure(name, width, height, dpi):
    """Each piece of text a kind draws is at least 9 CSS px when a 390-px phone shows the figure 356 px
    wide (tick labels, titles, the frame label, colour bar and legend text, node labels)."""
    from matplotlib.text import Text

    from sitegen.animation.styles import PHONE_FIGURE_WIDTH, PHONE_MIN_TEXT, FigureStyle, legible_fonts

    style = FigureStyle("light", "#fcfcfb", "#1d2125", "#0b7285").rc() | legible_fonts(width, dpi)
    named = {"labels": [f"n{k}" for k in range(6)]} if name == "network" else {}
    data, params = case(name, **named)
    with matplotlib.rc_context(style):
        figure = make_figure(width, height, dpi)
        scene = KINDS[name].draw(figure, data, params)
        list(render_frames(scene, [0]))
        texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    shown = {t.get_text(): t.get_fontsize() * dpi / 72 * PHONE_FIGURE_WIDTH / width for t in texts}
    assert min(shown.values()) >= PHONE_MIN_TEXT - 1e-6, {k: round(v, 1) for k, v in shown.items() if v < PHONE_MIN_TEXT}


def test_fonts_grow_with_the_figure_and_stay_within_bounds():
    from sitegen.animation.styles import legible_fonts

    assert legible_fonts(400, 100)["font.size"] == 10.0  # small figures keep matplotlib's size
    assert 11.0 < legible_fonts(640, 100)["font.size"] < 12.0
    assert legible_fonts(1600, 100)["font.size"] == legible_fonts(800, 100)["font.size"] < 15  # capped
    assert legible_fonts(640, 100)["axes.titlesize"] > legible_fonts(640, 100)["font.size"]
