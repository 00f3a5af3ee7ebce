"""traces: multichannel time series, as a sliding oscilloscope window or as curves growing from the left."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure

from sitegen.animation.dataset import DataSet
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema

NAME = "traces"
LAYOUT = "C×N (channels × samples) or N×C"
TIME_NAMES = ("time", "t", "times")
# Learning curves: an epoch or step column is their x axis, as time is for signals.
X_NAMES = (*TIME_NAMES, "epoch", "epochs", "step", "steps")


@dataclass(frozen=True, slots=True)
class _Inputs:
    signals: np.ndarray  # C×N
    time: np.ndarray | None  # N sample times (or epochs), increasing
    names: tuple[str, ...]  # channel names from a CSV header, else ()
    x_name: str = "sample"  # what the x axis counts: time, epoch, … (the time array's name)


@dataclass(frozen=True, slots=True)
class _Frames:
    """Which samples each frame shows: [starts[i], stops[i])."""

    starts: np.ndarray
    stops: np.ndarray
    x_span: tuple[float, float]

    @property
    def count(self) -> int:
        return len(self.starts)


class Traces:
    name = NAME
    summary = "Multichannel time series (LFP, EEG, learning curves) in a sliding window or growing from the left."
    data_layout = (
        "signals: C×N numbers (channels × samples; N×C is recognised, see `layout`), or one channel of N.\n"
        "Optional time / t: N increasing sample times (then `window` is in time units); epoch / step: the same.\n"
        "Several 1-D arrays (train_loss, val_loss, …): one channel each, named by the array.\n"
        "CSV: a header row; a column named time, t, epoch or step is the x axis, every other column a channel."
    )
    params = Schema((
        Option("mode", str, "window", "'window': a sliding oscilloscope window; 'grow': curves grow from the left",
               ("window", "grow")),
        Option("window", NUMBER, None, "window length, in time units with a time array, else in samples "
                                       "(default: a fifth of the record)", greater_than=0),
        Option("step", int, None, "samples the curves advance per frame (default: window/40, or N/100 in grow mode)",
               min=1),
        Option("layout", str, "auto", "how a 2-D signals array is laid out ('auto': the longer axis is time)",
               ("auto", "channels_first", "channels_last")),
        Option("offset", NUMBER, 0.0, "vertical offset between channels (a waterfall); 0 overlays them", min=0),
        Option("legend", bool, None, "show a legend (default: with up to 10 overlaid channels)"),
        Option("labels", list, None, "a name per channel (default: the CSV header, else 'ch 1', 'ch 2', …)",
               check=common.name_list),
        Option("ylim", list, None, "[low, high] of the y axis (default: all of the data, fixed over time)",
               check=common.increasing_pair),
        Option("grid", bool, True, "draw grid lines"),
        Option("linewidth", NUMBER, None, "line width in points (default: the style's)", greater_than=0),
        Option("xlabel", str, None, "x-axis label (default: 'time', the epoch/step array's name, or 'sample')"),
        Option("ylabel", str, None, "y-axis label"),
        Option("time_label", str, None, "frame label with {i} and {t} (the window's start); '' hides it "
                                        "(default: 't = {t:.2f}' in window mode, none in grow mode)",
               check=common.frame_format),
    ))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        inputs, problems = _resolve(data, params)
        channels = inputs.signals.shape[0] if inputs else None
        return problems + common.compact([common.count_problem(params, "labels", channels, "channels")])

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return _frames(common.require(_resolve(data, params)), params).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        inputs = common.require(_resolve(data, params))
        frames = _frames(inputs, params)
        n_channels, n_samples = inputs.signals.shape
        x = inputs.time if inputs.time is not None else np.arange(n_samples, dtype=float)
        shifted = inputs.signals - _offsets(n_channels, params["offset"])[:, None]
        label = _label(inputs, params, x, frames)
        common.start_layout(figure)
        ax = figure.add_subplot()
        lines = _lines(ax, inputs, params)
        _axes(ax, inputs, params, frames, shifted)
        text = common.add_frame_label(ax, label, frames.count)
        common.set_title(ax, params.get("title"), beside_label=text is not None)
        common.finish_layout(figure)
        relative = params["mode"] == "window"

        def update(i: int) -> None:
            start, stop = frames.starts[i], frames.stops[i]
            xs = x[start:stop] - x[start] if relative else x[:stop]
            for line, ys in zip(lines, shifted):
                line.set_data(xs, ys[start:stop] if relative else ys[:stop])
            if text is not None:
                text.set_text(label.text(i))

        animated = [*lines, *([text] if text is not None else [])]
        return Scene(figure, animated, frames.count, update, overlays=common.spines(ax))


def _resolve(data: DataSet, params: Mapping[str, Any]) -> tuple[_Inputs | None, list[Problem]]:
    columns = _columns(data)
    if columns:
        return _from_columns(data, columns, _time_column(columns))
    found = common.main_array(NAME, data, ("signals",))
    if isinstance(found, Problem):
        return None, [found]
    name, array = found
    problem = common.numeric_problem(name, array) or common.shape_problem(NAME, "signals", name, array, LAYOUT, (1, 2))
    if problem:
        return None, [problem]
    time = common.optional_array(data, X_NAMES)
    signals = _orient(np.atleast_2d(common.as_float(array)), params.get("layout", "auto"), time)
    names = (name,) if array.ndim == 1 and name != "<data>" else ()
    return _with_time(_Inputs(signals, None, names), time)


def _columns(data: DataSet) -> tuple[str, ...]:
    """Named 1-D series when there is no `signals` array: a CSV's columns, or several 1-D arrays
    (an .npz of train_loss, val_loss, …)."""
    if "signals" in data:
        return ()
    if data.columns:
        return tuple(data.columns)
    if len(data) > 1 and all(data[name].ndim == 1 for name in data):
        return tuple(data)
    return ()


def _time_column(columns: tuple[str, ...]) -> str | None:
    return next((c for c in columns if c.strip().lower() in X_NAMES), None)


def _from_columns(data: DataSet, columns: tuple[str, ...],
                  time_column: str | None) -> tuple[_Inputs | None, list[Problem]]:
    """Every column but the time column (if any) is a channel named by its header."""
    names = tuple(c for c in columns if c != time_column)
    if not names:
        return None, [Problem("data", f"the table has no channel columns besides {time_column!r}")]
    problems = common.compact(common.numeric_problem(c, data[c]) for c in names)
    lengths = {len(data[c]) for c in names}
    if not problems and len(lengths) > 1:
        problems = [Problem("data", f"the series {', '.join(map(repr, names))} differ in length "
                                    f"({', '.join(str(len(data[c])) for c in names)})")]
    if problems:
        return None, problems
    signals = np.stack([common.as_float(data[c]) for c in names])
    time = (time_column, data[time_column]) if time_column else None
    return _with_time(_Inputs(signals, None, names), time)


def _orient(signals: np.ndarray, layout: str, time: tuple[str, np.ndarray] | None) -> np.ndarray:
    """C×N: as given, transposed, or (auto) the axis matching the time array's length, else the longer one."""
    if layout == "channels_last":
        return signals.T
    if layout == "channels_first":
        return signals
    n_time = len(time[1]) if time is not None and time[1].ndim == 1 else None
    if n_time is not None and signals.shape[0] == n_time != signals.shape[1]:
        return signals.T
    if n_time is None and signals.shape[0] > signals.shape[1]:
        return signals.T
    return signals


