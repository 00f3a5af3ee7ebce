"""AnimationPlan* -> rendered files: from the cache when the key is known, else rendered in a pool of
worker processes (longest first) and stored in the cache."""
from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache import CacheEntry, RenderCache
from sitegen.errors import Diagnostic, error, warning
from sitegen.hashing import DigestMemo
from sitegen.model import Download, OutputFile, VariantFiles
from sitegen.plan import AnimationPlan, RenderJob
from sitegen.progress import FrameListener, LineProgress, Progress, set_sink
from sitegen.render import RenderOutcome
from sitegen.segments import Task, join, run_task, tasks_for

log = logging.getLogger(__name__)
SUFFIXES = {"webm": ".webm", "gif": ".gif", "poster": ".png", "mp4": ".mp4"}


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
    scratch: tuple[Path, ...]  # staging folders of results that could not be cached; remove after writing


def site_name(key: str, fmt: str) -> str:
    """File names carry the key, so browsers may cache them forever."""
    stem = key[:20]
    return f"animations/{stem}-poster.png" if fmt == "poster" else f"animations/{stem}{SUFFIXES[fmt]}"


def render_animations(plans: list[AnimationPlan], cache: RenderCache, memo: DigestMemo, workers: int,
                      progress: Progress | None = None) -> tuple[Animations, list[Diagnostic]]:
    entries: dict[str, CacheEntry] = {}
    todo: dict[str, RenderJob] = {}
    for job in (j for p in plans for j in p.jobs):
        if job.key in entries or job.key in todo:
            continue
        entry = cache.get(job.key)
        if entry is not None:
            entries[job.key] = entry
        else:
            todo[job.key] = job
    cached = len(entries)
    problems: list[Diagnostic] = []
    progress = progress or LineProgress()
    progress.begin(len(todo))
    try:
        outcomes = _run(list(todo.values()), cache, workers, progress)
    finally:
        progress.close()
    scratch: list[Path] = []
    seconds: list[tuple[str, float]] = []
    rekeyed: dict[str, str] = {}
    for job, staging, outcome in outcomes:
        seconds.append((job.label, outcome.seconds))
        if outcome.problem is not None:
            found = error(job.post, job.line, outcome.problem, outcome.hint)
            if found not in problems:  # the light and dark variants fail alike: say it once
                problems.append(found)
            cache.discard_staging(staging)
            continue
        for note in outcome.meta.get("notes", ()):
            log.info("%s: %s", job.label, note)
        if job.script is not None:
            job = _with_reads(job, outcome.meta.get("reads", ()), cache, memo)
            rekeyed[job.base_key] = job.key
        if _inputs_changed(job, memo):
            problems.append(warning(job.post, job.line, "an input file changed while this animation was rendering; "
                                    "the result is used for this build but not cached"))
            entries[job.key] = CacheEntry(job.key, staging, outcome.files, outcome.meta)
            scratch.append(staging)
        else:
            entries[job.key] = cache.put(job.key, staging, outcome.files, outcome.meta)
    problems += _replayed_warnings(plans, entries, rekeyed)
    stats = RenderStats(rendered=len(outcomes) - sum(o.problem is not None for _, _, o in outcomes), cached=cached,
                        failed=sum(o.problem is not None for _, _, o in outcomes),
                        slowest=tuple(sorted(seconds, key=lambda s: -s[1])[:5]))
    return _assemble(plans, entries, stats, scratch, rekeyed), problems


def _with_reads(job: RenderJob, reads: object, cache: RenderCache, memo: DigestMemo) -> RenderJob:
    """The job under its final key, now that the files its script read are known; those are recorded
    for the next build's plan (which then knows the key before rendering)."""
    from dataclasses import replace

    from sitegen.plan import script_key

    found = tuple(r for r in reads if isinstance(r, str)) if isinstance(reads, list) else ()
    cache.record_reads(job.base_key, found)
    key, extra = script_key(job.base_key, found, Path(job.site_root), memo)
    known = {path for path, _ in job.inputs}
    return replace(job, key=key, reads_known=True, inputs=job.inputs + tuple(i for i in extra if i[0] not in known))


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


def _run(jobs: list[RenderJob], cache: RenderCache, workers: int,
         progress: Progress) -> list[tuple[RenderJob, Path, RenderOutcome]]:
    cache.remove_orphans()  # what a killed build left
    stagings = {job.key: cache.staging() for job in jobs}
    try:
        return render_jobs(jobs, stagings, workers, progress)
    except BaseException:  # Ctrl-C: nothing half-rendered stays behind
        for folder in stagings.values():
            cache.discard_staging(folder)
        raise


