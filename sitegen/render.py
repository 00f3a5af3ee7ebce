"""RenderJob -> files in a cache staging folder. Runs in a worker process; never raises for the
author's mistakes (they come back as a message with the post and line)."""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from sitegen.plan import RenderJob, frame_indices

from sitegen.cache import ENTRY_FILES as OUTPUT_NAMES  # noqa: E402  (each format's fixed name in an entry)
PALETTE_SAMPLES = 8


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    key: str
    files: dict[str, str] = field(default_factory=dict)  # format -> file name in the staging folder
    meta: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None  # what went wrong, for the author
    hint: str = ""
    seconds: float = 0.0
    started: float = 0.0  # time.time() when the work began (parts of one animation run in several processes)


def run_job(job: RenderJob, staging: str) -> RenderOutcome:
    """Render every format of one job into `staging`."""
    start = time.perf_counter()
    try:
        if job.kind is not None:
            meta = _render_kind(job, Path(staging))
        else:
            from sitegen.scripts import render_script

            meta = render_script(job, Path(staging))
    except RenderProblem as exc:
        return RenderOutcome(job.key, problem=str(exc), hint=exc.hint, seconds=time.perf_counter() - start)
    except Exception as exc:  # an internal failure: keep the traceback for the report
        return RenderOutcome(job.key, problem=f"rendering failed: {exc!r}\n{traceback.format_exc()}",
                             seconds=time.perf_counter() - start)
    files = {fmt: OUTPUT_NAMES[fmt] for fmt in job.formats}
    return RenderOutcome(job.key, files, meta, seconds=time.perf_counter() - start)


class RenderProblem(Exception):
    """Something the author can fix (a script error, no animation made, too many frames)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def _render_kind(job: RenderJob, staging: Path) -> dict[str, Any]:
    return render_kind_part(job, staging, {fmt: OUTPUT_NAMES[fmt] for fmt in job.formats}, None, job.key, job.label)


def render_kind_part(job: RenderJob, staging: Path, names: dict[str, str], frames: tuple[int, int] | None,
                     progress_key: str, label: str) -> dict[str, Any]:
    """Draw a built-in kind's frames by blitting and encode them into `names` (format -> file name in
    `staging`): every frame, or only output frames [start, stop) when `frames` is given."""
    import matplotlib

    from sitegen.datafiles import DataRef, load
    from sitegen.frames import make_figure, render_frames
    from sitegen.kinds import KINDS

    kind = KINDS[job.kind]  # type: ignore[index]
    data = load([(name, DataRef(written, Path(path), pick, written)) for name, path, pick, written in job.data])
    params = dict(job.params)
    with matplotlib.rc_context(dict(job.style)):
        figure = make_figure(job.width, job.height, job.dpi)
        scene = kind.draw(figure, data, params)
        count = job.frames or scene.frame_count
        indices = frame_indices(scene.frame_count, count)
        palette = []
        if "gif" in names:
            samples = [indices[i] for i in np.linspace(0, len(indices) - 1, min(PALETTE_SAMPLES, len(indices))).astype(int)]
            palette = list(render_frames(scene, samples))
        start, stop = frames or (0, count)
        chosen = indices[start:stop]
        motion = Motion()
        drawn = counted(progress_key, label, motion.watch(render_frames(scene, chosen)), len(chosen))
        encode(job, staging, names, drawn, len(chosen), palette)
    return {"width": job.width, "height": job.height, "frames": len(chosen), "fps": job.fps, **motion.meta()}


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


def counted(key: str, label: str, frames: Iterator[np.ndarray], total: int) -> Iterator[np.ndarray]:
    """Pass frames through, telling the progress display every few frames."""
    from sitegen.progress import report_frames

    every = max(1, total // 50)
    for done, frame in enumerate(frames, start=1):
        yield frame
        if done % every == 0 or done == total:
            report_frames(key, label, done, total)


def poster_index(wanted: int | None, count: int) -> int:
    return count // 2 if wanted is None else min(wanted, count - 1)


def encode(job: RenderJob, staging: Path, names: dict[str, str], frames: Iterator[np.ndarray], count: int,
           palette: list[np.ndarray]) -> dict[str, int]:
    """Encode `count` frames into each format of `names` (format -> file name in `staging`)."""
    from sitegen.encoders import VideoSpec, encode_all

    spec = VideoSpec(width=job.width, height=job.height, fps=job.fps, frame_count=count, loop=job.loop,
                     poster_frame=poster_index(job.poster_frame, count), audio=Path(job.audio) if job.audio else None)
    paths = {fmt: staging / name for fmt, name in names.items()}
    return encode_all(list(names), paths, spec, frames, palette_frames=palette, preset=job.preset)
