"""The files of a Jekyll site as a sitegen site's: `_posts` and `_drafts` into content/posts/, `_pages` and
the pages at the top into content/pages/, each collection into its own folder under content/, the
static files where they were, `_data/` and `_includes/` beside sitegen.toml (where Liquid finds them).
What has no equal (layouts, Sass, plugins, Liquid templates) is reported and left out."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from sitegen.errors import InputError
from sitegen.jekyll.documents import (LAYOUTS_WITH_EQUALS, LISTING_LAYOUTS, FrontEdit, edited, jekyll_page_urls,
                                      layout_of, page_slug)
from sitegen.jekyll.report import Findings
from sitegen.jekyll.source import SourceDocument, read_document
from sitegen.model import OutputFile
from sitegen.theme import default_theme_dir

MARKDOWN = (".md", ".markdown")
_UNDERSCORE_FOLDERS = {"_layouts": "a layout of the Jekyll theme; sitegen's templates take its place "
                                   "(copy one into templates/ to change it: docs/theming.md)",
                       "_sass": "Sass of the Jekyll theme; sitegen's theme has its own styles ([theme] colours "
                                "in sitegen.toml, or templates/static/css/)",
                       "_plugins": "a Jekyll plugin (Ruby); sitegen does not run plugins"}


@dataclass(frozen=True, slots=True)
class JekyllCollection:
    """A collection of the Jekyll site, as [[collections]] will name it."""

    name: str
    folder: str  # '_portfolio' (or under collections_dir)
    output: bool
    permalink: str  # sitegen's pattern: '{collection}/{slug}/'
    sort_by: str = ""
    title: str = ""
    listing: str = "{collection}/"


@dataclass
class ContentPlan:
    """What the import writes under DEST, and what the settings need to know of it."""

    files: list[OutputFile] = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)  # a Jekyll URL of a page -> its URL in sitegen
    collections: dict[str, JekyllCollection] = field(default_factory=dict)
    nav_pages: list[tuple[float, str, str]] = field(default_factory=list)  # al-folio's `nav: true`: order, title, url
    avatar: str = ""  # al-folio's profile image, from its about page
    has_categories: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, rel: str, data: bytes | None = None, copy_from: Path | None = None) -> None:
        self.files.append(OutputFile(rel=rel, data=data, copy_from=copy_from))
        self.counts[what] = self.counts.get(what, 0) + 1


def plan_content(files: Iterable[tuple[str, Path]], collections: dict[str, JekyllCollection], posts_root: str,
                 findings: Findings) -> ContentPlan:
    """Every file of the site, mapped (or reported). `posts_root` is where _posts and _drafts are
    (collections_dir, or '')."""
    plan = ContentPlan(collections=dict(collections))
    by_folder = {c.folder: c for c in collections.values()}
    prefix = f"{posts_root.strip('/')}/" if posts_root.strip("/") else ""
    pages: list[SourceDocument] = []
    for rel, path in files:
        inner = rel[len(prefix):] if prefix and rel.startswith(prefix) else rel
        top, _, rest = inner.partition("/")
        if top in ("_posts", "_drafts") and rest:
            _document(plan, findings, rel, path, f"content/posts/{'drafts/' if top == '_drafts' else ''}{rest}",
                      "drafts" if top == "_drafts" else "posts")
        elif top in by_folder and rest:
            collection = by_folder[top]
            _document(plan, findings, rel, path, f"content/{collection.name}/{rest}", collection.name)
        else:
            document = _other(plan, findings, rel, path)
            if document is not None:
                pages.append(document)
    for document in pages:
        _page(plan, findings, document)
    return plan


def _read(findings: Findings, rel: str, path: Path) -> SourceDocument | None:
    try:
        return read_document(rel, path, findings.shown(rel))
    except InputError as broken:
        findings.unmapped(rel, broken.line, f"copied as it is, but its {broken.message}", broken.hint)
        return None


def _document(plan: ContentPlan, findings: Findings, rel: str, path: Path, dest: str, what: str) -> None:
    """A post, draft or collection item: Markdown copied with its front matter, a layout sitegen has no
    equal for taken out; anything else that is not Markdown is a file of the collection."""
    if not rel.lower().endswith(MARKDOWN):
        if rel.lower().endswith(".html") and (document := _read(findings, rel, path)) and document.front:
            findings.unmapped(rel, 1, "not imported: an HTML document; sitegen reads Markdown",
                              "rename it to .md: HTML in Markdown passes through as written")
            return
        plan.add("files", dest, copy_from=path)
        return
    document = _read(findings, rel, path)
    if document is None:
        plan.add(what, dest, copy_from=path)
        return
    front = document.front.data if document.front else {}
    plan.has_categories = plan.has_categories or bool(front.get("categories") or front.get("category"))
    edit = FrontEdit.setting(_unequal_layout(findings, document), **({"draft": True} if what == "drafts" else {}))
    plan.add("drafts" if what == "drafts" else "posts" if what == "posts" else "collection items", dest,
             data=edited(document, edit))


def _unequal_layout(findings: Findings, document: SourceDocument) -> tuple[str, ...]:
    """('layout',) when the document names a layout sitegen has no equal for (and says so)."""
    layout = layout_of(document)
    if not layout or layout in LAYOUTS_WITH_EQUALS:
        return ()
    line = document.front.line("layout") if document.front else None
    findings.unmapped(document.rel, line, f"layout '{layout}' has no equal in sitegen: the default layout is used",
                      f"add templates/{layout}.html to give it one, and put the line back")
    return ("layout",)


def _other(plan: ContentPlan, findings: Findings, rel: str, path: Path) -> SourceDocument | None:
    """A file outside posts and collections: returns the pages (handled once every collection is known)."""
    top, _, rest = rel.partition("/")
    if top.startswith("_"):
        return _underscore(plan, findings, top, rest, rel, path)
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix in (".scss", ".sass"):
        findings.unmapped(rel, 1, "not imported: Sass of the Jekyll theme; sitegen's theme has its own styles")
        return None
    document = _read(findings, rel, path)
    if document is None or document.front is None:
        plan.add("files", f"content/{rel}", copy_from=path)
        return None
    if suffix in MARKDOWN:
        return document
    name = posixpath.basename(rel)
    if name.startswith(("index.", "404.")):
        findings.mapped(f"{rel} -> sitegen's own {'home page' if name.startswith('index') else '404 page'}")
    else:
        findings.unmapped(rel, 1, "not imported: a Liquid template that Jekyll renders (sitegen writes its own feed, "
                          "sitemap and pages)")
    return None


def _underscore(plan: ContentPlan, findings: Findings, top: str, rest: str, rel: str,
                path: Path) -> SourceDocument | None:
    if top == "_pages" and rest.lower().endswith(MARKDOWN):
        return _read(findings, rel, path)
    if top == "_data" and rest:
        plan.add("data files", rel, copy_from=path)
    elif top == "_includes" and rest:
        _include(plan, findings, rel, rest, path)
    elif top == "_sass":  # said once, for the folder (the findings are kept once each)
        findings.unmapped("_sass", None, f"not imported: {_UNDERSCORE_FOLDERS[top]}")
    elif top in _UNDERSCORE_FOLDERS:
        findings.unmapped(rel, 1, f"not imported: {_UNDERSCORE_FOLDERS[top]}")
    elif rest:
        findings.unmapped(top, None, f"not imported: {top}/ is not part of a Jekyll site's pages (folders whose name "
                                     "starts with '_' are not published)")
    return None


def _include(plan: ContentPlan, findings: Findings, rel: str, rest: str, path: Path) -> None:
    """A site's include, except one of the Jekyll theme's that sitegen has its own of (same parameters)."""
    ours = {p.stem for p in (default_theme_dir() / "includes").iterdir()}
    stem = posixpath.splitext(rest)[0]
    if stem in ours:
        findings.mapped(f"{rel} -> sitegen's own '{stem}' include (same parameters)")
        return
    plan.add("includes", rel, copy_from=path)


def _page(plan: ContentPlan, findings: Findings, document: SourceDocument) -> None:
    """A page: into content/pages/, unless it is a list sitegen makes itself (home, archives, a collection's
    listing). Its Jekyll URL is remembered, for the navigation."""
    front = document.front.data if document.front else {}
    rel = document.rel
    inner = rel.split("/", 1)[1] if rel.startswith("_pages/") else rel
    layout, permalink = layout_of(document), str(front.get("permalink") or "").strip()
    old_urls = (permalink,) if permalink else jekyll_page_urls(inner)
    if posixpath.basename(inner).startswith("404.") or permalink in ("/404.html", "/404/"):
        findings.mapped(f"{rel} -> sitegen's own 404 page")
        return
    if _is_listing(plan, findings, document, layout, permalink, old_urls):
        return
    edit = FrontEdit.setting(_unequal_layout(findings, document))
    url = permalink or f"/{page_slug(inner, front)}/"
    if url == "/" or old_urls[0] == "/":  # the home page is sitegen's list of posts; the page goes next to it
        url = "/about/" if "/about/" not in plan.urls.values() else f"/{page_slug(inner, front) or 'home'}/"
        edit = FrontEdit.setting(edit.remove, permalink=url)
        findings.mapped(f"{rel} (the home page in Jekyll) -> {url}; sitegen's home page lists the posts")
    plan.urls.update({old: url for old in old_urls if old != "/"})
    if front.get("nav") is True:
        order = front.get("nav_order")
        plan.nav_pages.append((order if isinstance(order, (int, float)) else 1e9, str(front.get("title") or inner), url))
    profile = front.get("profile")
    if isinstance(profile, dict) and profile.get("image") and not plan.avatar:
        plan.avatar = f"/assets/img/{profile['image']}"
    plan.add("pages", f"content/pages/{inner}", data=edited(document, edit))


def _is_listing(plan: ContentPlan, findings: Findings, document: SourceDocument, layout: str, permalink: str,
                old_urls: tuple[str, ...]) -> bool:
    """A page that is a list sitegen writes itself is left out, and its URL leads to sitegen's."""
    front = document.front.data if document.front else {}
    named = front.get("collection") if layout == "collection" else None
    listed = next((c for c in plan.collections.values() if f"/{c.name}/" in (permalink, *old_urls) or c.name == named),
                  None)
    body = document.front.body.strip() if document.front else ""
    title = str(front.get("title") or "")
    if listed is not None and (layout == "collection" or not body):
        listing = (permalink or f"/{listed.name}/").strip("/") + "/"
        plan.collections[listed.name] = replace(listed, title=title, listing=listing)
        plan.urls.update({old: f"/{listing}" for old in old_urls})
        findings.mapped(f"{document.rel} -> the listing page of the collection '{listed.name}' (/{listing})")
        return True
    if listed is not None:  # a page of its own that lists the collection: it stays, and is the listing
        plan.collections[listed.name] = replace(listed, listing="")
        findings.mapped(f"{document.rel} stays the listing of the collection '{listed.name}'")
        return False
    if layout in LISTING_LAYOUTS and layout != "collection":
        target = LISTING_LAYOUTS[layout]
        plan.urls.update({old: target for old in old_urls})
        findings.mapped(f"{document.rel} (layout '{layout}') -> sitegen's own {target}")
        return True
    return False
