"""heatmap: frames of 2-D activity (T×H×W), one panel or several side by side."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import interpolations_names

from sitegen.animation.dataset import DataSet
from sitegen.errors import did_you_mean
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema, ordered

NAME = "heatmap"
LAYOUT = "T×H×W"


@dataclass(frozen=True, slots=True)
class _Inputs:
    panels: tuple[tuple[str, np.ndarray], ...]  # (array name, T×H×W frames)
    times: common.FrameTimes | None

    @property
    def count(self) -> int:
        return self.panels[0][1].shape[0]


class Heatmap:
    name = NAME
    summary = "Frames of 2-D activity (T×H×W) as images, one panel or several side by side, on a fixed colour scale."
    data_layout = (
        "frames: T×H×W numbers (or the only array), one H×W image per frame.\n"
        "Several panels (e.g. input vs reconstruction): name them in `panels:`; each T×H×W with the same T.\n"
        "Optional time / times / t: T numbers, one per frame, for the frame label's {t}."
    )
    params = Schema((
        Option("panels", list, None, "array names to show side by side (default: frames, or the only array)",
               check=common.name_list),
        Option("panel_titles", list, None, "a title per panel (default: the array names when several)",
               check=common.name_list),
        Option("shared_scale", bool, True, "one colour scale for all panels (false: one per panel)"),
        Option("vmin", NUMBER, None, "low end of the colour scale (default: robust, over all frames)"),
        Option("vmax", NUMBER, None, "high end of the colour scale (default: robust, over all frames)"),
        Option("clip_percent", NUMBER, 1.0,
               "percent of values left out at each end of the automatic scale (0: full range)", min=0, max=49),
        Option("symmetric", bool, False, "centre the automatic colour scale on 0 (diverging colormaps)"),
        Option("cmap", str, "viridis", "matplotlib colormap", check=common.colormap),
        Option("colorbar", bool, True, "show a colour bar"),
        Option("colorbar_label", str, None, "label of the colour bar"),
        Option("time_label", str, None, "frame label format with {i} and {t}, e.g. 't = {t:.2f} s' "
                                        "('' hides it; default: 'frame {i}')", check=common.frame_format),
        Option("dt", NUMBER, None, "seconds per frame, for {t} when there is no time array", greater_than=0),
        Option("interpolation", str, "nearest", "image interpolation", tuple(sorted(interpolations_names))),
        Option("origin", str, "upper", "where row 0 is drawn", ("upper", "lower")),
        Option("aspect", str, "equal", "pixel aspect", ("equal", "auto")),
        Option("ticks", bool, False, "show row/column ticks"),
    ), rules=(ordered("vmin", "vmax"),))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        inputs, problems = _resolve(data, params)
        panel_count = len(inputs.panels) if inputs else None
        return problems + common.compact([common.count_problem(params, "panel_titles", panel_count, "panels")])

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return common.require(_resolve(data, params)).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        inputs = common.require(_resolve(data, params))
        label = common.per_frame_label(params, inputs.times, dt=params["dt"])
        common.start_layout(figure)
        axes = list(figure.subplots(1, len(inputs.panels), squeeze=False)[0])
        panels = [_Panel.make(ax, frames, limits, params)
                  for ax, (_, frames), limits in zip(axes, inputs.panels, _limits(inputs, params))]
        _titles(figure, axes, inputs, params, beside_label=label is not None)
        _colorbars(figure, axes, [panel.mapper for panel in panels], params)
        text = common.add_frame_label(axes[-1], label, inputs.count)
        common.finish_layout(figure)

        def update(i: int) -> None:
            for panel in panels:
                panel.show(i)
            if text is not None:
                text.set_text(label.text(i))

        animated = [*(panel.image for panel in panels), *([text] if text is not None else [])]
        return Scene(figure, animated, inputs.count, update, overlays=common.spines(*axes))


def _resolve(data: DataSet, params: Mapping[str, Any]) -> tuple[_Inputs | None, list[Problem]]:
    panels, problems = _panels(data, params.get("panels"))
    for name, frames in panels:
        problems += common.compact([common.numeric_problem(name, frames)
                                    or common.shape_problem(NAME, "frames", name, frames, LAYOUT, (3,))])
    if problems or not panels:
        return None, problems
    counts = {frames.shape[0] for _, frames in panels}
    if len(counts) > 1:
        shapes = ", ".join(f"{name} {tuple(frames.shape)}" for name, frames in panels)
        return None, [Problem("panels", f"{NAME} panels must have the same number of frames; got {shapes}")]
    times, problems = common.frame_times(data, counts.pop())
    return (None if problems else _Inputs(tuple(panels), times)), problems


def _panels(data: DataSet, names: list[str] | None) -> tuple[list[tuple[str, np.ndarray]], list[Problem]]:
    if not names:
        found = common.main_array(NAME, data, ("frames",))
        return ([], [found]) if isinstance(found, Problem) else ([found], [])
    missing = [name for name in names if name not in data]
    problems = [Problem("panels", f"no array named {name!r} for panels; found {common.names_present(data)}",
                        hint=did_you_mean(name, data)) for name in missing]
    return [(name, data[name]) for name in names if name in data], problems


def _limits(inputs: _Inputs, params: Mapping[str, Any]) -> list[tuple[float, float]]:
    """A colour scale per panel, fixed over all frames (shared by all panels unless asked otherwise)."""
    def scale(stacks: list[np.ndarray]) -> tuple[float, float]:
        return common.colour_limits(stacks, params["vmin"], params["vmax"],
                                    clip_percent=params["clip_percent"], symmetric=params["symmetric"])

    stacks = [frames for _, frames in inputs.panels]
    if params["shared_scale"]:
        return [scale(stacks)] * len(stacks)
    return [scale([frames]) for frames in stacks]


@dataclass(frozen=True, slots=True)
class _Panel:
    """One panel's image. With nearest-neighbour drawing it is given RGBA bytes (the same pixels, cheaper);
    smooth interpolations get the values, so matplotlib interpolates before colour mapping."""

    image: Any
    frames: np.ndarray
    mapper: Any  # ScalarMappable: the fixed scale, also for the colour bar
    direct: bool

    @classmethod
    def make(cls, ax, frames: np.ndarray, limits: tuple[float, float], params: Mapping[str, Any]) -> _Panel:
        mapper = common.colour_mapper(params["cmap"], limits)
        direct = params["interpolation"] in ("nearest", "none")
        style = {"interpolation": params["interpolation"], "origin": params["origin"], "aspect": params["aspect"]}
        if direct:
            image = ax.imshow(mapper.to_rgba(frames[0], bytes=True), **style)
        else:
            image = ax.imshow(frames[0], cmap=mapper.cmap, norm=mapper.norm, **style)
        if not params["ticks"]:
            ax.set_xticks([])
            ax.set_yticks([])
        return cls(image, frames, mapper, direct)

    def show(self, i: int) -> None:
        self.image.set_data(self.mapper.to_rgba(self.frames[i], bytes=True) if self.direct else self.frames[i])


def _titles(figure: Figure, axes: list, inputs: _Inputs, params: Mapping[str, Any], *, beside_label: bool) -> None:
    names = params.get("panel_titles")
    if names is None and len(axes) > 1:
        names = [name for name, _ in inputs.panels]
    for ax, name in zip(axes, names or ()):
        ax.set_title(name, loc="left" if beside_label else None)
    if len(axes) == 1 and not names:
        common.set_title(axes[0], params.get("title"), beside_label=beside_label)
    elif params.get("title"):
        figure.suptitle(params["title"])


def _colorbars(figure: Figure, axes: list, mappers: list, params: Mapping[str, Any]) -> None:
    if not params["colorbar"]:
        return
    pairs = [(mappers[-1], axes[-1])] if params["shared_scale"] else list(zip(mappers, axes))
    for mapper, ax in pairs:
        common.colorbar(figure, ax, mapper, params.get("colorbar_label"))


register(Heatmap())
