"""SourceFile -> Post: front matter people already write for Jekyll (and Minimal Mistakes), Markdown body.

In two phases, so that a post's figures are written once, by the theme, while its Markdown is converted:
`read_source` (SourceFile -> Outline: front matter and animation directives, what planning needs, no HTML)
and, once the animations are rendered, `convert_post` (Outline -> Post)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import nh3

from sitegen.animation.spec import Directive, parse_directive
from sitegen.config import SiteConfig
from sitegen.errors import Diagnostic, InputError, did_you_mean, error, warning
from sitegen.figures import Figures
from sitegen.frontmatter import FrontMatter, split_front_matter
from sitegen.html_policy import refused_scheme, sanitize_content
from sitegen.markup import Fence, MarkdownRenderer, Rendered, plain_text
from sitegen.model import FrozenMap, GalleryItem, Header, Post, SidebarBlock, SourceFile
from sitegen.slugs import slugify, split_date_prefix, title_from_slug, to_datetime
from sitegen.urls import is_external, resolve_relative, rewrite_urls

KNOWN_KEYS = frozenset({
    "title", "date", "last_modified_at", "published", "draft", "excerpt", "teaser", "description", "header",
    "sidebar", "gallery", "tags", "categories", "category", "toc", "layout", "permalink", "slug",
})
_HEADER_KEYS = ("teaser", "image", "overlay_image", "overlay_color", "overlay_filter", "caption", "og_image")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")
_DESCRIPTION_CHARS = 220


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What parsing one file may know about the rest of the site (picklable, for worker processes)."""

    content_dir: str  # e.g. 'content', for messages
    content_files: frozenset[str]  # content-relative paths of every file, to check links
    permalink: str  # pattern for posts, e.g. 'posts/{slug}/'
    raw_html: str = "allow"  # [markdown] raw_html: "allow" passes the author's HTML through, "sanitize" cleans it

    @classmethod
    def for_site(cls, sources: list[SourceFile], config: SiteConfig) -> "ParseContext":
        return cls(content_dir=config.content_dir, content_files=frozenset(s.rel for s in sources),
                   permalink=config.permalink, raw_html=config.markdown.raw_html)


@dataclass(frozen=True, slots=True)
class Outline:
    """A post or page read but not converted: its front matter, its Markdown body and its valid
    animation directives. Everything planning needs, and no HTML."""

    source: SourceFile
    shown: str  # the path shown in messages, e.g. 'content/posts/a.md'
    front: FrontMatter
    title: str
    slug: str
    draft: bool
    animations: tuple[Directive, ...]

    @property
    def source_rel(self) -> str:
        return self.source.rel


def read_source(source: SourceFile, context: ParseContext,
                renderer: MarkdownRenderer) -> tuple[Outline | None, list[Diagnostic]]:
    """Phase 1: read one post or page and find its animations. Returns None (and the reasons) when it
    cannot be used."""
    shown = f"{context.content_dir}/{source.rel}"
    try:
        front = split_front_matter(source.path.read_text(encoding="utf-8"), shown)
    except InputError as exc:
        return None, [exc.diagnostic()]
    except UnicodeDecodeError as exc:
        return None, [error(shown, None, f"not UTF-8 text: {exc.reason}", "save the file as UTF-8")]
    except OSError as exc:  # removed or made unreadable since the build looked
        return None, [error(shown, None, f"cannot be read: {exc.strerror or exc}")]
    fields = _Fields(front, shown, source.rel)
    _, file_slug = _file_name(source.rel)
    slug = slugify(fields.text("slug") or file_slug)
    title = fields.text("title").strip() or title_from_slug(file_slug)
    if not title or not slug:
        fields.fail("title" if "title" in front.data else None,
                    "no title, and none can be made from the file name",
                    "add 'title: ...' to the front matter, or name the file like 2024-03-02-my-project.md", fatal=True)
    draft = fields.flag("draft", False) or not fields.flag("published", True)
    outline = Outline(source, shown, front, title, slug, draft, _directives(renderer.fences(front.body), front, fields))
    return (None if fields.fatal else outline), fields.problems


