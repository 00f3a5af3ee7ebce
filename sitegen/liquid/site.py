"""LiquidSite: what Liquid in any post of one build may see — the environment (tags, filters,
include folders) and the `site` and `page` variables — made once, before any post is rendered."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from sitegen.config import SiteConfig
from sitegen.errors import Diagnostic
from sitegen.liquid.data import load_site_data
from sitegen.liquid.environment import JekyllEnvironment
from sitegen.liquid.includes import site_include_folders
from sitegen.liquid.variables import PageInfo, by_term, newest_first, page_variables


@dataclass(frozen=True)
class LiquidSite:
    env: JekyllEnvironment
    site: Mapping[str, Any]
    pages: Mapping[str, Mapping[str, Any]]  # content-relative path -> `page`
    problems: tuple[Diagnostic, ...]  # from the data files
    root: Path

    @classmethod
    def load(cls, config: SiteConfig, infos: Sequence[PageInfo], markdownify: Callable[[str], str],
             theme_dir: Path) -> "LiquidSite":
        """The Liquid side of the site at `config.root`: its `_includes/` and `templates/includes/`
        over `theme_dir`'s `includes/`, its `_data/` (or `content/_data/`), and every post and page."""
        data, problems = load_site_data(config.root)
        posts = newest_first(i for i in infos if i.kind == "post")
        pages = [i for i in infos if i.kind != "post" and not i.collection]
        variables = {i.rel: page_variables(i) for i in infos}
        post_list = [variables[p.rel] for p in posts]
        for index, post in enumerate(posts):  # Jekyll: previous is older, next is newer
            older = post_list[index + 1] if index + 1 < len(post_list) else None
            newer = post_list[index - 1] if index > 0 else None
            variables[post.rel] = {**variables[post.rel], "previous": older, "next": newer}
        page_list = [variables[p.rel] for p in pages]
        documents = {c.name: [variables[i.rel] for i in infos if i.collection == c.name] for c in config.collections}
        env = JekyllEnvironment(site_include_folders(config.root, theme_dir), config.root, config.url,
                                config.base_url, markdownify, {p.stem: p.url for p in posts},
                                {i.rel: i.url for i in infos})
        site = _site_variables(config, post_list, page_list, data)
        site["collections"] += [{"label": c.name, "docs": documents[c.name], "output": c.output} for c in config.collections]
        site.update({name: docs for name, docs in documents.items() if name not in site})  # site.portfolio
        return cls(env, site, variables, tuple(problems), config.root)

    def variables(self, rel: str) -> dict[str, Any]:
        """What a post's Liquid sees: `site`, and `page` (the post at `rel`; empty when unknown)."""
        return {"site": self.site, "page": self.pages.get(rel, {})}


def _site_variables(config: SiteConfig, posts: list[dict[str, Any]], pages: list[dict[str, Any]],
                    data: dict[str, Any]) -> dict[str, Any]:
    author = config.author
    return {
        # base_url is applied to every root path when a page is written (urls.localize), so baseurl is ''
        # and url carries it: `{{ site.url }}{{ site.baseurl }}/x.png` is the site's own, made a root path
        "title": config.title, "description": config.description, "url": config.url + config.base_url.rstrip("/"),
        "baseurl": "",
        "lang": config.language, "time": datetime.now(timezone.utc),
        "author": {"name": author.name, "avatar": author.avatar, "bio": author.bio, "email": author.email,
                   "links": [{"label": link.title, "title": link.title, "url": link.url} for link in author.links]},
        "posts": posts, "pages": pages, "html_pages": pages, "documents": posts,
        "tags": by_term(posts, "tags"), "categories": by_term(posts, "categories"),
        "collections": [{"label": "posts", "docs": posts, "output": True},
                        {"label": "pages", "docs": pages, "output": True}],
        "data": data, "related_posts": posts[:4],
    }
