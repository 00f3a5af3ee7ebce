"""sitegen.toml -> a frozen SiteConfig. Every option is declared once, on its dataclass field, with a
type, a default and a line of documentation (sitegen.schema); validation reports every problem with
its key, its line and a "did you mean" for unknown keys."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sitegen import OLD_PRESET_NAMES, PRESETS
from sitegen.errors import Diagnostic, did_you_mean, error, has_errors
from sitegen.academic.options import PublicationsOptions
from sitegen.html_policy import RAW_HTML_MODES, refused_scheme
from sitegen.model import FrozenMap
from sitegen.schema import TOML, Option, Schema, Verdict, option_field, validate
from sitegen.scopes import COLLECTION, DEFAULT, POST_TYPES, SCOPE, Collection, FrontMatterDefault
from sitegen.sizes import size_problem

CONFIG_NAME = "sitegen.toml"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


# ---- checks beyond type, bounds and choices; each says what is wrong, worded to follow the key


def _nonempty(value: str) -> Verdict:
    return None if value.strip() else "must not be empty"


def _colour(value: str) -> Verdict:
    return None if _COLOUR.match(value) else "must be a colour like '#0b7285'"


def _site_url(value: str) -> Verdict:
    if value and not re.match(r"^https?://[^/\s]+", value):
        return "must start with http:// or https:// (e.g. 'https://name.github.io')"
    return None


def _scheduler(value: str) -> Verdict:
    if not value or re.match(r"^(tcp|tls|inproc|ucx)://\S+$", value):
        return None
    return "must be a Dask scheduler address like 'tcp://10.0.0.5:8786', or empty to render on this machine"


def _safe_url(value: str) -> Verdict:
    scheme = refused_scheme(value)
    return f"is a {scheme}: URL, which sitegen never puts in a page" if scheme else None


def _permalink(value: str) -> Verdict:
    return None if "{slug}" in value else "must contain '{slug}' (e.g. 'posts/{slug}/')"


def _pygments_style(value: str) -> Verdict:
    from pygments.styles import get_all_styles

    styles = set(get_all_styles())
    return None if value in styles else (f"names no Pygments style: '{value}'", did_you_mean(value, styles))


_LINKS_DOC = 'a list of { title = "…", url = "…" }'


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Author:
    name: str = option_field(str, "", "your name, in the sidebar, the feed and the page titles")
    avatar: str = option_field(str, "", "a picture of you: a path in the site or a URL", check=_safe_url)
    bio: str = option_field(str, "", "a line about you, under your name")
    email: str = option_field(str, "", "an address to write to, linked from the sidebar")
    links: tuple[Link, ...] = option_field(list, (), f"links under your name: {_LINKS_DOC}")


@dataclass(frozen=True, slots=True)
class ThemeOptions:
    accent: str = option_field(str, "#0b7285", "links and highlights in light mode", check=_colour)
    accent_dark: str = option_field(str, "#66d9e8", "links and highlights in dark mode", check=_colour)
    background: str = option_field(str, "#fcfcfb", "the page's background in light mode", check=_colour)
    background_dark: str = option_field(str, "#0e1114", "the page's background in dark mode", check=_colour)
    text: str = option_field(str, "#1d2125", "the text colour in light mode", check=_colour)
    text_dark: str = option_field(str, "#e4e7eb", "the text colour in dark mode", check=_colour)
    nav: tuple[Link, ...] = option_field(list, (), f"the navigation bar: {_LINKS_DOC}")
    code_style_light: str = option_field(str, "friendly", "the Pygments style of code in light mode",
                                         check=_pygments_style)
    code_style_dark: str = option_field(str, "monokai", "the Pygments style of code in dark mode",
                                        check=_pygments_style)


@dataclass(frozen=True, slots=True)
class RenderOptions:
    preset: str = option_field(str, "publish", "'publish': the files you publish; 'preview': renders several "
                                               "times faster, larger files (what `sitegen serve` uses)",
                               choices=PRESETS, old_values=OLD_PRESET_NAMES)
    script_memory: str = option_field(str, "4 GiB", "the most memory an author's script may use (a directive's "
                                                    "`memory:` overrides it)", check=size_problem)
    scheduler: str = option_field(str, "", "a Dask scheduler's address (tcp://HOST:8786) to render on; "
                                           "'': processes on this machine", check=_scheduler)


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    raw_html: str = option_field(str, "allow", "'allow': the author's HTML as written (trusted); 'sanitize': "
                                               "cleaned with nh3", choices=RAW_HTML_MODES)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one animation may ask for, checked before anything is drawn or loaded."""

    max_frame_pixels: int = option_field(int, 4096 * 4096, "width × height of one frame", greater_than=0)
    max_frames: int = option_field(int, 5000, "frames of one animation (a directive's `max_frames:` overrides it)",
                                   greater_than=0)
    max_data_size: str | int = option_field((str, int), "1 GiB", "the arrays of one animation's `data:`, once "
                                                                 "loaded", check=size_problem)

    @property
    def max_data_bytes(self) -> int:
        from sitegen.sizes import parse_bytes

        return parse_bytes(self.max_data_size)


