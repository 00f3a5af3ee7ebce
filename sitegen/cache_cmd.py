"""`sitegen cache info | prune | clear`: look after the render cache."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.cache import CACHE_TAG, CACHE_TAG_SIGNATURE, MANIFEST, ORPHAN_SECONDS, RenderCache, safe_relative
from sitegen.errors import CommandFailed

LAST_BUILD = "last-build.json"  # the last build into any folder: for `cache info`
BUILDS = "builds"  # one record per output folder, so the dev server's builds never stand for site/'s

# Everything sitegen writes in a cache folder (cache.py, hashing.py, record_build), by name: nothing
# else there is ever deleted. Under each folder, the paths it holds at a fixed depth.
_OUR_FOLDERS = {
    "entries": re.compile(r"entries/([0-9a-f]{2})/\1[0-9a-f]{62}"),
    "reads": re.compile(r"reads/([0-9a-f]{2})/(\1[0-9a-f]{62}\.json|\.\1[0-9a-f]{62}\.json\.[0-9a-f]{32})"),
    "tmp": re.compile(r"tmp/(trash-|[0-9]+-)?[0-9a-f]{32}"),  # staging folders carry their build's PID
    BUILDS: re.compile(BUILDS + r"/\.?[0-9a-f]{16}\.json(\.[0-9a-f]{32})?"),
}
_OUR_FILES = re.compile(r"hashes\.json|\.hashes-\w+|\.?last-build\.json(\.[0-9a-f]{32})?")


class NotACache(CommandFailed):
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


@dataclass(frozen=True, slots=True)
class BuildRecord:
    """What one build into one output folder did, as `deploy` needs it."""

    ok: bool
    finished: float  # time.time() when it ended
    output: str | None  # the folder it wrote (resolved); None from a caller that did not say
    drafts: bool
    inputs: tuple[str, ...]  # site-relative files the animations read
    files: dict[str, tuple[int, int]]  # output-relative path -> (size, mtime_ns), as the build left them

    @classmethod
    def from_json(cls, data: Any) -> BuildRecord:
        """Raises ValueError for anything but a record as record_build writes it (the cache may come from CI)."""
        try:
            files = {rel: (int(size), int(mtime)) for rel, (size, mtime) in data.get("files", {}).items()}
            inputs = tuple(str(rel) for rel in data.get("inputs", []))
            record = cls(bool(data["ok"]), float(data["finished"]), data.get("output"), bool(data.get("drafts")),
                         inputs, files)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a build record: {exc}") from None
        if not all(safe_relative(rel) for rel in [*files, *inputs]):
            raise ValueError("a build record names a path outside its folder")
        return record


def record_build(cache: RenderCache, stats: Any, ok: bool, output: Path | None = None,
                 inputs: list[str] | None = None, drafts: bool = False) -> None:
    """What a build did and whether it succeeded: the numbers for `cache info`, and for `deploy` a record
    per output folder with every file the build left there (so nothing added later is published) and the
    inputs to check for changes since."""
    cache.tag()
    where = str(output.resolve()) if output else None
    record = {"ok": ok, "rendered": stats.rendered, "cached": stats.cached, "failed": stats.failed,
              "finished": time.time(), "output": where, "drafts": drafts}
    _write_atomic(cache.root / LAST_BUILD, json.dumps(record))
    if output is not None:
        files = files_in(output) if ok else {}
        _write_atomic(_record_path(cache, output), json.dumps({**record, "inputs": inputs or [], "files": files}))


def files_in(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder` by its relative path, with its size and mtime (ns)."""
    found = {}
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath, name)
            st = path.lstat()
            found[path.relative_to(folder).as_posix()] = (st.st_size, st.st_mtime_ns)
    return found


def build_record(cache: RenderCache, output: Path) -> BuildRecord | None:
    """The last build into `output`, or None when there was none (or its record is unreadable)."""
    try:
        record = BuildRecord.from_json(json.loads(_record_path(cache, output).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None
    return record if record.output == str(output.resolve()) else None


def last_build(cache: RenderCache) -> dict[str, Any] | None:
    """The numbers of the last build into any folder (what `cache info` shows)."""
    try:
        return json.loads((cache.root / LAST_BUILD).read_text())
    except (OSError, ValueError):
        return None


def forget_build(cache: RenderCache, output: Path) -> None:
    """Drop the record of a folder that is gone (the dev server's, when it stops)."""
    _record_path(cache, output).unlink(missing_ok=True)


def _record_path(cache: RenderCache, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache.root / BUILDS / f"{name}.json"


def _write_atomic(path: Path, text: str) -> None:
    """Readers (a deploy while a build ends) see the old record or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


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
    for record in sorted((cache.root / "reads").glob("*/*.json")):  # a script's dependency record, by base key
        if keep is not None and record.stem not in keep:
            record.unlink(missing_ok=True)
    cache.remove_orphans(max_age=ORPHAN_SECONDS)  # what killed builds left in tmp/, and anything an hour old
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
