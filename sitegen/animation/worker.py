"""Task -> TaskResult, in a render worker (a local process, or a process on a cluster machine).

`run_task` is the one entry point for built-in kinds and author scripts alike: it draws the task's
frames (a kind by blitting in this process; a script in a contained child process), encodes them
through the one encode path (`encode`), and returns the files as bytes. The site's files are read
under `root`, which the executor provides (the site folder itself, or a folder it materialised from
shipped bytes). It never raises for the author's mistakes: they come back as a message. This
module imports no Markdown, templates or site code."""
from __future__ import annotations

import os
import socket
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from sitegen.animation.encoders import even_size
from sitegen.animation.jobs import OUTPUT_NAMES, FramesDrawn, RenderJob, Task, TaskResult
from sitegen.errors import RenderProblem

PALETTE_SAMPLES = 8
# Formats made with the help of frames sampled across the whole animation: the GIF's one palette, and
# the WebM's quality setting, which follows how grainy they are (encoders/grain.py).
SAMPLED_FORMATS = frozenset({"gif", "webm"})
Report = Callable[[FramesDrawn], None]


def run_task(task: Task, root: Path, report: Report = lambda event: None) -> TaskResult:
    """Render `task` with the site's files under `root`; its formats' files come back as bytes."""
    job = task.job
    start, started = time.perf_counter(), time.time()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    formats = task.formats or job.formats
    try:
        _check_versions(job)
        with tempfile.TemporaryDirectory(prefix="sitegen-render-") as folder:
            out = Path(folder)
            if job.kind is not None:
                meta = _render_kind(task, formats, root, out, report)
            else:
                meta = _render_script(job, root, out)
            files = {fmt: (out / OUTPUT_NAMES[fmt]).read_bytes() for fmt in formats}
            meta["types"] = media_types(formats, out)
    except RenderProblem as exc:
        return TaskResult(task.id, problem=exc.message, hint=exc.hint, seconds=time.perf_counter() - start,
                          started=started, worker=worker)
    except Exception as exc:  # an internal failure: keep the traceback for the report
        return TaskResult(task.id, problem=f"rendering failed on {worker}: {exc!r}\n{traceback.format_exc()}",
                          seconds=time.perf_counter() - start, started=started, worker=worker)
    return TaskResult(task.id, files, meta, seconds=time.perf_counter() - start, started=started, worker=worker)


def _check_versions(job: RenderJob) -> None:
    """A worker whose libraries differ from the build's would make files its key does not describe."""
    from sitegen.animation.versions import library_versions

    here = library_versions()
    differ = [f"{name} {here[name]} (the build has {wanted})" for name, wanted in job.versions
              if name in here and here[name] != wanted]
    if differ:
        raise RenderProblem(f"this worker ({socket.gethostname()}) has {', '.join(differ)}: its files would not "
                            "match the cache key", "install the same sitegen and libraries on every worker as on "
                                                   "the machine that builds")


def _render_kind(task: Task, formats: tuple[str, ...], root: Path, out: Path, report: Report) -> dict[str, Any]:
    """Draw a built-in kind's frames by blitting and encode them: every frame, or the task's run."""
    import matplotlib

    from sitegen.animation.datafiles import DataRef, load
    from sitegen.animation.frames import frame_indices, make_figure, render_frames
    from sitegen.animation.kinds import KINDS

    job = task.job
    kind = KINDS[job.kind]  # type: ignore[index]
    data = load([(name, DataRef(written, root / rel, pick, written)) for name, rel, pick, written in job.data])
    with matplotlib.rc_context(dict(job.style)):
        figure = make_figure(job.width, job.height, job.dpi)
        scene = kind.draw(figure, data, dict(job.params))
        count = job.frames or scene.frame_count
        indices = frame_indices(scene.frame_count, count)
        palette = []
        if SAMPLED_FORMATS.intersection(formats):  # the same samples in every part of a split animation
            samples = [indices[i] for i in np.linspace(0, len(indices) - 1, min(PALETTE_SAMPLES, len(indices))).astype(int)]
            palette = list(render_frames(scene, samples))
        start, stop = task.frames or (0, count)
        chosen = indices[start:stop]
        motion = Motion()
        drawn = _counted(task, report, motion.watch(render_frames(scene, chosen)), len(chosen))
        encode(job, root, out, formats, drawn, len(chosen), job.width, job.height, job.fps, palette)
    return {"width": job.width, "height": job.height, "frames": len(chosen), "fps": job.fps, **motion.meta()}


def _render_script(job: RenderJob, root: Path, out: Path) -> dict[str, Any]:
    """Run the author's script in its child process for its frames, then encode them here."""
    from sitegen.animation.scripts.runner import draw_script

    with tempfile.TemporaryDirectory(prefix="sitegen-script-") as scratch:
        frames, meta = draw_script(job, root, Path(scratch))
        count, height, width = frames.shape[0], frames.shape[1], frames.shape[2]
        samples = [frames[i] for i in np.linspace(0, count - 1, min(PALETTE_SAMPLES, count)).astype(int)]
        encode(job, root, out, job.formats, (frames[i] for i in range(count)), count, width, height, meta["fps"],
               samples)
        del frames, samples
    return {**meta, "width": even_size(width), "height": even_size(height), "frames": count}


class Motion:
    """Whether frames passing through move at all (a still is worth a warning), and a digest of the
    first, so the parts of a split animation can be compared."""

    def __init__(self) -> None:
        self.first: np.ndarray | None = None
        self.moving = False

    def watch(self, frames: Iterator[np.ndarray]) -> Iterator[np.ndarray]:
        for frame in frames:
            if self.first is None:
                self.first = frame.copy()
            elif not self.moving and not np.array_equal(frame, self.first):
                self.moving = True
            yield frame

    def meta(self) -> dict[str, Any]:
        import hashlib

        digest = hashlib.sha256(self.first.tobytes()).hexdigest()[:16] if self.first is not None else ""
        return {"moving": self.moving, "first_frame": digest}


def _counted(task: Task, report: Report, frames: Iterator[np.ndarray], total: int) -> Iterator[np.ndarray]:
    """Pass frames through, reporting progress every few frames."""
    every = max(1, total // 50)
    for done, frame in enumerate(frames, start=1):
        yield frame
        if done % every == 0 or done == total:
            report(FramesDrawn(task.id, task.label, done, total))


def media_types(formats: tuple[str, ...], out: Path) -> dict[str, str]:
    """Each video file's exact type, codecs included, as a page's <source type> gives it."""
    from sitegen.animation.encoders import ENCODERS
    from sitegen.animation.encoders.codecs import media_type

    return {fmt: media_type(ENCODERS[fmt].mime, out / OUTPUT_NAMES[fmt]) for fmt in formats if ENCODERS[fmt].video}


def poster_index(wanted: int | None, count: int) -> int:
    return count // 2 if wanted is None else min(wanted, count - 1)


def encode(job: RenderJob, root: Path, out: Path, formats: tuple[str, ...], frames: Iterator[np.ndarray],
           count: int, width: int, height: int, fps: float, palette: list[np.ndarray]) -> None:
    """The one encode path: `count` frames of width × height into each of `formats` in `out`."""
    from sitegen.animation.encoders import VideoSpec, encode_all

    spec = VideoSpec(width=width, height=height, fps=fps, frame_count=count, loop=job.loop,
                     poster_frame=poster_index(job.poster_frame, count),
                     audio=root / job.audio if job.audio else None)
    encode_all(list(formats), {fmt: out / OUTPUT_NAMES[fmt] for fmt in formats}, spec, frames,
               palette_frames=palette, preset=job.preset)
