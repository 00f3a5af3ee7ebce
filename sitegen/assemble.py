"""Posts -> Page*: the home page (paginated), posts, standalone pages, tags and categories, the feed,
the sitemap, robots.txt and 404.html. Finds clashes (two sources, one output path, or a file where another
needs a folder) with the site's other files, and unknown layouts."""
from __future__ import annotations

import math
import os
import posixpath
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote

from sitegen.config import SiteConfig
from sitegen.errors import Diagnostic, did_you_mean, error, warning
from sitegen.model import FrozenMap, OutputFile, Page, Paginator, Post, Term
from sitegen.related import related_posts
from sitegen.scopes import Collection
from sitegen.slugs import slugify
from sitegen.theme import Theme, default_theme_dir
from sitegen.urls import rewrite_urls

FEED_SIZE = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url_path: str
    lastmod: datetime | None


@dataclass(frozen=True, slots=True)
class Site:
    """Everything assembled: the pages to render and when the newest content changed."""

    pages: tuple[Page, ...]
    posts: tuple[Post, ...]
    updated: datetime


def newest_first(posts: Iterable[Post]) -> tuple[Post, ...]:
    return tuple(sorted(posts, key=lambda p: (p.date or _EPOCH, p.title), reverse=True))


def assemble(items: Iterable[Post], config: SiteConfig, theme: Theme, files: Sequence[OutputFile] = (),
             made: Sequence[Page] = ()) -> tuple[Site, list[Diagnostic]]:
    """The site's pages from its posts; `files` are the other files bound for site/ (assets, the theme's
    static files, rendered animations), which no page may write over; `made` are pages made from other
    sources (the CV), which join the sitemap and the clash check."""
    problems: list[Diagnostic] = []
    kept = [p for p in items if config.drafts or not p.draft]
    kept = _link_sources(kept, problems)
    posts = newest_first(p for p in kept if p.kind == "post")
    unwritten = {c.name for c in config.collections if not c.output}
    standalone = sorted((p for p in kept if p.kind == "page" and p.collection not in unwritten), key=lambda p: p.url_path)
    updated = max((p.last_modified or p.date or _EPOCH for p in posts), default=_EPOCH)
    pages = [
        *_post_pages(posts, theme, problems, config.related_posts),
        *_standalone_pages(standalone, theme, problems),
        *_index_pages(posts, config.posts_per_page),
        *_term_pages(posts, "tags"),
        *_term_pages(posts, "categories"),
        *_collection_pages(kept, config.collections),
        *made,
        Page("404.html", "404.html", "Page not found", FrozenMap(), absolute_links=True),
    ]
    pages += _site_files(posts, pages, updated)
    root, default_theme = Path(os.path.abspath(config.root)), Path(os.path.abspath(default_theme_dir()))
    problems += _clashes([*map(_page_claim, pages), *(_file_claim(f, root, default_theme) for f in files)])
    return Site(pages=tuple(pages), posts=posts, updated=updated), problems


def _link_sources(posts: list[Post], problems: list[Diagnostic]) -> list[Post]:
    """Links to another post's .md file become links to that post's page."""
    by_source = {_source_key(p.source_rel): p for p in posts}

    def fix(post: Post, url: str) -> str:
        path, sep, fragment = url.partition("#")
        if not path.startswith("/") or not path.endswith((".md", ".markdown")):
            return url
        target = by_source.get(_source_key(path))
        if target is None:
            problems.append(warning(post.source, None, f"link to '{unquote(path).lstrip('/')}': no such post or page",
                                    "was it renamed, or is it a draft?"))
            return url
        return "/" + target.url_path + sep + fragment

    return [replace(p, content_html=rewrite_urls(p.content_html, lambda u, p=p: fix(p, u)),
                    excerpt_html=rewrite_urls(p.excerpt_html, lambda u, p=p: fix(p, u))) for p in posts]


def _source_key(path: str) -> str:
    """A post's file as links name it, percent-decoded: 'my%20post.md' and 'caf%C3%A9.md' are files."""
    return unquote(path).lstrip("/")


def _post_pages(posts: tuple[Post, ...], theme: Theme, problems: list[Diagnostic], related: int) -> list[Page]:
    pages = []
    for index, (post, others) in enumerate(zip(posts, related_posts(posts, related))):
        template = _template(post, theme, problems)
        older = posts[index + 1] if index + 1 < len(posts) else None
        newer = posts[index - 1] if index > 0 else None
        pages.append(Page(template, post.url_path, post.title,
                          FrozenMap(post=post, prev_post=older, next_post=newer, related=others), post.source,
                          post.key_lines.get("permalink")))
    return pages


