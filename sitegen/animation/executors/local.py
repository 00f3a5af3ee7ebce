"""Render tasks in a pool of processes on this machine (or in this process, for one task or -j 1)."""
from __future__ import annotations

import os
import queue
import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any, Sequence

from sitegen.animation.executors.base import Emit
from sitegen.animation.executors.processes import die_with_parent, pool_context
from sitegen.animation.jobs import Task, TaskDone
from sitegen.animation.worker import run_task

# Set in each pool process by its initializer: where the site's files are, where progress goes.
_ROOT: Path | None = None
_CHANNEL: Any = None


class LocalExecutor:
    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self.description = f"{self.workers} local process{'es' * (self.workers != 1)}"

    def run(self, tasks: Sequence[Task], root: Path, emit: Emit) -> None:
        if self.workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                emit(TaskDone(task, run_task(task, root, emit)))
            return
        context = pool_context()
        channel = context.Queue()
        pool = ProcessPoolExecutor(min(self.workers, len(tasks)), mp_context=context, initializer=_start_worker,
                                   initargs=(str(root), channel))
        try:
            futures: dict[Future, Task] = {pool.submit(_run_in_pool, task): task for task in tasks}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                _drain(channel, emit)
                for future in done:
                    emit(TaskDone(futures[future], future.result()))
        except BaseException:
            stop_workers(pool)
            raise
        pool.shutdown()
        _drain(channel, emit)

    def close(self) -> None:
        pass


def _drain(channel: Any, emit: Emit) -> None:
    while True:
        try:
            emit(channel.get_nowait())
        except (queue.Empty, EOFError, OSError):
            return


def _run_in_pool(task: Task):  # type: ignore[no-untyped-def]
    return run_task(task, _ROOT or Path("."), _CHANNEL.put if _CHANNEL is not None else (lambda event: None))


def _start_worker(root: str, channel: Any) -> None:
    """In each pool process: the site folder and the progress channel; the process dies with the
    build (even a `kill -9` of it); Ctrl-C is the build's to handle (it ends the workers, see
    stop_workers), and SIGTERM ends the process at once, and with it the scripts it runs."""
    global _ROOT, _CHANNEL
    _ROOT, _CHANNEL = Path(root), channel
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)
    die_with_parent()


def _exit_on_term(signum: int, frame: object) -> None:
    from sitegen.animation.scripts.runner import end_running_scripts

    end_running_scripts()
    os._exit(128 + signum)  # at once: the build discards whatever this worker was doing


def stop_workers(pool: ProcessPoolExecutor, grace: float = 1.5) -> None:
    """Cancel what is queued and end the running workers at once: SIGTERM (each ends its script's
    process group), then SIGKILL for any still running after `grace` seconds."""
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