def render_jobs(jobs: list[RenderJob], stagings: dict[str, Path], workers: int,
                progress: Progress) -> list[tuple[RenderJob, Path, RenderOutcome]]:
    """Render every job into its staging folder: its tasks (the whole job, or the parts of a long one)
    in a pool of `workers` processes, longest first; a job is finished when its last part is."""
    tasks = sorted((t for job in jobs for t in tasks_for(job)), key=lambda t: -t.cost)
    results: list[tuple[RenderJob, Path, RenderOutcome]] = []
    if not tasks:
        return results
    from sitegen.build import pool_context

    waiting = {job.key: sum(t.job.key == job.key for t in tasks) for job in jobs}
    done: dict[str, list[tuple[Task, RenderOutcome]]] = {job.key: [] for job in jobs}

    def finished(task: Task, outcome: RenderOutcome) -> None:
        job = task.job
        done[job.key].append((task, outcome))
        waiting[job.key] -= 1
        if waiting[job.key] == 0:
            outcome = join(job, stagings[job.key], done.pop(job.key))
            progress.finished(job.label, outcome.seconds, outcome.problem is not None)
            results.append((job, stagings[job.key], outcome))

    context = pool_context()
    channel = context.Queue()
    with FrameListener(progress, channel):
        if workers <= 1 or len(tasks) <= 1:
            set_sink(channel)
            try:
                for task in tasks:
                    finished(task, run_task(task, str(stagings[task.job.key])))
            finally:
                set_sink(None)
            return results
        pool = ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context, initializer=start_worker,
                                   initargs=(channel,))
        try:
            futures = {pool.submit(run_task, task, str(stagings[task.job.key])): task for task in tasks}
            for future in as_completed(futures):
                finished(futures[future], future.result())
        except BaseException:
            stop_workers(pool)
            raise
        pool.shutdown()
    return results


def start_worker(channel: object) -> None:
    """In each pool worker: frame counts go to `channel`; the worker dies with the build (even a
    `kill -9` of it); Ctrl-C is the build's to handle (it ends the workers, see stop_workers), and
    SIGTERM ends the worker at once, and with it the process groups of the scripts it runs."""
    import signal

    from sitegen.processes import die_with_parent

    set_sink(channel)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    die_with_parent()


def _exit_on_term(signum: int, frame: object) -> None:
    from sitegen.scripts import end_running_scripts

    end_running_scripts()
    os._exit(128 + signum)  # at once: the build discards whatever this worker was writing


def stop_workers(pool: ProcessPoolExecutor, grace: float = 1.5) -> None:
    """Cancel what is queued and end the running workers at once: SIGTERM (each ends its script's
    process group), then SIGKILL for any still running after `grace` seconds."""
    import time

    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public handle before Python 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1)


def _inputs_changed(job: RenderJob, memo: DigestMemo) -> bool:
    for path, digest in job.inputs:
        try:
            if memo.fresh_digest(Path(path)) != digest:
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
                rel = site_name(key, fmt)
                outputs[rel] = OutputFile(rel=rel, copy_from=entry.folder / name, link=True)
                urls[fmt] = "/" + rel
            meta = entry.meta
            found.append(VariantFiles(job.variant, key, urls, int(meta.get("width", job.width)),
                                      int(meta.get("height", job.height)), int(meta.get("frames", 0)),
                                      float(meta.get("fps", job.fps))))
        else:
            variants[(plan.directive.post, plan.directive.index)] = tuple(found)
    return Animations(variants, tuple(outputs.values()), stats, tuple(scratch))


def inputs_of(plans: list[AnimationPlan]) -> frozenset[Path]:
    """Every data file, script and sound an animation reads."""
    return frozenset(Path(path).resolve() for p in plans for job in p.jobs for path, _ in job.inputs)


def downloads(plans: list[AnimationPlan]) -> dict[tuple[str, int], tuple[Download, ...]]:
    """Links to the data files of animations that say `download: true`."""
    found = {}
    for plan in plans:
        if plan.directive.options["download"] and plan.jobs:
            job = plan.jobs[0]
            found[(plan.directive.post, plan.directive.index)] = tuple(
                Download(Path(path).name, "/" + _download_rel(job.key, Path(path))) for _, path, _, _ in job.data)
    return found


def download_files(plans: list[AnimationPlan]) -> list[OutputFile]:
    files = {}
    for plan in plans:
        if plan.directive.options["download"] and plan.jobs:
            job = plan.jobs[0]
            for _, path, _, _ in job.data:
                rel = _download_rel(job.key, Path(path))
                files[rel] = OutputFile(rel=rel, copy_from=Path(path))
    return list(files.values())


def _download_rel(key: str, path: Path) -> str:
    return f"downloads/{key[:20]}/{path.name}"


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


