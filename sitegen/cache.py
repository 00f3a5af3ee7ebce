"""The render cache: one folder per key holding the outputs and a manifest of their sizes and
checksums. Entries are written to a temporary folder and renamed into place, verified on read, and
safe to share between builds running at once."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
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
            data = json.loads(manifest.read_text())
            for name, (size, digest) in data["checksums"].items():
                path = folder / name
                if path.stat().st_size != size or _sha256(path) != digest:
                    raise ValueError(f"{name} does not match its checksum")
            entry = CacheEntry(key, folder, dict(data["files"]), dict(data.get("meta", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cache entry %s is damaged (%s); it will be rendered again", key[:12], exc)
            self._discard(folder)
            return None
        _touch(manifest)
        return entry

    def staging(self) -> Path:
        """A fresh folder to render into, on the same file system as the entries."""
        self.tag()
        folder = self.root / "tmp" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        return folder

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
            if data.get("key") != base_key or not all(_safe_relative(p) for p in found):
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
        checksums = {name: [(staging / name).stat().st_size, _sha256(staging / name)] for name in files.values()}
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


def _safe_relative(rel: object) -> bool:
    """A path that stays inside the site folder: relative, no '..', no empty parts."""
    if not isinstance(rel, str) or not rel or rel.startswith("/") or "\\" in rel:
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass
