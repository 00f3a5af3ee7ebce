"""sitegen.toml's [publications] table (declared here, beside what it configures; config.py lists it
among the tables)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitegen.schema import Verdict, option_field


def _nonempty(value: str) -> Verdict:
    return None if value.strip() else "must not be empty"


def _site_files(suffix: str) -> Any:
    def check(value: Any) -> Verdict:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, str) or not item.strip().endswith(suffix) and item:
                return f"must name {suffix} files in the site folder, like 'content/publications{suffix}'"
            if item.startswith("/") or ".." in item.replace("\\", "/").split("/"):
                return f"must be a path inside the site folder, not {item!r}"
        return None
    return check


def _names(value: list[Any]) -> Verdict:
    return None if all(isinstance(v, str) and v.strip() for v in value) else "must be a list of names, like ['M. Lindqvist']"


@dataclass(frozen=True, slots=True)
class PublicationsOptions:
    """The /publications/ page from BibTeX, and citations in posts."""

    bib: tuple[str, ...] = option_field(list, (), "BibTeX files, paths in the site folder; []: content/publications.bib "
                                                  "if there is one. Every entry can be cited", check=_site_files(".bib"))
    style: str = option_field(str, "", "a CSL style: a .csl file in the site folder (never downloaded); '': "
                                       "harvard-cite-them-right", check=_site_files(".csl"))
    aliases: tuple[str, ...] = option_field(list, (), "other spellings of your name in author lists ('M. Lindqvist'), "
                                                      "marked like [author] name", check=_names)
    group_by: str = option_field(str, "year", "the page's sections: by year, newest first, or by type",
                                 choices=("year", "type"))
    only_mine: bool = option_field(bool, False, "list only entries with your name among the authors or editors "
                                                "(any entry can still be cited)")
    title: str = option_field(str, "Publications", "the page's title", check=_nonempty)
    permalink: str = option_field(str, "publications/", "where the page goes", check=_nonempty)

    def __post_init__(self) -> None:  # TOML gives lists; the config is hashed (the theme's partials are cached by it)
        for name in ("bib", "aliases"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
