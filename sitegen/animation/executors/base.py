"""What every executor is: it runs render tasks and reports what happens as events."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol, Sequence

from sitegen.animation.jobs import Event, Task

Emit = Callable[[Event], None]


class Executor(Protocol):
    description: str  # for messages: "4 local processes", "the Dask cluster at tcp://…"

    def run(self, tasks: Sequence[Task], root: Path, emit: Emit) -> None:
        """Run every task with the site's files under `root`; call `emit` with FramesDrawn and TaskDone
        events (TaskDone once per task, as tasks finish). An interrupt raised while it waits ends or
        cancels every task before it propagates."""
        ...

    def close(self) -> None: ...