def _cv_path(value: str) -> Verdict:
    if value and (value.startswith("/") or ".." in value.replace("\\", "/").split("/")):
        return "must be a path inside the site folder, like 'content/cv.yaml'"
    return None


@dataclass(frozen=True, slots=True)
class CVOptions:
    file: str = option_field(str, "", "the CV in the JSON Resume schema (YAML or JSON), a path in the site folder; "
                                      "'': content/cv.yaml, cv.yml or cv.json if there is one", check=_cv_path)
    title: str = option_field(str, "Curriculum vitae", "the CV page's title", check=_nonempty)
    permalink: str = option_field(str, "cv/", "where the CV page goes", check=_nonempty)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path = Path(".")
    title: str = option_field(str, "My portfolio", "the site's name, in every page's title", check=_nonempty)
    description: str = option_field(str, "", "a sentence about the site, for search engines and the feed")
    url: str = option_field(str, "", "where the site is published, for canonical links, Open Graph tags, the "
                                     "feed and the sitemap", check=_site_url)
    base_url: str = option_field(str, "/", "the path the site lives under: '/my-repo/' for a GitHub project "
                                           "page (or: sitegen build --base-url); '.' for a site opened from disk "
                                           "(links to folders end in index.html, as with --for-disk)")
    language: str = option_field(str, "en", "the pages' language (`<html lang>`)", check=_nonempty)
    content_dir: str = option_field(str, "content", "the folder of posts and pages", check=_nonempty)
    output_dir: str = option_field(str, "site", "where the site is written", check=_nonempty)
    cache_dir: str = option_field(str, ".sitegen-cache", "where rendered animations are kept", check=_nonempty)
    search: bool = option_field(bool, True, "a search box in the header, and its index (Pagefind) of the posts' "
                                            "and pages' text, built with the site; false: neither")
    posts_per_page: int = option_field(int, 12, "cards on each page of the index", greater_than=0)
    permalink: str = option_field(str, "posts/{slug}/", "where a post goes: {slug}, also {year}, {month}, {day}",
                                  check=_permalink)
    related_posts: int = option_field(int, 3, "related posts under each post, by shared tags and categories "
                                              "(0: none; a post's `related: false` turns them off for it)",
                                      min=0, max=12)
    author: Author = field(default_factory=Author)
    theme: ThemeOptions = field(default_factory=ThemeOptions)
    render: RenderOptions = field(default_factory=RenderOptions)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    limits: Limits = field(default_factory=Limits)
    cv: CVOptions = field(default_factory=CVOptions)
    publications: PublicationsOptions = field(default_factory=PublicationsOptions)
    defaults: tuple[FrontMatterDefault, ...] = option_field(
        list, (), "front matter for the files that do not set it, as in Jekyll: [[defaults]] tables of "
                  "scope = { path, type } and values = { … }")
    collections: tuple[Collection, ...] = option_field(
        list, (), "folders of documents with a page each and a listing page: [[collections]] tables of "
                  "name, title, output, permalink, listing, sort_by")
    drafts: bool = False
    for_disk: bool = False  # links to folders end in index.html, so site/ works opened from disk (file://)

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def cache_path(self) -> Path:
        return self.root / self.cache_dir

    @property
    def templates_path(self) -> Path:
        return self.root / "templates"


