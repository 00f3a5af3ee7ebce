"""The theme: Jinja2 templates and static files, the site's own `templates/` over the default theme."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

import jinja2
from pygments.formatters import HtmlFormatter

from sitegen import __version__
from sitegen.config import SiteConfig
from sitegen.image_size import image_size
from sitegen.media import light_only
from sitegen.model import OutputFile, Page
from sitegen.slugs import slugify
from sitegen.urls import absolute_url, localize, rewrite_urls, site_path

# Jekyll layouts people already name in front matter, and the template each means here.
LAYOUT_ALIASES = {"single": None, "post": None, "default": None, "splash": "page", "archive": "page"}
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def default_theme_dir() -> Path:
    """The theme shipped in the wheel (sitegen/_theme), or templates/ beside the package in a checkout."""
    packaged = Path(__file__).parent / "_theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Theme:
    """Template search path: the site's own folder first, then the default theme."""

    folders: tuple[Path, ...]
    config: SiteConfig

    @classmethod
    def for_site(cls, config: SiteConfig) -> "Theme":
        own = config.templates_path
        folders = (own, default_theme_dir()) if own.is_dir() else (default_theme_dir(),)
        return cls(folders=folders, config=config)

    @cached_property
    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in self.folders]),
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(datefmt=_datefmt, iso=_iso, slugify=slugify, absolute_links=self._absolute_links,
                           light_only=light_only)
        env.globals.update(
            site=self.config, url=site_path, generator=f"sitegen {__version__}",
            abs_url=lambda path="": absolute_url(self.config.url, self.config.base_url, site_path(path)),
            term_path=lambda taxonomy, name: f"{taxonomy}/{slugify(name)}/",
            image_size=self.image_size,
        )
        return env

    def image_size(self, src: str) -> tuple[int, int] | None:
        """The pixel size of an image of the site ('/assets/x.svg', a file under content/), for an <img>'s
        width and height; None for external and unknown images."""
        if not src.startswith("/") or src.startswith("//"):
            return None
        content = self.config.content_path.resolve()
        path = (content / unquote(src.split("?")[0].split("#")[0]).lstrip("/")).resolve()
        if not path.is_relative_to(content):
            return None
        if path not in self._sizes:
            self._sizes[path] = image_size(path)
        return self._sizes[path]

    @cached_property
    def _sizes(self) -> dict[Path, tuple[int, int] | None]:
        return {}

    def _absolute_links(self, html: str) -> str:
        """Root paths in `html` as full URLs, for feeds (read outside the site)."""
        return rewrite_urls(html, lambda u: absolute_url(self.config.url, self.config.base_url, u)
                            if u.startswith("/") and not u.startswith("//") else u)

    @cached_property
    def templates(self) -> frozenset[str]:
        return frozenset(name for name in self.environment.list_templates() if name.endswith(TEMPLATE_SUFFIXES)
                         and not name.startswith("static/"))

    def layout_template(self, layout: str, kind: str) -> str | None:
        """The template a front-matter `layout:` names, or None when there is no such template."""
        default = "post.html" if kind == "post" else "page.html"
        if not layout or (layout in LAYOUT_ALIASES and LAYOUT_ALIASES[layout] is None):
            return default
        name = LAYOUT_ALIASES.get(layout) or layout
        name = name if name.endswith(".html") else f"{name}.html"
        return name if name in self.templates else None

    def layouts(self) -> list[str]:
        """Layout names a post may use, for 'did you mean'."""
        names = {t[:-5] for t in self.templates if t.endswith(".html") and "/" not in t}
        return sorted(names | set(LAYOUT_ALIASES))

    def render(self, page: Page, build_time: datetime) -> OutputFile:
        template = self.environment.get_template(page.template)
        text = template.render(dict(page.context), page=page, build_time=build_time)
        if page.output_file.endswith(".html"):
            # From disk there is no server to show 404.html at any depth, so its links stay relative too.
            absolute = page.absolute_links and not self.config.for_disk
            text = localize(text, page.output_file, self.config.base_url, absolute=absolute,
                            for_disk=self.config.for_disk)
        return OutputFile(rel=page.output_file, data=text.encode("utf-8"))

    def static_files(self) -> list[OutputFile]:
        """static/** from every theme folder, the site's own winning file by file."""
        chosen: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        chosen[path.relative_to(folder).as_posix()] = path
        return [OutputFile(rel=rel, copy_from=path) for rel, path in sorted(chosen.items())]

    def pygments_css(self) -> OutputFile:
        """Code colours for light and dark, following the page's data-theme (or the system's setting)."""
        light = HtmlFormatter(style=self.config.theme.code_style_light).get_style_defs(
            ['html[data-theme="light"] .highlight', "html:not([data-theme]) .highlight"])
        dark = HtmlFormatter(style=self.config.theme.code_style_dark).get_style_defs(
            'html[data-theme="dark"] .highlight')
        dark_default = HtmlFormatter(style=self.config.theme.code_style_dark).get_style_defs(
            "html:not([data-theme]) .highlight")
        css = f"{light}\n{dark}\n@media (prefers-color-scheme: dark) {{\n{dark_default}\n}}\n"
        return OutputFile(rel="static/css/pygments.css", data=css.encode("utf-8"))


def _datefmt(value: datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    if "%-d" in fmt:  # portable day without a leading zero
        fmt = fmt.replace("%-d", str(value.day))
    return value.strftime(fmt)


def _iso(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def template_error_line(exc: jinja2.TemplateError) -> tuple[str, int | None]:
    """Where a template error is, for messages."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    return str(name), getattr(exc, "lineno", None)

