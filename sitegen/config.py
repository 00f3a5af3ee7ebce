"""sitegen.toml -> a frozen SiteConfig. Every option is declared once, with a type and a default;
validation reports every problem with its key, its line and a "did you mean" for unknown keys."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from sitegen import PRESETS
from sitegen.errors import Diagnostic, did_you_mean, error
from sitegen.sizes import size_problem

CONFIG_NAME = "sitegen.toml"
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Author:
    name: str = ""
    avatar: str = ""
    bio: str = ""
    email: str = ""
    links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class ThemeOptions:
    accent: str = "#0b7285"
    accent_dark: str = "#66d9e8"
    background: str = "#fcfcfb"
    background_dark: str = "#0e1114"
    text: str = "#1d2125"
    text_dark: str = "#e4e7eb"
    nav: tuple[Link, ...] = ()
    code_style_light: str = "friendly"
    code_style_dark: str = "monokai"


@dataclass(frozen=True, slots=True)
class RenderOptions:
    preset: str = "small"  # "small": files for publishing; "fast": renders several times faster, larger files
    script_memory: str = "4 GiB"  # the most memory an author's script may use (a directive's 'memory:' overrides)
    scheduler: str = ""  # a Dask scheduler's address (tcp://HOST:8786) to render on; "": processes on this machine


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    raw_html: str = "allow"  # "allow": the author's HTML as written (trusted); "sanitize": cleaned with nh3


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one animation may ask for, checked before anything is drawn or loaded."""

    max_frame_pixels: int = 4096 * 4096  # width × height of one frame
    max_frames: int = 5000  # frames of one animation (a directive's 'max_frames:' overrides it)
    max_data_size: str | int = "1 GiB"  # the arrays of one animation's 'data:', once loaded

    @property
    def max_data_bytes(self) -> int:
        from sitegen.sizes import parse_bytes

        return parse_bytes(self.max_data_size)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path = Path(".")
    title: str = "My portfolio"
    description: str = ""
    url: str = ""
    base_url: str = "/"
    language: str = "en"
    content_dir: str = "content"
    output_dir: str = "site"
    cache_dir: str = ".sitegen-cache"
    posts_per_page: int = 12
    permalink: str = "posts/{slug}/"
    author: Author = field(default_factory=Author)
    theme: ThemeOptions = field(default_factory=ThemeOptions)
    render: RenderOptions = field(default_factory=RenderOptions)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    limits: Limits = field(default_factory=Limits)
    drafts: bool = False

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


# ---- the schema: (key, type, check) per table; defaults come from the dataclasses above ----

Check = Callable[[Any], str | None]


def _nonempty(value: Any) -> str | None:
    return None if value.strip() else "must not be empty"


def _colour(value: Any) -> str | None:
    return None if _COLOUR.match(value) else "must be a colour like '#0b7285'"


def _site_url(value: Any) -> str | None:
    if value and not re.match(r"^https?://[^/\s]+", value):
        return "must start with http:// or https:// (e.g. 'https://name.github.io')"
    return None


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be a positive number"


def _preset(value: Any) -> str | None:
    if value in PRESETS:
        return None
    hint = did_you_mean(value, PRESETS)
    return f"must be {' or '.join(repr(p) for p in PRESETS)}" + (f"; {hint}" if hint.startswith("did") else "")


def _scheduler(value: Any) -> str | None:
    if not value or re.match(r"^((tcp|tls|inproc|ucx)://)?[\w.\-\[\]:]+$", value):
        return None
    return "must be a Dask scheduler address like 'tcp://10.0.0.5:8786', or empty to render on this machine"


def _raw_html(value: Any) -> str | None:
    from sitegen.html_policy import RAW_HTML_MODES

    return None if value in RAW_HTML_MODES else f"must be {' or '.join(repr(m) for m in RAW_HTML_MODES)}"


def _safe_url(value: Any) -> str | None:
    from sitegen.html_policy import refused_scheme

    scheme = refused_scheme(value)
    return f"is a {scheme}: URL, which sitegen never puts in a page" if scheme else None


def _permalink(value: Any) -> str | None:
    return None if "{slug}" in value else "must contain '{slug}' (e.g. 'posts/{slug}/')"


_LINK_KEYS = {"title": str, "url": str}
_TOP: dict[str, tuple[type, Check | None]] = {
    "title": (str, _nonempty),
    "description": (str, None),
    "url": (str, _site_url),
    "base_url": (str, None),
    "language": (str, _nonempty),
    "content_dir": (str, _nonempty),
    "output_dir": (str, _nonempty),
    "cache_dir": (str, _nonempty),
    "posts_per_page": (int, _positive),
    "permalink": (str, _permalink),
}
_AUTHOR: dict[str, tuple[type, Check | None]] = {
    "name": (str, None), "avatar": (str, _safe_url), "bio": (str, None), "email": (str, None),
    "links": (list, None),
}
_THEME: dict[str, tuple[type, Check | None]] = {
    "accent": (str, _colour), "accent_dark": (str, _colour), "nav": (list, None),
    "background": (str, _colour), "background_dark": (str, _colour), "text": (str, _colour), "text_dark": (str, _colour),
    "code_style_light": (str, None), "code_style_dark": (str, None),
}
_RENDER: dict[str, tuple[type, Check | None]] = {"preset": (str, _preset), "script_memory": (str, size_problem),
                                                  "scheduler": (str, _scheduler)}
