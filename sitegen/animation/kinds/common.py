"""Helpers the built-in kinds share: finding arrays, reporting problems, fixed scales, layout, labels."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize, is_color_like
from matplotlib.figure import Figure

from sitegen.animation.dataset import DataSet
from sitegen.errors import DataError, did_you_mean
from sitegen.schema import NUMBER, Problem, Verdict

# Per-frame time stamps (one per frame) for kinds whose frames are the array's first axis.
FRAME_TIME_NAMES = ("time", "times", "t", "epoch", "epochs")
# Percentiles of large arrays are taken over a fixed sample of this many values: same result every run.
_SAMPLE = 1_000_000
# Constrained layout settles in a second pass (tick labels, and so margins, change with the first one's sizes).
LAYOUT_PASSES = 2


class DataProblems(DataError):
    """Raised by draw/frame_count when called with data that `check` would have rejected."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in problems))


def require(resolved: tuple[Any, list[Problem]]) -> Any:
    """The inputs a kind resolved, or DataProblems when there were problems."""
    inputs, problems = resolved
    if problems or inputs is None:
        raise DataProblems(problems)
    return inputs


# ---------------------------------------------------------------- finding arrays


def names_present(data: DataSet) -> str:
    return ", ".join(repr(name) for name in data) or "no arrays"


def main_array(kind: str, data: DataSet, names: Sequence[str]) -> tuple[str, np.ndarray] | Problem:
    """The kind's main input: the first of `names` present, else the primary array."""
    found = data.get_array(*names)
    if found is not None:
        return found
    wanted = " or ".join(repr(name) for name in names)
    return Problem("data", f"{kind} needs an array named {wanted} (or a single array); found {names_present(data)}",
                   hint=f"name the array {names[0]!r}, or give `data:` a single array")


def named_array(kind: str, data: DataSet, names: Sequence[str], *, what: str) -> tuple[str, np.ndarray] | Problem:
    """A required array with no fallback to the primary one (a kind that needs several arrays)."""
    found = optional_array(data, names)
    if found is not None:
        return found
    wanted = " or ".join(repr(name) for name in names)
    return Problem("data", f"{kind} needs {what} in an array named {wanted}; found {names_present(data)}",
                   hint="e.g. `data: {" + f"{names[0]}: file.npy, …" + "}`")


def optional_array(data: DataSet, names: Sequence[str]) -> tuple[str, np.ndarray] | None:
    for name in names:
        if name in data:
            return name, data[name]
    return None


def describe(name: str) -> str:
    """How a message names an array ('<data>' is the primary array standing in for a missing name)."""
    return "the data" if name == "<data>" else f"array {name!r}"


def numeric_problem(name: str, array: np.ndarray) -> Problem | None:
    """Non-numeric, empty or all-NaN data, which no kind can draw."""
    if array.dtype.kind not in "biuf":
        return Problem("data", f"{describe(name)} is not numeric (dtype {array.dtype})")
    if array.size == 0:
        return Problem("data", f"{describe(name)} is empty (shape {tuple(array.shape)})")
    if not np.isfinite(sample(array)).any() and not np.isfinite(array).any():
        return Problem("data", f"{describe(name)} holds no finite values (all NaN or infinite)")
    return None


def shape_problem(kind: str, what: str, name: str, array: np.ndarray, layout: str,
                  ndims: Iterable[int]) -> Problem | None:
    """'heatmap needs frames of shape T×H×W; got (100, 64)' when the array's ndim is not one of `ndims`."""
    if array.ndim in tuple(ndims):
        return None
    return shape_error(kind, what, name, array, layout)


def shape_error(kind: str, what: str, name: str, array: np.ndarray, layout: str, hint: str = "") -> Problem:
    source = "" if name == "<data>" else f" (array {name!r})"
    return Problem("data", f"{kind} needs {what} of shape {layout}; got {tuple(array.shape)}{source}", hint=hint)


def as_float(array: np.ndarray) -> np.ndarray:
    return np.asarray(array, dtype=float) if array.dtype.kind != "f" else np.asarray(array)


@dataclass(frozen=True, slots=True)
class FrameTimes:
    """Per-frame time stamps from an array named time/times/t (or epoch/epochs), one per frame."""

    name: str
    values: np.ndarray

    @property
    def default_label(self) -> str:
        return "epoch {t:g}" if self.name.startswith("epoch") else "t = {t:g}"