# The schema: sitegen.toml's top-level keys, and its tables with the dataclass each one makes.
TOP_LEVEL = Schema.of_dataclass(SiteConfig, words=TOML)
TABLES: dict[str, tuple[Schema, type]] = {
    name: (Schema.of_dataclass(owner, prefix=f"{name}.", words=TOML), owner)
    for name, owner in (("author", Author), ("theme", ThemeOptions), ("render", RenderOptions),
                        ("markdown", MarkdownOptions), ("limits", Limits), ("cv", CVOptions),
                        ("publications", PublicationsOptions))
}


def load_config(root: Path, base_url: str | None = None, drafts: bool = False) -> tuple[SiteConfig, list[Diagnostic]]:
    """Read `root/sitegen.toml` (optional). Returns the config (defaults where invalid) and every problem."""
    path = root / CONFIG_NAME
    if not path.exists():
        return _finish(SiteConfig(root=root), base_url, drafts), []
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        return _finish(SiteConfig(root=root), base_url, drafts), [
            error(path.name, line, f"sitegen.toml is not valid TOML: {exc}")]
    problems: list[Diagnostic] = []
    where = _KeyLines(text, path.name)
    top = _check_table(raw, TOP_LEVEL, "", where, problems)
    tables = {name: _check_table(raw.get(name, {}), schema, name, where, problems)
              for name, (schema, _) in TABLES.items()}
    tables["author"]["links"] = _links(tables["author"]["links"], "author.links", where, problems)
    tables["theme"]["nav"] = _links(tables["theme"]["nav"], "theme.nav", where, problems)
    top["collections"] = _collections(top["collections"], where, problems)
    top["defaults"] = _defaults(top["defaults"], top["collections"], where, problems)
    made = {name: owner(**tables[name]) for name, (_, owner) in TABLES.items()}
    return _finish(SiteConfig(root=root, **made, **top), base_url, drafts), problems


def _finish(config: SiteConfig, base_url: str | None, drafts: bool) -> SiteConfig:
    base = base_url if base_url is not None else config.base_url
    return replace(config, base_url=normalise_base_url(base), url=config.url.rstrip("/"), drafts=drafts,
                   for_disk=is_relative_base(base))


def is_relative_base(value: str) -> bool:
    """base_url '.' or './': the site is opened from disk, wherever its folder is."""
    return value.strip() in (".", "./")


def normalise_base_url(value: str) -> str:
    """'repo', '/repo', 'repo/' -> '/repo/'; '' -> '/'. A full URL keeps only its path."""
    value = re.sub(r"^https?://[^/]+", "", value.strip())
    parts = [p for p in value.split("/") if p and p != "."]
    return "/" + "".join(p + "/" for p in parts)


def _check_table(raw: Any, schema: Schema, table: str, where: _KeyLines,
                 problems: list[Diagnostic]) -> dict[str, Any]:
    """Every option of one table (the top level when `table` is ''), its problems added at their lines."""
    if not isinstance(raw, dict):
        problems.append(error(where.path, where.line(table, None), f"[{table}] must be a table"))
        return schema.defaults()
    checked = validate(raw, schema, skip=() if table else TABLES)
    problems += [p.diagnostic(where.path, where.line(table, p.key)) for p in checked.problems]
    return checked.values


_LINK = Schema((Option("title", str, "", "the link's text", renamed_from=("label",)),
                Option("url", str, None, "where it leads")), words=TOML)
_LINK_EXAMPLE = '{ title = "About", url = "/about/" }'


