"""Render tasks on a Dask cluster (`sitegen build --scheduler tcp://HOST:8786`).

Workers need sitegen installed (`pip install "sitegen-portfolio[dask]"`), not the site: each task
travels with the digests of the files it needs, and each file's bytes travel once, as a small task
whose result they are (so the scheduler can make them again if the worker holding them is lost).
Results come back as bytes; the cache stays on the machine that builds. A task on a worker that
dies is run again elsewhere by the scheduler; Ctrl-C cancels every task of the build."""
from __future__ import annotations

import queue
import uuid
from pathlib import Path
from typing import Any, Sequence

from sitegen.animation.executors.base import Emit
from sitegen.animation.executors.remote import PROGRESS_TOPIC, hold, run_shipped
from sitegen.animation.jobs import FramesDrawn, Task, TaskDone, TaskResult
from sitegen.animation.shipping import Reader, shipment
from sitegen.errors import ExecutorUnavailable

CONNECT_SECONDS = 20


class DaskExecutor:
    def __init__(self, address: str, origin: str = "--scheduler") -> None:
        self.address, self.origin = address, origin
        self.description = f"the Dask cluster at {address}"
        self.client: Any = None

    def _connect(self) -> Any:
        if self.client is not None:
            return self.client
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorUnavailable(self.origin, None, f"rendering on the Dask cluster at {self.address} needs "
                                      "Dask's 'distributed' package", 'pip install "sitegen-portfolio[dask]"') from None
        try:
            _probe(self.address)
            self.client = Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ExecutorUnavailable(self.origin, None, f"cannot reach the Dask scheduler at {self.address}: {exc}",
                                      "start it with `dask scheduler` (and workers with `dask worker "
                                      f"{self.address}`), or leave out the scheduler to render here") from None
        workers = len(self.client.scheduler_info().get("workers", {}))
        self.description = f"the Dask cluster at {self.address} ({workers} worker{'s' * (workers != 1)})"
        return self.client

    def run(self, tasks: Sequence[Task], root: Path, emit: Emit) -> None:
        if not tasks:
            return
        client = self._connect()
        build = uuid.uuid4().hex[:12]
        reader = Reader(root)
        shipments = {task.id: shipment(task.job, root, reader) for task in tasks}
        needed = {digest for ship in shipments.values() for _, digest in ship.files}
        held = {digest: client.submit(hold, data, key=f"sitegen-file-{digest}-{build}", pure=False)
                for digest, data in reader.blobs.items() if digest in needed}
        # One queue for everything the cluster tells us: frame counts (from the workers' events) and
        # finished futures (from their callbacks, on the client's thread).
        news: "queue.SimpleQueue[tuple[str, Any]]" = queue.SimpleQueue()
        client.subscribe_topic(PROGRESS_TOPIC, lambda event: news.put(("frames", event[1])))
        futures: dict[Any, Task] = {}
        try:
            for rank, task in enumerate(tasks):  # longest first, as given: the scheduler prefers higher priority
                ship = shipments[task.id]
                digests = sorted({d for _, d in ship.files})
                future = client.submit(run_shipped, task, ship, digests, *(held[d] for d in digests),
                                       key=f"sitegen-task-{task.id.replace('/', '-')}-{build}", pure=False,
                                       priority=len(tasks) - rank, retries=1)
                futures[future] = task
                future.add_done_callback(lambda f: news.put(("done", f)))
            left = len(futures)
            while left:
                try:
                    what, item = news.get(timeout=0.5)
                except queue.Empty:
                    continue
                if what == "frames":
                    _progress(item, emit)
                else:
                    left -= 1
                    emit(TaskDone(futures[item], _result(item, futures[item])))
        except BaseException:
            client.cancel(list(futures) + list(held.values()), force=True)
            raise
        finally:
            client.unsubscribe_topic(PROGRESS_TOPIC)
            client.cancel(list(held.values()))

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


def _probe(address: str) -> None:
    """A refused TCP connection fails at once (the client itself would retry until its timeout)."""
    import socket
    from urllib.parse import urlsplit

    if "://" not in address:
        address = "tcp://" + address
    parts = urlsplit(address)
    if parts.scheme in ("tcp", "tls") and parts.hostname and parts.port:
        with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS):
            pass


def _result(future: Any, task: Task) -> TaskResult:
    """The task's result; a task the cluster could not run (its workers kept dying) is a failed render."""
    try:
        return future.result()
    except Exception as exc:  # KilledWorker, CancelledError, a worker without sitegen …
        return TaskResult(task.id, problem=f"the Dask cluster could not render this: {type(exc).__name__}: {exc}",
                          hint="check that every worker has sitegen installed (pip install "
                               '"sitegen-portfolio[dask]") and enough memory')


def _progress(message: Any, emit: Emit) -> None:
    try:
        emit(FramesDrawn(str(message[0]), str(message[1]), int(message[2]), int(message[3])))
    except (TypeError, ValueError, IndexError):
        pass
