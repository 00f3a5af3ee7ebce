"""raster: spike times per neuron in a sliding window, with the population rate underneath."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from sitegen.animation.dataset import DataSet
import sitegen.animation.kinds.common as common
from sitegen.animation.kinds.base import Scene
from sitegen.animation.kinds.registry import register
from sitegen.schema import NUMBER, Option, Problem, Schema

NAME = "raster"
NEURON_NAMES = ("neuron", "neurons", "unit", "units", "id", "ids", "senders", "cell")
TIME_NAMES = ("time", "times", "t", "spike_time", "spike_times")
LAYOUT_HINT = "per-neuron 1-D arrays of spike times, or columns 'neuron' and 'time' (or an N×2 array)"


@dataclass(frozen=True, slots=True)
class _Spikes:
    times: np.ndarray  # every spike time, sorted
    rows: np.ndarray  # the y position of each spike
    row_names: tuple[str, ...]  # a name per row (per-neuron arrays), or () for numeric ids
    y_span: tuple[float, float]  # first and last row
    n_neurons: int


@dataclass(frozen=True, slots=True)
class _Windows:
    starts: np.ndarray
    width: float
    first: np.ndarray  # index of each window's first spike in _Spikes.times
    stop: np.ndarray  # one past its last

    @property
    def count(self) -> int:
        return len(self.starts)


class Raster:
    name = NAME
    summary = "Spike rasters in a sliding window, with the population firing rate underneath."
    data_layout = (
        "Per-neuron spike times: one 1-D array per neuron in an .npz (names in natural order are the neurons).\n"
        "Or spike events in two columns, neuron (ids) and time: CSV 'neuron,time', or an N×2 array.\n"
        "Times in seconds (then the rate is in Hz)."
    )
    params = Schema((
        Option("window", NUMBER, None, "width of the sliding window in seconds (default: a fifth of the record)",
               greater_than=0),
        Option("step", NUMBER, None, "seconds the window advances per frame (default: window/40)", greater_than=0),
        Option("rate", bool, True, "show the population rate under the raster"),
        Option("bin", NUMBER, None, "bin width of the rate histogram in seconds (default: window/50)",
               greater_than=0),
        Option("smooth", NUMBER, 1.0, "Gaussian smoothing of the rate, in bins (0: none)", min=0),
        Option("color", str, None, "colour of the spikes (default: the style's text colour)", check=common.colour),
        Option("xlabel", str, "time in window (s)", "x-axis label"),
        Option("time_label", str, None, "frame label with {i} and {t} (the window's start); '' hides it "
                                        "(default: 't = {t:.2f} s')", check=common.frame_format),
    ))

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        return _resolve(data)[1]

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        return _windows(common.require(_resolve(data)), params).count

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        spikes = common.require(_resolve(data))
        windows = _windows(spikes, params)
        label = common.frame_label(params, windows.starts, timed_default="t = {t:.2f} s")
        common.start_layout(figure)
        axes = _axes(figure, params["rate"])
        marks = _raster(axes[0], spikes, windows, params)
        text = common.add_frame_label(axes[0], label, windows.count)
        common.set_title(axes[0], params.get("title"), beside_label=text is not None)
        rate = _rate(axes[1], spikes, windows, params) if params["rate"] else None
        common.finish_layout(figure)
        _size_marks(marks, axes[0], spikes)

        def update(i: int) -> None:
            chosen = slice(windows.first[i], windows.stop[i])
            marks.set_offsets(np.column_stack([spikes.times[chosen] - windows.starts[i], spikes.rows[chosen]]))
            if rate is not None:
                rate.update(i)
            if text is not None:
                text.set_text(label.text(i))

        animated = [marks, *(rate.artists if rate else ()), *([text] if text is not None else [])]
        return Scene(figure, animated, windows.count, update, overlays=common.spines(*axes))


def _resolve(data: DataSet) -> tuple[_Spikes | None, list[Problem]]:
    neuron, time = common.optional_array(data, NEURON_NAMES), common.optional_array(data, TIME_NAMES)
    if neuron is not None and time is not None:
        return _from_events(neuron, time)
    primary = data.primary
    if primary is not None and primary.ndim == 2:
        if primary.shape[1] != 2:
            return None, [common.shape_error(NAME, "spike events", data.primary_name or "<data>", primary,
                                             "N×2 (neuron, time)", hint=f"or give {LAYOUT_HINT}")]
        return _from_events(("neuron", primary[:, 0]), ("time", primary[:, 1]))
    if len(data) and all(array.ndim == 1 for array in data.values()):
        return _from_trains(data)
    found = ", ".join(f"{name!r} {tuple(array.shape)}" for name, array in data.items()) or "no arrays"
    return None, [Problem("data", f"{NAME} needs {LAYOUT_HINT}; found {found}")]


def _from_events(neuron: tuple[str, np.ndarray], time: tuple[str, np.ndarray]) -> tuple[_Spikes | None, list[Problem]]:
    problems = common.compact(common.numeric_problem(*pair) for pair in (neuron, time))
    if not problems and (neuron[1].ndim != 1 or neuron[1].shape != time[1].shape):
        problems = [Problem("data", f"the columns {neuron[0]!r} {tuple(neuron[1].shape)} and {time[0]!r} "
                                    f"{tuple(time[1].shape)} must be 1-D and of the same length")]
    if problems:
        return None, problems
    ids, times = common.as_float(neuron[1]), common.as_float(time[1])
    keep = np.isfinite(ids) & np.isfinite(times)
    unique, rows = np.unique(ids[keep], return_inverse=True)
    contiguous = np.all(unique == np.round(unique)) and np.all(np.diff(unique) == 1)
    rows = rows + unique[0] if contiguous else rows.astype(float)
    span = (float(unique[0]), float(unique[-1])) if contiguous else (0.0, len(unique) - 1.0)
    return _sorted(times[keep], rows, (), span, len(unique)), []


def _from_trains(data: DataSet) -> tuple[_Spikes | None, list[Problem]]:
    names = sorted(data, key=common.natural_key)
    problems = [p for p in (common.numeric_problem(n, data[n]) for n in names if data[n].size) if p]
    if problems:
        return None, problems
    trains = [common.finite(data[name]) for name in names]
    if not any(train.size for train in trains):
        return None, [Problem("data", f"no spikes in {', '.join(map(repr, names))}")]
    rows = np.concatenate([np.full(train.size, row, dtype=float) for row, train in enumerate(trains)])
    return _sorted(np.concatenate(trains), rows, tuple(names), (0.0, len(names) - 1.0), len(names)), []


def _sorted(times: np.ndarray, rows: np.ndarray, names: tuple[str, ...], span: tuple[float, float],
            n_neurons: int) -> _Spikes:
    order = np.argsort(times, kind="stable")
    return _Spikes(times[order], rows[order], names, span, n_neurons)


def _windows(spikes: _Spikes, params: Mapping[str, Any]) -> _Windows:
    begin = min(0.0, float(spikes.times[0]))
    end = float(spikes.times[-1])
    width = float(params["window"] or (end - begin) / 5 or 1.0)
    step = float(params["step"] or width / 40)
    count = max(1, math.floor((end - begin - width) / step + 1e-9) + 1)
    starts = begin + step * np.arange(count)
    first = np.searchsorted(spikes.times, starts, side="left")
    stop = np.searchsorted(spikes.times, starts + width, side="left")
    return _Windows(starts, width, first, stop)


def _axes(figure: Figure, with_rate: bool) -> list:
    if not with_rate:
        return [figure.add_subplot()]
    return list(figure.subplots(2, 1, sharex=True, height_ratios=(3, 1)))


def _raster(ax, spikes: _Spikes, windows: _Windows, params: Mapping[str, Any]):
    colour = params.get("color") or common.foreground()
    marks = ax.scatter(np.empty(0), np.empty(0), marker="|", color=colour, linewidths=1.0)
    ax.set_xlim(0.0, windows.width)
    ax.set_ylim(spikes.y_span[0] - 0.5, spikes.y_span[1] + 0.5)
    ax.autoscale(False)
    ax.set_ylabel("neuron")
    if spikes.row_names and len(spikes.row_names) <= 20:
        ax.set_yticks(np.arange(len(spikes.row_names)), spikes.row_names)
    if not params["rate"]:
        ax.set_xlabel(params["xlabel"])
    return marks


def _size_marks(marks, ax, spikes: _Spikes) -> None:
    """Each '|' as tall as 80 % of a neuron's row (known once the layout is done)."""
    rows = spikes.y_span[1] - spikes.y_span[0] + 1
    height_pt = ax.bbox.height * 72.0 / ax.figure.dpi
    marks.set_sizes([(0.8 * height_pt / rows) ** 2])