def _with_time(inputs: _Inputs, time: tuple[str, np.ndarray] | None) -> tuple[_Inputs | None, list[Problem]]:
    if time is None:
        return inputs, []
    name, values = time
    n_samples = inputs.signals.shape[1]
    if values.dtype.kind not in "biuf" or values.ndim != 1 or len(values) != n_samples:
        return None, [Problem("data", f"time array {name!r} must hold one number per sample ({n_samples}); "
                                      f"got shape {tuple(values.shape)}, dtype {values.dtype}",
                              hint="check `layout:` if the signals are N×C")]
    values = common.as_float(values)
    if not np.all(np.diff(values) > 0):
        return None, [Problem("data", f"time array {name!r} must increase from sample to sample")]
    x_name = "time" if name.strip().lower() in TIME_NAMES else name
    return _Inputs(inputs.signals, values, inputs.names, x_name), []


def _frames(inputs: _Inputs, params: Mapping[str, Any]) -> _Frames:
    n_samples = inputs.signals.shape[1]
    time = inputs.time
    if params["mode"] == "grow":
        step = params["step"] or max(1, math.ceil(n_samples / 100))
        stops = np.minimum(np.arange(1, math.ceil(n_samples / step) + 1) * step, n_samples)
        span = (time[0], time[-1]) if time is not None else (0.0, n_samples - 1.0)
        return _Frames(np.zeros_like(stops), stops, span)
    width = _window_samples(inputs, params["window"])
    step = params["step"] or max(1, width // 40)
    starts = np.arange(0, n_samples - width + 1, step)
    duration = time[width - 1] - time[0] if time is not None else width - 1.0
    return _Frames(starts, starts + width, (0.0, float(duration)))


def _window_samples(inputs: _Inputs, window: float | None) -> int:
    """The window in samples: `window` time units (at the median sample interval) or samples."""
    n_samples = inputs.signals.shape[1]
    if window is None:
        return max(2, n_samples // 5)
    if inputs.time is not None and n_samples > 1:
        window = window / float(np.median(np.diff(inputs.time))) + 1
    return int(min(max(2, round(window)), n_samples))


def _offsets(n_channels: int, offset: float) -> np.ndarray:
    """Channel k sits `k × offset` below channel 0 (channel 0 on top)."""
    return np.arange(n_channels) * float(offset)


def _label(inputs: _Inputs, params: Mapping[str, Any], x: np.ndarray, frames: _Frames) -> common.FrameLabel | None:
    if params["mode"] == "grow" and params.get("time_label") is None:
        return None
    stamps = x[frames.starts] if params["mode"] == "window" else x[frames.stops - 1]
    if inputs.time is None:
        timed_default = "sample {t:.0f}"
    else:
        timed_default = "t = {t:.2f}" if inputs.x_name == "time" else inputs.x_name + " {t:g}"
    return common.frame_label(params, stamps, timed_default=timed_default)


def _channel_names(inputs: _Inputs, params: Mapping[str, Any]) -> list[str]:
    count = inputs.signals.shape[0]
    return list(params.get("labels") or inputs.names or [f"ch {k + 1}" for k in range(count)])


def _lines(ax, inputs: _Inputs, params: Mapping[str, Any]) -> list:
    names = _channel_names(inputs, params)
    colours = common.cycle_colours(len(names))
    width = params.get("linewidth")
    return [ax.plot([], [], color=colour, label=name, linewidth=width)[0] for name, colour in zip(names, colours)]


def _axes(ax, inputs: _Inputs, params: Mapping[str, Any], frames: _Frames, shifted: np.ndarray) -> None:
    ax.set_xlim(*common.widen(*frames.x_span))
    ax.set_ylim(*(params.get("ylim") or common.padded_limits(shifted, 0.05)))
    ax.autoscale(False)
    ax.grid(params["grid"])
    ax.set_xlabel(params.get("xlabel") or inputs.x_name)
    names = _channel_names(inputs, params)
    if params["offset"] > 0:
        ax.set_yticks(-_offsets(len(names), params["offset"]), names)
    if params.get("ylabel"):
        ax.set_ylabel(params["ylabel"])
    legend = params.get("legend")
    named = len(names) > 1 or bool(params.get("labels") or inputs.names)
    if legend or (legend is None and named and len(names) <= 10 and params["offset"] == 0):
        # Outside the axes: it never hides a curve, and it stays in the static background.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


register(Traces())