def _standalone_pages(standalone: list[Post], theme: Theme, problems: list[Diagnostic]) -> list[Page]:
    return [Page(_template(p, theme, problems), p.url_path, p.title, FrozenMap(post=p), p.source,
                 p.key_lines.get("permalink"))
            for p in standalone]


def _template(post: Post, theme: Theme, problems: list[Diagnostic]) -> str:
    template = theme.layout_template(post.layout, post.kind)
    if template is None:
        problems.append(error(post.source, post.key_lines.get("layout"), f"unknown layout '{post.layout}': no template "
                              f"'{post.layout}.html' in the theme", did_you_mean(post.layout, theme.layouts())))
        return "post.html" if post.kind == "post" else "page.html"
    return template


def _index_pages(posts: tuple[Post, ...], per_page: int) -> list[Page]:
    count = max(1, math.ceil(len(posts) / per_page))
    paths = [""] + [f"page/{n}/" for n in range(2, count + 1)]
    pages = []
    for number, path in enumerate(paths, start=1):
        paginator = Paginator(number, count, path, paths[number - 2] if number > 1 else None,
                              paths[number] if number < count else None)
        chunk = posts[(number - 1) * per_page: number * per_page]
        pages.append(Page("index.html", path, "Home" if number == 1 else f"Page {number}",
                          FrozenMap(posts=chunk, paginator=paginator)))
    return pages


def _term_pages(posts: tuple[Post, ...], taxonomy: str) -> list[Page]:
    grouped: dict[str, tuple[str, list[Post]]] = {}
    for post in posts:
        for name in getattr(post, taxonomy):
            slug = slugify(name) or "untitled"
            grouped.setdefault(slug, (name, []))[1].append(post)
    terms = sorted((Term(taxonomy, name, slug, tuple(items)) for slug, (name, items) in grouped.items()),
                   key=lambda t: t.name.lower())
    if not terms and taxonomy != "tags":  # the tag index is always there: the navigation links to it
        return []
    label = taxonomy.capitalize()
    pages = [Page("terms.html", f"{taxonomy}/", label, FrozenMap(taxonomy=taxonomy, terms=tuple(terms)))]
    pages += [Page("term.html", t.url_path, f"{label[:-1] if taxonomy == 'tags' else 'Category'}: {t.name}",
                   FrozenMap(term=t)) for t in terms]
    return pages


def _collection_pages(items: list[Post], collections: Iterable[Collection]) -> list[Page]:
    """Each collection's listing page (unless its `listing` is ''), its documents in its order."""
    return [Page("collection.html", c.listing_path, c.listing_title,
                 FrozenMap(collection=c, posts=_in_order([p for p in items if p.collection == c.name], c.sort_by)))
            for c in collections if c.listing]


def _in_order(documents: list[Post], sort_by: str) -> tuple[Post, ...]:
    """By the front-matter key `sort_by` (numbers before text, missing last), else newest first, then by title."""
    if sort_by:
        def key(post: Post) -> tuple[bool, bool, object]:
            value = post.front_matter.get(sort_by)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            return value is None, not number, value if number else str(value or "").lower()
        return tuple(sorted(documents, key=lambda p: (key(p), p.title.lower())))
    return tuple(sorted(documents, key=lambda p: (p.date is None, -(p.date or _EPOCH).timestamp(), p.title.lower())))


def _site_files(posts: tuple[Post, ...], pages: list[Page], updated: datetime) -> list[Page]:
    entries = tuple(SitemapEntry(p.url_path, _lastmod(p)) for p in pages if p.template != "404.html")
    return [
        Page("atom.xml", "feed.xml", "Feed", FrozenMap(posts=tuple(p for p in posts if p.date)[:FEED_SIZE],
                                                        updated=updated)),
        Page("sitemap.xml", "sitemap.xml", "Sitemap", FrozenMap(entries=entries)),
        Page("robots.txt", "robots.txt", "robots.txt", FrozenMap()),
    ]


def _lastmod(page: Page) -> datetime | None:
    post = page.context.get("post")
    return (post.last_modified or post.date) if post else None


