"""Front-matter defaults and collections: sitegen.toml's `[[defaults]]` and `[[collections]]`, declared
once here (sitegen.schema), and which of them a file under content/ falls under.

Defaults follow Jekyll: a default applies to a file when its scope's `path` is a prefix of the file's
path under content/ (or a glob that matches it) and its `type`, when given, is the file's (`posts`,
`pages`, or a collection's name); the longer path wins, then the one with a type; the file's own front
matter wins over every default, mappings (`header:`) merged key by key."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sitegen.model import FrozenMap
from sitegen.schema import TOML, Option, Schema, Verdict, option_field

POST_TYPES = ("posts", "pages")


def _collection_name(value: str) -> Verdict:
    if re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value) and value not in ("posts", "pages", "tags", "categories", "page"):
        return None
    return "must be a folder name under content/ in lower case, other than posts, pages, tags and categories"


def _has_slug(value: str) -> Verdict:
    return None if "{slug}" in value else "must contain '{slug}' (e.g. '{collection}/{slug}/')"


@dataclass(frozen=True, slots=True)
class Collection:
    """A folder of documents under content/ that are neither posts nor pages: each gets its own page
    (unless `output` is false) and the collection a listing page."""

    name: str = option_field(str, None, "its folder under content/ (content/portfolio/) and its name in Liquid "
                                        "(site.portfolio)", check=_collection_name)
    title: str = option_field(str, "", "the listing page's title (default: the name, capitalised)")
    output: bool = option_field(bool, True, "give each document a page of its own (false: only the listing shows them)")
    permalink: str = option_field(str, "{collection}/{slug}/", "where a document goes: {collection}, {slug}, also "
                                                               "{year}, {month}, {day}", check=_has_slug)
    listing: str = option_field(str, "{collection}/", "where the listing page goes ('': no listing page)")
    sort_by: str = option_field(str, "", "a front-matter key to order the listing by (default: newest first, "
                                         "then by title)")

    @property
    def listing_title(self) -> str:
        return self.title or self.name.replace("_", " ").replace("-", " ").capitalize()

    @property
    def listing_path(self) -> str:
        return self.listing.format(collection=self.name).lstrip("/")

    def url_pattern(self) -> str:
        """The permalink with the collection's name in it, for parse's {slug}/{year}/… formatting."""
        return self.permalink.replace("{collection}", self.name)


COLLECTION = Schema.of_dataclass(Collection, prefix="collections.", words=TOML)


@dataclass(frozen=True, slots=True)
class FrontMatterDefault:
    """One `[[defaults]]` entry: front-matter values for the files its scope names."""

    path: str  # under content/: 'posts', 'portfolio', 'posts/drafts', '' for every file; may be a glob
    type: str  # 'posts', 'pages', a collection's name, or '' for any
    values: FrozenMap

    def applies_to(self, rel: str, kind: str) -> bool:
        return (not self.type or self.type == kind) and _path_matches(self.path.strip("/"), rel)


DEFAULT = Schema((
    Option("scope", dict, None, "which files: path (under content/, e.g. 'posts') and type ('posts', 'pages' "
                                "or a collection's name)"),
    Option("values", dict, None, "the front-matter keys and values those files get unless they set them"),
), prefix="defaults.", words=TOML)
SCOPE = Schema((
    Option("path", str, "", "a folder under content/ (or a glob); '' for every file"),
    Option("type", str, "", "'posts', 'pages' or a collection's name; '' for any"),
), prefix="defaults.scope.", words=TOML)


def _path_matches(path: str, rel: str) -> bool:
    if not path:
        return True
    if any(c in path for c in "*?["):
        return fnmatch.fnmatch(rel, path) or fnmatch.fnmatch(rel, path.rstrip("/") + "/*")
    return rel == path or rel.startswith(path + "/")


def file_type(kind: str, collection: str) -> str:
    """The `type` a scope names a file by: its collection's name, or 'posts' / 'pages'."""
    return collection or ("posts" if kind == "post" else "pages")


def with_defaults(front: Mapping[str, Any], rel: str, kind: str,
                  defaults: Iterable[FrontMatterDefault]) -> dict[str, Any] | None:
    """`front` over every default that applies to the file at `rel` (None when none does)."""
    matching = [d for d in defaults if d.applies_to(rel, kind)]
    if not matching:
        return None
    merged: dict[str, Any] = {}
    for default in sorted(matching, key=lambda d: (len(d.path.strip("/")), bool(d.type))):  # stable: later wins
        merged = _deep_merge(merged, default.values)
    return _deep_merge(merged, front)


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        below = merged.get(key)
        merged[key] = _deep_merge(below, value) if isinstance(below, Mapping) and isinstance(value, Mapping) else value
    return merged

