"""The navigation bar: `_data/navigation.yml`'s `main` (Minimal Mistakes, academicpages), else the pages
with `nav: true` in their order (al-folio); every link led to where its page went in the import."""
from __future__ import annotations

from pathlib import Path

from sitegen.errors import InputError
from sitegen.jekyll.content import ContentPlan
from sitegen.jekyll.report import Findings
from sitegen.jekyll.source import read_yaml
from sitegen.urls import is_external

NAVIGATION = "_data/navigation.yml"


def nav_links(src: Path, plan: ContentPlan, findings: Findings) -> list[dict[str, str]]:
    if (src / NAVIGATION).is_file():
        return _from_data(src, plan, findings)
    if plan.nav_pages:
        findings.mapped("pages with nav: true -> [theme] nav")
        return [{"title": title, "url": url} for _, title, url in sorted(plan.nav_pages, key=lambda p: (p[0], p[1]))]
    return []


def _from_data(src: Path, plan: ContentPlan, findings: Findings) -> list[dict[str, str]]:
    try:
        data = read_yaml(src, NAVIGATION, findings.source_shown)
    except InputError as broken:
        findings.unmapped(NAVIGATION, broken.line, f"no navigation: {broken.message}")
        return []
    items = data.get("main", [])
    links = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not item.get("url"):
            continue
        url = _target(str(item["url"]).strip(), src, plan)
        if url is None:
            findings.unmapped(NAVIGATION, data.line(f"main[{index}]"), f"the link to {item['url']!r} leads to no page of "
                              "the imported site: left out of the navigation")
            continue
        links.append({"title": str(item.get("title") or url), "url": url})
    findings.mapped(f"{NAVIGATION} main -> [theme] nav ({len(links)} links)")
    return links


def _target(url: str, src: Path, plan: ContentPlan) -> str | None:
    """Where a link of the Jekyll site leads in the import (None: nowhere)."""
    if is_external(url) or url.startswith("#"):
        return url
    path = "/" + url.lstrip("/")
    known = {"/", "/tags/", *plan.urls.values(), *(f"/{c.listing}" for c in plan.collections.values() if c.listing)}
    if plan.has_categories:
        known.add("/categories/")
    for candidate in (path, path.rstrip("/") or "/", path.rstrip("/") + "/", path.removesuffix(".html")):
        target = plan.urls.get(candidate, candidate)
        if target in known:
            return target
    return path if (src / path.lstrip("/")).is_file() else None
