"""Each reference animation made twice in the same run, from the same scene:

- matplotlib's own path: the scene in a `FuncAnimation`, saved with `PillowWriter` (GIF) and with
  `FFMpegWriter(codec="libvpx-vp9")` (WebM);
- sitegen's path: what a build does with the RenderJob it plans for the animation (the formats a
  directive makes when it names none, `sitegen.animation.engine.render_jobs` in a pool of every core):
  blitted frames streamed into every format's encoder at once; an animation longer than
  SEGMENT_FRAMES frames is drawn and encoded in parts by several workers and joined. Once under
  each encoder preset (`sitegen.PRESETS`), the default first.

Both are timed from the data to the files (drawing the scene included), `repeat` times, interleaved:
wall time, and CPU time of this process and its children. The pool's workers are forked from this
process and joined when the build's tasks are done, so their CPU time (and their ffmpeg's) is in
RUSAGE_CHILDREN; `sitegen_path` refuses to run where they would not be (see `_workers_are_children`).
Every output is then decoded and compared with the exact pixels (`render_full` of the same scene):
bytes and mean luma SSIM of each format against matplotlib's file of its kind (bench/comparison.py).
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter

from animated_site import SilentProgress
from comparison import Breakdown, Comparison, MatplotlibRun, compared, presets
from reference_animations import Reference, default_formats, draw_scene, light_style, render_job, save_data
from sitegen.animation.encoders import SUFFIXES, VideoSpec, open_encoder, probe_ffmpeg
from sitegen.animation.engine import render_jobs
from sitegen.animation.executors import default_workers
from sitegen.animation.executors.local import LocalExecutor
from sitegen.animation.executors.processes import pool_context
from sitegen.animation.frames import render_frames, render_full
from sitegen.animation.jobs import OUTPUT_NAMES
from sitegen.animation.worker import PALETTE_SAMPLES
from stopwatch import Timing, timed


def use_bundled_ffmpeg() -> None:
    """matplotlib's FFMpegWriter runs rcParams['animation.ffmpeg_path']: the ffmpeg sitegen uses."""
    exe = probe_ffmpeg().exe
    if exe is None:
        raise RuntimeError(probe_ffmpeg().problem)
    matplotlib.rcParams["animation.ffmpeg_path"] = exe


# ------------------------------------------------------------------------------------------ the two paths


def matplotlib_path(reference: Reference, files: dict[str, Path]) -> MatplotlibRun:
    """What a matplotlib user writes: one FuncAnimation, saved as GIF and as WebM (files by format)."""
    def both() -> tuple[Timing, Timing]:
        with matplotlib.rc_context(light_style()):
            scene = draw_scene(reference)
            animation = FuncAnimation(scene.figure, lambda i: scene.update(i), frames=reference.frame_count)
            gif, _ = timed(lambda: animation.save(files["gif"], writer=PillowWriter(fps=reference.fps)))
            webm, _ = timed(lambda: animation.save(files["webm"], writer=FFMpegWriter(
                fps=reference.fps, codec="libvpx-vp9", extra_args=["-pix_fmt", "yuv420p"])))
        return gif, webm

    total, (gif, webm) = timed(both)
    return MatplotlibRun(total, gif, webm)


def sitegen_path(reference: Reference, data_file: Path, staging: Path, preset: str) -> dict[str, Path]:
    """What a build does for this animation: its render tasks in a pool of every core. The files it
    made, by format."""
    _workers_are_children()
    job = render_job(reference, data_file, preset=preset)
    [(_, outcome)] = render_jobs([job], LocalExecutor(default_workers()), data_file.parent, SilentProgress())
    if outcome.problem is not None:
        raise RuntimeError(f"sitegen failed to render {reference.name}: {outcome.problem}")
    staging.mkdir(exist_ok=True)
    paths = {fmt: staging / OUTPUT_NAMES[fmt] for fmt in outcome.files}
    for fmt, data in outcome.files.items():
        paths[fmt].write_bytes(data)
    return paths


def _workers_are_children() -> None:
    """Forked workers are this process's children, so getrusage(RUSAGE_CHILDREN) counts them once the
    pool has joined them; workers from a fork server are that server's children, and would not be."""
    method = pool_context().get_start_method()
    if method != "fork":
        raise RuntimeError(f"the pool would start its workers by {method!r}: their CPU time would not be "
                           "counted here; run the sitegen path through a subprocess instead")


# ------------------------------------------------------------------------------------------ measuring


def compare(reference: Reference, repeat: int, folder: Path, breakdown: bool = True) -> Comparison:
    """Time both paths `repeat` times (interleaved, every preset each round), then measure the files
    of the last run."""
    folder.mkdir(parents=True, exist_ok=True)
    data_file = save_data(reference, folder)
    mpl_files = {"gif": folder / f"{reference.name}-pillow.gif", "webm": folder / f"{reference.name}-ffmpeg.webm"}
    mpl_runs: list[MatplotlibRun] = []
    ours_runs: dict[str, list[Timing]] = {preset: [] for preset in presets()}
    ours_files: dict[str, dict[str, Path]] = {}
    for _ in range(repeat):
        mpl_runs.append(matplotlib_path(reference, mpl_files))
        for preset in presets():
            staging = folder / f"{reference.name}-{preset}"
            timing, ours_files[preset] = timed(lambda: sitegen_path(reference, data_file, staging, preset))
            ours_runs[preset].append(timing)
    steps = sitegen_breakdown(reference, folder) if breakdown else None
    return compared(reference.name, reference.noisy, exact_frames(reference), reference.fps, mpl_runs, mpl_files,
                    ours_runs, ours_files, steps)


def exact_frames(reference: Reference) -> list[np.ndarray]:
    """Every frame by a full redraw of a fresh scene: the pixels each output is compared with."""
    with matplotlib.rc_context(light_style()):
        return list(render_full(draw_scene(reference), range(reference.frame_count)))


def sitegen_breakdown(reference: Reference, folder: Path) -> Breakdown:
    """Where sitegen's time goes: drawing, and each default format's encoder alone (in a build they
    overlap: ffmpeg encodes in its own processes while Python draws and writes the GIF)."""
    with matplotlib.rc_context(light_style()):
        draw, frames = timed(lambda: list(render_frames(draw_scene(reference), range(reference.frame_count))))
    spec = VideoSpec(reference.width, reference.height, reference.fps, len(frames),
                     poster_frame=len(frames) // 2)
    samples = [frames[i] for i in np.linspace(0, len(frames) - 1, min(PALETTE_SAMPLES, len(frames))).astype(int)]
    encoders = {}
    for fmt in default_formats():
        path = folder / f"{reference.name}-alone-{fmt}{SUFFIXES[fmt]}"
        encoders[fmt], _ = timed(lambda: _encode_one(fmt, path, spec, frames, samples))
    return Breakdown(draw, encoders)


def _encode_one(fmt: str, path: Path, spec: VideoSpec, frames: list[np.ndarray], samples: list[np.ndarray]) -> None:
    with open_encoder(fmt, path, spec, palette_frames=samples) as sink:
        for frame in frames:
            sink.write(frame)
