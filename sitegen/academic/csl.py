"""BibEntry -> CSL-JSON, what citeproc-py formats. Every text value is HTML-escaped here (citeproc-py
passes variables into its HTML as they are); {Protected} text becomes CSL's nocase span; the site
author's family names can be wrapped in invisible marks that `mark_me` turns into <span class="me">."""
from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

from sitegen.academic.bibtex import PROTECT_CLOSE, PROTECT_OPEN, BibEntry, Person

ME_OPEN, ME_CLOSE = "\ue000", "\ue001"

# BibTeX (and biblatex) entry types -> CSL types; anything else is a CSL 'article'.
TYPES = {
    "article": "article-journal", "inproceedings": "paper-conference", "conference": "paper-conference",
    "proceedings": "book", "book": "book", "booklet": "pamphlet", "inbook": "chapter", "incollection": "chapter",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report",
    "report": "report", "manual": "book", "unpublished": "manuscript", "online": "webpage",
    "electronic": "webpage", "www": "webpage", "dataset": "dataset", "software": "software", "patent": "patent",
    "misc": "article",
}
TYPE_NAMES = {  # how the publications page names a group when [publications] group_by = "type"
    "article-journal": "Journal articles", "paper-conference": "Conference papers", "book": "Books",
    "chapter": "Book chapters", "thesis": "Theses", "report": "Reports", "manuscript": "Manuscripts",
    "article": "Preprints and other works", "webpage": "Web pages", "dataset": "Data sets",
    "software": "Software", "patent": "Patents", "pamphlet": "Booklets",
}
_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# BibTeX field -> CSL variable, for the fields that map one to one.
_TEXT = {"title": "title", "volume": "volume", "pages": "page", "publisher": "publisher", "doi": "DOI",
         "url": "URL", "isbn": "ISBN", "issn": "ISSN", "edition": "edition", "series": "collection-title",
         "note": "note", "chapter": "chapter-number", "address": "publisher-place",
         "location": "publisher-place", "abstract": "abstract"}


def csl_type(entry: BibEntry) -> str:
    return TYPES.get(entry.type, "article")


def to_csl(entry: BibEntry, me: "MeMatcher | None" = None) -> dict[str, Any]:
    """The entry as one CSL-JSON item (id: its key); with `me`, the site author's family names marked."""
    item: dict[str, Any] = {"id": entry.key, "type": csl_type(entry)}
    for field, variable in _TEXT.items():
        if entry.get(field) and variable not in item:
            item[variable] = _text(entry.get(field))
    if not entry.text("url").startswith(("https://", "http://")):
        item.pop("URL", None)  # a javascript: or local "url" is not written out
    if "DOI" in item:
        item["DOI"] = _text(bare_doi(entry.text("doi")))
    container = entry.get("journal") or entry.get("journaltitle") or entry.get("booktitle")
    if container:
        item["container-title"] = _text(container)
    number = entry.get("number") or entry.get("issue")
    if number:
        item["issue" if item["type"] == "article-journal" else "number"] = _text(number)
    publisher = entry.get("publisher") or entry.get("school") or entry.get("institution") or entry.get("organization")
    if publisher:
        item["publisher"] = _text(publisher)
    if entry.type in _GENRES or entry.get("type"):
        item["genre"] = _text(entry.get("type") or _GENRES[entry.type])
    if is_arxiv(entry) and "container-title" not in item:
        item["container-title"] = _text(f"arXiv:{entry.text('eprint')}")
    if not container and entry.get("howpublished") and "container-title" not in item:
        item["container-title"] = _text(entry.get("howpublished"))
    if entry.year:
        item["issued"] = {"date-parts": [[entry.year, *([entry.month] if entry.month else [])]]}
    for variable, people in (("author", entry.authors), ("editor", entry.editors)):
        names = [_name(p, me) for p in people if not p.others]
        if names:
            item[variable] = names
    return item


def bare_doi(value: str) -> str:
    """'https://doi.org/10.1/x', 'doi:10.1/x' -> '10.1/x' (JabRef and some exports write the whole URL)."""
    return re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value.strip(), flags=re.I)


def is_arxiv(entry: BibEntry) -> bool:
    prefix = (entry.text("archiveprefix") or entry.text("eprinttype")).lower()
    return bool(entry.get("eprint")) and prefix == "arxiv"


def _text(value: str) -> str:
    escaped = html.escape(value, quote=False)
    return escaped.replace(PROTECT_OPEN, '<span class="nocase">').replace(PROTECT_CLOSE, "</span>")


def _name(person: Person, me: "MeMatcher | None") -> dict[str, str]:
    family = html.escape(person.family, quote=False)
    if me is not None and me.matches(person):
        family = ME_OPEN + family + ME_CLOSE
    if person.literal:
        return {"literal": family}
    name = {"family": family}
    if person.given:
        name["given"] = html.escape(person.given, quote=False)
    if person.particle:
        name["non-dropping-particle"] = html.escape(person.particle, quote=False)
    if person.suffix:
        name["suffix"] = html.escape(person.suffix, quote=False)
    return name


def mark_me(formatted: str) -> str:
    """Formatted HTML with the marked names as <span class="me">; marks a style split are dropped."""
    return formatted.replace(ME_OPEN, '<span class="me">').replace(ME_CLOSE, "</span>") \
        if formatted.count(ME_OPEN) == formatted.count(ME_CLOSE) else unmark(formatted)


def unmark(formatted: str) -> str:
    return formatted.replace(ME_OPEN, "").replace(ME_CLOSE, "")


def _folded(text: str) -> str:
    """Without accents or case: 'Lindqvist' matches 'LINDQVIST', 'Müller' matches 'Muller'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


class MeMatcher:
    """The site author's names ('Mara Lindqvist', 'Lindqvist, M.', 'M. K. Lindqvist'): a person matches
    one when the family names agree and, if both have given names, their first initials do."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = tuple(_split(n) for n in names if n.strip())

    def __bool__(self) -> bool:
        return bool(self.names)

    def matches(self, person: Person) -> bool:
        if person.others:
            return False
        family = _folded(" ".join(p for p in (person.particle, person.family) if p))
        given = _folded(person.given)[:1]
        return any(f in (family, _folded(person.family)) and (not g or not given or g == given) for f, g in self.names)


def _split(name: str) -> tuple[str, str]:
    """(folded family name, folded first initial) of 'Given Family' or 'Family, Given'."""
    if "," in name:
        family, given = name.split(",", 1)
    else:
        words = name.split()
        family, given = words[-1], " ".join(words[:-1])
    return _folded(family), _folded(given)[:1]
