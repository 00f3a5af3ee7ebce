"""Staging folder -> atomic swap into site/. Files whose bytes did not change keep their timestamps."""
from __future__ import annotations

import filecmp
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from sitegen.errors import BuildFailed, Diagnostic, has_errors
from sitegen.model import OutputFile

STAGING_PREFIX = ".sitegen-staging-"
OLD_PREFIX = ".sitegen-old-"


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int  # new or changed files
    unchanged: int  # kept from the previous site, timestamps and all
    removed: int  # files of the previous site that the new one no longer has
    bytes: int


def recover(output: Path) -> None:
    """Finish or undo a swap that was interrupted (the machine stopped between its two renames)."""
    parent = output.parent
    for old in parent.glob(f"{OLD_PREFIX}{output.name}-*"):
        if output.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.rename(output)
    for staging in parent.glob(f"{STAGING_PREFIX}{output.name}-*"):
        shutil.rmtree(staging, ignore_errors=True)


def write_site(files: Iterable[OutputFile], output: Path,
               verify: Callable[[Path], list[Diagnostic]] | None = None) -> WriteReport:
    """Write every file into a staging folder beside `output`, then swap it into place — unless `verify`
    (given the staging folder) finds errors: then BuildFailed, and the previous site stays."""
    recover(output)
    token = uuid.uuid4().hex[:8]
    staging = output.parent / f"{STAGING_PREFIX}{output.name}-{token}"
    staging.mkdir(parents=True)
    try:
        written = unchanged = size = 0
        for item in files:
            kept = _stage(item, staging / item.rel, output / item.rel)
            unchanged += kept
            written += not kept
            size += (staging / item.rel).stat().st_size
        removed = _count_removed(output, staging)
        found = verify(staging) if verify else []
        if has_errors(found):
            raise BuildFailed(found)
        _swap(staging, output, token)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written=written, unchanged=unchanged, removed=removed, bytes=size)


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
