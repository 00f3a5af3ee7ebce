"""`sitegen cache info | prune | clear`: look after the render cache."""
from __future__ import annotations

import json
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.cache import CACHE_TAG, CACHE_TAG_SIGNATURE, MANIFEST, RenderCache

LAST_BUILD = "last-build.json"

# Everything sitegen writes in a cache folder (cache.py, hashing.py, record_build), by name: nothing
# else there is ever deleted. Under each folder, the paths it holds at a fixed depth.
_OUR_FOLDERS = {
    "entries": re.compile(r"entries/([0-9a-f]{2})/\1[0-9a-f]{62}"),
    "reads": re.compile(r"reads/([0-9a-f]{2})/(\1[0-9a-f]{62}\.json|\.\1[0-9a-f]{62}\.json\.[0-9a-f]{32})"),
    "tmp": re.compile(r"tmp/(trash-)?[0-9a-f]{32}"),
}
_OUR_FILES = re.compile(r"hashes\.json|\.hashes-\w+|" + re.escape(LAST_BUILD))


class NotACache(Exception):
    """The folder is not one that sitegen made its cache; nothing in it was deleted."""


@dataclass(frozen=True, slots=True)
class Layout:
    """A cache folder's contents: what sitegen wrote there, and what it did not (never deleted)."""

    ours: tuple[Path, ...]
    theirs: tuple[Path, ...]

    def entries(self) -> list[Path]:
        return [p for p in self.ours if p.parent.parent.name == "entries"]


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
    cache.tag()
    record = {"ok": ok, "rendered": stats.rendered, "cached": stats.cached, "failed": stats.failed,
              "finished": time.time(), "output": str(output.resolve()) if output else None, "inputs": inputs or []}
    (cache.root / LAST_BUILD).write_text(json.dumps(record))


def last_build(cache: RenderCache) -> dict[str, Any] | None:
    try:
        return json.loads((cache.root / LAST_BUILD).read_text())
    except (OSError, ValueError):
        return None


def info(cache: RenderCache) -> CacheInfo:
    entries = _layout(cache.root).entries() if cache.root.is_dir() else []
    size = sum(p.stat().st_size for e in entries for p in e.iterdir() if p.is_file())
    return CacheInfo(cache.root, len(entries), size, last_build(cache))


def checked_layout(cache: RenderCache) -> Layout:
    """The cache folder's layout, once it is known to be sitegen's cache: it carries the cache tag, or
    (a cache from before sitegen tagged them) holds nothing sitegen did not write, and is tagged now.
    Raises NotACache otherwise."""
    root = cache.root
    if not root.exists():
        return Layout((), ())
    if not root.is_dir():
        raise NotACache(f"{root} is a file, not a folder")
    layout = _layout(root)
    tag = root / CACHE_TAG
    if tag.exists():
        if not _is_cache_tag(tag):
            raise NotACache(f"{tag} does not start with '{CACHE_TAG_SIGNATURE}' (it is not a cache directory tag)")
    elif layout.theirs:
        names = ", ".join(p.name for p in layout.theirs[:6]) + (", …" if len(layout.theirs) > 6 else "")
        raise NotACache(f"{root} is not a sitegen cache: it has no {CACHE_TAG}, and it holds {names}, "
                        "which sitegen did not write")
    elif layout.ours:
        cache.tag()
    return layout


def prune(cache: RenderCache, keep: set[str] | None, older_than_days: float | None) -> tuple[int, int]:
    """Remove entries not in `keep` (when given) or not used for `older_than_days` (when given).
    Returns (entries removed, bytes freed). Raises NotACache for a folder that is not sitegen's cache."""
    now = time.time()
    removed = freed = 0
    for entry in checked_layout(cache).entries():
        unused = keep is not None and entry.name not in keep
        manifest = entry / MANIFEST
        last_use = manifest.stat().st_mtime if manifest.exists() else 0
        stale = older_than_days is not None and now - last_use > older_than_days * 86400
        if unused or stale:
            freed += sum(p.stat().st_size for p in entry.iterdir() if p.is_file())
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    _remove_empty_folders(cache.root)
    return removed, freed


def clear(cache: RenderCache) -> Layout:
    """Remove everything sitegen wrote in the cache folder (but its tag); returns what there was.
    Raises NotACache for a folder that is not sitegen's cache."""
    layout = checked_layout(cache)
    for path in layout.ours:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    _remove_empty_folders(cache.root)
    return layout


def _layout(root: Path) -> Layout:
    ours: list[Path] = []
    theirs: list[Path] = []
    for child in sorted(root.iterdir()):
        if child.name == CACHE_TAG:
            continue
        if child.name in _OUR_FOLDERS and _real_dir(child):
            pattern = _OUR_FOLDERS[child.name]
            _sort_out(root, child, pattern.pattern.count("/"), pattern, ours, theirs)
        elif _OUR_FILES.fullmatch(child.name) and child.is_file() and not child.is_symlink():
            ours.append(child)
        else:
            theirs.append(child)
    return Layout(tuple(ours), tuple(theirs))


def _sort_out(root: Path, folder: Path, depth: int, pattern: re.Pattern[str], ours: list[Path],
              theirs: list[Path]) -> None:
    """Put each path `depth` levels under `folder` into `ours` when its name fits `pattern`, else into `theirs`
    (as does anything that is not a folder on the way there)."""
    for path in sorted(folder.iterdir()):
        if depth > 1 and _real_dir(path):
            _sort_out(root, path, depth - 1, pattern, ours, theirs)
        elif depth == 1 and not path.is_symlink() and pattern.fullmatch(path.relative_to(root).as_posix()):
            ours.append(path)
        else:
            theirs.append(path)


def _remove_empty_folders(root: Path) -> None:
    """The layout's folders once nothing is left in them (rmdir refuses a folder that is not empty)."""
    for name in _OUR_FOLDERS:
        folder = root / name
        if not _real_dir(folder):
            continue
        for sub in sorted(folder.iterdir()):
            if _real_dir(sub):
                _rmdir(sub)
        _rmdir(folder)


def _rmdir(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _is_cache_tag(tag: Path) -> bool:
    try:
        with open(tag, "rb") as handle:
            return handle.read(len(CACHE_TAG_SIGNATURE)) == CACHE_TAG_SIGNATURE.encode()
    except OSError:
        return False


def human_size(count: float) -> str:
    """1536 -> '1.5 KB'."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)
