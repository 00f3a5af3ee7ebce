"""Worker processes: how they start, and that they never outlive the build (Linux's parent-death signal)."""
from __future__ import annotations

import multiprocessing
import signal
import threading

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """This process gets SIGKILL when its parent dies, however the parent ends (even `kill -9`).
    Linux only; elsewhere nothing happens."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def pool_context() -> multiprocessing.context.BaseContext:
    """fork starts workers fastest; but forking a process that runs other threads (the dev server) can
    copy a lock another thread holds, so then workers come from a fork server instead."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
