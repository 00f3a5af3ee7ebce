"""SourceFile -> Post: front matter people already write for Jekyll (and Minimal Mistakes), Markdown body.

In two phases, so that a post's figures are written once, by the theme, while its Markdown is converted:
`read_source` (SourceFile -> Outline: front matter and animation directives, what planning needs, no HTML)
and, once the animations are rendered, `convert_post` (Outline -> Post)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any, Callable

import nh3

from sitegen.academic.citations import Citer, finish_post, unlinked
from sitegen.animation.spec import Directive, parse_directive
from sitegen.config import SiteConfig
from sitegen.errors import Diagnostic, InputError, did_you_mean, error
from sitegen.figures import Figures
from sitegen.frontmatter import FrontMatter, split_front_matter
from sitegen.html_policy import sanitize_content
from sitegen.liquid.fragments import restore
from sitegen.liquid.render import LiquidResult, has_liquid
from sitegen.liquid.variables import PageInfo
from sitegen.fields import Fields as _Fields
from sitegen.markup import Fence, MarkdownRenderer, Rendered, plain_text
from sitegen.front_images import FrontImages
from sitegen.media import IMAGE_SUFFIXES as _IMAGE_SUFFIXES, content_path, found_twin, missing_hint, names_content_file, pair_images
from sitegen.model import FrozenMap, GalleryItem, Header, Post, SidebarBlock, SourceFile
from sitegen.scopes import FrontMatterDefault, file_type, with_defaults
from sitegen.slugs import slugify, split_date_prefix, title_from_slug, to_datetime
from sitegen.urls import is_external, resolve_relative, rewrite_urls

KNOWN_KEYS = frozenset({
    "title", "date", "last_modified_at", "published", "draft", "excerpt", "teaser", "description", "header",
    "sidebar", "gallery", "tags", "categories", "category", "toc", "layout", "permalink", "slug",
    "related", "publication",
})
_HEADER_KEYS = ("teaser", "image", "overlay_image", "overlay_color", "overlay_filter", "caption", "og_image",
                "teaser_dark", "image_dark", "overlay_image_dark")
_DESCRIPTION_CHARS = 220


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What parsing one file may know about the rest of the site (picklable, for worker processes)."""

    content_dir: str  # e.g. 'content', for messages
    content_files: frozenset[str]  # content-relative paths of every file, to check links
    permalink: str  # pattern for posts, e.g. 'posts/{slug}/'
    raw_html: str = "allow"  # [markdown] raw_html: "allow" passes the author's HTML through, "sanitize" cleans it
    site_prefix: str = ""  # the site's own full URL ('https://me.github.io/repo/'): links to it become root paths
    defaults: tuple[FrontMatterDefault, ...] = ()  # [[defaults]]: front matter for files that do not set it
    collection_permalinks: tuple[tuple[str, str], ...] = ()  # (a collection's name, its documents' permalink)
    bibliography: Any = None  # the .bib files' entries (academic.Bibliography), for citations; set by build.convert_all

    @classmethod
    def for_site(cls, sources: list[SourceFile], config: SiteConfig) -> "ParseContext":
        return cls(content_dir=config.content_dir, content_files=frozenset(s.rel for s in sources),
                   permalink=config.permalink, raw_html=config.markdown.raw_html,
                   site_prefix=config.url + config.base_url if config.url else "", defaults=config.defaults,
                   collection_permalinks=tuple((c.name, c.url_pattern()) for c in config.collections))


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
    body: str | None = None  # the body after Liquid (None: the front matter's body, which had none)
    lines: tuple[int, ...] = ()  # the source line of each line of `body`
    fragments: tuple[str, ...] = ()  # the theme's HTML its Liquid wrote, put back after Markdown

    @property
    def source_rel(self) -> str:
        return self.source.rel

    @property
    def text(self) -> str:
        """What Markdown converts."""
        return self.front.body if self.body is None else self.body

    def line(self, index: int) -> int:
        """The line in the source file of line `index` (0-based) of `text`."""
        return self.lines[min(index, len(self.lines) - 1)] if self.lines else self.front.body_line + index


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
    front = _with_defaults(front, source, context)
    fields = _Fields(front, shown, source.rel)
    _, file_slug = _file_name(source.rel)
    slug = slugify(fields.text("slug") or file_slug)
    title = fields.text("title").strip() or title_from_slug(file_slug)
    if not title or not slug:
        fields.fail("title" if "title" in front.data else None,
                    "no title, and none can be made from the file name",
                    "add 'title: ...' to the front matter, or name the file like 2024-03-02-my-project.md", fatal=True)
    draft = fields.flag("draft", False) or not fields.flag("published", True)
    fences = () if has_liquid(front.body) else renderer.fences(front.body)  # else found once Liquid ran
    outline = Outline(source, shown, front, title, slug, draft, _directives(fences, lambda i: front.body_line + i, fields))
    return (None if fields.fatal else outline), fields.problems


