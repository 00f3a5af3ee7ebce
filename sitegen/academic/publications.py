"""The /publications/ page: every listed entry formatted in the site's style with the author's name
marked, grouped by year (newest first) or by type, with its links (DOI, arXiv, URL, a local PDF, code,
slides, poster, video, the posts that name it), its abstract and its BibTeX."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import quote

from sitegen.academic.bibliography import Bibliography
from sitegen.academic.bibtex import BibEntry
from sitegen.academic.csl import TYPE_NAMES, bare_doi, csl_type, is_arxiv, mark_me
from sitegen.academic.options import PublicationsOptions
from sitegen.errors import Diagnostic, warning
from sitegen.html_policy import refused_scheme
from sitegen.model import FrozenMap, Page, Post

TEMPLATE = "publications.html"
# Fields that name a file or a page of the work, and the link's text.
FILE_FIELDS = (("pdf", "PDF"), ("code", "Code"), ("slides", "Slides"), ("poster", "Poster"), ("video", "Video"))
UNDATED = "Undated"


@dataclass(frozen=True, slots=True)
class EntryLink:
    kind: str  # 'doi', 'arxiv', 'url', 'pdf', 'code', 'slides', 'poster', 'video', 'post'
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Publication:
    """One entry as the page shows it."""

    key: str
    html: str  # the style's formatting, the author's name in <span class="me">
    year: int | None
    type: str  # its CSL type
    links: tuple[EntryLink, ...]
    abstract: str
    bibtex: str
    mine: bool


@dataclass(frozen=True, slots=True)
class PublicationGroup:
    title: str
    id: str
    entries: tuple[Publication, ...]


def publications_page(bibliography: Bibliography, posts: Iterable[Post], content_files: frozenset[str],
                      options: PublicationsOptions) -> tuple[list[Page], list[Diagnostic]]:
    """The page (none when no entry is listed) and the problems of its links."""
    title, group_by = options.title, options.group_by
    listed = bibliography.listed
    if not listed:
        return [], []
    problems: list[Diagnostic] = []
    formatted = bibliography.marked_engine().entries([e.key for e in listed])
    projects = _projects(posts)
    shown = [Publication(e.key, mark_me(formatted[e.key]), e.year, csl_type(e),
                         (*entry_links(e, content_files, problems), *projects.get(e.key.lower(), ())),
                         e.text("abstract"), e.bibtex, bibliography.is_mine(e)) for e in listed]
    order = {e.key: (e.year or 0, e.month or 0) for e in listed}
    shown.sort(key=lambda p: (-order[p.key][0], -order[p.key][1], re.sub(r"<[^>]+>", "", p.html).lower()))
    groups = _by_type(shown) if group_by == "type" else _by_year(shown)
    path = bibliography.page.strip("/") + "/"
    return [Page(TEMPLATE, path, title, FrozenMap(groups=tuple(groups), count=len(shown), group_by=group_by))], problems


def _by_year(shown: list[Publication]) -> list[PublicationGroup]:
    years: dict[int | None, list[Publication]] = {}
    for publication in shown:
        years.setdefault(publication.year, []).append(publication)
    dated = sorted((y for y in years if y is not None), reverse=True)
    groups = [PublicationGroup(str(y), f"year-{y}", tuple(years[y])) for y in dated]
    return groups + ([PublicationGroup(UNDATED, "undated", tuple(years[None]))] if None in years else [])


def _by_type(shown: list[Publication]) -> list[PublicationGroup]:
    kinds: dict[str, list[Publication]] = {}
    for publication in shown:
        kinds.setdefault(publication.type, []).append(publication)
    ordered = [t for t in TYPE_NAMES if t in kinds] + sorted(t for t in kinds if t not in TYPE_NAMES)
    return [PublicationGroup(TYPE_NAMES.get(t, t.replace("-", " ").capitalize()), f"type-{t}", tuple(kinds[t]))
            for t in ordered]


def _projects(posts: Iterable[Post]) -> dict[str, tuple[EntryLink, ...]]:
    """Each key (lower case) -> links to the posts whose front matter names it (`publication:`)."""
    found: dict[str, list[EntryLink]] = {}
    for post in posts:
        value = post.front_matter.get("publication")
        for key in value if isinstance(value, list) else [value] if value else []:
            found.setdefault(str(key).strip().lower(), []).append(EntryLink("post", "Project post", "/" + post.url_path))
    return {key: tuple(links) for key, links in found.items()}


def entry_links(entry: BibEntry, content_files: frozenset[str], problems: list[Diagnostic]) -> list[EntryLink]:
    """The entry's links from its fields; a local file that is not in content/ is a warning at its
    field's line, and left out."""
    links = []
    doi = bare_doi(entry.text("doi"))
    if doi:
        links.append(EntryLink("doi", "DOI", "https://doi.org/" + quote(doi, safe="/:;()._-<>")))
    if is_arxiv(entry):
        links.append(EntryLink("arxiv", "arXiv", "https://arxiv.org/abs/" + quote(entry.text("eprint").strip(), safe="/.")))
    url = entry.text("url").strip()
    if url and not url.startswith(("https://doi.org/", "http://dx.doi.org/")) and _external(url):
        links.append(EntryLink("url", "Web", url))
    for field, title in FILE_FIELDS:
        target = _target(entry, field, content_files, problems)
        if target:
            links.append(EntryLink(field, title, target))
    return links


def _target(entry: BibEntry, field: str, content_files: frozenset[str], problems: list[Diagnostic]) -> str:
    value = entry.text(field).strip()
    if not value:
        return ""
    if refused_scheme(value):
        problems.append(warning(entry.path, entry.where(field), f"'{field}' of '{entry.key}' is a {refused_scheme(value)}: "
                                "URL, which sitegen never puts in a page", "link to a file or an https:// page"))
        return ""
    if _external(value):
        return value
    rel = posixpath.normpath(value.lstrip("/"))
    if rel.startswith("..") or "://" in value:
        problems.append(warning(entry.path, entry.where(field), f"'{field}' of '{entry.key}' points outside the "
                                f"content folder: {value!r}", "name a file under content/, like papers/name.pdf"))
        return ""
    if rel not in content_files:
        problems.append(warning(entry.path, entry.where(field), f"'{field}' of '{entry.key}' names '{value}', which is "
                                f"not in the content folder; the link is left out", f"looked for content/{rel}"))
        return ""
    return "/" + quote(rel)


def _external(url: str) -> bool:
    return url.startswith(("https://", "http://"))
