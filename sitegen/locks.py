"""Locks between sitegen processes: one lock file per thing being written (an output folder, a cache entry).

The lock is flock(2) on the file, so it dies with the process that holds it: a build killed with `kill -9`
leaves no stale lock behind. The file is removed on release, and a waiter that wakes up holding a removed
file's lock tries again, so removing it never lets two holders in at once."""
from __future__ import annotations

import errno
import fcntl
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)


@contextmanager
def file_lock(path: Path, wait_message: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if need be) for the `with` block; wait while another
    process (or another thread of this one) holds it. `wait_message` is logged once, when a wait begins."""
    fd = _acquire(path, wait_message)
    try:
        yield
    finally:
        _release(fd, path)


def _acquire(path: Path, wait_message: str | None) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    said = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            if not _try_lock(fd):
                if wait_message and not said:
                    log.warning(wait_message)
                    said = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _is_current(fd, path):
                return fd
        except BaseException:  # Ctrl-C while waiting, too
            os.close(fd)
            raise
        os.close(fd)  # the holder we waited for removed the file: lock the one that is there now


def _release(fd: int, path: Path) -> None:
    try:
        path.unlink()  # while still holding it, so no one locks a file about to go
    except FileNotFoundError:
        pass
    fcntl.flock(fd, fcntl.LOCK_UN)  # explicitly: a process forked meanwhile shares the descriptor
    os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise


def _is_current(fd: int, path: Path) -> bool:
    """True when `fd` is still the file at `path` (and not one removed since it was opened)."""
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def process_alive(pid: int) -> bool:
    """True when a process with this id runs on this machine (ours included)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
