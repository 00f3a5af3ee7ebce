"""Wall time and CPU time (this process and its finished children, e.g. ffmpeg or pool workers).

CPU time is reported next to wall time because a shared machine's load changes wall times from run
to run much more than the work done; a ratio of CPU times says whether a speed-up is real work saved.
"""
from __future__ import annotations

import os
import resource
import statistics
import time
from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of this process and of children that ended meanwhile


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[], T]) -> tuple[Timing, T]:
    """Run `run` once; its Timing and its result."""
    cpu, wall = _cpu_seconds(), time.perf_counter()
    result = run()
    return Timing(time.perf_counter() - wall, _cpu_seconds() - cpu), result


def median_timing(timings: Sequence[Timing]) -> Timing:
    """Medians of wall and of CPU time, each over all runs."""
    return Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))


def load_average() -> float:
    """The 1-minute load average (runnable processes), to judge how busy the machine was."""
    return os.getloadavg()[0]
