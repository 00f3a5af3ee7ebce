"""A long animation of a built-in kind is rendered in parts, so that it too keeps every core busy.

Its frames are cut into runs of `SEGMENT_FRAMES` (a fixed number, so the bytes are the same on
every machine and for every -j); each run is drawn and encoded to WebM/MP4 by its own worker, and
the runs are joined without re-encoding (ffmpeg's concat demuxer, -c copy). One more part draws
every frame for the stills — the GIF, whose one palette and changed rectangles need the whole
sequence, and the poster — which cost a fraction of the video's time.

Animations with sound, script animations and animations of at most SEGMENT_FRAMES frames render
as one task (`run_job`).
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from sitegen.encoders import SEGMENT_FRAMES, SUFFIXES, VIDEO_FORMATS, join_segments
from sitegen.plan import RenderJob
from sitegen.render import OUTPUT_NAMES, RenderOutcome, RenderProblem, render_kind_part, run_job

STILL_FORMATS = ("gif", "poster")
STILL_COST = 0.15  # drawing and GIF per frame, relative to drawing and VP9 (bench references: 0.1-0.2)


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work for a render worker: a whole job, or one part of it."""

    job: RenderJob
    part: int = 0
    parts: int = 1
    frames: tuple[int, int] | None = None  # [start, stop) of output frames for a video part; None: every frame
    formats: tuple[str, ...] = ()  # what this part writes

    @property
    def whole(self) -> bool:
        return self.parts == 1

    @property
    def label(self) -> str:
        if self.whole:
            return self.job.label
        what = f"frames {self.frames[0] + 1}–{self.frames[1]}" if self.frames else "GIF and poster"
        return f"{self.job.label} · {what}"

    @property
    def cost(self) -> float:
        """For longest-first scheduling: pixels to encode, stills weighted by what they cost."""
        job = self.job
        count = (self.frames[1] - self.frames[0]) if self.frames else (job.frames or 100)
        return count * job.width * job.height * (1.0 if self.frames or self.whole else STILL_COST)


def tasks_for(job: RenderJob) -> list[Task]:
    """The job as one task, or as video parts of SEGMENT_FRAMES frames plus one part for the stills."""
    video = tuple(fmt for fmt in job.formats if fmt in VIDEO_FORMATS)
    if job.kind is None or job.audio is not None or not job.frames or job.frames <= SEGMENT_FRAMES or not video:
        return [Task(job)]
    runs = [(start, min(start + SEGMENT_FRAMES, job.frames)) for start in range(0, job.frames, SEGMENT_FRAMES)]
    stills = tuple(fmt for fmt in job.formats if fmt in STILL_FORMATS)
    count = len(runs) + bool(stills)
    tasks = [Task(job, i, count, run, video) for i, run in enumerate(runs)]
    return tasks + ([Task(job, len(runs), count, None, stills)] if stills else [])


def part_name(task: Task, fmt: str) -> str:
    return f"part-{task.part:03d}{SUFFIXES[fmt]}" if task.frames else OUTPUT_NAMES[fmt]


def run_task(task: Task, staging: str) -> RenderOutcome:
    """Render a task into `staging` (in a worker process); never raises for the author's mistakes."""
    if task.whole:
        return run_job(task.job, staging)
    start, started = time.perf_counter(), time.time()
    try:
        names = {fmt: part_name(task, fmt) for fmt in task.formats}
        meta = render_kind_part(task.job, Path(staging), names, task.frames, f"{task.job.key}/{task.part}", task.label)
    except RenderProblem as exc:
        return RenderOutcome(task.job.key, problem=str(exc), hint=exc.hint, seconds=time.perf_counter() - start,
                             started=started)
    except Exception as exc:  # an internal failure: keep the traceback for the report
        return RenderOutcome(task.job.key, problem=f"rendering failed: {exc!r}\n{traceback.format_exc()}",
                             seconds=time.perf_counter() - start, started=started)
    return RenderOutcome(task.job.key, names, meta, seconds=time.perf_counter() - start, started=started)


def join(job: RenderJob, staging: Path, done: list[tuple[Task, RenderOutcome]]) -> RenderOutcome:
    """The job's outcome from its parts' outcomes: the video parts joined into one file per format.
    Its time runs from the first part's start to the last part's end."""
    outcomes = [outcome for _, outcome in done]
    seconds = max(o.started + o.seconds for o in outcomes) - min(o.started for o in outcomes)
    failed = next((outcome for _, outcome in done if outcome.problem is not None), None)
    if failed is not None:
        return RenderOutcome(job.key, problem=failed.problem, hint=failed.hint, seconds=seconds)
    if len(done) == 1 and done[0][0].whole:
        return done[0][1]
    videos = sorted((t for t, _ in done if t.frames), key=lambda t: t.part)
    meta = next(outcome.meta for _, outcome in done)
    try:
        for fmt in videos[0].formats:
            pieces = [staging / part_name(t, fmt) for t in videos]
            join_segments(fmt, pieces, staging / OUTPUT_NAMES[fmt], job.preset)
            for piece in pieces:
                piece.unlink()
    except Exception as exc:
        return RenderOutcome(job.key, problem=f"joining the rendered parts failed: {exc}", seconds=seconds)
    parts = [outcome.meta for _, outcome in done]
    moving = any(m.get("moving") for m in parts) or len({m.get("first_frame") for m in parts}) > 1
    return RenderOutcome(job.key, {fmt: OUTPUT_NAMES[fmt] for fmt in job.formats},
                         {**meta, "frames": job.frames, "moving": moving}, seconds=seconds)
