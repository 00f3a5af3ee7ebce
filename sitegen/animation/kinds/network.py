"""network: nodes coloured by activity, edges coloured by sign and sized by weight, changing over time."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from sitegen.animation.dataset import DataSet
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema, ordered

NAME = "network"
# Edge colours are data colours (the sign of a weight), the same in light and dark styles.
EXCITATORY = "#d62728"
INHIBITORY = "#1f77b4"
STATIC_FRAMES = 60


@dataclass(frozen=True, slots=True)
class _Inputs:
    positions: np.ndarray  # N×2
    activity: np.ndarray | None  # T×N
    weights: np.ndarray | None  # T×N×N or N×N
    times: common.FrameTimes | None
    count: int


@dataclass(frozen=True, slots=True)
class _Edges:
    """The candidate edges (any that ever reaches the threshold) and their weight in each frame."""

    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray | None  # T×N×N or N×N
    gain: np.ndarray  # per frame: the factor a static weight matrix is modulated by
    strongest: float
    threshold: float

    def at(self, i: int) -> np.ndarray:
        matrix = self.weights[i] if self.weights.ndim == 3 else self.weights * self.gain[i]
        return matrix[self.sources, self.targets]


class Network:
    name = NAME
    summary = "A network's nodes coloured by activity and its edges by the sign and size of time-varying weights."
    data_layout = (
        "positions: N×2 node x, y.\n"
        "activity: T×N numbers (optional), colours the nodes in each frame.\n"
        "weights: T×N×N, or one N×N matrix (modulated over time with `modulation`);\n"
        "weights[i, j] is the edge i→j (a symmetric matrix draws each pair once).\n"
        "Optional time / times / t: T numbers, one per frame."
    )
    params = Schema((
        Option("cmap", str, "viridis", "colormap of node activity", check=common.colormap),
        Option("vmin", NUMBER, None, "activity at the low end of the colormap (default: over all frames)"),
        Option("vmax", NUMBER, None, "activity at the high end of the colormap (default: over all frames)"),
        Option("threshold", NUMBER, 0.0, "edges with |weight| below this are hidden", min=0),
        Option("max_width", NUMBER, 3.0, "width in points of the strongest edge", greater_than=0),
        Option("node_size", NUMBER, 120.0, "node marker area in points²", min=0),
        Option("modulation", str, "none", "how one N×N weight matrix changes over time", ("none", "sine")),
        Option("period", int, None, f"frames per cycle of the sine modulation (default: all frames, or "
                                    f"{STATIC_FRAMES} when nothing else sets the count)", min=1),
        Option("depth", NUMBER, 0.5, "depth of the sine modulation", min=0, max=1),
        Option("excitatory_color", str, EXCITATORY, "colour of positive weights", check=common.colour),
        Option("inhibitory_color", str, INHIBITORY, "colour of negative weights", check=common.colour),
        Option("labels", list, None, "a name per node, written next to it", check=common.name_list),
        Option("colorbar", bool, True, "a colour bar for activity"),
        Option("time_label", str, None, "frame label with {i} and {t}; '' hides it (default: 'frame {i}')",
               check=common.frame_format),
    ), rules=(ordered("vmin", "vmax"),))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        inputs, problems = _resolve(data, params)
        n_nodes = inputs.positions.shape[0] if inputs else None
        return problems + common.compact([common.count_problem(params, "labels", n_nodes, "nodes")])

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return common.require(_resolve(data, params)).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        inputs = common.require(_resolve(data, params))
        edges = _edges(inputs, params)
        label = common.per_frame_label(params, inputs.times)
        common.start_layout(figure)
        ax = figure.add_subplot()
        _axes(ax, inputs.positions)
        lines = LineCollection(np.stack([inputs.positions[edges.sources], inputs.positions[edges.targets]], axis=1),
                               zorder=2, capstyle="round")
        ax.add_collection(lines, autolim=False)
        nodes = _nodes(figure, ax, inputs, params)
        names = _labels(ax, inputs.positions, params.get("labels"))
        text = common.add_frame_label(ax, label, inputs.count)
        common.set_title(ax, params.get("title"), beside_label=text is not None)
        common.finish_layout(figure)
        paint = _EdgePaint(to_rgba(params["excitatory_color"]), to_rgba(params["inhibitory_color"]),
                           params["max_width"])

        def update(i: int) -> None:
            colours, widths = paint(edges.at(i), edges.strongest, edges.threshold)
            lines.set_color(colours)
            lines.set_linewidth(widths)
            if inputs.activity is not None:
                nodes.set_array(inputs.activity[i])
            if text is not None:
                text.set_text(label.text(i))

        animated = [lines, nodes, *([text] if text is not None else [])]
        return Scene(figure, animated, inputs.count, update, overlays=names)


def _resolve(data: DataSet, params: Mapping[str, Any]) -> tuple[_Inputs | None, list[Problem]]:
    found = common.named_array(NAME, data, ("positions", "pos", "nodes"), what="node positions (N×2)")
    if isinstance(found, Problem):
        return None, [found]
    problem = common.numeric_problem(*found)
    if not problem and (found[1].ndim != 2 or found[1].shape[1] != 2):
        problem = common.shape_error(NAME, "node positions", found[0], found[1], "N×2")
    if problem:
        return None, [problem]
    n_nodes = found[1].shape[0]
    activity, problems = _optional(data, ("activity", "rates", "states"), ((None, n_nodes),), "T×N")
    weights, more = _optional(data, ("weights", "connectivity", "w"), ((None, n_nodes, n_nodes), (n_nodes, n_nodes)),
                              "T×N×N or N×N")
    problems += more
    if not problems and activity is None and weights is None:
        problems = [Problem("data", f"{NAME} needs 'activity' (T×N) or 'weights' (T×N×N or N×N) besides positions; "
                                    f"found {common.names_present(data)}")]
    if problems:
        return None, problems
    count, problems = _count(activity, weights, params)
    times, more = common.frame_times(data, count) if not problems else (None, [])
    problems += more
    return (None if problems else _Inputs(common.as_float(found[1]), activity, weights, times, count)), problems


def _optional(data: DataSet, names: tuple[str, ...], shapes: tuple[tuple[int | None, ...], ...], layout: str):
    """An optional array whose shape matches one of `shapes` (None: any length)."""
    found = common.optional_array(data, names)
    if found is None:
        return None, []
    name, array = found
    problem = common.numeric_problem(name, array)
    fits = any(array.ndim == len(s) and all(w is None or w == a for w, a in zip(s, array.shape)) for s in shapes)
    if not problem and not fits:
        n = next(w for w in shapes[0] if w is not None)
        problem = common.shape_error(NAME, name, name, array, f"{layout} with N = {n} nodes")
    return (None, [problem]) if problem else (np.nan_to_num(common.as_float(array)), [])


def _count(activity: np.ndarray | None, weights: np.ndarray | None,
           params: Mapping[str, Any]) -> tuple[int, list[Problem]]:
    """Frames: from activity or T×N×N weights; with one static matrix, one sine period."""
    counts = {name: len(a) for name, a in (("activity", activity), ("weights", weights)) if a is not None and
              (name == "activity" or a.ndim == 3)}
    if len(set(counts.values())) > 1:
        return 0, [Problem("data", f"'activity' has {counts['activity']} frames but 'weights' has {counts['weights']}")]
    if counts:
        return next(iter(counts.values())), []
    if params["modulation"] == "sine":
        return params.get("period") or STATIC_FRAMES, []
    return 0, [Problem("modulation", "nothing in this network changes over time (one weight matrix, no activity)",
                       hint="add 'activity' (T×N) or T×N×N weights, or set 'modulation: sine'")]


def _edges(inputs: _Inputs, params: Mapping[str, Any]) -> _Edges:
    n_nodes = inputs.positions.shape[0]
    weights = inputs.weights if inputs.weights is not None else np.zeros((n_nodes, n_nodes))
    gain = _gain(inputs.count, params)
    peak = np.abs(weights).max(axis=0) if weights.ndim == 3 else np.abs(weights) * gain.max()
    symmetric = np.allclose(weights, np.swapaxes(weights, -1, -2))
    mask = (peak >= params["threshold"]) & (peak > 0) & ~np.eye(n_nodes, dtype=bool)
    if symmetric:  # undirected: draw each pair once
        mask &= np.triu(np.ones((n_nodes, n_nodes), dtype=bool), 1)
    sources, targets = np.nonzero(mask)
    return _Edges(sources, targets, weights, gain, float(peak.max()) or 1.0, float(params["threshold"]))


def _gain(count: int, params: Mapping[str, Any]) -> np.ndarray:
    if params["modulation"] != "sine":
        return np.ones(count)
    period = params.get("period") or count
    return 1.0 + params["depth"] * np.sin(2 * np.pi * np.arange(count) / period)


@dataclass(frozen=True, slots=True)
class _EdgePaint:
    """Edge colours by sign, opacity and width by |weight|; edges under the threshold invisible."""

    excitatory: tuple
    inhibitory: tuple
    max_width: float

    def __call__(self, weights: np.ndarray, strongest: float, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        strength = np.abs(weights) / strongest
        shown = (np.abs(weights) >= threshold) & (weights != 0)
        colours = np.where((weights >= 0)[:, None], self.excitatory, self.inhibitory)
        colours[:, 3] = np.where(shown, 0.25 + 0.75 * strength, 0.0)
        return colours, np.where(shown, self.max_width * strength, 0.0)


def _axes(ax, positions: np.ndarray) -> None:
    xlim, ylim = common.plane_limits(positions, 0.08, min_ratio=1.0)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _nodes(figure: Figure, ax, inputs: _Inputs, params: Mapping[str, Any]):
    style = {"s": params["node_size"], "zorder": 3, "linewidths": 0.8,
             "edgecolors": common.foreground()}
    if inputs.activity is None:
        return ax.scatter(*inputs.positions.T, color=common.cycle_colours(1)[0], **style)
    low, high = common.colour_limits([inputs.activity], params["vmin"], params["vmax"])
    nodes = ax.scatter(*inputs.positions.T, c=inputs.activity[0], cmap=params["cmap"], vmin=low, vmax=high, **style)
    if params["colorbar"]:
        common.colorbar(figure, ax, nodes, "activity")
    return nodes


def _labels(ax, positions: np.ndarray, labels: list[str] | None) -> list:
    """Node names just above-right of each node (drawn over the moving edges)."""
    if not labels:
        return []
    return [ax.annotate(name, xy, xytext=(4, 4), textcoords="offset points", zorder=4)
            for name, xy in zip(labels, positions)]


register(Network())
