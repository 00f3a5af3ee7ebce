"""AnimationPlan* -> rendered files: from the cache when the key is known, else rendered by an
executor (longest task first) and stored in the cache. The cache lives here, with the build: workers
only ever see tasks and return bytes."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.animation.encoders import MIME_TYPES, SUFFIXES, VIDEO_FORMATS
from sitegen.animation.executors import Executor
from sitegen.animation.jobs import OUTPUT_NAMES, FramesDrawn, RenderJob, Task, TaskDone, TaskResult
from sitegen.animation.plan import AnimationPlan, script_key
from sitegen.animation.segments import cost, join, tasks_for
from sitegen.cache import CacheEntry, RenderCache
from sitegen.errors import Diagnostic, error, warning
from sitegen.hashing import DigestMemo
from sitegen.model import Download, OutputFile, VariantFiles, VideoSource
from sitegen.progress import LineProgress, Progress

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RenderStats:
    rendered: int
    cached: int
    failed: int
    slowest: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class Animations:
    """Everything the rest of the build needs: files per (post, index), outputs for site/, stats."""

    variants: dict[tuple[str, int], tuple[VariantFiles, ...]]
    outputs: tuple[OutputFile, ...]
    stats: RenderStats
    scratch: tuple[Path, ...]  # folders of results that could not be cached; remove after writing


def site_name(key: str, fmt: str) -> str:
    """File names carry the key, so browsers may cache them forever."""
    stem = key[:20]
    return f"animations/{stem}-poster.png" if fmt == "poster" else f"animations/{stem}{SUFFIXES[fmt]}"


def realise(plans: list[AnimationPlan], cache: RenderCache, executor: Executor, root: Path, memo: DigestMemo,
            progress: Progress | None = None) -> tuple[Animations, list[Diagnostic]]:
    """Every plan's files: cached ones as they are (a job's own entry, else one of its alternates': the
    same animation under a preset whose files serve for this one), the rest rendered by `executor`
    from the site folder `root` and put in the cache."""
    entries: dict[str, CacheEntry] = {}
    todo: dict[str, RenderJob] = {}
    for job in (j for p in plans for j in p.jobs):
        if job.key in entries or job.key in todo:
            continue
        entry = next((found for key in (job.key, *job.alternates) if (found := cache.get(key)) is not None), None)
        if entry is not None:
            entries[job.key] = entry
        else:
            todo[job.key] = job
    cached = len(entries)
    progress = progress or LineProgress()
    progress.begin(len(todo))
    cache.remove_orphans()  # what a killed build left
    try:
        results = render_jobs(list(todo.values()), executor, root, progress)
    finally:
        progress.close()
    problems: list[Diagnostic] = []
    scratch: list[Path] = []
    seconds: list[tuple[str, float]] = []
    rekeyed: dict[str, str] = {}
    for job, result in results:
        seconds.append((job.label, result.seconds))
        if result.problem is not None:
            found = error(job.post, job.line, result.problem, result.hint)
            if found not in problems:  # the light and dark variants fail alike: say it once
                problems.append(found)
            continue
        for note in result.meta.get("notes", ()):
            log.info("%s: %s", job.label, note)
        if job.script is not None:
            job = _with_reads(job, result.meta.get("reads", ()), cache, root, memo)
            rekeyed[job.base_key] = job.key
        entry, kept = _store(job, result, cache, root, memo)
        entries[job.key] = entry
        if not kept:
            problems.append(warning(job.post, job.line, "an input file changed while this animation was rendering; "
                                    "the result is used for this build but not cached"))
            scratch.append(entry.folder)
    problems += _replayed_warnings(plans, entries, rekeyed)
    failed = sum(r.problem is not None for _, r in results)
    stats = RenderStats(rendered=len(results) - failed, cached=cached, failed=failed,
                        slowest=tuple(sorted(seconds, key=lambda s: -s[1])[:5]))
    return _assemble(plans, entries, stats, scratch, rekeyed), problems


def render_jobs(jobs: list[RenderJob], executor: Executor, root: Path,
                progress: Progress) -> list[tuple[RenderJob, TaskResult]]:
    """Render every job: its tasks (the whole job, or the parts of a long one), longest first; a job
    is finished when its last part is, and its parts are then joined."""
    tasks = sorted((t for job in jobs for t in tasks_for(job)), key=lambda t: -cost(t))
    waiting = {job.key: sum(t.job.key == job.key for t in tasks) for job in jobs}
    done: dict[str, list[tuple[Task, TaskResult]]] = {job.key: [] for job in jobs}
    results: list[tuple[RenderJob, TaskResult]] = []

    def emit(event: object) -> None:
        if isinstance(event, FramesDrawn):
            progress.frames(event.task, event.label, event.done, event.total)
        elif isinstance(event, TaskDone):
            job = event.task.job
            done[job.key].append((event.task, event.result))
            waiting[job.key] -= 1
            if waiting[job.key] == 0:
                result = join(job, done.pop(job.key))
                progress.finished(job.label, result.seconds, result.problem is not None)
                results.append((job, result))

    executor.run(tasks, root, emit)
    return results


def _store(job: RenderJob, result: TaskResult, cache: RenderCache, root: Path,
           memo: DigestMemo) -> tuple[CacheEntry, bool]:
    """The result's files in a staging folder, put in the cache unless an input changed meanwhile
    (then the staging folder itself serves this build; False)."""
    staging = cache.staging()
    try:
        for fmt, data in result.files.items():
            (staging / OUTPUT_NAMES[fmt]).write_bytes(data)
    except BaseException:
        cache.discard_staging(staging)
        raise
    names = {fmt: OUTPUT_NAMES[fmt] for fmt in result.files}
    if _inputs_changed(job, root, memo):
        return CacheEntry(job.key, staging, names, result.meta), False
    return cache.put(job.key, staging, names, result.meta), True


def _with_reads(job: RenderJob, reads: object, cache: RenderCache, root: Path, memo: DigestMemo) -> RenderJob:
    """The job under its final key, now that the files its script read are known; those are recorded
    for the next build's plan (which then knows the key before rendering)."""
    found = tuple(r for r in reads if isinstance(r, str)) if isinstance(reads, list) else ()
    cache.record_reads(job.base_key, found)
    key, extra = script_key(job.base_key, found, root, memo)
    known = {f.rel for f in job.inputs}
    return replace(job, key=key, reads_known=True, inputs=job.inputs + tuple(i for i in extra if i.rel not in known))


