"""`sitegen cache info | prune | clear`: look after the render cache."""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.cache import MANIFEST, RenderCache

LAST_BUILD = "last-build.json"


@dataclass(frozen=True, slots=True)
class CacheInfo:
    folder: Path
    entries: int
    bytes: int
    last_build: dict[str, Any] | None

    def lines(self) -> list[str]:
        out = [f"cache: {self.folder}", f"entries: {self.entries}", f"size: {human_size(self.bytes)}"]
        if self.last_build:
            lb = self.last_build
            total = lb.get("rendered", 0) + lb.get("cached", 0)
            rate = f"{100 * lb.get('cached', 0) / total:.0f} %" if total else "n/a"
            out.append(f"last build: {int(lb.get('rendered', 0))} rendered, {int(lb.get('cached', 0))} from the cache "
                       f"(hit rate {rate})")
        return out


def record_build(cache: RenderCache, stats: Any, ok: bool, output: Path | None = None,
                 inputs: list[str] | None = None) -> None:
    """What the last build did and whether it succeeded: for `cache info` and for `deploy` (which checks
    that no input changed since)."""
    cache.root.mkdir(parents=True, exist_ok=True)
    record = {"ok": ok, "rendered": stats.rendered, "cached": stats.cached, "failed": stats.failed,
              "finished": time.time(), "output": str(output.resolve()) if output else None, "inputs": inputs or []}
    (cache.root / LAST_BUILD).write_text(json.dumps(record))


def last_build(cache: RenderCache) -> dict[str, Any] | None:
    try:
        return json.loads((cache.root / LAST_BUILD).read_text())
    except (OSError, ValueError):
        return None


def info(cache: RenderCache) -> CacheInfo:
    entries = cache.entries()
    size = sum(p.stat().st_size for e in entries for p in e.iterdir() if p.is_file())
    return CacheInfo(cache.root, len(entries), size, last_build(cache))


def prune(cache: RenderCache, keep: set[str] | None, older_than_days: float | None) -> tuple[int, int]:
    """Remove entries not in `keep` (when given) or not used for `older_than_days` (when given).
    Returns (entries removed, bytes freed)."""
    now = time.time()
    removed = freed = 0
    for entry in cache.entries():
        unused = keep is not None and entry.name not in keep
        manifest = entry / MANIFEST
        last_use = manifest.stat().st_mtime if manifest.exists() else 0
        stale = older_than_days is not None and now - last_use > older_than_days * 86400
        if unused or stale:
            freed += sum(p.stat().st_size for p in entry.iterdir() if p.is_file())
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed, freed


def clear(cache: RenderCache) -> int:
    """Remove everything in the cache folder; returns the number of entries there were."""
    count = len(cache.entries())
    if cache.root.is_dir():
        for child in cache.root.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
    return count


def human_size(count: float) -> str:
    """1536 -> '1.5 KB'."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)
