"""topomap: electrode values interpolated over a head outline (EEG/MEG scalp maps over time)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Arc, Circle

from sitegen.animation.dataset import DataSet
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema, ordered

NAME = "topomap"
POSITION_NAMES = ("positions", "pos", "electrodes", "locations")
VALUE_NAMES = ("values", "data")


@dataclass(frozen=True, slots=True)
class _Inputs:
    positions: np.ndarray  # E×2
    values: np.ndarray  # T×E
    times: common.FrameTimes | None

    @property
    def count(self) -> int:
        return self.values.shape[0]


@dataclass(frozen=True, slots=True)
class _Grid:
    """The interpolation: grid values = weights @ electrode values, on the grid cells inside the head."""

    radius: float
    resolution: int
    inside: np.ndarray  # flat indices of the cells that are interpolated
    weights: np.ndarray  # cells × electrodes

    def image(self, values: np.ndarray) -> np.ndarray:
        flat = np.full(self.resolution * self.resolution, np.nan)
        flat[self.inside] = self.weights @ values
        return flat.reshape(self.resolution, self.resolution)


class Topomap:
    name = NAME
    summary = "Electrode values over time interpolated inside a head outline (EEG/MEG topographic maps)."
    data_layout = (
        "positions: E×2 electrode x, y in head coordinates (nose up, head roughly the unit circle);\n"
        "values: T×E numbers, one row per time (E×T is recognised too).\n"
        "Optional times / time / t: T numbers (e.g. ms), for the frame label."
    )
    params = Schema((
        Option("cmap", str, "RdBu_r", "matplotlib colormap", check=common.colormap),
        Option("vmin", NUMBER, None, "low end of the colour scale (default: symmetric, over all times)"),
        Option("vmax", NUMBER, None, "high end of the colour scale (default: symmetric, over all times)"),
        Option("symmetric", bool, True, "centre the automatic colour scale on 0"),
        Option("resolution", int, 64, "grid cells across the head", min=8, max=1024),
        Option("method", str, "spline", "interpolation: thin-plate spline or inverse-distance weighting",
               ("spline", "idw")),
        Option("head_radius", NUMBER, None, "radius of the head outline (default: 1, or the electrodes' extent)",
               greater_than=0),
        Option("sensors", bool, True, "mark the electrodes"),
        Option("colorbar", bool, True, "show a colour bar"),
        Option("colorbar_label", str, None, "label of the colour bar"),
        Option("time_label", str, None, "frame label with {i} and {t}; '' hides it "
                                        "(default: '{t:.0f} ms' with a times array, else 'frame {i}')",
               check=common.frame_format),
    ), rules=(ordered("vmin", "vmax"),))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        return _resolve(data)[1]

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return common.require(_resolve(data)).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        inputs = common.require(_resolve(data))
        grid = _grid(inputs.positions, params)
        label = common.per_frame_label(params, inputs.times, timed_default="{t:.0f} ms")
        low, high = common.colour_limits([inputs.values], params["vmin"], params["vmax"], symmetric=params["symmetric"])
        common.start_layout(figure)
        ax = figure.add_subplot()
        outline = _head(ax, grid.radius)
        mapper = common.colour_mapper(params["cmap"], (low, high))
        image = ax.imshow(mapper.to_rgba(grid.image(inputs.values[0]), bytes=True), origin="lower",
                          extent=(-grid.radius, grid.radius) * 2, interpolation="bilinear")
        image.set_clip_path(outline[0])
        sensors = _sensors(ax, inputs.positions) if params["sensors"] else []
        if params["colorbar"]:
            common.colorbar(figure, ax, mapper, params.get("colorbar_label"))
        text = common.add_frame_label(ax, label, inputs.count)
        common.set_title(ax, params.get("title"), beside_label=text is not None)
        common.finish_layout(figure)

        def update(i: int) -> None:
            image.set_data(mapper.to_rgba(grid.image(inputs.values[i]), bytes=True))
            if text is not None:
                text.set_text(label.text(i))

        animated = [image, *([text] if text is not None else [])]
        return Scene(figure, animated, inputs.count, update, overlays=[*outline, *sensors])


def _resolve(data: DataSet) -> tuple[_Inputs | None, list[Problem]]:
    found = [common.named_array(NAME, data, names, what=what)
             for names, what in ((POSITION_NAMES, "electrode positions (E×2)"), (VALUE_NAMES, "values (T×E)"))]
    problems = [f for f in found if isinstance(f, Problem)]
    problems += common.compact(common.numeric_problem(*f) for f in found if not isinstance(f, Problem))
    if problems:
        return None, problems
    (pos_name, positions), (val_name, values) = found
    if positions.ndim != 2 or positions.shape[1] != 2 or positions.shape[0] < 3:
        return None, [common.shape_error(NAME, "electrode positions", pos_name, positions, "E×2 (E ≥ 3)")]
    n_electrodes = positions.shape[0]
    if values.ndim != 2 or n_electrodes not in values.shape:
        return None, [common.shape_error(NAME, "values", val_name, values, f"T×E with E = {n_electrodes} electrodes")]
    values = values if values.shape[1] == n_electrodes else values.T
    times, problems = common.frame_times(data, values.shape[0])
    if problems:
        return None, problems
    return _Inputs(common.as_float(positions), np.nan_to_num(common.as_float(values)), times), []


def _grid(positions: np.ndarray, params: Mapping[str, Any]) -> _Grid:
    radius = float(params["head_radius"] or _head_radius(positions))
    size = int(params["resolution"])
    axis = np.linspace(-radius, radius, size)
    xs, ys = np.meshgrid(axis, axis)
    cell = 2 * radius / (size - 1)
    inside = np.flatnonzero(np.hypot(xs, ys).ravel() <= radius + 1.5 * cell)  # the outline clips the rest
    cells = np.column_stack([xs.ravel()[inside], ys.ravel()[inside]]) / radius
    scaled = positions / radius
    weights = _spline_weights(scaled, cells) if params["method"] == "spline" else _idw_weights(scaled, cells)
    return _Grid(radius, size, inside, weights)


def _head_radius(positions: np.ndarray) -> float:
    """1 for positions in head coordinates (electrodes within about the unit circle), else their extent."""
    extent = float(np.max(np.hypot(*positions.T)))
    return 1.0 if 0.5 <= extent <= 1.0 else extent * 1.05


def _thin_plate(distance: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(distance > 0, distance**2 * np.log(distance), 0.0)


def _spline_weights(points: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Thin-plate spline as a linear map: cells × electrodes, so that each frame is one matrix product."""
    count = len(points)
    kernel = _thin_plate(np.linalg.norm(points[:, None] - points[None], axis=2))
    affine = np.column_stack([np.ones(count), points])
    system = np.block([[kernel + 1e-9 * np.eye(count), affine], [affine.T, np.zeros((3, 3))]])
    unit = np.vstack([np.eye(count), np.zeros((3, count))])
    try:
        coefficients = np.linalg.solve(system, unit)
    except np.linalg.LinAlgError:  # duplicate or collinear electrodes
        coefficients = np.linalg.lstsq(system, unit, rcond=None)[0]
    basis = np.column_stack([_thin_plate(np.linalg.norm(cells[:, None] - points[None], axis=2)),
                             np.ones(len(cells)), cells])
    return basis @ coefficients