def _replayed_warnings(plans: list[AnimationPlan], entries: dict[str, CacheEntry],
                       rekeyed: dict[str, str]) -> list[Diagnostic]:
    """What rendering found worth a warning (a still, an Animation chosen among several), kept in the
    entry and said again at every build, as a compiler's warnings are when its output is cached."""
    found: list[Diagnostic] = []
    for job in (j for p in plans for j in p.jobs):
        entry = entries.get(rekeyed.get(job.base_key, job.key) if job.script else job.key)
        if entry is None:
            continue
        texts = list(entry.meta.get("warnings", ()))
        frames = int(entry.meta.get("frames", 0) or 0)
        if entry.meta.get("moving") is False and frames > 1:
            texts.append(f"all {frames} frames are identical: the animation does not move")
        for text in texts:
            hint = ("if the script animates with blit=True, its update function must return the artists it "
                    "changes" if "identical" in text and job.script else "")
            diagnostic = warning(job.post, job.line, str(text), hint)
            if diagnostic not in found:
                found.append(diagnostic)
    return found


def _inputs_changed(job: RenderJob, root: Path, memo: DigestMemo) -> bool:
    for file in job.inputs:
        try:
            if memo.fresh_digest(root / file.rel) != file.digest:
                return True
        except OSError:
            return True
    return False


def _assemble(plans: list[AnimationPlan], entries: dict[str, CacheEntry], stats: RenderStats,
              scratch: list[Path], rekeyed: dict[str, str]) -> Animations:
    variants: dict[tuple[str, int], tuple[VariantFiles, ...]] = {}
    outputs: dict[str, OutputFile] = {}
    for plan in plans:
        found = []
        for job in plan.jobs:
            key = rekeyed.get(job.base_key, job.key) if job.script else job.key
            entry = entries.get(key)
            if entry is None:
                break
            urls = {}
            for fmt, name in entry.files.items():
                rel = site_name(entry.key, fmt)  # an alternate's files keep their own names
                outputs[rel] = OutputFile(rel=rel, copy_from=entry.folder / name, link=True)
                urls[fmt] = "/" + rel
            meta = entry.meta
            found.append(VariantFiles(job.variant, key, urls, int(meta.get("width", job.width)),
                                      int(meta.get("height", job.height)), int(meta.get("frames", 0)),
                                      float(meta.get("fps", job.fps)), _sources(entry, urls)))
        else:
            variants[(plan.directive.post, plan.directive.index)] = tuple(found)
    return Animations(variants, tuple(outputs.values()), stats, tuple(scratch))


def _sources(entry: CacheEntry, urls: dict[str, str]) -> tuple[VideoSource, ...]:
    """The entry's videos, smallest first: a browser plays the first <source> it can."""
    types = entry.meta.get("types") if isinstance(entry.meta.get("types"), dict) else {}
    found = [VideoSource(fmt, urls[fmt], str(types.get(fmt) or MIME_TYPES[fmt]), entry.path(fmt).stat().st_size)
             for fmt in entry.files if fmt in VIDEO_FORMATS]
    return tuple(sorted(found, key=lambda s: (s.bytes, s.fmt)))


def inputs_of(plans: list[AnimationPlan], root: Path) -> frozenset[Path]:
    """Every data file, script and sound an animation reads."""
    base = root.resolve()
    return frozenset(base / f.rel for p in plans for job in p.jobs for f in job.inputs)


def downloads(plans: list[AnimationPlan]) -> dict[tuple[str, int], tuple[Download, ...]]:
    """Links to the data files of animations that say `download: true`."""
    found = {}
    for plan in plans:
        if plan.directive.options["download"] and plan.jobs:
            job = plan.jobs[0]
            found[(plan.directive.post, plan.directive.index)] = tuple(
                Download(Path(rel).name, "/" + _download_rel(job.key, rel)) for _, rel, _, _ in job.data)
    return found


def download_files(plans: list[AnimationPlan], root: Path) -> list[OutputFile]:
    files = {}
    for plan in plans:
        if plan.directive.options["download"] and plan.jobs:
            job = plan.jobs[0]
            for _, rel, _, _ in job.data:
                out = _download_rel(job.key, rel)
                files[out] = OutputFile(rel=out, copy_from=root.resolve() / rel)
    return list(files.values())


def _download_rel(key: str, rel: str) -> str:
    return f"downloads/{key[:20]}/{Path(rel).name}"
