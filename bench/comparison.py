"""One animation made by matplotlib's writers and by sitegen, in the one shape that both comparisons
report: bench/matplotlib_vs_sitegen.py (the reference animations, drawn by sitegen's own kinds) and
bench/script_animations.py (author scripts).

matplotlib's side is always two files, PillowWriter's GIF and FFMpegWriter's VP9 WebM, and the time
of each save. sitegen's side is whatever its build makes, once per encoder preset (`sitegen.PRESETS`,
the default first): the formats are read from the files it produced, never from a list here. Each
of sitegen's files is compared with its matplotlib counterpart (every video format with
FFMpegWriter's WebM, the GIF with PillowWriter's) by bytes and by mean luma SSIM against the exact
frames; a still (the poster) is measured by its bytes alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from sitegen import PRESETS
from sitegen.animation.encoders import DEFAULT_PRESET, ENCODERS, FORMATS, encoder_settings, probe_ffmpeg, quality
from stopwatch import Timing, median_timing

MATPLOTLIB_WRITERS = {"gif": "PillowWriter GIF", "webm": "FFMpegWriter VP9"}  # matplotlib's files, by format


@dataclass(frozen=True, slots=True)
class FileQuality:
    """One encoded file: its size and how close its decoded frames are to the exact ones."""

    bytes: int
    ssim: float | None  # mean over frames, luma; None for a still
    psnr: float | None  # dB over all frames and channels; None for a still


@dataclass(frozen=True, slots=True)
class MatplotlibRun:
    """One run of matplotlib's path: the whole (the scene or the script, and both saves) and each save."""

    total: Timing
    gif: Timing  # anim.save with PillowWriter
    webm: Timing  # anim.save with FFMpegWriter (VP9)


@dataclass(frozen=True, slots=True)
class SitegenRuns:
    """sitegen's path under one preset: the time of every run, and the files of the last."""

    preset: str
    runs: tuple[Timing, ...]
    made: tuple[str, ...]  # every format the build made, in its order
    files: Mapping[str, FileQuality]  # format -> its file; under a preset other than the default only the
    # formats it makes differently (the others are the default's files again)

    @property
    def timing(self) -> Timing:
        return median_timing(self.runs)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """sitegen's work for one animation, each step alone on frames held in memory (one run)."""

    draw: Timing  # the scene and every frame, by blitting
    encoders: Mapping[str, Timing]  # format -> its encoder alone


@dataclass(frozen=True, slots=True)
class Comparison:
    name: str
    noisy: bool  # noisy content (white noise in an image): its WebM target is looser
    frames: int
    width: int
    height: int
    matplotlib_runs: tuple[MatplotlibRun, ...]
    matplotlib_files: Mapping[str, FileQuality]  # "gif": PillowWriter's, "webm": FFMpegWriter's
    sitegen: tuple[SitegenRuns, ...]  # one per preset, the default first
    breakdown: Breakdown | None = None

    @property
    def matplotlib(self) -> Timing:
        """Medians over the runs: matplotlib's whole path (GIF save + WebM save)."""
        return median_timing([run.total for run in self.matplotlib_runs])

    @property
    def matplotlib_gif(self) -> Timing:
        return median_timing([run.gif for run in self.matplotlib_runs])

    @property
    def matplotlib_webm(self) -> Timing:
        return median_timing([run.webm for run in self.matplotlib_runs])

    @property
    def published(self) -> SitegenRuns:
        """sitegen's runs under the default preset: the files a site publishes."""
        return self.sitegen[0]

    @property
    def time_ratio(self) -> float:
        """sitegen's whole default set / matplotlib's two saves, by wall time."""
        return self.published.timing.wall / self.matplotlib.wall

    @property
    def cpu_ratio(self) -> float:
        return self.published.timing.cpu / self.matplotlib.cpu


def presets() -> tuple[str, ...]:
    """Every encoder preset, the default first."""
    return (DEFAULT_PRESET, *(preset for preset in PRESETS if preset != DEFAULT_PRESET))


def counterpart(fmt: str) -> str | None:
    """The matplotlib file that sitegen's `fmt` is compared with (a MATPLOTLIB_WRITERS key), or None
    for a still."""
    if ENCODERS[fmt].video:
        return "webm"
    return "gif" if fmt == "gif" else None


def made_differently(fmt: str, preset: str) -> bool:
    """Whether `preset` makes `fmt` with other settings than the default preset does."""
    return encoder_settings(fmt, preset) != encoder_settings(fmt, DEFAULT_PRESET)


def compared(name: str, noisy: bool, exact: Sequence[np.ndarray], fps: float,
             matplotlib_runs: Sequence[MatplotlibRun], matplotlib_files: Mapping[str, Path],
             sitegen_runs: Mapping[str, Sequence[Timing]], sitegen_files: Mapping[str, Mapping[str, Path]],
             breakdown: Breakdown | None = None,
             matplotlib_exact: Mapping[str, Sequence[np.ndarray]] | None = None) -> Comparison:
    """The Comparison of one animation: every file measured against the `exact` frames.
    `sitegen_runs` and `sitegen_files` are by preset; `sitegen_files[preset]` maps format -> path.
    `matplotlib_exact`: the frames each of matplotlib's files was saved from, where they are not
    `exact` (a script that keeps drawing from a random generator draws other frames on its second save)."""
    mpl = {fmt: file_quality(fmt, path, (matplotlib_exact or {}).get(fmt, exact), None)
           for fmt, path in matplotlib_files.items()}
    ours = []
    for preset in presets():
        made = sorted(sitegen_files[preset], key=FORMATS.index)  # in the format table's order
        measured = {fmt: file_quality(fmt, sitegen_files[preset][fmt], exact, fps) for fmt in made
                    if preset == DEFAULT_PRESET or made_differently(fmt, preset)}
        ours.append(SitegenRuns(preset, tuple(sitegen_runs[preset]), tuple(made), measured))
    height, width = exact[0].shape[:2]
    return Comparison(name, noisy, len(exact), width, height, tuple(matplotlib_runs), mpl, tuple(ours), breakdown)


def file_quality(fmt: str, path: Path, exact: Sequence[np.ndarray], fps: float | None) -> FileQuality:
    """`path`'s bytes and, unless `fmt` is a still, its SSIM and PSNR against `exact`. fps None: a GIF
    is read on its own clock (PillowWriter stores int(1000/fps) ms per frame)."""
    size = path.stat().st_size
    if counterpart(fmt) is None:
        return FileQuality(size, None, None)
    height, width = exact[0].shape[:2]
    decoded = gif_frames(path, len(exact), fps) if fmt == "gif" else video_frames(path, width, height)
    return FileQuality(size, quality.mean_ssim(exact, decoded), quality.psnr(exact, decoded))


def gif_frames(path: Path, count: int, fps: float | None) -> list[np.ndarray]:
    """One decoded frame per input frame, at `fps` or (None) on the GIF's own timeline."""
    gif = quality.decode_gif(path)
    timeline_fps = fps if fps is not None else count * 1000 / sum(gif.durations_ms)
    return gif.at_fps(timeline_fps, count)


def video_frames(path: Path, width: int, height: int) -> list[np.ndarray]:
    return list(quality.decode_video(probe_ffmpeg().exe, path, width, height))