def _links(items: list[Any], dotted: str, where: _KeyLines, problems: list[Diagnostic]) -> tuple[Link, ...]:
    """The entries of a list of links; each problem at the line of the list."""
    line = where.line(*dotted.split("."))
    schema = replace(_LINK, prefix=f"{dotted}.")
    links = []
    for item in items:
        if not isinstance(item, dict):
            problems.append(error(where.path, line, f"each entry of '{dotted}' must be a table like {_LINK_EXAMPLE}"))
            continue
        checked = validate(item, schema)
        found = [p.diagnostic(where.path, line) for p in checked.problems]
        url = checked.values["url"]
        if "url" not in item:
            found.append(error(where.path, line, f"each entry of '{dotted}' needs a url, like {_LINK_EXAMPLE}"))
        elif not has_errors(found) and _safe_url(url):
            found.append(error(where.path, line, f"'{dotted}' url {_safe_url(url)}"))
        problems += found
        if not has_errors(found):
            links.append(Link(title=checked.values["title"], url=url))
    return tuple(links)


def _entries(items: list[Any], schema: Schema, name: str, where: _KeyLines,
             problems: list[Diagnostic]) -> list[tuple[dict[str, Any], int | None]]:
    """The checked values of each table of an array of tables (`[[name]]`), with the line it starts on;
    an entry with errors is left out."""
    kept = []
    for index, item in enumerate(items):
        line = where.entry_line(name, index)
        if not isinstance(item, dict):
            problems.append(error(where.path, line, f"each entry of '{name}' must be a table: write [[{name}]]"))
            continue
        checked = validate(item, schema)
        found = [p.diagnostic(where.path, line) for p in checked.problems]
        missing = [o.name for o in schema if o.default is None and o.name not in item]
        found += [error(where.path, line, f"each [[{name}]] needs '{key}'") for key in missing]
        problems += found
        if not has_errors(found):
            kept.append((checked.values, line))
    return kept


def _collections(items: list[Any], where: _KeyLines, problems: list[Diagnostic]) -> tuple[Collection, ...]:
    made: dict[str, Collection] = {}
    for values, line in _entries(items, COLLECTION, "collections", where, problems):
        if values["name"] in made:
            problems.append(error(where.path, line, f"collection '{values['name']}' is declared twice"))
            continue
        made[values["name"]] = Collection(**values)
    return tuple(made.values())


def _defaults(items: list[Any], collections: tuple[Collection, ...], where: _KeyLines,
              problems: list[Diagnostic]) -> tuple[FrontMatterDefault, ...]:
    types = (*POST_TYPES, *(c.name for c in collections))
    made = []
    for values, line in _entries(items, DEFAULT, "defaults", where, problems):
        scope = validate(values["scope"], SCOPE)
        found = [p.diagnostic(where.path, line) for p in scope.problems]
        kind = scope.values["type"]
        if kind and kind not in types:
            found.append(error(where.path, line, f"'defaults.scope.type' names no type of file: {kind!r}",
                               did_you_mean(kind, types)))
        problems += found
        if not has_errors(found):
            made.append(FrontMatterDefault(scope.values["path"], kind, FrozenMap(values["values"])))
    return tuple(made)


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _KeyLines:
    """Finds the line a key is set on in the TOML text, for messages (tomllib keeps no positions)."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self._lines = text.splitlines()

    def entry_line(self, name: str, index: int) -> int | None:
        """The line of the `index`-th `[[name]]` header (None when the entries are written inline)."""
        headers = [n for n, raw in enumerate(self._lines, start=1) if re.match(rf"^\[\[\s*{re.escape(name)}\s*\]\]", raw.strip())]
        return headers[index] if index < len(headers) else self.line("", name)

    def line(self, table: str, key: str | None) -> int | None:
        current = ""
        for number, raw in enumerate(self._lines, start=1):
            stripped = raw.strip()
            header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
            if header:
                current = header.group(1)
                if key is None and current == table:
                    return number
                continue
            if key is None:
                continue
            if current == table and re.match(rf"^{re.escape(key)}\s*=", stripped):
                return number
            if current == "" and table and re.match(rf"^{re.escape(table)}\.{re.escape(key)}\s*=", stripped):
                return number
        return None
