"""Each reference animation made twice in the same run, from the same scene:

- matplotlib's own path: the scene in a `FuncAnimation`, saved with `PillowWriter` (GIF) and with
  `FFMpegWriter(codec="libvpx-vp9")` (WebM);
- sitegen's path: what a build does with the RenderJob it plans (`sitegen.animation.engine.render_jobs`, in
  a pool of every core): palette samples, then blitted frames streamed into the GIF and WebM
  encoders at once; an animation longer than SEGMENT_FRAMES frames is drawn and encoded in parts by
  several workers and joined. Run with the default "small" preset and again with "fast".

Both are timed from the data to the files (drawing the scene included), `repeat` times, interleaved.
Every output is then decoded and compared with the exact pixels (`render_full` of the same scene).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import matplotlib
import numpy as np
from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter

from reference_animations import Reference, draw_scene, light_style, render_job, save_data
from sitegen.animation.encoders import quality
from sitegen.animation.encoders import VideoSpec, open_encoder, probe_ffmpeg
from sitegen.animation.frames import render_frames, render_full
from sitegen.animation.engine import render_jobs
from sitegen.animation.executors import default_workers
from sitegen.animation.executors.local import LocalExecutor
from sitegen.animation.jobs import OUTPUT_NAMES
from sitegen.animation.worker import PALETTE_SAMPLES
from stopwatch import Timing, median_timing, timed

OUTPUTS = ("pillow_gif", "ffmpeg_webm", "sitegen_gif", "sitegen_webm", "fast_webm")


@dataclass(frozen=True, slots=True)
class OutputQuality:
    """One encoded file: its size and how close its decoded frames are to the exact ones."""

    bytes: int
    ssim: float  # mean over frames, luma
    psnr: float  # dB over all frames and channels


@dataclass(frozen=True, slots=True)
class MatplotlibRun:
    """One run of matplotlib's path: the whole (scene drawn, both saves) and each save."""

    total: Timing
    gif: Timing  # anim.save with PillowWriter
    webm: Timing  # anim.save with FFMpegWriter (VP9)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """sitegen's work for one reference, each step run alone on frames held in memory (one run)."""

    draw: Timing  # the scene and every frame, by blitting
    gif: Timing  # palette and GIF encoding
    webm: Timing  # VP9 encoding (ffmpeg)


@dataclass(frozen=True, slots=True)
class ReferenceResult:
    name: str
    frames: int
    width: int
    height: int
    fps: float
    matplotlib: Timing  # medians: GIF save + WebM save
    sitegen: Timing  # medians: sitegen making both, "small" preset (the default)
    fast: Timing  # medians: the same with the "fast" preset
    matplotlib_gif: Timing  # medians of each save alone
    matplotlib_webm: Timing
    matplotlib_runs: tuple[MatplotlibRun, ...]
    sitegen_runs: tuple[Timing, ...]
    fast_runs: tuple[Timing, ...]
    outputs: dict[str, OutputQuality]  # by OUTPUTS name
    breakdown: Breakdown | None

    @property
    def speedup(self) -> float:
        return self.matplotlib.wall / self.sitegen.wall

    @property
    def fast_speedup(self) -> float:
        return self.matplotlib.wall / self.fast.wall

    @property
    def fast_webm_ratio(self) -> float:
        return self.outputs["fast_webm"].bytes / self.outputs["ffmpeg_webm"].bytes

    @property
    def gif_ratio(self) -> float:
        return self.outputs["sitegen_gif"].bytes / self.outputs["pillow_gif"].bytes

    @property
    def webm_ratio(self) -> float:
        return self.outputs["sitegen_webm"].bytes / self.outputs["ffmpeg_webm"].bytes


def use_bundled_ffmpeg() -> None:
    """matplotlib's FFMpegWriter runs rcParams['animation.ffmpeg_path']: the ffmpeg sitegen uses."""
    exe = probe_ffmpeg().exe
    if exe is None:
        raise RuntimeError(probe_ffmpeg().problem)
    matplotlib.rcParams["animation.ffmpeg_path"] = exe


# ------------------------------------------------------------------------------------------ the two paths


def matplotlib_path(reference: Reference, gif: Path, webm: Path) -> tuple[Timing, Timing]:
    """What a matplotlib user writes: one FuncAnimation, saved as GIF and as WebM. The time of each save."""
    with matplotlib.rc_context(light_style()):
        scene = draw_scene(reference)
        animation = FuncAnimation(scene.figure, lambda i: scene.update(i), frames=reference.frame_count)
        gif_time, _ = timed(lambda: animation.save(gif, writer=PillowWriter(fps=reference.fps)))
        webm_time, _ = timed(lambda: animation.save(webm, writer=FFMpegWriter(
            fps=reference.fps, codec="libvpx-vp9", extra_args=["-pix_fmt", "yuv420p"])))
    return gif_time, webm_time


def timed_matplotlib_path(reference: Reference, gif: Path, webm: Path) -> MatplotlibRun:
    total, (gif_time, webm_time) = timed(lambda: matplotlib_path(reference, gif, webm))
    return MatplotlibRun(total, gif_time, webm_time)


class _Silent:
    def begin(self, jobs: int) -> None: ...
    def frames(self, key: str, label: str, done: int, total: int) -> None: ...
    def finished(self, label: str, seconds: float, failed: bool) -> None: ...
    def close(self) -> None: ...


