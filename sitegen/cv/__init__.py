"""The CV page: content/cv.yaml or cv.json (or `[cv] file`) in the JSON Resume schema -> /cv/.

`read_cv` finds and reads the file (`source`), checks it against the schema's sections (`sections`,
`entries`; dates in `dates`) and returns a frozen CV; `cv_page` is its Page for templates/cv.html.
Sections keep the file's order; a top-level key the schema does not have ('talks', 'teaching') is
shown as a section of the same shape, and one that looks like a misspelt section is a warning."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from sitegen.config import SiteConfig
from sitegen.cv.dates import parse_date
from sitegen.cv.entries import Basics, CVSection, Reader, basics, section
from sitegen.cv.sections import META, SECTIONS
from sitegen.cv.source import cv_file, read_document
from sitegen.errors import Diagnostic, InputError
from sitegen.markup import MarkdownRenderer
from sitegen.model import FrozenMap, Page
from sitegen.parse import sanitize

__all__ = ["CV", "cv_page", "read_cv"]


@dataclass(frozen=True, slots=True)
class CV:
    source: str  # the file as messages name it: 'content/cv.yaml'
    path: Path  # the file itself, which is no asset to copy into site/
    basics: Basics
    sections: tuple[CVSection, ...]
    updated: str  # meta.lastModified, as the page shows it ('Jul 2024'), or ''

    def section(self, name: str) -> CVSection | None:
        return next((s for s in self.sections if s.name == name), None)


def read_cv(config: SiteConfig, renderer: MarkdownRenderer) -> tuple[CV | None, list[Diagnostic]]:
    """The site's CV (None when it has none, or the file cannot be read), and every problem found."""
    path, problems = cv_file(config)
    if path is None:
        return None, problems
    shown = _shown(path, config.root)
    try:
        document, found = read_document(path, shown)
    except InputError as exc:
        return None, [*problems, exc.diagnostic()]
    reader = Reader(document, lambda text, inline: _markdown(renderer, text, inline))
    sections = []
    for name, raw in document.data.items():
        if name in META:
            continue
        known = SECTIONS.get(name)
        if known is None and not _unknown_shown(reader, name, raw):
            continue
        made = section(reader, name, raw, known)
        if made is not None:
            sections.append(made)
    cv = CV(shown, path, basics(reader, document.data.get("basics")), tuple(sections), _updated(document.data))
    return cv, [*problems, *sorted([*found, *reader.problems], key=lambda d: d.line or 0)]


def cv_page(cv: CV, config: SiteConfig, bibliography: Sequence[str] = ()) -> Page:
    """The CV's page. `bibliography`: the site's publications as formatted HTML, listed with the CV's own."""
    permalink = config.cv.permalink.strip().lstrip("/")
    if permalink and not permalink.endswith("/") and "." not in permalink.rsplit("/", 1)[-1]:
        permalink += "/"
    return Page("cv.html", permalink, config.cv.title, FrozenMap(cv=cv, bibliography=tuple(bibliography)),
                cv.source, moved_by='set [cv] permalink = "…" in sitegen.toml')


def _unknown_shown(reader: Reader, name: str, raw: Any) -> bool:
    """Whether a key the schema does not have is shown, as a section of entries; a near miss of a
    section's name, or a value that is no list of entries, is a warning."""
    close = difflib.get_close_matches(name, [*SECTIONS, *META], n=1, cutoff=0.75)
    entries = isinstance(raw, list) and all(isinstance(item, dict) for item in raw)
    if close:
        shown = "shown as a section of its own" if entries else "left out"
        reader.warn((name,), f"unknown section '{name}' is {shown}", f"did you mean '{close[0]}'?")
    elif not entries:
        reader.warn((name,), f"'{name}' is not a list of entries, so it is left out",
                    f"write it as a list: '{name}:' then '- name: …' lines")
    return entries


def _updated(data: dict[str, Any]) -> str:
    meta = data.get("meta")
    value = meta.get("lastModified") if isinstance(meta, dict) else None
    try:
        return parse_date(str(value)[:10]).shown if value else ""
    except ValueError:
        return ""


def _markdown(renderer: MarkdownRenderer, text: str, inline: bool) -> str:
    return sanitize(renderer.render_inline(text) if inline else renderer.render(text).html)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