def _with_defaults(front: FrontMatter, source: SourceFile, context: ParseContext) -> FrontMatter:
    """The front matter over the [[defaults]] that apply to the file (its own keys win)."""
    merged = with_defaults(front.data, source.rel, file_type(source.kind, source.collection), context.defaults)
    return front if merged is None else replace(front, data=FrozenMap(merged))


def page_info(outline: Outline, context: ParseContext) -> PageInfo:
    """What Liquid's `page` and `site.posts` show of a post before it is rendered."""
    fields = _Fields(outline.front, outline.shown, outline.source.rel)  # its problems are convert_post's to report
    date, kind, front = _date(fields, outline.source.rel), outline.source.kind, outline.front
    first = front.body.strip().split("\n\n", 1)[0]
    url = "/" + _url_path(outline.source, outline.slug, date, fields, context)
    return PageInfo(kind, outline.shown, outline.source.rel, url, outline.title, outline.slug, date, front.data,
                    fields.words("tags"), fields.words("categories", "category"),
                    fields.text("excerpt") or ("" if has_liquid(first) else first), outline.source.collection)


def with_liquid(outline: Outline, result: LiquidResult, renderer: MarkdownRenderer) -> tuple[Outline, list[Diagnostic]]:
    """The outline with its body after Liquid, and the animations found in that body."""
    fields = _Fields(outline.front, outline.shown, outline.source.rel)
    rendered = replace(outline, body=result.text, lines=result.lines, fragments=result.fragments)
    animations = _directives(renderer.fences(result.text), rendered.line, fields)
    return replace(rendered, animations=animations), [*result.problems, *fields.problems]


def convert_post(outline: Outline, context: ParseContext, renderer: MarkdownRenderer,
                 figures: Figures) -> tuple[Post, list[Diagnostic]]:
    """Phase 2, once the animations are rendered: the post with its Markdown as HTML and each
    ```animation fence replaced by the figure the theme writes for it (or by nothing, when it failed)."""
    fields = _Fields(outline.front, outline.shown, outline.source.rel, outline)
    post = _build_post(outline, fields, context, renderer, figures)
    return post, list(dict.fromkeys(fields.problems))  # the excerpt's links are the body's too


def _file_name(rel: str) -> tuple[str | None, str]:
    """The date and slug a file's name gives ('2024-03-02-my-project.md'; 'my-project/index.md')."""
    stem = PurePosixPath(rel).stem
    if stem == "index" and "/" in rel:
        stem = PurePosixPath(rel).parent.name
    return split_date_prefix(stem)


