"""Executors run render tasks and report what happens as events; the build does not care where.

    LocalExecutor(workers)      processes on this machine (the default)
    DaskExecutor(address)       the workers of a Dask cluster (`--scheduler tcp://HOST:8786`)

Both take the same Tasks and the site folder, and call `emit` with FramesDrawn and TaskDone events
(TaskDone once per task, in the order tasks finish). An interrupt (Ctrl-C) raised while `run` waits
ends or cancels every task before it propagates."""
from __future__ import annotations

import os

from sitegen.animation.executors.base import Emit, Executor

__all__ = ["Emit", "Executor", "default_workers", "executor_for"]


def executor_for(scheduler: str | None, workers: int, origin: str = "--scheduler") -> Executor:
    """The Dask cluster at `scheduler` (named by `origin` in messages), or `workers` local processes
    (0: one per core). Neither starts a process or connects before it has tasks to run."""
    if scheduler:
        from sitegen.animation.executors.cluster import DaskExecutor

        return DaskExecutor(scheduler, origin)
    from sitegen.animation.executors.local import LocalExecutor

    return LocalExecutor(workers or default_workers())


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
