"""Posts -> Page*: the home page (paginated), posts, standalone pages, tags and categories, the feed,
the sitemap, robots.txt and 404.html. Finds clashes (two sources, one output path) and unknown layouts."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Iterable

from sitegen.config import SiteConfig
from sitegen.errors import Diagnostic, did_you_mean, error, warning
from sitegen.model import FrozenMap, Page, Paginator, Post, Term
from sitegen.slugs import slugify
from sitegen.theme import Theme
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


def assemble(items: Iterable[Post], config: SiteConfig, theme: Theme) -> tuple[Site, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    kept = [p for p in items if config.drafts or not p.draft]
    kept = _link_sources(kept, problems)
    posts = newest_first(p for p in kept if p.kind == "post")
    standalone = sorted((p for p in kept if p.kind == "page"), key=lambda p: p.url_path)
    updated = max((p.last_modified or p.date or _EPOCH for p in posts), default=_EPOCH)
    pages = [
        *_post_pages(posts, theme, problems),
        *_standalone_pages(standalone, theme, problems),
        *_index_pages(posts, config.posts_per_page),
        *_term_pages(posts, "tags"),
        *_term_pages(posts, "categories"),
        Page("404.html", "404.html", "Page not found", FrozenMap(), absolute_links=True),
    ]
    pages += _site_files(posts, pages, updated)
    problems += _clashes(pages)
    return Site(pages=tuple(pages), posts=posts, updated=updated), problems


def _link_sources(posts: list[Post], problems: list[Diagnostic]) -> list[Post]:
    """Links to another post's .md file become links to that post's page."""
    by_source = {"/" + p.source_rel: p for p in posts}

    def fix(post: Post, url: str) -> str:
        path, sep, fragment = url.partition("#")
        if not path.startswith("/") or not path.endswith((".md", ".markdown")):
            return url
        target = by_source.get(path)
        if target is None:
            problems.append(warning(post.source, None, f"link to '{path.lstrip('/')}': no such post or page",
                                    "was it renamed, or is it a draft?"))
            return url
        return "/" + target.url_path + sep + fragment

    return [replace(p, content_html=rewrite_urls(p.content_html, lambda u, p=p: fix(p, u)),
                    excerpt_html=rewrite_urls(p.excerpt_html, lambda u, p=p: fix(p, u))) for p in posts]


def _post_pages(posts: tuple[Post, ...], theme: Theme, problems: list[Diagnostic]) -> list[Page]:
    pages = []
    for index, post in enumerate(posts):
        template = _template(post, theme, problems)
        older = posts[index + 1] if index + 1 < len(posts) else None
        newer = posts[index - 1] if index > 0 else None
        pages.append(Page(template, post.url_path, post.title,
                          FrozenMap(post=post, prev_post=older, next_post=newer), post.source,
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


def _clashes(pages: list[Page]) -> list[Diagnostic]:
    """Two sources that would write one file: an error on each, naming the other."""
    owners: dict[str, list[Page]] = {}
    for page in pages:
        owners.setdefault(page.output_file, []).append(page)
    problems = []
    for output, group in owners.items():
        if len(group) < 2:
            continue
        for page in group:
            others = ", ".join(o.source or f"the generated {o.title.lower()} page" for o in group if o is not page)
            problems.append(error(page.source or "site", page.source_line,
                                  f"two sources write site/{output}: this one and {others}",
                                  "give one of them another file name, or set 'permalink:' (or 'slug:') in its front matter"))
    return problems

