"""What runs on a cluster's worker: the task's shipped files written to a private folder, the task
rendered there, the folder removed. Imports only the worker's own modules (no site code)."""
from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from sitegen.animation.jobs import FramesDrawn, Task, TaskResult
from sitegen.animation.shipping import Shipment, materialise
from sitegen.animation.worker import run_task

PROGRESS_TOPIC = "sitegen-progress"
# matplotlib's rcParams (each variant's style) are global to a process: one task at a time in each.
_ONE_AT_A_TIME = threading.Lock()


def run_shipped(task: Task, shipment: Shipment, digests: list[str], *blobs: bytes) -> TaskResult:
    with _ONE_AT_A_TIME:
        folder = Path(tempfile.mkdtemp(prefix="sitegen-task-"))
        try:
            materialise(shipment, dict(zip(digests, blobs)), folder / "site")
            return run_task(task, folder / "site", _publish)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def hold(data: bytes) -> bytes:
    """A task whose result is a file's bytes: the scheduler keeps them, so a lost worker's copy is
    made again rather than lost."""
    return data


def _publish(event: FramesDrawn) -> None:
    try:
        from distributed import get_worker

        get_worker().log_event(PROGRESS_TOPIC, [event.task, event.label, event.done, event.total])
    except (ImportError, ValueError):  # not on a Dask worker
        pass