def sitegen_path(reference: Reference, data_file: Path, staging: Path, preset: str = "small") -> dict[str, Path]:
    """What a build does for this animation: its render tasks in a pool of every core."""
    job = render_job(reference, data_file, preset=preset)
    [(_, outcome)] = render_jobs([job], LocalExecutor(default_workers()), data_file.parent, _Silent())
    if outcome.problem is not None:
        raise RuntimeError(f"sitegen failed to render {reference.name}: {outcome.problem}")
    paths = {fmt: staging / OUTPUT_NAMES[fmt] for fmt in outcome.files}
    for fmt, data in outcome.files.items():
        paths[fmt].write_bytes(data)
    return paths


# ------------------------------------------------------------------------------------------ measuring


def compare(reference: Reference, repeat: int, folder: Path, breakdown: bool = True) -> ReferenceResult:
    """Time both paths `repeat` times (interleaved), then measure the files of the last run."""
    folder.mkdir(parents=True, exist_ok=True)
    data_file = save_data(reference, folder)
    mpl_files = {"pillow_gif": folder / f"{reference.name}-pillow.gif",
                 "ffmpeg_webm": folder / f"{reference.name}-ffmpeg.webm"}
    staging, fast_staging = folder / f"{reference.name}-sitegen", folder / f"{reference.name}-fast"
    staging.mkdir(exist_ok=True)
    fast_staging.mkdir(exist_ok=True)
    mpl_runs, ours_runs, fast_runs = [], [], []
    for _ in range(repeat):
        mpl_runs.append(timed_matplotlib_path(reference, mpl_files["pillow_gif"], mpl_files["ffmpeg_webm"]))
        timing, ours = timed(lambda: sitegen_path(reference, data_file, staging))
        ours_runs.append(timing)
        timing, fast = timed(lambda: sitegen_path(reference, data_file, fast_staging, "fast"))
        fast_runs.append(timing)
    files = {**mpl_files, "sitegen_gif": ours["gif"], "sitegen_webm": ours["webm"], "fast_webm": fast["webm"]}
    return ReferenceResult(
        reference.name, reference.frame_count, reference.width, reference.height, reference.fps,
        median_timing([run.total for run in mpl_runs]), median_timing(ours_runs), median_timing(fast_runs),
        median_timing([run.gif for run in mpl_runs]), median_timing([run.webm for run in mpl_runs]),
        tuple(mpl_runs), tuple(ours_runs), tuple(fast_runs),
        output_quality(reference, files), sitegen_breakdown(reference, folder) if breakdown else None)


def exact_frames(reference: Reference) -> list[np.ndarray]:
    """Every frame by a full redraw of a fresh scene: the pixels each output is compared with."""
    with matplotlib.rc_context(light_style()):
        return list(render_full(draw_scene(reference), range(reference.frame_count)))


def output_quality(reference: Reference, files: dict[str, Path]) -> dict[str, OutputQuality]:
    exact = exact_frames(reference)
    decoders: dict[str, Callable[[Path], list[np.ndarray]]] = {
        "pillow_gif": lambda path: gif_frames(path, len(exact), None),
        "sitegen_gif": lambda path: gif_frames(path, len(exact), reference.fps),
        "ffmpeg_webm": lambda path: video_frames(path, reference),
        "sitegen_webm": lambda path: video_frames(path, reference),
        "fast_webm": lambda path: video_frames(path, reference),
    }
    found = {}
    for name in OUTPUTS:
        decoded = decoders[name](files[name])
        found[name] = OutputQuality(files[name].stat().st_size, quality.mean_ssim(exact, decoded),
                                    quality.psnr(exact, decoded))
    return found


def gif_frames(path: Path, count: int, fps: float | None) -> list[np.ndarray]:
    """One decoded frame per input frame. fps None: the GIF's own timeline (PillowWriter stores
    int(1000/fps) ms per frame, so its clock may differ from the nominal fps)."""
    gif = quality.decode_gif(path)
    timeline_fps = fps if fps is not None else count * 1000 / sum(gif.durations_ms)
    return gif.at_fps(timeline_fps, count)


def video_frames(path: Path, reference: Reference) -> list[np.ndarray]:
    return list(quality.decode_video(probe_ffmpeg().exe, path, reference.width, reference.height))


def sitegen_breakdown(reference: Reference, folder: Path) -> Breakdown:
    """Where sitegen's time goes: drawing, GIF and VP9 each alone (in a build they overlap: ffmpeg
    encodes in its own process while Python draws and writes the GIF)."""
    with matplotlib.rc_context(light_style()):
        draw, frames = timed(lambda: list(render_frames(draw_scene(reference), range(reference.frame_count))))
    spec = VideoSpec(reference.width, reference.height, reference.fps, len(frames))
    samples = [frames[i] for i in np.linspace(0, len(frames) - 1, min(PALETTE_SAMPLES, len(frames))).astype(int)]
    gif, _ = timed(lambda: _encode_one("gif", folder / f"{reference.name}-alone.gif", spec, frames, samples))
    webm, _ = timed(lambda: _encode_one("webm", folder / f"{reference.name}-alone.webm", spec, frames, []))
    return Breakdown(draw, gif, webm)


def _encode_one(fmt: str, path: Path, spec: VideoSpec, frames: list[np.ndarray], samples: list[np.ndarray]) -> None:
    with open_encoder(fmt, path, spec, palette_frames=samples) as sink:
        for frame in frames:
            sink.write(frame)


def total_speedup(results: list[ReferenceResult], preset: str = "small") -> tuple[float, float]:
    """matplotlib / sitegen over all references together: (by wall time, by CPU time)."""
    ours = [r.sitegen if preset == "small" else r.fast for r in results]
    wall = sum(r.matplotlib.wall for r in results) / sum(t.wall for t in ours)
    cpu = sum(r.matplotlib.cpu for r in results) / sum(t.cpu for t in ours)
    return wall, cpu

