"""content/ -> SourceFile*: posts under posts/, standalone pages under pages/, a collection's documents
under its folder, every other file an asset."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from sitegen.errors import Diagnostic, error, warning
from sitegen.model import SourceFile

MARKDOWN_SUFFIXES = (".md", ".markdown")
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".pyc")
_IGNORED_NAMES = {"__pycache__", "Thumbs.db", ".DS_Store"}


def discover(content: Path, site_root: Path,
             collections: Iterable[str] = ()) -> tuple[tuple[SourceFile, ...], tuple[Diagnostic, ...]]:
    """Every usable file under `content`, sorted by path. Hidden files and editor leftovers are skipped;
    a symlink that points outside the site folder, or anything but a file, is skipped with a warning;
    a symlink to nothing is an error."""
    if not content.is_dir():
        return (), (warning(content.name, None, f"there is no {content.name}/ folder here, so the site is empty",
                            "run 'sitegen init' to start a site, or 'sitegen build --root DIR' for one elsewhere"),)
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    root, folders = site_root.resolve(), frozenset(collections)
    for dirpath, dirnames, filenames in os.walk(content, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d))
        for name in sorted(filenames):
            if _ignored(name):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(content).as_posix()
            problem = _unusable(path, f"{content.name}/{rel}", root)
            if problem:
                problems.append(problem)
                continue
            files.append(_source(path, rel, folders))
    return tuple(sorted(files, key=lambda f: f.rel)), tuple(problems)


def _unusable(path: Path, shown: str, root: Path) -> Diagnostic | None:
    """Why the file at `path` cannot be part of the site, or None."""
    if path.is_symlink():
        if not path.exists():  # dangling, or a loop of links
            return error(shown, None, f"a symlink to '{os.readlink(path)}', which does not exist",
                         "point it at an existing file, or remove it")
        if not path.resolve().is_relative_to(root):
            return warning(shown, None, "skipped: a symlink that points outside the site folder")
    if not path.is_file():
        return warning(shown, None, "skipped: not a regular file (a pipe, socket or device)")
    return None


def _ignored(name: str) -> bool:
    return name.startswith((".", "_")) or name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES)


def _source(path: Path, rel: str, collections: frozenset[str]) -> SourceFile:
    top = rel.split("/", 1)[0]
    if top in collections and "/" in rel and rel.lower().endswith(MARKDOWN_SUFFIXES):
        return SourceFile(path=path, rel=rel, kind="page", collection=top)
    return SourceFile(path=path, rel=rel, kind=_kind(rel))


def _kind(rel: str) -> str:
    if rel.lower().endswith(MARKDOWN_SUFFIXES):
        top = rel.split("/", 1)[0]
        if top == "posts":
            return "post"
        if top == "pages" or "/" not in rel:
            return "page"
    return "asset"
