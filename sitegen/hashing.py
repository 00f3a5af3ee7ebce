"""Digests of input files, remembered against (path, size, mtime_ns, inode) so an unchanged large file
is not read again on every build."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stat_token(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


class DigestMemo:
    """sha256 of files, memoised on disk. A file whose size, mtime or inode changed is read again."""

    def __init__(self, store: Path | None) -> None:
        self._store = store
        self._memo: dict[str, list[str]] = {}
        self._dirty = False
        if store is not None and store.is_file():
            try:
                self._memo = json.loads(store.read_text())
            except (OSError, ValueError):
                self._memo = {}

    def digest(self, path: Path) -> str:
        key = str(path.resolve())
        token = stat_token(path)
        known = self._memo.get(key)
        if known and known[0] == token:
            return known[1]
        value = file_digest(path)
        self._memo[key] = [token, value]
        self._dirty = True
        return value

    def fresh_digest(self, path: Path) -> str:
        """Read the file again whatever the memo says (to see whether it changed during a render)."""
        self._memo.pop(str(path.resolve()), None)
        return self.digest(path)

    def save(self) -> None:
        if not self._dirty or self._store is None:
            return
        self._store.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._store.parent, prefix=".hashes-")
        with os.fdopen(fd, "w") as handle:
            json.dump(self._memo, handle)
        os.replace(tmp, self._store)
        self._dirty = False
