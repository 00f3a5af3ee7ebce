"""Where `{% include %}` and `{% include_relative %}` find files, and nowhere else: the site's own
`_includes/` and `templates/includes/` first, then the default theme's `templates/includes/`
(whose files are trusted: see fragments.py). No absolute paths, no `..`, no symlinks that lead out."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

from liquid import Environment
from liquid.template import BoundTemplate

SUFFIXES = ("", ".html", ".liquid")
MAX_INCLUDE_BYTES = 1 << 20  # an include file larger than this is refused


@dataclass(frozen=True, slots=True)
class IncludeFolder:
    path: Path
    shown: str  # how messages name it, e.g. '_includes'
    trusted: bool  # written by us (the default theme), not by the site's author


@dataclass(frozen=True, slots=True)
class Include:
    """One include file, parsed."""

    name: str  # as the tag named it
    shown: str  # e.g. '_includes/note.html', for messages
    template: BoundTemplate
    trusted: bool


class IncludeNotFound(LookupError):
    def __init__(self, name: str, reason: str, choices: tuple[str, ...]) -> None:
        super().__init__(reason)
        self.name, self.reason, self.choices = name, reason, choices


def site_include_folders(root: Path, theme_dir: Path) -> tuple[IncludeFolder, ...]:
    """A site's include folders, most important first (those that exist)."""
    found = (IncludeFolder(root / "_includes", "_includes", False),
             IncludeFolder(root / "templates" / "includes", "templates/includes", False),
             IncludeFolder(theme_dir / "includes", "sitegen's templates/includes", True))
    return tuple(f for f in found if f.path.is_dir())


class IncludeLibrary:
    """Finds include files and parses each once per build; remembers which text came from where."""

    def __init__(self, env: Environment, folders: tuple[IncludeFolder, ...], site_root: Path) -> None:
        self.env, self.folders, self.site_root = env, folders, site_root.resolve()
        self._parsed: dict[Path, Include] = {}
        self.origins: dict[str, str] = {}  # an include's text -> its shown path

    def include(self, name: str) -> Include:
        """The include `name` ('video', 'figure.html', 'blog/note.md'), the first folder holding it winning."""
        clean = _safe_name(name)
        if clean is None:
            raise IncludeNotFound(name, f"'{name}' is not a name inside the include folders", self.names())
        for folder in self.folders:
            for candidate in _candidates(clean):
                path = folder.path / candidate
                if path.is_file() and _inside(path, folder.path):
                    return self._load(name, path, f"{folder.shown}/{candidate}", folder.trusted)
        looked = ", ".join(f.shown for f in self.folders) or "no include folder exists"
        raise IncludeNotFound(name, f"no include '{name}' (looked in {looked})", self.names())

    def relative(self, name: str, post_dir: Path) -> Include:
        """`include_relative`: a file beside the post (or below it), never outside the site folder."""
        clean = _safe_name(name, allow_parent=True)
        path = (post_dir / clean) if clean else None
        if path is None or not path.is_file() or not _inside(path, self.site_root):
            raise IncludeNotFound(name, f"no file '{name}' beside the post inside the site folder", ())
        return self._load(name, path, path.resolve().relative_to(self.site_root).as_posix(), False)

    def names(self) -> tuple[str, ...]:
        """Every include's name, for 'did you mean'."""
        found = {p.relative_to(f.path).as_posix() for f in self.folders for p in f.path.rglob("*") if p.is_file()}
        return tuple(sorted(found | {n.rsplit(".", 1)[0] for n in found if n.endswith(SUFFIXES[1:])}))

    def _load(self, name: str, path: Path, shown: str, trusted: bool) -> Include:
        if path not in self._parsed:
            if path.stat().st_size > MAX_INCLUDE_BYTES:
                raise IncludeNotFound(name, f"'{shown}' is larger than {MAX_INCLUDE_BYTES} bytes", ())
            text = path.read_text(encoding="utf-8")
            self.origins[text] = shown
            self._parsed[path] = Include(name, shown, self.env.from_string(text, name=path.name, path=shown), trusted)
        return self._parsed[path]


def _safe_name(name: str, allow_parent: bool = False) -> str | None:
    """`name` as a relative POSIX path, or None when it is absolute or climbs out (`allow_parent`: `..`
    may appear, the caller checks where it leads)."""
    name = name.strip().replace("\\", "/")
    if not name or name.startswith("/") or ":" in name or "\x00" in name:
        return None
    normal = posixpath.normpath(name)
    if not allow_parent and (normal == ".." or normal.startswith("../") or ".." in name.split("/")):
        return None
    return normal


def _candidates(name: str) -> list[str]:
    """'video' -> video, video.html, video.liquid; 'figure.liquid' -> also figure.html and figure."""
    stem = name
    for suffix in SUFFIXES[1:]:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
    return list(dict.fromkeys([name, *(stem + s for s in SUFFIXES)]))


def _inside(path: Path, folder: Path) -> bool:
    """`path`, symlinks followed, is inside `folder` (so a link cannot lead out)."""
    return path.resolve().is_relative_to(folder.resolve())
