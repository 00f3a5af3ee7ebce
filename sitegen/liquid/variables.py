"""`page.*` and `site.*` as Jekyll names them, from what parsing knows of each post and page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

_EPOCH = datetime(1970, 1, 1).astimezone()


@dataclass(frozen=True, slots=True)
class PageInfo:
    """One post or page before Liquid runs: what its `page` (and the site's lists) show."""

    kind: str  # 'post' or 'page'
    path: str  # shown path, e.g. 'content/posts/2024-01-01-a.md'
    rel: str  # content-relative, e.g. 'posts/2024-01-01-a.md'
    url: str  # site-root URL, e.g. '/posts/a/'
    title: str
    slug: str
    date: datetime | None
    front: Mapping[str, Any]
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    excerpt: str  # front matter's excerpt, else the body's first paragraph (Markdown)
    collection: str = ""  # the [[collections]] a page is a document of, or ''

    @property
    def stem(self) -> str:
        """The file name without its suffix: what post_url names."""
        return self.rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def page_variables(info: PageInfo) -> dict[str, Any]:
    """`page`, without previous/next (site.py adds those)."""
    name = info.rel.rsplit("/", 1)[-1]
    return {**info.front, "title": info.title, "url": info.url, "id": info.url.rstrip("/") or "/",
            "date": info.date, "path": info.path, "name": name, "slug": info.slug,
            "tags": list(info.tags), "categories": list(info.categories), "excerpt": info.excerpt,
            "collection": info.collection or ("posts" if info.kind == "post" else None),
            "dir": info.url.rsplit("/", 2)[0] + "/" if info.url.count("/") > 1 else "/"}


def newest_first(pages: Iterable[PageInfo]) -> list[PageInfo]:
    return sorted(pages, key=lambda p: (p.date or _EPOCH, p.title), reverse=True)


def by_term(posts: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    terms: dict[str, list[dict[str, Any]]] = {}
    for post in posts:
        for term in post[key]:
            terms.setdefault(term, []).append(post)
    return terms