def _build_post(outline: Outline, fields: _Fields, context: ParseContext, renderer: MarkdownRenderer,
                figures: Figures) -> Post:
    front, source = fields.front, outline.source
    date = _date(fields, source.rel)
    if source.kind == "post" and date is None and "date" not in front.data:
        fields.warn(1, "this post has no date", "add 'date: YYYY-MM-DD' or name the file YYYY-MM-DD-slug.md")
    views = figures.views(outline.animations, outline.slug, outline.title, lambda text: sanitize(renderer.render_inline(text)))
    sanitizing = context.raw_html == "sanitize"

    def author_html(markup: str) -> str:  # links resolved, then the sanitiser has the last word
        resolved = _resolve_links(pair_images(markup, source.rel, context.content_files), source.rel, context, fields)
        return sanitize_content(resolved) if sanitizing else resolved

    citer = Citer(context.bibliography) if context.bibliography else None
    try:
        rendered = renderer.render(outline.text, figures.writer(views) if views else None, author_html, citer)
    except InputError as exc:  # the theme's partial cannot be used: the post goes without figures
        fields.problems.append(exc.diagnostic())
        rendered = renderer.render(outline.text, None, author_html, citer)
    # The theme's Liquid fragments go in after the cleaning; their images are paired and checked as the author's.
    kept = tuple(_resolve_links(pair_images(f, source.rel, context.content_files), source.rel, context, fields)
                 for f in outline.fragments)
    toc = rendered.toc_html
    rendered = replace(rendered, html=restore(rendered.html, kept, toc), excerpt_html=restore(rendered.excerpt_html, kept, toc),
                       summary_html=restore(rendered.summary_html, kept, drop=True))
    for snippet, problem in rendered.problems:
        fields.warn(_line_of(fields, snippet.strip().splitlines()[0] if snippet.strip() else snippet), problem)
    description = _description(fields, rendered)
    images = FrontImages(fields, context.content_files, context.content_dir)
    header, teaser_ref = _header(fields, renderer, images)
    return Post(
        kind=source.kind, source=outline.shown, source_rel=source.rel, title=outline.title, slug=outline.slug,
        url_path=_url_path(source, outline.slug, date, fields, context), collection=source.collection,
        date=date, last_modified=fields.when("last_modified_at"), draft=outline.draft,
        layout=fields.text("layout"),
        description=description,
        excerpt_html=unlinked(rendered.excerpt_html) or f"<p>{html.escape(description)}</p>",
        content_html=finish_post(rendered.html, citer, fields, lambda needle: _line_of(fields, needle)), toc_html=sanitize_content(rendered.toc_html) if sanitizing else rendered.toc_html, show_toc=fields.flag("toc", False),
        header=header, sidebar=_sidebar(fields, renderer, images), gallery=_gallery(fields, images),
        tags=fields.words("tags"), categories=fields.words("categories", "category"),
        word_count=rendered.word_count,
        extra=FrozenMap({k: v for k, v in front.data.items() if k not in KNOWN_KEYS}),
        front_matter=front.data, key_lines=front.key_lines, animations=outline.animations, teaser_ref=teaser_ref,
        teaser_animation=views.get(teaser_ref if teaser_ref is not None else 0),
        show_related=fields.flag("related", True),
    )


def _date(fields: _Fields, rel: str) -> datetime | None:
    file_date, _ = _file_name(rel)
    return fields.when("date") or (to_datetime(file_date) if file_date else None)


def _directives(fences: tuple[Fence, ...], line_of: Callable[[int], int], fields: _Fields) -> tuple[Directive, ...]:
    """The post's valid directives. An invalid one is left out but does not drop the post: its errors
    fail the build anyway, and the others are still planned, so their errors are reported too."""
    found = []
    for fence in fences:
        line = line_of(fence.line_index or 0)
        directive, problems = parse_directive(fence.source, fields.shown, line, fence.index)
        fields.problems += problems
        if directive is not None:
            found.append(directive)
    return tuple(found)


def _url_path(source: SourceFile, slug: str, date: datetime | None, fields: _Fields, context: ParseContext) -> str:
    permalink = fields.text("permalink").strip()
    if permalink:
        if is_external(permalink) or ".." in permalink.split("/"):
            fields.fail("permalink", f"'permalink' must be a path inside the site, not {permalink!r}",
                        "e.g. permalink: /projects/my-project/")
        else:
            path = permalink.lstrip("/")
            return path if path == "" or path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"
    pattern = dict(context.collection_permalinks).get(source.collection) if source.collection else None
    if source.kind == "page" and pattern is None:
        return f"{slug}/"
    year, month, day = (f"{date:%Y}", f"{date:%m}", f"{date:%d}") if date else ("", "", "")
    path = (pattern or context.permalink).format(slug=slug, year=year, month=month, day=day)
    return re.sub(r"/{2,}", "/", path).lstrip("/")


def _resolve_links(markup: str, rel: str, context: ParseContext, fields: _Fields | None) -> str:
    """Relative URLs become site-root paths; a relative link to a missing file is a warning."""
    if not markup:
        return markup

    def resolve(url: str) -> str:
        if context.site_prefix and url.startswith(context.site_prefix):  # {{ site.url }}/…: the site's own
            url = "/" + url[len(context.site_prefix):]
        if url.startswith("/") and not url.startswith("//"):  # a root path: checked where it names a content file
            if fields and names_content_file(url, context.content_files):
                _warn_missing(fields, context, url, html.unescape(url))
            return url
        if not url or url.startswith("#") or is_external(url):
            return url
        resolved = resolve_relative(html.unescape(url), rel)
        if resolved is None:
            if fields:
                fields.warn(_line_of(fields, url), f"link '{url}' points outside the content folder")
            return url
        if fields:
            _warn_missing(fields, context, url, resolved)
        return html.escape(resolved, quote=True)

    return rewrite_urls(markup, resolve)


