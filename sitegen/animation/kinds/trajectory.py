"""trajectory: paths through a 2-D state space, each with a fading tail and a marker at its head."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sitegen.animation.dataset import DataSet
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema

NAME = "trajectory"
LAYOUT = "T×K×2 (or T×2 for one path)"


@dataclass(frozen=True, slots=True)
class _Inputs:
    paths: np.ndarray  # T×K×2
    times: common.FrameTimes | None

    @property
    def count(self) -> int:
        return self.paths.shape[0]


class Trajectory:
    name = NAME
    summary = "Paths through a 2-D state space (phase portraits, latent dynamics) with fading tails."
    data_layout = (
        "paths: T×K×2 numbers (K paths' x, y at T times) or T×2 for one path (or the only array).\n"
        "Optional time / times / t: T numbers, one per frame, for the frame label's {t}."
    )
    params = Schema((
        Option("tail", int, 20, "frames of fading tail behind each head (0: none)", min=0),
        Option("linewidth", NUMBER, 2.0, "tail width in points", greater_than=0),
        Option("marker_size", NUMBER, 40.0, "head marker area in points²", min=0),
        Option("padding", NUMBER, 0.05, "space around the paths, as a fraction of their extent", min=0),
        Option("labels", list, None, "a name per path (shown in a legend)", check=common.name_list),
        Option("xlabel", str, None, "x-axis label"),
        Option("ylabel", str, None, "y-axis label"),
        Option("aspect", str, "auto", "axis aspect", ("auto", "equal")),
        Option("time_label", str, None, "frame label with {i} and {t}; '' hides it (default: 'frame {i}')",
               check=common.frame_format),
        Option("dt", NUMBER, None, "time per frame, for {t} when there is no time array", greater_than=0),
    ))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        inputs, problems = _resolve(data)
        n_paths = inputs.paths.shape[1] if inputs else None
        return problems + common.compact([common.count_problem(params, "labels", n_paths, "paths")])

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return common.require(_resolve(data)).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        inputs = common.require(_resolve(data))
        label = common.per_frame_label(params, inputs.times, dt=params["dt"])
        colours = np.array([to_rgba(c) for c in common.cycle_colours(inputs.paths.shape[1])])
        common.start_layout(figure)
        ax = figure.add_subplot()
        _axes(ax, inputs, params)
        tail = _Tail.make(ax, inputs.paths, params["tail"], params["linewidth"], colours)
        heads = ax.scatter(*inputs.paths[0].T, s=params["marker_size"], c=colours, zorder=3, linewidths=0)
        _legend(ax, colours, params.get("labels"))
        text = common.add_frame_label(ax, label, inputs.count)
        common.set_title(ax, params.get("title"), beside_label=text is not None)
        common.finish_layout(figure)

        def update(i: int) -> None:
            tail.update(i)
            heads.set_offsets(inputs.paths[i])
            if text is not None:
                text.set_text(label.text(i))

        animated = [tail.lines, heads, *([text] if text is not None else [])]
        return Scene(figure, animated, inputs.count, update, overlays=common.spines(ax))


def _resolve(data: DataSet) -> tuple[_Inputs | None, list[Problem]]:
    found = common.main_array(NAME, data, ("paths", "path", "trajectory", "trajectories"))
    if isinstance(found, Problem):
        return None, [found]
    name, paths = found
    problem = common.numeric_problem(name, paths)
    if not problem and (paths.ndim not in (2, 3) or paths.shape[-1] != 2):
        problem = common.shape_error(NAME, "paths", name, paths, LAYOUT)
    if problem:
        return None, [problem]
    paths = common.as_float(paths)
    paths = paths[:, None, :] if paths.ndim == 2 else paths
    times, problems = common.frame_times(data, paths.shape[0])
    return (None if problems else _Inputs(paths, times)), problems


def _axes(ax, inputs: _Inputs, params: Mapping[str, Any]) -> None:
    common.fix_plane_axes(ax, inputs.paths, params["padding"], params["aspect"])
    if params.get("xlabel"):
        ax.set_xlabel(params["xlabel"])
    if params.get("ylabel"):
        ax.set_ylabel(params["ylabel"])


def _legend(ax, colours: np.ndarray, labels: list[str] | None) -> None:
    if not labels:
        return
    handles = [Line2D([], [], color=colour, marker="o", label=name) for name, colour in zip(labels, colours)]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


@dataclass(frozen=True, slots=True)
class _Tail:
    """The last `length` steps of every path as segments whose opacity fades with age."""

    lines: LineCollection
    paths: np.ndarray  # T×K×2
    colours: np.ndarray  # length×K×4, opacity by age (oldest first)

    @classmethod
    def make(cls, ax, paths: np.ndarray, length: int, width: float, colours: np.ndarray) -> _Tail:
        fade = np.linspace(0.0, 1.0, length + 1)[1:]  # oldest segment faintest
        rgba = np.repeat(colours[None], length, axis=0)
        rgba[..., 3] = fade[:, None]
        lines = LineCollection([], linewidths=width, zorder=2, capstyle="butt")
        ax.add_collection(lines, autolim=False)
        return cls(lines, paths, rgba)

    def update(self, i: int) -> None:
        length = len(self.colours)
        if not length:
            return
        frames = np.arange(i - length, i + 1)  # length + 1 points: length segments, oldest first
        shown = frames[:-1] >= 0
        points = self.paths[np.maximum(frames, 0)]  # (length+1)×K×2
        segments = np.stack([points[:-1], points[1:]], axis=2)  # length×K×2×2
        self.lines.set_segments(list(segments[shown].reshape(-1, 2, 2)))
        self.lines.set_color(self.colours[shown].reshape(-1, 4))


register(Trajectory())