def frame_times(data: DataSet, n_frames: int) -> tuple[FrameTimes | None, list[Problem]]:
    """The optional per-frame time stamps, checked against the frame count."""
    found = optional_array(data, FRAME_TIME_NAMES)
    if found is None:
        return None, []
    name, times = found
    if times.dtype.kind not in "biuf" or times.ndim != 1 or len(times) != n_frames:
        return None, [Problem("data", f"array {name!r} must hold one number per frame ({n_frames}); "
                                      f"got shape {tuple(times.shape)}, dtype {times.dtype}")]
    return FrameTimes(name, as_float(times)), []


# ---------------------------------------------------------------- checks of keys (sitegen.schema Option.check)


def colormap(name: str) -> Verdict:
    if name in matplotlib.colormaps:
        return None
    return f"names no matplotlib colormap: {name!r}", did_you_mean(name, matplotlib.colormaps)


def colour(value: str) -> Verdict:
    return None if is_color_like(value) else (f"is not a colour: {value!r}", "use a name ('tab:red') or hex ('#d62728')")


def frame_format(fmt: str) -> Verdict:
    """A frame label's format: {i} is the frame, {t} its time."""
    try:
        fmt.format(i=0, t=0.0)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        return (f"is not a valid format string ({exc.__class__.__name__}: {exc})",
                "use {i} for the frame index and {t} for the time, e.g. 't = {t:.2f} s'")
    return None


def increasing_pair(value: list[Any]) -> Verdict:
    """Axis limits: two increasing numbers."""
    ok = (len(value) == 2 and all(isinstance(v, NUMBER) and not isinstance(v, bool) for v in value)
          and value[0] < value[1])
    return None if ok else "must be two increasing numbers, e.g. [-1, 1]"


def name_list(value: list[Any]) -> Verdict:
    return None if all(isinstance(v, str) for v in value) else "must be a list of names"


def count_problem(params: Mapping[str, Any], key: str, length: int | None, what: str) -> Problem | None:
    """A list with one entry per channel, path, node, … of the data: `key` has `length` entries or is unset."""
    value = params.get(key)
    if value is None or length is None or len(value) == length:
        return None
    return Problem(key, f"'{key}' has {len(value)} entries but there are {length} {what}")


def compact(problems: Iterable[Problem | None]) -> list[Problem]:
    return [p for p in problems if p is not None]


# ---------------------------------------------------------------- scales and limits


def sample(array: np.ndarray) -> np.ndarray:
    """All values of a small array; a fixed pseudo-random sample of a large one."""
    flat = np.ravel(array)
    if flat.size <= _SAMPLE:
        return flat
    picks = np.random.default_rng(0).integers(0, flat.size, _SAMPLE)
    return flat[picks]


def finite(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float).ravel()
    return values[np.isfinite(values)]


def colour_limits(arrays: Sequence[np.ndarray], vmin: float | None, vmax: float | None, *,
                  clip_percent: float = 0.0, symmetric: bool = False) -> tuple[float, float]:
    """One colour scale over every value of every frame (never per frame): robust percentiles
    (`clip_percent` cut at each end) unless vmin/vmax are given; symmetric about 0 when asked."""
    values = finite(np.concatenate([sample(a) for a in arrays])) if arrays else np.zeros(1)
    values = values if values.size else np.zeros(1)
    if clip_percent:
        low, high = np.percentile(values, [clip_percent, 100.0 - clip_percent])
    else:
        low, high = values.min(), values.max()
    if symmetric:
        bound = max(abs(low), abs(high))
        low, high = -bound, bound
    low = float(low) if vmin is None else float(vmin)
    high = float(high) if vmax is None else float(vmax)
    return widen(low, high)


def widen(low: float, high: float) -> tuple[float, float]:
    """A non-empty interval (constant data still needs a scale)."""
    if high > low:
        return low, high
    pad = abs(low) * 0.05 or 0.5
    return low - pad, high + pad


def padded_limits(values: np.ndarray, pad: float) -> tuple[float, float]:
    """Axis limits covering every finite value, with `pad` (a fraction of the span) on each side."""
    values = finite(values)
    if not values.size:
        return -1.0, 1.0
    low, high = widen(float(values.min()), float(values.max()))
    margin = (high - low) * pad
    return low - margin, high + margin


def plane_limits(points: np.ndarray, pad: float, min_ratio: float = 0.0) -> tuple[tuple[float, float], ...]:
    """x and y limits covering points[..., :2], the narrower span widened (about its centre) to at least
    `min_ratio` of the wider one, so that an equal-aspect axes never collapses into a sliver."""
    limits = [padded_limits(points[..., k], pad) for k in (0, 1)]
    wide = max(high - low for low, high in limits)
    return tuple((min(low, (low + high - min_ratio * wide) / 2), max(high, (low + high + min_ratio * wide) / 2))
                 for low, high in limits)


