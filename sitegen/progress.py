"""Progress while animations render: bars on a terminal (one per running animation, one overall),
one line per finished animation in CI or with -q. The executor's events drive them."""
from __future__ import annotations

import logging
from typing import Any, Protocol

log = logging.getLogger("sitegen")

class Progress(Protocol):
    def begin(self, jobs: int) -> None: ...
    def frames(self, key: str, label: str, done: int, total: int) -> None: ...
    def finished(self, label: str, seconds: float, failed: bool) -> None: ...
    def close(self) -> None: ...


class LineProgress:
    """One line per finished animation: for CI logs and -q."""

    def begin(self, jobs: int) -> None:
        if jobs:
            log.info("Rendering %d animation%s…", jobs, "s" * (jobs != 1))

    def frames(self, key: str, label: str, done: int, total: int) -> None:
        pass

    def finished(self, label: str, seconds: float, failed: bool) -> None:
        log.warning("%s %s in %.1f s", "failed:" if failed else "rendered", label, seconds)

    def close(self) -> None:
        pass


class BarProgress:
    """tqdm bars: one overall, one per animation being rendered."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self._overall: Any = None
        self._bars: dict[str, Any] = {}

    def begin(self, jobs: int) -> None:
        if jobs:
            self._overall = self._tqdm(total=jobs, desc="animations", unit="anim", position=0, leave=True)

    def frames(self, key: str, label: str, done: int, total: int) -> None:
        found = self._bars.get(key)
        if found is None:
            found = self._tqdm(total=total, desc=_short(label), unit="frame", position=len(self._bars) + 1,
                               leave=False), label
            self._bars[key] = found
        found[0].update(done - found[0].n)

    def finished(self, label: str, seconds: float, failed: bool) -> None:
        for key, (bar, owner) in list(self._bars.items()):
            if owner == label or owner.startswith(label + " · "):  # the animation, or one of its parts
                bar.close()
                del self._bars[key]
        if self._overall is not None:
            self._overall.update(1)

    def close(self) -> None:
        for bar, _ in self._bars.values():
            bar.close()
        if self._overall is not None:
            self._overall.close()


def _short(label: str) -> str:
    return label if len(label) <= 48 else "…" + label[-47:]
