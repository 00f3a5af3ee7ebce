"""scatter: points moving over time (an embedding across training epochs), coloured by label or value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sitegen.animation.dataset import DataSet
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema, ordered

NAME = "scatter"
LAYOUT = "T×N×2"
MAX_LEGEND = 10


@dataclass(frozen=True, slots=True)
class _Inputs:
    positions: np.ndarray  # T×N×2
    labels: np.ndarray | None  # N categories
    values: np.ndarray | None  # N or T×N numbers
    times: common.FrameTimes | None

    @property
    def count(self) -> int:
        return self.positions.shape[0]


@dataclass(frozen=True, slots=True)
class _Colours:
    """Point colours: fixed RGBA per point (labels, or one colour), or values through cmap and norm."""

    rgba: np.ndarray | None  # N×4
    cmap: Any
    norm: Normalize | None
    legend: tuple[tuple[str, tuple], ...]  # (label, colour) per category


class Scatter:
    name = NAME
    summary = "Points moving over time (e.g. an embedding across training), coloured by label or value."
    data_layout = (
        "positions: T×N×2 numbers (or the only array): N points' x, y in each of T frames.\n"
        "Optional labels: N categories (ints or names): qualitative colours and a legend.\n"
        "Optional values: N or T×N numbers: a colormap and colour bar (instead of labels).\n"
        "Optional time / epochs: T numbers, one per frame, for the frame label's {t}."
    )
    params = Schema((
        Option("cmap", str, None, "colormap (default: 'tab10'/'tab20' for labels, 'viridis' for values)",
               check=common.colormap),
        Option("vmin", NUMBER, None, "low end of the value colour scale (default: over all frames)"),
        Option("vmax", NUMBER, None, "high end of the value colour scale (default: over all frames)"),
        Option("marker_size", NUMBER, None, "marker area in points² (default: smaller for more points)",
               greater_than=0),
        Option("alpha", NUMBER, 0.8, "marker opacity", greater_than=0, max=1),
        Option("padding", NUMBER, 0.05, "space around the points, as a fraction of their extent", min=0),
        Option("trail", int, 0, "frames of fading trail behind each point (0: none)", min=0),
        Option("legend", bool, True, f"a legend of the labels (when there are at most {MAX_LEGEND})"),
        Option("colorbar", bool, True, "a colour bar for values"),
        Option("aspect", str, "equal", "axis aspect", ("equal", "auto")),
        Option("ticks", bool, True, "show axis ticks"),
        Option("xlabel", str, None, "x-axis label"),
        Option("ylabel", str, None, "y-axis label"),
        Option("time_label", str, None, "frame label with {i} and {t}, e.g. 'epoch {i}'; '' hides it "
                                        "(default: 'frame {i}', or from a time/epochs array)",
               check=common.frame_format),
    ), rules=(ordered("vmin", "vmax"),))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        return _resolve(data)[1]

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return common.require(_resolve(data)).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        inputs = common.require(_resolve(data))
        label = common.per_frame_label(params, inputs.times)
        colours = _colours(inputs, params)
        common.start_layout(figure)
        ax = figure.add_subplot()
        _axes(ax, inputs, params)
        points = _points(ax, inputs, colours, params)
        trail = _Trail.make(ax, inputs.positions, params["trail"], params["alpha"], colours) \
            if params["trail"] else None
        _legend(figure, ax, points, colours, params)
        text = common.add_frame_label(ax, label, inputs.count)
        common.set_title(ax, params.get("title"), beside_label=text is not None)
        common.finish_layout(figure)
        per_frame_colours = inputs.values is not None and inputs.values.ndim == 2

        def update(i: int) -> None:
            points.set_offsets(inputs.positions[i])
            if per_frame_colours:
                points.set_array(inputs.values[i])
            if trail is not None:
                trail.update(i)
            if text is not None:
                text.set_text(label.text(i))

        animated = [*([trail.lines] if trail else []), points, *([text] if text is not None else [])]
        return Scene(figure, animated, inputs.count, update, overlays=common.spines(ax))


def _resolve(data: DataSet) -> tuple[_Inputs | None, list[Problem]]:
    found = common.main_array(NAME, data, ("positions",))
    if isinstance(found, Problem):
        return None, [found]
    name, positions = found
    problem = common.numeric_problem(name, positions)
    if not problem and (positions.ndim != 3 or positions.shape[2] != 2):
        hint = "one frame of N×2 points is not an animation" if positions.ndim == 2 else ""
        problem = common.shape_error(NAME, "positions", name, positions, LAYOUT, hint)
    if problem:
        return None, [problem]
    count, n_points = positions.shape[:2]
    labels, problems = _per_point(data, "labels", n_points, count, allow_frames=False)
    values, more = _per_point(data, "values", n_points, count, allow_frames=True)
    times, most = common.frame_times(data, count)
    problems += more + most
    return (None if problems else _Inputs(common.as_float(positions), labels, values, times)), problems


def _per_point(data: DataSet, name: str, n_points: int, count: int, *, allow_frames: bool):
    if name not in data:
        return None, []
    array = data[name]
    shapes = [(n_points,), (count, n_points)] if allow_frames else [(n_points,)]
    if array.shape not in shapes:
        wanted = " or ".join(str(s) for s in shapes)
        return None, [Problem("data", f"array {name!r} must have shape {wanted} (one per point); "
                                      f"got {tuple(array.shape)}")]
    if allow_frames:
        problem = common.numeric_problem(name, array)
        return (None, [problem]) if problem else (common.as_float(array), [])
    return np.asarray(array), []


def _colours(inputs: _Inputs, params: Mapping[str, Any]) -> _Colours:
    if inputs.values is not None:
        low, high = common.colour_limits([inputs.values], params["vmin"], params["vmax"])
        cmap = matplotlib.colormaps[params["cmap"] or "viridis"]
        return _Colours(None, cmap, Normalize(low, high), ())
    if inputs.labels is not None:
        categories, index = np.unique(inputs.labels, return_inverse=True)
        palette = _palette(params["cmap"], len(categories))
        legend = tuple((str(c), tuple(palette[k])) for k, c in enumerate(categories))
        return _Colours(palette[index], None, None, legend)
    colour = np.array([to_rgba(common.cycle_colours(1)[0])])
    return _Colours(np.repeat(colour, inputs.positions.shape[1], axis=0), None, None, ())


def _palette(name: str | None, count: int) -> np.ndarray:
    """`count` distinct RGBA colours from a qualitative colormap (tab10, tab20, or the one named)."""
    cmap = matplotlib.colormaps[name or ("tab10" if count <= 10 else "tab20")]
    listed = getattr(cmap, "colors", None)
    if listed is not None and len(listed) >= count and cmap.N < 256:
        return np.array([to_rgba(c) for c in listed[:count]])
    return cmap(np.linspace(0.0, 1.0, count))


def _axes(ax, inputs: _Inputs, params: Mapping[str, Any]) -> None:
    common.fix_plane_axes(ax, inputs.positions, params["padding"], params["aspect"])
    if not params["ticks"]:
        ax.set_xticks([])
        ax.set_yticks([])
    if params.get("xlabel"):
        ax.set_xlabel(params["xlabel"])
    if params.get("ylabel"):
        ax.set_ylabel(params["ylabel"])


def _points(ax, inputs: _Inputs, colours: _Colours, params: Mapping[str, Any]):
    size = params["marker_size"] or _auto_size(ax.figure, inputs.positions.shape[1])
    if colours.rgba is not None:
        return ax.scatter(*inputs.positions[0].T, s=size, c=colours.rgba, alpha=params["alpha"],
                          linewidths=0, zorder=3)
    values = inputs.values[0] if inputs.values.ndim == 2 else inputs.values
    return ax.scatter(*inputs.positions[0].T, s=size, c=values, cmap=colours.cmap, norm=colours.norm,
                      alpha=params["alpha"], linewidths=0, zorder=3)


def _auto_size(figure: Figure, n_points: int) -> float:
    """Markers covering about a tenth of the figure together, between 3 and 40 points²."""
    width_pt, height_pt = figure.get_size_inches() * 72.0
    return float(np.clip(0.1 * width_pt * height_pt / n_points, 3.0, 40.0))


def _legend(figure: Figure, ax, points, colours: _Colours, params: Mapping[str, Any]) -> None:
    if colours.norm is not None and params["colorbar"]:
        common.colorbar(figure, ax, points)
    if colours.legend and params["legend"] and len(colours.legend) <= MAX_LEGEND:
        handles = [Line2D([], [], linestyle="", marker="o", color=colour, label=name)
                   for name, colour in colours.legend]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


@dataclass(frozen=True, slots=True)
class _Trail:
    """Each point's last `length` moves, fading with age. One polyline per (age, colour group), its
    segments separated by NaN: a few paths per frame however many points (a path per segment is slow)."""

    lines: LineCollection
    positions: np.ndarray  # T×N×2
    groups: tuple[np.ndarray, ...]  # point indices sharing a trail colour
    colours: np.ndarray  # (length × groups)×4, opacity fading with age

    @classmethod
    def make(cls, ax, positions: np.ndarray, length: int, alpha: float, colours: _Colours) -> _Trail:
        groups, base = _trail_groups(colours, positions.shape[1])
        fade = alpha * 0.7 * (1.0 - np.arange(length) / length)
        rgba = np.repeat(base[None], length, axis=0)
        rgba[..., 3] = fade[:, None]
        lines = LineCollection([], linewidths=1.0, zorder=2)
        ax.add_collection(lines, autolim=False)
        return cls(lines, positions, groups, rgba.reshape(-1, 4))

    def update(self, i: int) -> None:
        length = len(self.colours) // len(self.groups)
        ages = np.arange(length)  # age k joins frame i-k-1 to frame i-k
        shown = i - ages - 1 >= 0
        ends = self.positions[np.maximum(i - ages, 0)]  # length×N×2
        begins = self.positions[np.maximum(i - ages - 1, 0)]
        gaps = np.full_like(ends, np.nan)
        strokes = np.stack([begins, ends, gaps], axis=2)  # length×N×3×2
        self.lines.set_segments([strokes[k, members].reshape(-1, 2) for k in range(length) for members in self.groups])
        colours = self.colours.copy()
        colours[:, 3] *= np.repeat(shown, len(self.groups))
        self.lines.set_color(colours)


def _trail_groups(colours: _Colours, n_points: int) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Trails take their points' colour when the points have a few distinct ones, else one neutral colour."""
    if colours.rgba is not None:
        unique, index = np.unique(colours.rgba, axis=0, return_inverse=True)
        if len(unique) <= 20:
            return tuple(np.flatnonzero(index.ravel() == k) for k in range(len(unique))), unique.copy()
    return (np.arange(n_points),), np.array([to_rgba(common.foreground())])


register(Scatter())