@dataclass(frozen=True, slots=True)
class _RateArtists:
    line: Any
    fill: Polygon
    centres: np.ndarray
    rates: np.ndarray  # frames × bins

    @property
    def artists(self) -> tuple:
        return (self.fill, self.line)

    def update(self, i: int) -> None:
        self.line.set_ydata(self.rates[i])
        self.fill.set_xy(np.column_stack([
            np.r_[self.centres[0], self.centres, self.centres[-1]], np.r_[0.0, self.rates[i], 0.0]]))


def _rate(ax, spikes: _Spikes, windows: _Windows, params: Mapping[str, Any]) -> _RateArtists:
    width = float(params["bin"] or windows.width / 50)
    n_bins = max(1, int(round(windows.width / width)))
    rates = _binned_rates(spikes, windows, n_bins) / (windows.width / n_bins) / spikes.n_neurons
    rates = rates @ _smoothing_matrix(n_bins, float(params["smooth"])).T
    centres = (np.arange(n_bins) + 0.5) * windows.width / n_bins
    colour = common.cycle_colours(1)[0]
    line = ax.plot(centres, rates[0], color=colour)[0]
    fill = ax.add_patch(Polygon(np.zeros((3, 2)), closed=True, facecolor=colour, edgecolor="none", alpha=0.3))
    ax.set_ylim(0.0, float(rates.max()) * 1.1 or 1.0)
    ax.autoscale(False)
    ax.set_ylabel("rate (Hz)")
    ax.set_xlabel(params["xlabel"])
    return _RateArtists(line, fill, centres, rates)


def _binned_rates(spikes: _Spikes, windows: _Windows, n_bins: int) -> np.ndarray:
    """Spike counts per frame and bin, for bins aligned to each window's start."""
    counts = np.zeros((windows.count, n_bins))
    for i in range(windows.count):
        times = spikes.times[windows.first[i]:windows.stop[i]] - windows.starts[i]
        bins = np.minimum((times * (n_bins / windows.width)).astype(int), n_bins - 1)
        counts[i] = np.bincount(bins, minlength=n_bins)
    return counts


def _smoothing_matrix(n_bins: int, sigma: float) -> np.ndarray:
    """Gaussian smoothing as a matrix (rows sum to 1, so the window's edges do not sag)."""
    if sigma <= 0:
        return np.eye(n_bins)
    offsets = np.arange(n_bins)[:, None] - np.arange(n_bins)[None, :]
    kernel = np.exp(-0.5 * (offsets / sigma) ** 2) * (np.abs(offsets) <= 4 * sigma)
    return kernel / kernel.sum(axis=1, keepdims=True)


register(Raster())