def _warn_missing(fields: _Fields, context: ParseContext, url: str, resolved: str) -> None:
    """A warning at the line of `url` in the body when the file it names (`resolved`, a root path) is not in content/."""
    target = content_path(resolved)
    if target and target not in context.content_files:
        fields.warn(_line_of(fields, url), f"link '{url}' points to a file that does not exist",
                    missing_hint(target, context.content_files, context.content_dir))


def _line_of(fields: _Fields, needle: str) -> int | None:
    text = fields.outline.text if fields.outline else fields.front.body
    index = text.find(needle)
    if index >= 0 and fields.outline:
        return fields.outline.line(text.count("\n", 0, index))
    if index < 0 and fields.outline:  # written by Liquid (a theme include's argument): in the source body
        text = fields.front.body
        index = text.find(needle)
    return fields.front.body_line + text.count("\n", 0, index) if index >= 0 else None


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


_TEASER_ANIMATION = re.compile(r"^animation(?::(\d+))?$")


def _header(fields: _Fields, renderer: MarkdownRenderer, images: FrontImages) -> tuple[Header, int | None]:
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
    teaser_named = bool(str(teaser or "").strip())
    teaser, teaser_dark = images.image(teaser_key, teaser, raw.get("teaser_dark"))
    image, image_dark = images.image("header.image", raw.get("image"), raw.get("image_dark"))
    overlay, overlay_dark = images.image("header.overlay_image", raw.get("overlay_image"), raw.get("overlay_image_dark"))
    return Header(
        teaser=teaser, teaser_dark=teaser_dark, image=image, image_dark=image_dark,
        overlay_image=overlay, overlay_image_dark=overlay_dark, teaser_missing=teaser_named and not teaser,
        overlay_color=_css_colour(raw.get("overlay_color")), overlay_filter=_overlay_filter(raw.get("overlay_filter")),
        caption_html=sanitize(renderer.render_inline(caption)) if caption else "",
        og_image=images.present("header.og_image", raw.get("og_image")),
    ), teaser_ref


def _css_colour(value: Any) -> str:
    text = str(value or "").strip()
    return text if re.fullmatch(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]+|rgba?\([\d\s.,%]+\)", text) else ""


def _overlay_filter(value: Any) -> str:
    """A number 0-1 means a black veil of that opacity; a CSS rgba() colour is used as it is."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"rgba(0, 0, 0, {min(max(float(value), 0.0), 1.0)})"
    return _css_colour(value)


def _sidebar(fields: _Fields, renderer: MarkdownRenderer, images: FrontImages) -> tuple[SidebarBlock, ...]:
    """Sidebar text is Markdown that may hold HTML (as in Minimal Mistakes), sanitised."""
    blocks = []
    for index, item in enumerate(fields.mapping_list("sidebar")):
        text = str(item.get("text") or "")
        image, image_dark = images.image(f"sidebar[{index}].image", item.get("image"), item.get("image_dark"))
        blocks.append(SidebarBlock(
            title=str(item.get("title") or ""), image=image, image_dark=image_dark,
            image_alt=str(item.get("image_alt") or ""),
            text_html=sanitize(renderer.render_inline(text)) if text else "",
        ))
    return tuple(blocks)


def _gallery(fields: _Fields, images: FrontImages) -> tuple[GalleryItem, ...]:
    items = []
    for index, item in enumerate(fields.mapping_list("gallery")):
        url = images.present(f"gallery[{index}].url", item.get("url"))
        image_path, image_dark = images.image(f"gallery[{index}].image_path", item.get("image_path"))
        if not image_path:  # Minimal Mistakes: the linked image is its own thumbnail
            image_path, image_dark = url, found_twin(url, fields.rel, images.files)
        if not image_path:  # nothing left to show
            continue
        items.append(GalleryItem(url=url or image_path, image_path=image_path, image_dark=image_dark,
                                 alt=str(item.get("alt") or ""), title=str(item.get("title") or "")))
    return tuple(items)


def sanitize(markup: str) -> str:
    """HTML written in front matter (sidebar text, captions): formatting and links kept, scripts gone."""
    return nh3.clean(markup, link_rel="noopener noreferrer")
