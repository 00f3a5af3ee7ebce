"""Staging folder -> atomic swap into site/. Files whose bytes did not change keep their timestamps.

One build at a time writes an output folder: the others wait on its lock (see locks.py). Staging and old
folders carry the id of the process that made them, so a build cleans up only after builds that are gone."""
from __future__ import annotations

import filecmp
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sitegen.errors import BuildFailed, Diagnostic, error, has_errors
from sitegen.locks import file_lock, process_alive
from sitegen.model import OutputFile

STAGING_PREFIX = ".sitegen-staging-"
OLD_PREFIX = ".sitegen-old-"


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int  # new or changed files
    unchanged: int  # kept from the previous site, timestamps and all
    removed: int  # files of the previous site that the new one no longer has
    bytes: int


def lock_path(output: Path) -> Path:
    """The lock file that builds writing `output` take turns on: beside it, '.sitegen-site.lock' for site/."""
    return output.parent / f".sitegen-{output.name}.lock"


def recover(output: Path) -> None:
    """Finish or undo what builds that are gone left beside `output`: a swap stopped between its two renames
    (the newest previous site is put back), and staging folders. Call it holding the output's lock."""
    for old in sorted(_abandoned(output, OLD_PREFIX), key=lambda p: p.stat().st_mtime_ns, reverse=True):
        if output.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(output)
    for staging in _abandoned(output, STAGING_PREFIX):
        shutil.rmtree(staging, ignore_errors=True)


def _abandoned(output: Path, prefix: str) -> Iterator[Path]:
    """Folders '<prefix><output>-<pid>-<token>' whose process is gone (or is this one, which holds the lock).
    A name without a process id comes from a sitegen before locks and counts as abandoned."""
    start = f"{prefix}{output.name}-"
    for folder in list(output.parent.glob(f"{start}*")):
        pid, sep, _ = folder.name[len(start):].partition("-")
        owner = int(pid) if sep and pid.isdigit() else None
        if owner is None or owner == os.getpid() or not process_alive(owner):
            yield folder


# A step that adds files to the staging folder once every file is in it (the search index): the paths it
# wrote, relative to the folder, and its errors.
Extend = Callable[[Path], tuple[list[str], list[Diagnostic]]]


def write_site(files: Iterable[OutputFile], output: Path,
               verify: Callable[[Path], list[Diagnostic]] | None = None, extend: Extend | None = None) -> WriteReport:
    """Write every file into a staging folder beside `output`, let `extend` add its own (those the previous
    site has byte for byte are its copies again, timestamps and all), then swap it into place — unless a
    file cannot be read or written, or `extend` or `verify` (given the staging folder) finds errors: then
    BuildFailed, and the previous site stays. Waits while another build writes `output`."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # output_dir below a file, or where the user may not write
        raise BuildFailed([error(output, None, f"cannot make the output folder here: {exc.strerror or exc}",
                                 "set output_dir in sitegen.toml to a folder you can write")]) from None
    with file_lock(lock_path(output), f"waiting for another build of {output.name}/ …"):
        recover(output)
        return _write_site(files, output, verify, extend)


def _write_site(files: Iterable[OutputFile], output: Path,
                verify: Callable[[Path], list[Diagnostic]] | None, extend: Extend | None) -> WriteReport:
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging = output.parent / f"{STAGING_PREFIX}{output.name}-{token}"
    staging.mkdir(parents=True)
    try:
        written = unchanged = size = 0
        problems: list[Diagnostic] = []
        for item in files:
            try:
                kept = _stage(item, staging / item.rel, output / item.rel)
            except OSError as exc:
                problems.append(_unwritable(item, output, exc))
                continue
            unchanged += kept
            written += not kept
            size += (staging / item.rel).stat().st_size
        added, found = extend(staging) if extend and not problems else ([], problems)
        for rel in added:
            kept = _keep_previous(staging / rel, output / rel)
            unchanged += kept
            written += not kept
            size += (staging / rel).stat().st_size
        removed = _count_removed(output, staging)
        found = found or (verify(staging) if verify else [])
        if has_errors(found):
            raise BuildFailed(found)
        _swap(staging, output, token)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written=written, unchanged=unchanged, removed=removed, bytes=size)


def _unwritable(item: OutputFile, output: Path, exc: OSError) -> Diagnostic:
    """A file that could not be staged: its source is unreadable (gone since the build began, or a
    permission), or the output cannot be written (disk full, a file where a folder must go)."""
    if item.copy_from is not None and not os.access(item.copy_from, os.R_OK):
        return error(item.copy_from, None, f"cannot be read: {exc.strerror or exc}",
                     "was it moved or deleted during the build? Check it is there and readable, then build again")
    return error(f"{output.name}/{item.rel}", None, f"cannot be written: {exc.strerror or exc}")


def _stage(item: OutputFile, target: Path, previous: Path) -> bool:
    """Put one file into the staging folder; True when the previous site's copy was reused."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if _same(item, previous):
        try:
            os.link(previous, target)
        except OSError:
            shutil.copy2(previous, target)
        return True
    if item.data is not None:
        target.write_bytes(item.data)
    elif item.copy_from is not None:
        _copy(item.copy_from, target, item.link)
    else:
        raise ValueError(f"output {item.rel} has neither data nor a source file")
    return False


def _keep_previous(made: Path, previous: Path) -> bool:
    """Put the previous site's copy in place of a file just made in the staging folder, when their bytes
    agree; True when it did."""
    if not _same(OutputFile(rel="", copy_from=made), previous):
        return False
    made.unlink()
    try:
        os.link(previous, made)
    except OSError:
        shutil.copy2(previous, made)
    return True


def _copy(source: Path, target: Path, link: bool) -> None:
    if link:
        try:
            os.link(source, target)
            return
        except OSError:  # another file system, or links not allowed: copy instead
            pass
    shutil.copyfile(source, target)


def _same(item: OutputFile, previous: Path) -> bool:
    try:
        if previous.is_symlink() or not previous.is_file():
            return False
        if item.data is not None:
            return previous.stat().st_size == len(item.data) and previous.read_bytes() == item.data
        return item.copy_from is not None and filecmp.cmp(item.copy_from, previous, shallow=False)
    except OSError:
        return False


def _count_removed(output: Path, staging: Path) -> int:
    if not output.is_dir():
        return 0
    return sum(1 for p in output.rglob("*") if p.is_file() and not (staging / p.relative_to(output)).exists())


def _swap(staging: Path, output: Path, token: str) -> None:
    if not output.exists():
        staging.rename(output)
        return
    old = output.parent / f"{OLD_PREFIX}{output.name}-{token}"
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def check_output_folder(output: Path, root: Path, content: Path) -> str | None:
    """Why `output` must not be replaced wholesale, or None when it is safe."""
    out, root, content = output.resolve(), root.resolve(), content.resolve()
    if out == root or root.is_relative_to(out):
        return "the output folder holds the site's sources; choose a folder like 'site'"
    if out == content or content.is_relative_to(out) or out.is_relative_to(content):
        return "the output folder overlaps the content folder; choose a folder like 'site'"
    if (out / ".git").exists():
        return "the output folder is a git repository; sitegen replaces it on every build (use 'sitegen deploy' to publish)"
    return None