def convert_post(outline: Outline, context: ParseContext, renderer: MarkdownRenderer,
                 figures: Figures) -> tuple[Post, list[Diagnostic]]:
    """Phase 2, once the animations are rendered: the post with its Markdown as HTML and each
    ```animation fence replaced by the figure the theme writes for it (or by nothing, when it failed)."""
    fields = _Fields(outline.front, outline.shown, outline.source.rel)
    post = _build_post(outline, fields, context, renderer, figures)
    return post, list(dict.fromkeys(fields.problems))  # the excerpt's links are the body's too


class _Fields:
    """Reads typed values out of front matter, recording a diagnostic (with the key's line) per problem."""

    def __init__(self, front: FrontMatter, shown: str, rel: str) -> None:
        self.front, self.shown, self.rel = front, shown, rel
        self.problems: list[Diagnostic] = []
        self.fatal = False

    def fail(self, key: str | None, message: str, hint: str = "", fatal: bool = False) -> None:
        line = self.front.line(key) if key else 1
        self.problems.append(error(self.shown, line, message, hint))
        self.fatal = self.fatal or fatal

    def warn(self, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.shown, line, message, hint))

    def text(self, key: str, default: str = "") -> str:
        value = self.front.data.get(key)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.fail(key, f"'{key}' must be text, not a {'mapping' if isinstance(value, dict) else 'list'}")
            return default
        return str(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.front.data.get(key, default)
        if isinstance(value, bool):
            return value
        self.fail(key, f"'{key}' must be true or false, not {value!r}")
        return default

    def when(self, key: str) -> datetime | None:
        if self.front.data.get(key) is None:
            return None
        try:
            return to_datetime(self.front.data[key])
        except ValueError:
            self.fail(key, f"'{key}' is not a date: {self.front.data[key]!r}",
                      "write it as YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS +0100'")
            return None

    def words(self, *keys: str) -> tuple[str, ...]:
        """Tags or categories: a list, or a string split on commas (or, like Jekyll, on spaces)."""
        for key in keys:
            value = self.front.data.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                parts = value.split(",") if "," in value else value.split()
                return tuple(p.strip() for p in parts if p.strip())
            if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
                return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
            self.fail(key, f"'{key}' must be a string or a list of strings")
        return ()

    def mapping_list(self, key: str) -> list[dict[str, Any]]:
        value = self.front.data.get(key)
        if value is None:
            return []
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(key, f"'{key}' must be a list of mappings", f"e.g. '{key}:\\n  - title: ...'")
            return []
        return items


def _file_name(rel: str) -> tuple[str | None, str]:
    """The date and slug a file's name gives ('2024-03-02-my-project.md'; 'my-project/index.md')."""
    stem = PurePosixPath(rel).stem
    if stem == "index" and "/" in rel:
        stem = PurePosixPath(rel).parent.name
    return split_date_prefix(stem)


def _build_post(outline: Outline, fields: _Fields, context: ParseContext, renderer: MarkdownRenderer,
                figures: Figures) -> Post:
    front, source = fields.front, outline.source
    file_date, _ = _file_name(source.rel)
    date = fields.when("date") or (to_datetime(file_date) if file_date else None)
    if source.kind == "post" and date is None and "date" not in front.data:
        fields.warn(1, "this post has no date", "add 'date: YYYY-MM-DD' or name the file YYYY-MM-DD-slug.md")
    views = figures.views(outline.animations, outline.slug, outline.title, lambda text: sanitize(renderer.render_inline(text)))
    sanitizing = context.raw_html == "sanitize"

    def author_html(markup: str) -> str:  # links resolved, then the sanitiser has the last word
        resolved = _resolve_links(markup, source.rel, context, fields)
        return sanitize_content(resolved) if sanitizing else resolved

    try:
        rendered = renderer.render(front.body, figures.writer(views) if views else None, author_html)
    except InputError as exc:  # the theme's partial cannot be used: the post goes without figures
        fields.problems.append(exc.diagnostic())
        rendered = renderer.render(front.body, None, author_html)
    for snippet, problem in rendered.problems:
        fields.warn(_line_of(front, snippet.strip().splitlines()[0] if snippet.strip() else snippet), problem)
    description = _description(fields, rendered)
    header, teaser_ref = _header(fields, renderer)
    return Post(
        kind=source.kind, source=outline.shown, source_rel=source.rel, title=outline.title, slug=outline.slug,
        url_path=_url_path(source.kind, outline.slug, date, fields, context),
        date=date, last_modified=fields.when("last_modified_at"), draft=outline.draft,
        layout=fields.text("layout"),
        description=description,
        excerpt_html=rendered.excerpt_html or f"<p>{html.escape(description)}</p>",
        content_html=rendered.html, toc_html=sanitize_content(rendered.toc_html) if sanitizing else rendered.toc_html, show_toc=fields.flag("toc", False),
        header=header, sidebar=_sidebar(fields, renderer), gallery=_gallery(fields),
        tags=fields.words("tags"), categories=fields.words("categories", "category"),
        word_count=rendered.word_count,
        extra=FrozenMap({k: v for k, v in front.data.items() if k not in KNOWN_KEYS}),
        front_matter=front.data, key_lines=front.key_lines, animations=outline.animations, teaser_ref=teaser_ref,
        teaser_animation=views.get(teaser_ref if teaser_ref is not None else 0),
    )


def _directives(fences: tuple[Fence, ...], front: FrontMatter, fields: _Fields) -> tuple[Directive, ...]:
    """The post's valid directives. An invalid one is left out but does not drop the post: its errors
    fail the build anyway, and the others are still planned, so their errors are reported too."""
    found = []
    for fence in fences:
        line = front.body_line + (fence.line_index or 0)
        directive, problems = parse_directive(fence.source, fields.shown, line, fence.index)
        fields.problems += problems
        if directive is not None:
            found.append(directive)
    return tuple(found)


def _url_path(kind: str, slug: str, date: datetime | None, fields: _Fields, context: ParseContext) -> str:
    permalink = fields.text("permalink").strip()
    if permalink:
        if is_external(permalink) or ".." in permalink.split("/"):
            fields.fail("permalink", f"'permalink' must be a path inside the site, not {permalink!r}",
                        "e.g. permalink: /projects/my-project/")
        else:
            path = permalink.lstrip("/")
            return path if path == "" or path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"
    if kind == "page":
        return f"{slug}/"
    year, month, day = (f"{date:%Y}", f"{date:%m}", f"{date:%d}") if date else ("", "", "")
    path = context.permalink.format(slug=slug, year=year, month=month, day=day)
    return re.sub(r"/{2,}", "/", path).lstrip("/")


def _resolve_links(markup: str, rel: str, context: ParseContext, fields: _Fields | None) -> str:
    """Relative URLs become site-root paths; a relative link to a missing file is a warning."""
    if not markup:
        return markup

    def resolve(url: str) -> str:
        if not url or url.startswith(("/", "#")) or is_external(url):
            return url
        resolved = resolve_relative(html.unescape(url), rel)
        if resolved is None:
            if fields:
                fields.warn(_line_of(fields.front, url), f"link '{url}' points outside the content folder")
            return url
        target = resolved.split("#", 1)[0].split("?", 1)[0].lstrip("/")
        if fields and target and unquote(target).rstrip("/") not in context.content_files:
            fields.warn(_line_of(fields.front, url), f"link '{url}' points to a file that does not exist",
                        f"looked for {context.content_dir}/{unquote(target)}")
        return html.escape(resolved, quote=True)

    return rewrite_urls(markup, resolve)


def _line_of(front: FrontMatter, needle: str) -> int | None:
    index = front.body.find(needle)
    return None if index < 0 else front.body_line + front.body.count("\n", 0, index)


def _description(fields: _Fields, rendered: Rendered) -> str:
    for key in ("excerpt", "description", "teaser"):
        text = fields.text(key).strip()
        if text and not (key == "teaser" and text.lower().endswith(_IMAGE_SUFFIXES)):
            return plain_text(text)
    return _shorten(plain_text(rendered.summary_html), _DESCRIPTION_CHARS)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def _url(fields: _Fields, dotted: str, value: Any) -> str:
    """A link or image path from front matter: external and root paths as written, relative ones
    resolved. One that would run script is an error in every raw_html mode, and left out."""
    text = str(value or "").strip()
    if not text:
        return ""
    scheme = refused_scheme(text)
    if scheme:
        top_key = re.split(r"[.\[]", dotted, maxsplit=1)[0]
        fields.fail(top_key, f"'{dotted}' is a {scheme}: URL, which sitegen never puts in a page",
                    "link to a page or a file instead, e.g. /assets/img/figure.png or https://…")
        return ""
    return resolve_relative(text, fields.rel) or text


_TEASER_ANIMATION = re.compile(r"^animation(?::(\d+))?$")


def _header(fields: _Fields, renderer: MarkdownRenderer) -> tuple[Header, int | None]:
    raw = fields.front.data.get("header") or {}
    if not isinstance(raw, dict):
        fields.fail("header", "'header' must be a mapping", "e.g. 'header:\\n  teaser: /assets/img/teaser.png'")
        raw = {}
    unknown = set(raw) - set(_HEADER_KEYS) - {"actions", "video", "overlay_color_dark", "image_description", "show_overlay_excerpt"}
    for key in sorted(unknown):
        fields.warn(fields.front.line("header"), f"unknown key 'header.{key}' is ignored", did_you_mean(key, _HEADER_KEYS))
    teaser, teaser_key = raw.get("teaser"), "header.teaser"
    top_teaser = fields.text("teaser").strip()
    if not teaser and top_teaser.lower().endswith(_IMAGE_SUFFIXES):
        teaser, teaser_key = top_teaser, "teaser"
    teaser_ref = None
    named = _TEASER_ANIMATION.match(str(teaser or "").strip())
    if named:  # `teaser: animation` or `teaser: animation:2` (1-based): the card plays that animation
        teaser, teaser_ref = "", int(named.group(1) or 1) - 1
    caption = str(raw.get("caption") or "")
    return Header(
        teaser=_url(fields, teaser_key, teaser), image=_url(fields, "header.image", raw.get("image")),
        overlay_image=_url(fields, "header.overlay_image", raw.get("overlay_image")),
        overlay_color=_css_colour(raw.get("overlay_color")), overlay_filter=_overlay_filter(raw.get("overlay_filter")),
        caption_html=sanitize(renderer.render_inline(caption)) if caption else "",
        og_image=_url(fields, "header.og_image", raw.get("og_image")),
    ), teaser_ref


def _css_colour(value: Any) -> str:
    text = str(value or "").strip()
    return text if re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+|rgba?\([\d\s.,%]+\)", text) else ""


def _overlay_filter(value: Any) -> str:
    """A number 0-1 means a black veil of that opacity; a CSS rgba() colour is used as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"rgba(0, 0, 0, {min(max(float(value), 0.0), 1.0)})"
    return _css_colour(value)


def _sidebar(fields: _Fields, renderer: MarkdownRenderer) -> tuple[SidebarBlock, ...]:
    """Sidebar text is Markdown that may hold HTML (as in Minimal Mistakes), sanitised."""
    blocks = []
    for index, item in enumerate(fields.mapping_list("sidebar")):
        text = str(item.get("text") or "")
        blocks.append(SidebarBlock(
            title=str(item.get("title") or ""), image=_url(fields, f"sidebar[{index}].image", item.get("image")),
            image_alt=str(item.get("image_alt") or ""),
            text_html=sanitize(renderer.render_inline(text)) if text else "",
        ))
    return tuple(blocks)


def _gallery(fields: _Fields) -> tuple[GalleryItem, ...]:
    items = []
    for index, item in enumerate(fields.mapping_list("gallery")):
        url = _url(fields, f"gallery[{index}].url", item.get("url"))
        image_path = _url(fields, f"gallery[{index}].image_path", item.get("image_path")) or url
        items.append(GalleryItem(url=url or image_path, image_path=image_path,
                                 alt=str(item.get("alt") or ""), title=str(item.get("title") or "")))
    return tuple(items)


def sanitize(markup: str) -> str:
    """HTML written in front matter (sidebar text, captions): formatting and links kept, scripts gone."""
    return nh3.clean(markup, link_rel="noopener noreferrer")