@dataclass(frozen=True, slots=True)
class _Claim:
    """One thing that writes a file into site/, and how messages name it."""

    output: str
    source: str  # the file a user changes to move it ('content/posts/a.md'); '' for what sitegen makes
    line: int | None
    name: str  # in another's message: 'content/posts/a.md:3', 'the generated feed.xml'
    fix: str  # how to move it out of the way, or change it
    is_page: bool = False  # a post or page (an asset that clashes may be meant to replace the other file)


def _page_claim(page: Page) -> _Claim:
    if page.source and page.source_line:  # the line of its permalink
        return _Claim(page.output_file, page.source, page.source_line, f"{page.source}:{page.source_line}",
                      "set another 'permalink:' in its front matter", is_page=True)
    if page.source and page.moved_by:
        return _Claim(page.output_file, page.source, page.source_line, page.source, page.moved_by, is_page=True)
    if page.source:
        return _Claim(page.output_file, page.source, None, page.source,
                      "give it another file name, or set 'permalink:' (or 'slug:') in its front matter", is_page=True)
    return _Claim(page.output_file, "", None, f"the generated {page.output_file}",
                  f"sitegen writes {page.output_file} itself; to change it, put your own templates/{page.template}")


def _file_claim(file: OutputFile, root: Path, theme: Path) -> _Claim:
    """`root` and `theme` (the default theme's folder) absolute; links are not followed, so a symlinked
    asset is named by its own path."""
    source = Path(os.path.abspath(file.copy_from)) if file.copy_from is not None and not file.link else None
    if source is not None and source.is_relative_to(theme):
        return _Claim(file.rel, "", None, f"the default theme's {file.rel}",
                      f"to change the theme's file, put your own templates/{file.rel}")
    if source is not None and source.is_relative_to(root):
        shown = source.relative_to(root).as_posix()
        return _Claim(file.rel, shown, None, shown, "rename or move it")
    what = "rendered animation file" if file.link else "generated"
    return _Claim(file.rel, "", None, f"the {what} {file.rel}", "")


def _clashes(claims: Iterable[_Claim]) -> list[Diagnostic]:
    """Two sources that would write one file, or a file where others need a folder."""
    owners: dict[str, list[_Claim]] = {}
    for claim in dict.fromkeys(claims):  # one file twice is no clash (a data file two animations offer)
        owners.setdefault(claim.output, []).append(claim)
    problems = []
    for output, group in owners.items():
        if len(group) > 1:
            problems += _report(group, lambda c, g=group: [o for o in g if o is not c],
                                lambda c, names, o=output: f"two sources write site/{o}: this one and {names}",
                                replacing=True)
    inside: dict[str, list[_Claim]] = {}
    for output, group in owners.items():
        folder = posixpath.dirname(output)
        while folder:
            if folder in owners:
                inside.setdefault(folder, []).extend(group)
            folder = posixpath.dirname(folder)
    for folder, within in inside.items():
        problems += _folder_clash(folder, owners[folder], within)
    return problems


def _folder_clash(folder: str, files: list[_Claim], within: list[_Claim]) -> list[Diagnostic]:
    def message(claim: _Claim, names: str) -> str:
        if claim in within:
            return f"site/{claim.output} needs a folder site/{folder}, but {names} writes a file there"
        return f"this writes the file site/{folder}, where {names} need{'s' * (len(within) == 1)} a folder"
    return _report([*within, *files], lambda c: files if c in within else within, message)


def _report(involved: list[_Claim], others_of: Callable[[_Claim], list[_Claim]],
            message: Callable[[_Claim, str], str], replacing: bool = False) -> list[Diagnostic]:
    """An error at each claim of one clash that a user can change, naming the claims it clashes with.
    `replacing`: the clash is over one file, so an asset may be meant to replace a generated one."""
    problems = []
    for claim in [c for c in involved if c.source] or involved[:1]:
        others = others_of(claim)
        replaced = [o.fix for o in others if not o.source] if replacing and not claim.is_page else []
        hints = dict.fromkeys(h for h in [claim.fix, *replaced] if h)
        problems.append(error(claim.source or "site", claim.line, message(claim, _names(others)), "; ".join(hints)))
    return problems


def _names(claims: list[_Claim], shown: int = 3) -> str:
    names = ", ".join(c.name for c in claims[:shown])
    return names + (f" and {len(claims) - shown} more" if len(claims) > shown else "")