def _idw_weights(points: np.ndarray, cells: np.ndarray, power: float = 2.0) -> np.ndarray:
    distance = np.linalg.norm(cells[:, None] - points[None], axis=2)
    weights = 1.0 / np.maximum(distance, 1e-9) ** power
    return weights / weights.sum(axis=1, keepdims=True)


def _head(ax, radius: float) -> list:
    """Head circle (first: it also clips the map), nose and ears, in the style's edge colour."""
    style = {"edgecolor": matplotlib.rcParams["axes.edgecolor"], "linewidth": 1.5, "zorder": 2}
    head = ax.add_patch(Circle((0.0, 0.0), radius, fill=False, **style))
    nose = ax.plot([-0.12 * radius, 0.0, 0.12 * radius], [0.993 * radius, 1.12 * radius, 0.993 * radius],
                   color=style["edgecolor"], linewidth=1.5, zorder=2, solid_capstyle="round")[0]
    ears = [ax.add_patch(Arc((side * radius, 0.0), 0.16 * radius, 0.36 * radius, theta1=start, theta2=start + 180,
                             **style)) for side, start in ((1, -90), (-1, 90))]
    ax.set_xlim(-1.18 * radius, 1.18 * radius)
    ax.set_ylim(-1.08 * radius, 1.18 * radius)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return [head, nose, *ears]


def _sensors(ax, positions: np.ndarray) -> list:
    """Electrodes in the text colour ringed in the background colour: one of the two stands out over
    any map colour, on either theme variant (light dots vanish over RdBu_r's white centre on dark)."""
    return [ax.scatter(*positions.T, s=14, color=common.foreground(), edgecolors=matplotlib.rcParams["axes.facecolor"],
                       linewidths=0.9, zorder=3)]


register(Topomap())