_LIMITS: dict[str, tuple[type | tuple[type, ...], Check | None]] = {
    "max_frame_pixels": (int, _positive), "max_frames": (int, _positive), "max_data_size": ((str, int), size_problem),
}
_MARKDOWN: dict[str, tuple[type, Check | None]] = {"raw_html": (str, _raw_html)}
_TABLES = {"author": _AUTHOR, "theme": _THEME, "render": _RENDER, "markdown": _MARKDOWN, "limits": _LIMITS}


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
    top = _check_table(raw, _TOP, "", where, problems, extra=set(_TABLES))
    author = _check_table(raw.get("author", {}), _AUTHOR, "author", where, problems)
    theme = _check_table(raw.get("theme", {}), _THEME, "theme", where, problems)
    render = _check_table(raw.get("render", {}), _RENDER, "render", where, problems)
    markdown = _check_table(raw.get("markdown", {}), _MARKDOWN, "markdown", where, problems)
    limits = _check_table(raw.get("limits", {}), _LIMITS, "limits", where, problems)
    if "links" in author:
        author["links"] = _links(author["links"], "author.links", where, problems)
    if "nav" in theme:
        theme["nav"] = _links(theme["nav"], "theme.nav", where, problems)
    _check_style(theme, where, problems)
    config = SiteConfig(root=root, author=Author(**author), theme=ThemeOptions(**theme),
                        render=RenderOptions(**render), markdown=MarkdownOptions(**markdown),
                        limits=Limits(**limits), **top)
    return _finish(config, base_url, drafts), problems


def _finish(config: SiteConfig, base_url: str | None, drafts: bool) -> SiteConfig:
    return replace(config, base_url=normalise_base_url(base_url if base_url is not None else config.base_url),
                   url=config.url.rstrip("/"), drafts=drafts)


def normalise_base_url(value: str) -> str:
    """'repo', '/repo', 'repo/' -> '/repo/'; '' -> '/'. A full URL keeps only its path."""
    value = re.sub(r"^https?://[^/]+", "", value.strip())
    parts = [p for p in value.split("/") if p]
    return "/" + "".join(p + "/" for p in parts)


def _check_table(raw: Any, schema: dict[str, tuple[type | tuple[type, ...], Check | None]], table: str,
                 where: "_KeyLines", problems: list[Diagnostic], extra: set[str] = frozenset()) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(error(where.path, where.line(table, None), f"[{table}] must be a table"))
        return {}
    good: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{table}.{key}" if table else key
        if key in extra:
            continue
        if key not in schema:
            problems.append(error(where.path, where.line(table, key), f"unknown key '{dotted}'",
                                  did_you_mean(key, list(schema) + sorted(extra))))
            continue
        expected, check = schema[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and bool not in _types(expected)):
            problems.append(error(where.path, where.line(table, key),
                                  f"'{dotted}' must be {_type_name(expected)}, not {_type_name(type(value))}"))
            continue
        message = check(value) if check else None
        if message:
            problems.append(error(where.path, where.line(table, key), f"'{dotted}' {message}"))
            continue
        good[key] = value
    return good


def _links(items: list[Any], dotted: str, where: "_KeyLines", problems: list[Diagnostic]) -> tuple[Link, ...]:
    table, key = dotted.split(".")
    links = []
    for item in items:
        if not isinstance(item, dict) or set(item) - {"title", "url", "label"} or "url" not in item:
            problems.append(error(where.path, where.line(table, key),
                                  f"each entry of '{dotted}' must be a table like {{ title = \"About\", url = \"/about/\" }}"))
            continue
        title = item.get("title", item.get("label", ""))
        if not all(isinstance(v, str) for v in item.values()):
            problems.append(error(where.path, where.line(table, key), f"'{dotted}' titles and urls must be strings"))
            continue
        unsafe = _safe_url(item["url"])
        if unsafe:
            problems.append(error(where.path, where.line(table, key), f"'{dotted}' url {unsafe}"))
            continue
        links.append(Link(title=title, url=item["url"]))
    return tuple(links)


def _check_style(theme: dict[str, Any], where: "_KeyLines", problems: list[Diagnostic]) -> None:
    from pygments.styles import get_all_styles

    styles = set(get_all_styles())
    for key in ("code_style_light", "code_style_dark"):
        if key in theme and theme[key] not in styles:
            name = theme.pop(key)
            problems.append(error(where.path, where.line("theme", key),
                                  f"'theme.{key}' names no Pygments style: '{name}'", did_you_mean(name, styles)))


def _types(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", list: "a list", dict: "a table", bool: "true or false",
             float: "a number"}
    return " or ".join(names.get(k, k.__name__) for k in _types(kind))


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _KeyLines:
    """Finds the line a key is set on in the TOML text, for messages (tomllib keeps no positions)."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self._lines = text.splitlines()

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
