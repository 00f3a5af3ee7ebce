"""A long animation of a built-in kind is rendered in parts, so that it too keeps every core busy.

Its frames are cut into runs of `SEGMENT_FRAMES` (a fixed number, so the bytes are the same on
every machine and for every -j); each run is drawn and encoded to WebM/MP4 by its own worker, and
the runs are joined without re-encoding (ffmpeg's concat demuxer, -c copy). One more part draws
every frame for the stills — the GIF, whose one palette and changed rectangles need the whole
sequence, and the poster — which cost a fraction of the video's time.

Animations with sound, script animations and animations of at most SEGMENT_FRAMES frames render
as one task.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from sitegen.animation.encoders import SEGMENT_FRAMES, SUFFIXES, VIDEO_FORMATS, join_segments
from sitegen.animation.jobs import RenderJob, Task, TaskResult

STILL_FORMATS = ("gif", "poster")
STILL_COST = 0.15  # drawing and GIF per frame, relative to drawing and VP9 (bench references: 0.1-0.2)


def tasks_for(job: RenderJob) -> list[Task]:
    """The job as one task, or as video parts of SEGMENT_FRAMES frames plus one part for the stills."""
    video = tuple(fmt for fmt in job.formats if fmt in VIDEO_FORMATS)
    if job.kind is None or job.audio is not None or not job.frames or job.frames <= SEGMENT_FRAMES or not video:
        return [Task(job, formats=job.formats)]
    runs = [(start, min(start + SEGMENT_FRAMES, job.frames)) for start in range(0, job.frames, SEGMENT_FRAMES)]
    stills = tuple(fmt for fmt in job.formats if fmt in STILL_FORMATS)
    count = len(runs) + bool(stills)
    tasks = [Task(job, i, count, run, video) for i, run in enumerate(runs)]
    return tasks + ([Task(job, len(runs), count, None, stills)] if stills else [])


def cost(task: Task) -> float:
    """For longest-first scheduling: pixels to encode, stills weighted by what they cost."""
    job = task.job
    count = (task.frames[1] - task.frames[0]) if task.frames else (job.frames or 100)
    return count * job.width * job.height * (1.0 if task.frames or task.whole else STILL_COST)


def join(job: RenderJob, done: list[tuple[Task, TaskResult]]) -> TaskResult:
    """The job's result from its parts' results: the video parts joined into one file per format
    (without re-encoding). Its time runs from the first part's start to the last part's end."""
    results = [result for _, result in done]
    seconds = max(r.started + r.seconds for r in results) - min(r.started for r in results)
    failed = next((result for result in results if result.problem is not None), None)
    if failed is not None:
        return TaskResult(job.key, problem=failed.problem, hint=failed.hint, seconds=seconds)
    if len(done) == 1 and done[0][0].whole:
        return done[0][1]
    videos = sorted((t for t, _ in done if t.frames), key=lambda t: t.part)
    by_part = {t.part: r for t, r in done}
    files = {fmt: data for t, r in done if not t.frames for fmt, data in r.files.items()}
    try:
        with tempfile.TemporaryDirectory(prefix="sitegen-join-") as folder:
            for fmt in videos[0].formats:
                pieces = []
                for t in videos:
                    pieces.append(Path(folder) / f"part-{t.part:03d}{SUFFIXES[fmt]}")
                    pieces[-1].write_bytes(by_part[t.part].files[fmt])
                joined = Path(folder) / f"joined{SUFFIXES[fmt]}"
                join_segments(fmt, pieces, joined, job.preset)
                files[fmt] = joined.read_bytes()
    except Exception as exc:
        return TaskResult(job.key, problem=f"joining the rendered parts failed: {exc}", seconds=seconds)
    parts = [r.meta for r in results]
    moving = any(m.get("moving") for m in parts) or len({m.get("first_frame") for m in parts}) > 1
    types = {fmt: kind for m in parts for fmt, kind in m.get("types", {}).items()}  # the parts agree
    return TaskResult(job.key, {fmt: files[fmt] for fmt in job.formats},
                      {**results[0].meta, "frames": job.frames, "moving": moving, "types": types}, seconds=seconds)
