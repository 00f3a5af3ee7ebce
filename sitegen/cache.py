"""The render cache: one folder per key holding the outputs and a manifest of their sizes and
checksums. Entries are written to a temporary folder and renamed into place, verified on read, and
safe to share between builds running at once.

The cache is untrusted input (CI restores it from `actions/cache`): an entry is used only if its
manifest names its own key, each file has its format's fixed name inside the entry folder, is a
regular file (not a link), and has the size and sha256 the manifest gives. Anything else is a warning;
the entry is dropped and rendered again. Entry files are read-only: the site hard-links them."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.animation.jobs import OUTPUT_NAMES as ENTRY_FILES  # each format's fixed name in an entry

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
READ_ONLY = 0o444
ORPHAN_SECONDS = 3600  # `cache prune` removes temporary folders this old even if their owner seems alive
# The Cache Directory Tagging convention (https://bford.info/cachedir/): backup tools skip the folder, and
# `sitegen cache clear` deletes only a folder that carries it.
CACHE_TAG = "CACHEDIR.TAG"
CACHE_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
_TAG_TEXT = (f"{CACHE_TAG_SIGNATURE}\n# This file is a cache directory tag created by sitegen (its render cache).\n"
             "# For information about cache directory tags, see https://bford.info/cachedir/\n")


@dataclass(frozen=True, slots=True)
class CacheEntry:
    key: str
    folder: Path
    files: dict[str, str]  # format -> file name in the folder
    meta: dict[str, Any]  # width, height, frames, … as the renderer recorded them

    def path(self, fmt: str) -> Path:
        return self.folder / self.files[fmt]


class RenderCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, key: str) -> Path:
        return self.root / "entries" / key[:2] / key

    def get(self, key: str) -> CacheEntry | None:
        """The entry for `key` if it is there and intact; a damaged entry is dropped (with a warning)."""
        folder = self.folder(key)
        manifest = folder / MANIFEST
        if not manifest.is_file():
            return None
        try:
            entry = _verified(key, folder, json.loads(manifest.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("cache entry %s is damaged (%s); it will be rendered again", key[:12], exc)
            self._discard(folder)
            return None
        _touch(manifest)
        return entry

    def staging(self) -> Path:
        """A fresh folder to render into, on the same file system as the entries. Its name carries
        this process's ID, so that a folder left by a build that was killed can be told apart."""
        self.tag()
        folder = self.root / "tmp" / f"{os.getpid()}-{uuid.uuid4().hex}"
        folder.mkdir(parents=True)
        return folder

    def remove_orphans(self, max_age: float | None = None) -> int:
        """Remove temporary folders whose build is gone (its process ended), and with `max_age`
        also those older than that many seconds. Returns how many were removed."""
        base = self.root / "tmp"
        removed = 0
        for folder in sorted(base.iterdir()) if base.is_dir() else []:
            owner = _owner(folder.name)
            try:
                old = max_age is not None and time.time() - folder.lstat().st_mtime > max_age
            except OSError:
                continue
            if (owner is not None and not _alive(owner)) or old:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def tag(self) -> None:
        """Create the cache root with its CACHEDIR.TAG (what `cache clear` checks before deleting)."""
        tag = self.root / CACHE_TAG
        if not tag.is_file():
            self.root.mkdir(parents=True, exist_ok=True)
            tag.write_text(_TAG_TEXT, encoding="ascii")

    # A script's reads (the files it opened and the modules it imported, found while it ran) are kept
    # per base key, as a compiler's dependency file: the next build folds their digests into the key.
    def reads(self, base_key: str) -> tuple[str, ...] | None:
        """The site-relative files the script of `base_key` read when it last rendered, or None."""
        path = self._reads_path(base_key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = data["reads"]
            if data.get("key") != base_key or not all(safe_relative(p) for p in found):
                raise ValueError("not a dependency record of this key")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("dependency record %s is damaged (%s); the script will run again", base_key[:12], exc)
            path.unlink(missing_ok=True)
            return None
        return tuple(found)

    def record_reads(self, base_key: str, reads: tuple[str, ...]) -> None:
        path = self._reads_path(base_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        partial.write_text(json.dumps({"key": base_key, "reads": list(reads)}), encoding="utf-8")
        os.replace(partial, path)

    def _reads_path(self, base_key: str) -> Path:
        return self.root / "reads" / base_key[:2] / f"{base_key}.json"

    def put(self, key: str, staging: Path, files: dict[str, str], meta: dict[str, Any]) -> CacheEntry:
        """Seal `staging` as the entry for `key`. If another build stored it first, theirs is kept."""
        if any(ENTRY_FILES.get(fmt) != name for fmt, name in files.items()):
            raise ValueError(f"entry files must have their fixed names {ENTRY_FILES}; got {files}")
        checksums = {name: [(staging / name).stat().st_size, _sha256(staging / name)] for name in files.values()}
        for name in files.values():
            os.chmod(staging / name, READ_ONLY)
        manifest = {"key": key, "files": files, "checksums": checksums, "meta": meta, "created": time.time()}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        target = self.folder(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(staging, target)
        except OSError:  # already there (a concurrent build, or a damaged leftover)
            existing = self.get(key)
            if existing is not None:
                shutil.rmtree(staging, ignore_errors=True)
                return existing
            self._discard(target)
            os.rename(staging, target)
        return CacheEntry(key, target, files, meta)

    def discard_staging(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def entries(self) -> list[Path]:
        base = self.root / "entries"
        return sorted(p for p in base.glob("*/*") if p.is_dir()) if base.is_dir() else []

    def _discard(self, folder: Path) -> None:
        trash = self.root / "tmp" / f"trash-{uuid.uuid4().hex}"
        try:
            trash.parent.mkdir(parents=True, exist_ok=True)
            os.rename(folder, trash)
        except OSError:
            return
        shutil.rmtree(trash, ignore_errors=True)


def _verified(key: str, folder: Path, data: dict[str, Any]) -> CacheEntry:
    """The entry a manifest describes, if every check passes; else a ValueError saying which failed."""
    if data.get("key") != key:
        raise ValueError("the manifest is not this entry's")
    files, checksums, meta = data["files"], data["checksums"], data.get("meta", {})
    if not isinstance(files, dict) or not files or not isinstance(checksums, dict) or not isinstance(meta, dict):
        raise ValueError("the manifest is malformed")
    for fmt, name in files.items():
        if ENTRY_FILES.get(fmt) != name:
            raise ValueError(f"{fmt} is not stored under its fixed name")
        path = folder / name
        size, digest = checksums[name]
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{name} is not a regular file")
        if info.st_size != size or _sha256(path) != digest:
            raise ValueError(f"{name} does not match its checksum")
    for field in ("width", "height", "frames"):
        if not isinstance(meta.get(field, 0), int) or not 0 <= meta.get(field, 0) <= 1_000_000:
            raise ValueError(f"meta {field} is not a sensible number")
    return CacheEntry(key, folder, dict(files), dict(meta))


def _owner(name: str) -> int | None:
    pid, _, rest = name.partition("-")
    return int(pid) if pid.isdigit() and rest else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def safe_relative(rel: object) -> bool:
    """A path that stays inside the site folder: relative, no '..', no empty parts."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass
