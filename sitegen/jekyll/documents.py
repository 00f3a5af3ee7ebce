"""A Jekyll document (post, draft, page, collection item) as a sitegen one: its front matter edited line
by line, so everything else in the file stays byte for byte the author's."""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Mapping

from sitegen.jekyll.source import SourceDocument
from sitegen.slugs import slugify, split_date_prefix
from sitegen.theme import LAYOUT_ALIASES

# The layouts sitegen has an equal for (the Jekyll name, or the template it means).
LAYOUTS_WITH_EQUALS = frozenset({*LAYOUT_ALIASES, "page", "post"})
# Layouts whose page is a list that sitegen makes itself: the page goes, links to it lead there.
LISTING_LAYOUTS = {"home": "/", "posts": "/", "categories": "/categories/", "tags": "/tags/",
                   "collection": "{collection}"}


@dataclass(frozen=True, slots=True)
class FrontEdit:
    """What to change in a document's front matter: keys to take out, keys to set (as YAML text)."""

    remove: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()  # (key, the value written as YAML)

    @classmethod
    def setting(cls, remove: tuple[str, ...] = (), **values: object) -> "FrontEdit":
        return cls(remove, tuple((key, json.dumps(value, ensure_ascii=False)) for key, value in values.items()))


def edited(document: SourceDocument, edit: FrontEdit) -> bytes:
    """The document's text with `edit` applied to its front matter (a file without front matter gets one)."""
    if document.front is None or document.text is None:
        body = document.path.read_bytes()
        if not edit.values:
            return body
        head = "".join(f"{key}: {value}\n" for key, value in edit.values)
        return f"---\n{head}---\n".encode() + body
    lines = document.text.splitlines(keepends=True)
    replaced = dict(edit.values)
    dropped = set()
    for key in (*edit.remove, *replaced):
        line = document.front.line(key)
        if line is not None and _single_line(lines, line, document.front.body_line):
            dropped.add(line - 1)
    kept = [text for index, text in enumerate(lines) if index not in dropped]
    kept[1:1] = [f"{key}: {value}\n" for key, value in edit.values]
    return "".join(kept).encode("utf-8")


def _single_line(lines: list[str], line: int, body_line: int) -> bool:
    """The key at `line` holds its value on that line (the next line is not indented under it)."""
    following = lines[line] if line < body_line - 2 else "---"
    return not following.startswith((" ", "\t", "-"))


def page_slug(rel: str, front: Mapping[str, object]) -> str:
    """The slug sitegen gives a page or document at `rel` (as parse.py does)."""
    stem = posixpath.splitext(posixpath.basename(rel))[0]
    if stem == "index" and "/" in rel:
        stem = posixpath.basename(posixpath.dirname(rel))
    return slugify(str(front.get("slug") or split_date_prefix(stem)[1]))


def jekyll_page_urls(rel: str) -> tuple[str, ...]:
    """Where Jekyll puts a page without a permalink: 'about.md' -> /about.html and /about/ (pretty)."""
    stem = posixpath.splitext(rel)[0]
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return (f"/{folder}/" if folder else "/", f"/{stem}.html")
    return (f"/{stem}.html", f"/{stem}/", f"/{stem}")


def layout_of(document: SourceDocument, defaults_layout: str = "") -> str:
    if document.front is None:
        return defaults_layout
    value = document.front.data.get("layout")
    return str(value).strip() if value is not None else defaults_layout
