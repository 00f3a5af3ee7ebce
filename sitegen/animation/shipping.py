"""A task's files as bytes named by digest, for a worker that does not have the site folder, and
the folder such a worker rebuilds from them.

What a task needs: every input its key covers (data, script and its modules, sound, the files the
script read last time) and, for a script, the files of its own folder (it may open any of them;
which ones is known only once it has run). The folder's files are bounded: a script that reads
files elsewhere in a large site names them with `data:` instead."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen.animation.jobs import RenderJob

MAX_FOLDER_FILES = 2000
MAX_FOLDER_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Shipment:
    """(site-relative path, digest) of each file a task needs; the bytes travel apart, by digest."""

    files: tuple[tuple[str, str], ...]


def shipment(job: RenderJob, root: Path, read: "Reader") -> Shipment:
    """The files `job` needs, each read once through `read` (which remembers digests and bytes)."""
    wanted = [f.rel for f in job.inputs]
    if job.script_folder is not None:
        wanted += _folder_files(root, job.script_folder, job.private_dirs)
    files = {}
    for rel in dict.fromkeys(wanted):
        digest = read.digest(rel)
        if digest is not None:
            files[rel] = digest
    return Shipment(tuple(sorted(files.items())))


class Reader:
    """Reads site files once each: digest by path, bytes by digest."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._digests: dict[str, str | None] = {}
        self.blobs: dict[str, bytes] = {}

    def digest(self, rel: str) -> str | None:
        if rel not in self._digests:
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                self._digests[rel] = None
                return None
            digest = hashlib.sha256(data).hexdigest()
            self._digests[rel] = digest
            self.blobs.setdefault(digest, data)
        return self._digests[rel]


def _folder_files(root: Path, folder: str, private: tuple[str, ...]) -> list[str]:
    """The files under the script's folder (not hidden ones, caches or sitegen's output), within bounds."""
    found: list[str] = []
    total = 0
    skip = {PurePosixPath(p) for p in private}
    for dirpath, dirnames, filenames in os.walk(root / folder):
        here = PurePosixPath(Path(dirpath).relative_to(root).as_posix())
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__"
                             and here / d not in skip)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            try:
                total += (Path(dirpath) / name).stat().st_size
            except OSError:
                continue
            if len(found) >= MAX_FOLDER_FILES or total > MAX_FOLDER_BYTES:
                return found
            found.append((here / name).as_posix())
    return found


def materialise(shipment: Shipment, blobs: dict[str, bytes], dest: Path) -> None:
    """Write the shipped files under `dest`, each checked against its digest and kept inside `dest`."""
    for rel, digest in shipment.files:
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"a shipped file may not leave the site folder: {rel!r}")
        data = blobs[digest]
        if hashlib.sha256(data).hexdigest() != digest:
            raise ValueError(f"the bytes shipped for {rel} do not match their digest")
        target = dest.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
