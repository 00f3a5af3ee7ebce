"""_config.yml as sitegen.toml: the site's keys, its author, its permalink style, its collections and its
front-matter defaults; plugins and themes are reported, each at its line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sitegen.jekyll.content import ContentPlan, JekyllCollection
from sitegen.jekyll.documents import LAYOUTS_WITH_EQUALS
from sitegen.jekyll.report import Findings
from sitegen.jekyll.source import JekyllConfig

# Plugins whose work sitegen does itself.
PLUGIN_EQUALS = {
    "jekyll-feed": "sitegen writes feed.xml", "jekyll-sitemap": "sitegen writes sitemap.xml",
    "jekyll-seo-tag": "sitegen writes Open Graph and canonical tags", "jekyll-paginate": "posts_per_page",
    "jekyll-paginate-v2": "posts_per_page", "jekyll-include-cache": "include_cached is not needed",
    "jekyll-archives": "sitegen writes tag and category pages", "jekyll-relative-links": "links to .md files work",
    "jekyll-toc": "toc: true", "jekyll-gist": None, "jemoji": None,
}
# Where the themes keep an author's accounts (academicpages in `author:`, al-folio at the top): title, URL.
_SOCIAL = {"github": ("GitHub", "https://github.com/{}"), "github_username": ("GitHub", "https://github.com/{}"),
           "gitlab": ("GitLab", "https://gitlab.com/{}"), "twitter": ("Twitter", "https://twitter.com/{}"),
           "linkedin": ("LinkedIn", "https://www.linkedin.com/in/{}"), "orcid": ("ORCID", "https://orcid.org/{}"),
           "googlescholar": ("Google Scholar", "{}"),
           "scholar_userid": ("Google Scholar", "https://scholar.google.com/citations?user={}"),
           "researchgate": ("ResearchGate", "https://www.researchgate.net/profile/{}")}
_USED = {"title", "description", "url", "baseurl", "lang", "locale", "paginate", "permalink", "author", "defaults",
         "collections", "collections_dir", "exclude", "include", "plugins", "gems", "theme", "remote_theme",
         "timezone", "first_name", "middle_name", "last_name", "email", "github_username", "scholar_userid"}
_TOKENS = {":year": "{year}", ":month": "{month}", ":day": "{day}", ":title": "{slug}", ":slug": "{slug}",
           ":name": "{slug}", ":path": "{slug}", ":collection": "{collection}", ":output_ext": ".html"}
_STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext", "pretty": "/:categories/:year/:month/:day/:title/",
           "none": "/:categories/:title:output_ext", "ordinal": "/:categories/:year/:y_day/:title:output_ext"}


def permalink_pattern(value: str, config: JekyllConfig, key: str, findings: Findings, default: str) -> str:
    """A Jekyll permalink (or style) as sitegen's pattern; `default` when it cannot be one."""
    text = _STYLES.get(value, value)
    if ":categories" in text:
        text = text.replace("/:categories", "").replace(":categories", "")
        findings.unmapped(config.rel, config.line(key), f"'{key}': :categories is left out of the URLs",
                          "sitegen's URLs hold no categories; they have pages of their own under /categories/")
    for token, ours in _TOKENS.items():
        text = text.replace(token, ours)
    left = re.findall(r":[a-z_]+", text)
    pattern = text.lstrip("/")
    if left or "{slug}" not in pattern:
        findings.unmapped(config.rel, config.line(key), f"'{key}' {value!r} has no equal in sitegen "
                          f"({', '.join(left) or 'no title in it'}): the URLs are {default!r}")
        return default
    return pattern if pattern.endswith(("/", ".html")) else pattern + "/"


def collections_of(config: JekyllConfig, findings: Findings) -> dict[str, JekyllCollection]:
    raw = config.get("collections", {})
    entries = {name: {} for name in raw} if isinstance(raw, list) else raw if isinstance(raw, dict) else {}
    root = str(config.get("collections_dir", "")).strip("/")
    found = {}
    for name, settings in entries.items():
        settings = settings if isinstance(settings, dict) else {}
        if name in ("posts", "pages", "drafts"):
            continue
        key = f"collections.{name}.permalink"
        permalink = permalink_pattern(str(settings.get("permalink") or "/:collection/:path/"), config, key, findings,
                                      "{collection}/{slug}/")
        found[name] = JekyllCollection(name=str(name), folder=f"{root}/_{name}".lstrip("/"),
                                       output=bool(settings.get("output", False)), permalink=permalink,
                                       sort_by=str(settings.get("sort_by") or ""))
        findings.mapped(f"collection '{name}' -> content/{name}/ and [[collections]]")
    return found


def site_top(config: JekyllConfig, source_name: str, findings: Findings) -> dict[str, Any]:
    url, base = str(config.get("url", "")).strip().rstrip("/"), str(config.get("baseurl", "")).strip()
    if url and not re.match(r"^https?://[^/\s]+", url):
        findings.unmapped(config.rel, config.line("url"), f"'url' {url!r} is not an http(s) address: left out")
        url = ""
    paginate = config.get("paginate")
    title = str(config.get("title") or "").strip()
    if title in ("", "blank"):  # al-folio: a blank title means the author's full name
        title = " ".join(str(config.get(k)) for k in ("first_name", "middle_name", "last_name") if config.get(k))
    top = {"title": title or source_name,
           "description": " ".join(str(config.get("description", "")).split()) or None, "url": url or None,
           "base_url": base or None, "language": str(config.get("lang") or config.get("locale") or "") or None,
           "posts_per_page": paginate if isinstance(paginate, int) and paginate > 0 else None}
    if config.get("permalink"):
        top["permalink"] = permalink_pattern(str(config.get("permalink")), config, "permalink", findings, "posts/{slug}/")
    else:
        findings.mapped("posts -> /posts/<slug>/ (Jekyll's default was /:categories/:year/:month/:day/:title.html; "
                        "set permalink in sitegen.toml to change it)")
    findings.mapped("title, description, url, baseurl, lang, paginate, permalink -> sitegen.toml")
    if config.get("timezone"):
        findings.unmapped(config.rel, config.line("timezone"), "'timezone' has no equal: a date without a UTC offset "
                          "is read as UTC", "write the offset in the post's date, e.g. 2024-03-02 10:00:00 +0100")
    return top