def colour_mapper(cmap: str, limits: tuple[float, float]) -> ScalarMappable:
    """A colormap with a fixed scale. Images fed `mapper.to_rgba(values, bytes=True)` skip matplotlib's
    per-draw colour mapping of the resampled image (3× cheaper per frame); the mapper feeds the colour bar."""
    return ScalarMappable(Normalize(*limits), matplotlib.colormaps[cmap])


# ---------------------------------------------------------------- layout, labels, colours


def start_layout(figure: Figure) -> None:
    """Lay the figure out with constrained layout (once, in finish_layout)."""
    figure.set_layout_engine("constrained")


def finish_layout(figure: Figure) -> None:
    """Run the layout once, then switch the engine off so no frame is laid out again."""
    engine = figure.get_layout_engine()
    if engine is not None:
        for _ in range(LAYOUT_PASSES):
            engine.execute(figure)
    figure.set_layout_engine("none")


def spines(*axes: Axes) -> list[Artist]:
    """Spines drawn above animated data (they frame images and lines touching the edge)."""
    return [spine for ax in axes if ax.axison for spine in ax.spines.values() if spine.get_visible()]


def colorbar(figure: Figure, ax: Axes, mappable: Any, label: str | None = None) -> Any:
    """A colour bar hugging the right edge of `ax` (an inset, so it keeps the height of an axes
    with a fixed aspect; constrained layout makes room for it)."""
    cax = ax.inset_axes((1.04, 0.0, 0.05, 1.0))
    return figure.colorbar(mappable, cax=cax, label=label or "")


def foreground() -> str:
    """The style's text colour: for marks that are neither data colours nor background."""
    return matplotlib.rcParams["text.color"]


def cycle_colours(count: int) -> list[Any]:
    """`count` colours from the style's property cycle (repeating when there are more)."""
    colours = [entry["color"] for entry in matplotlib.rcParams["axes.prop_cycle"] if "color" in entry] or ["C0"]
    return [colours[k % len(colours)] for k in range(count)]


def set_title(ax: Axes, title: str | None, *, beside_label: bool) -> None:
    """The directive's title on the axes: to the left when a frame label sits at the right."""
    if title:
        ax.set_title(title, loc="left" if beside_label else None)


def natural_key(name: str) -> list[Any]:
    """'n2' before 'n10'."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


@dataclass(frozen=True, slots=True)
class FrameLabel:
    """The per-frame text ('t = 0.25 s', 'epoch 3'): a format with {i} (frame) and {t} (time)."""

    fmt: str
    times: np.ndarray | None = None
    dt: float | None = None

    def text(self, i: int) -> str:
        if self.times is not None:
            t = float(self.times[i])
        else:
            t = i * self.dt if self.dt is not None else float(i)
        return self.fmt.format(i=i, t=t)

    def widest(self, count: int) -> str:
        """The longest label among a few frames, so the layout leaves room for every label."""
        probes = {0, max(count - 1, 0), count // 2}
        return max((self.text(i) for i in sorted(probes)), key=len)


def frame_label(params: Mapping[str, Any], times: np.ndarray | None, *, timed_default: str,
                dt: float | None = None) -> FrameLabel | None:
    """The label a kind shows: the user's format; else `timed_default` with times or dt; else 'frame {i}'.
    An empty format hides it."""
    fmt = params.get("time_label")
    if fmt == "":
        return None
    if fmt is None:
        fmt = timed_default if times is not None or dt is not None else "frame {i}"
    return FrameLabel(str(fmt), times, dt)


def per_frame_label(params: Mapping[str, Any], times: FrameTimes | None, *, dt: float | None = None,
                    timed_default: str | None = None) -> FrameLabel | None:
    """frame_label for kinds with one frame per time stamp: {t} from the time array, else i × dt."""
    if times is not None:
        return frame_label(params, times.values, timed_default=timed_default or times.default_label)
    return frame_label(params, None, timed_default="t = {t:.2f} s", dt=dt)


def add_frame_label(ax: Axes, label: FrameLabel | None, count: int):
    """The frame label in the axes' right-hand title slot (laid out with the axes, updated by set_text)."""
    if label is None:
        return None
    return ax.set_title(label.widest(count), loc="right")


def fix_plane_axes(ax, points: np.ndarray, padding: float, aspect: str) -> None:  # type: ignore[no-untyped-def]
    """Limits around every frame's points, fixed (with the aspect) so no frame rescales the axes."""
    min_ratio = 0.5 if aspect == "equal" else 0.0
    xlim, ylim = plane_limits(points, padding, min_ratio)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect(aspect)
    ax.autoscale(False)
