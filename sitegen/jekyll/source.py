"""Reading a Jekyll site, never writing to it: its _config.yml (safely, with the line of every key) and
its files, without what `exclude:` and Jekyll itself leave out."""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from sitegen.errors import InputError
from sitegen.frontmatter import FrontMatter, dotted_key_lines, load_yaml_mapping, split_front_matter

CONFIG_NAMES = ("_config.yml", "_config.yaml")
# What Jekyll never publishes, and the files of a repository that are not the site.
JEKYLL_EXCLUDES = ("Gemfile", "Gemfile.lock", "*.gemspec", "node_modules", "vendor", "package.json",
                   "package-lock.json", "yarn.lock", "Rakefile", "Dockerfile", "docker-compose.yml", "Makefile",
                   "LICENSE*", "README*", "CHANGELOG*", "CONTRIBUTING*", "CODE_OF_CONDUCT*")


@dataclass(frozen=True, slots=True)
class JekyllConfig:
    data: dict[str, Any]
    lines: dict[str, int]  # 'plugins[1]', 'defaults[0].values.layout' -> its 1-based line
    rel: str  # '_config.yml'

    def line(self, key: str) -> int | None:
        return self.lines.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.data.get(key)
        return default if value is None else value


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A file of the Jekyll site: where it is, and its front matter (None: it has none)."""

    rel: str  # under the site folder, e.g. '_posts/2020-01-01-a.md'
    path: Path
    front: FrontMatter | None
    text: str | None  # the text of a file with front matter

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[-1]


def is_jekyll_site(src: Path) -> bool:
    return any((src / name).is_file() for name in CONFIG_NAMES) or (src / "_posts").is_dir()


def read_config(src: Path, shown: str) -> JekyllConfig:
    """The site's _config.yml (an empty one when it has none). Broken YAML is an InputError at its line."""
    path = next((src / name for name in CONFIG_NAMES if (src / name).is_file()), None)
    if path is None:
        return JekyllConfig({}, {}, CONFIG_NAMES[0])
    return read_yaml(src, path.name, shown)


def read_yaml(src: Path, rel: str, shown: str) -> JekyllConfig:
    """A YAML mapping of the site (_config.yml, _data/navigation.yml) with the line of every key."""
    where = f"{shown.rstrip('/')}/{rel}"
    try:
        text = (src / rel).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, None, f"cannot be read: {exc}", "save it as UTF-8 text") from None
    data, _ = load_yaml_mapping(text, where, first_line=1, what=rel) if text.strip() else ({}, {})
    return JekyllConfig(data, dotted_key_lines(yaml.compose(text, Loader=yaml.SafeLoader)), rel)


def excluded(rel: str, patterns: tuple[str, ...]) -> bool:
    """Jekyll's `exclude:`: a name or path, or a glob, matching the file or a folder above it."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(prefix, pattern.strip("/")) for pattern in patterns for prefix in prefixes)


def site_files(src: Path, exclude: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    """Every regular file of the site (rel, path), sorted, hidden ones and the excluded left out. A
    symlink is followed only when it stays inside the site."""
    root = src.resolve()
    patterns = (*JEKYLL_EXCLUDES, *exclude)
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        base = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "_site"
                             and not excluded((base / d).relative_to(src).as_posix(), patterns))
        for name in sorted(filenames):
            path = base / name
            rel = path.relative_to(src).as_posix()
            if name.startswith(".") or excluded(rel, patterns) or not path.is_file():
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                continue
            yield rel, path


def read_document(rel: str, path: Path, shown: str) -> SourceDocument:
    """A file with its front matter when it starts with '---' (text files only). Broken front matter
    raises InputError at its line."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return SourceDocument(rel, path, None, None)
    if not head.startswith(b"---"):
        return SourceDocument(rel, path, None, None)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return SourceDocument(rel, path, None, None)
    return SourceDocument(rel, path, split_front_matter(text, shown), text)