def author_table(config: JekyllConfig, src: Path, avatar_hint: str, findings: Findings) -> dict[str, Any]:
    raw = config.get("author", {})
    author = raw if isinstance(raw, dict) else {"name": str(raw)}
    names = [str(config.get(k)) for k in ("first_name", "middle_name", "last_name") if config.get(k)]
    links = [{"title": str(link.get("label") or link.get("title") or link.get("url")), "url": str(link["url"])}
             for link in author.get("links") or [] if isinstance(link, dict) and link.get("url")]
    for source in (author, config.data):
        for key, (title, pattern) in _SOCIAL.items():
            value = source.get(key)
            if isinstance(value, str) and value.strip():
                links.append({"title": title, "url": value if value.startswith("http") else pattern.format(value.strip())})
    email = author.get("email") or config.get("email")
    table = {"name": author.get("name") or " ".join(names) or None,
             "avatar": _avatar(str(author.get("avatar") or ""), src) or avatar_hint or None,
             "bio": " ".join(str(author.get("bio") or "").split()) or None,
             "email": str(email).removeprefix("mailto:") if email else None,
             "links": list({link["url"]: link for link in links}.values()) or None}
    if any(table.values()):
        findings.mapped("author (name, avatar, bio, email, links) -> [author]")
    return table


def _avatar(value: str, src: Path) -> str:
    """A theme's avatar as a site path: academicpages names a file of images/, Minimal Mistakes a path."""
    if not value or "://" in value:
        return value
    for candidate in (value.lstrip("/"), f"images/{value}", f"assets/images/{value}", f"assets/img/{value}"):
        if (src / candidate).is_file():
            return "/" + candidate
    return value if value.startswith("/") else "/" + value


def defaults_entries(config: JekyllConfig, collections: dict[str, JekyllCollection],
                     findings: Findings) -> list[dict[str, Any]]:
    """`defaults:` as [[defaults]]: Jekyll's folders as those under content/, layouts without an equal out."""
    entries = []
    for index, entry in enumerate(config.get("defaults", []) if isinstance(config.get("defaults"), list) else []):
        scope, values = (entry.get("scope") or {}, entry.get("values") or {}) if isinstance(entry, dict) else ({}, {})
        key = f"defaults[{index}]"
        path, kind = _scope_path(str(scope.get("path") or ""), collections), str(scope.get("type") or "")
        if kind == "drafts":
            path, kind = path or "posts/drafts", "posts"
        if kind and kind not in ("posts", "pages", *collections):
            findings.unmapped(config.rel, config.line(f"{key}.scope.type"), f"a default for type '{kind}', which the "
                              "import has no equal for: left out")
            continue
        values = {k: v for k, v in values.items() if v is not None}
        layout = values.get("layout")
        if layout is not None and str(layout) not in LAYOUTS_WITH_EQUALS:
            findings.unmapped(config.rel, config.line(f"{key}.values.layout"), f"layout '{layout}' has no equal in "
                              "sitegen: left out of the default", f"add templates/{layout}.html to give it one")
            values.pop("layout")
        if values:
            entries.append({"scope": {"path": path, "type": kind or None}, "values": values})
    if entries:
        findings.mapped(f"defaults ({len(entries)} scopes) -> [[defaults]]")
    return entries


def _scope_path(path: str, collections: dict[str, JekyllCollection]) -> str:
    """'_posts/x' -> 'posts/x', '_drafts' -> 'posts/drafts', '_pages' -> 'pages', '_portfolio' -> 'portfolio'."""
    clean = path.strip("/")
    top, _, rest = clean.partition("/")
    named = {"_posts": "posts", "_drafts": "posts/drafts", "_pages": "pages",
             **{c.folder: c.name for c in collections.values()}}
    if top in named:
        return "/".join(p for p in (named[top], rest) if p)
    return clean


def collection_entries(plan: ContentPlan) -> list[dict[str, Any]]:
    return [{"name": c.name, "title": c.title or None, "output": c.output,
             "permalink": c.permalink, "listing": c.listing, "sort_by": c.sort_by or None}
            for c in plan.collections.values()]


def report_theme_and_plugins(config: JekyllConfig, findings: Findings) -> None:
    for key in ("theme", "remote_theme"):
        if config.get(key):
            findings.unmapped(config.rel, config.line(key), f"the Jekyll theme '{config.get(key)}' is not used: the "
                              "site gets sitegen's theme", "its colours are [theme] in sitegen.toml; templates/ overrides "
                              "any template (docs/theming.md)")
    for key in ("plugins", "gems"):
        plugins = config.get(key, [])
        for index, name in enumerate(plugins if isinstance(plugins, list) else []):
            equal = PLUGIN_EQUALS.get(str(name))
            if equal:
                findings.mapped(f"plugin {name} -> {equal}")
            else:
                findings.unmapped(config.rel, config.line(f"{key}[{index}]"),
                                  f"plugin '{name}' has no equal in sitegen: what it does is not done")
    unused = sorted(k for k in config.data if k not in _USED)
    if unused:
        findings.mapped(f"not used by sitegen: {', '.join(unused)}")
