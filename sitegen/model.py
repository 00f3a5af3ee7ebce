"""The frozen objects that flow between the stages of a build."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator


class FrozenMap(Mapping[str, Any]):
    """A read-only, picklable mapping; templates reach keys as attributes too (`post.extra.venue`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None, **items: Any) -> None:
        object.__setattr__(self, "_data", {**(data or {}), **items})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("FrozenMap is read-only")

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file under content/. `rel` is its POSIX path relative to content/ (used in messages and URLs)."""

    path: Path
    rel: str
    kind: str  # "post", "page" or "asset"
    collection: str = ""  # the [[collections]] folder a page is a document of ('portfolio'), or ''


@dataclass(frozen=True, slots=True)
class Header:
    """A post's header images as site paths ('' when unset or missing); each `*_dark` is its dark twin."""

    teaser: str = ""
    image: str = ""
    overlay_image: str = ""
    overlay_color: str = ""
    overlay_filter: str = ""
    caption_html: str = ""
    og_image: str = ""
    teaser_dark: str = ""
    image_dark: str = ""
    overlay_image_dark: str = ""
    teaser_missing: bool = False  # a teaser image was named but is not there: the card shows no media


@dataclass(frozen=True, slots=True)
class SidebarBlock:
    title: str = ""
    image: str = ""
    image_alt: str = ""
    text_html: str = ""
    image_dark: str = ""


@dataclass(frozen=True, slots=True)
class GalleryItem:
    url: str = ""
    image_path: str = ""
    alt: str = ""
    title: str = ""
    image_dark: str = ""


@dataclass(frozen=True, slots=True)
class Post:
    """A parsed post or standalone page. Internal URLs in its HTML are site-root paths ('/posts/a.png');
    the theme turns them into links relative to the page they appear on."""

    kind: str  # "post" or "page"
    source: str  # the path shown in messages, e.g. 'content/posts/a.md'
    source_rel: str  # relative to content/, e.g. 'posts/a.md'
    title: str
    slug: str
    url_path: str  # site-relative output location: 'posts/slug/' or 'about.html'
    date: datetime | None
    last_modified: datetime | None
    draft: bool
    layout: str
    description: str  # plain text, for cards and meta tags
    excerpt_html: str
    content_html: str
    toc_html: str
    show_toc: bool
    header: Header
    sidebar: tuple[SidebarBlock, ...]
    gallery: tuple[GalleryItem, ...]
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    word_count: int
    extra: FrozenMap  # front-matter keys sitegen does not interpret, for templates
    front_matter: FrozenMap
    key_lines: FrozenMap  # front-matter key -> line in the source file
    animations: tuple[Any, ...] = ()  # the post's animation Directives, in order
    teaser_ref: int | None = None  # `header.teaser: animation` (or `animation:2`): which animation the card plays
    teaser_animation: AnimationView | None = None  # what the card shows (the one it plays, or the first one's poster)
    collection: str = ""  # the collection a page is a document of, or ''
    show_related: bool = True  # front matter `related: false` turns the post's related posts off

    @property
    def reading_time(self) -> int:
        """Minutes at 200 words a minute, at least one."""
        return max(1, round(self.word_count / 200))

    @property
    def teaser_image(self) -> str:
        return self.header.teaser or self.header.image or self.header.overlay_image

    @property
    def teaser_image_dark(self) -> str:
        """The dark twin of `teaser_image`, or ''."""
        h = self.header
        return h.teaser_dark if h.teaser else h.image_dark if h.image else h.overlay_image_dark

    @property
    def teaser_plays(self) -> bool:
        """The card plays its animation (rather than showing a still) when the teaser names one."""
        return self.teaser_ref is not None

    @property
    def og_image(self) -> str:
        return self.header.og_image or self.header.teaser or self.header.image or self.header.overlay_image

    @property
    def output_file(self) -> str:
        return output_file(self.url_path)


@dataclass(frozen=True, slots=True)
class Term:
    """A tag or category with the posts that carry it, newest first."""

    taxonomy: str  # "tags" or "categories"
    name: str
    slug: str
    posts: tuple[Post, ...]

    @property
    def url_path(self) -> str:
        return f"{self.taxonomy}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Paginator:
    number: int
    count: int
    url_path: str
    prev_path: str | None
    next_path: str | None


@dataclass(frozen=True, slots=True)
class Page:
    """One file to render: a template, the context it needs, and where it goes in site/."""

    template: str
    url_path: str
    title: str
    context: FrozenMap
    source: str = ""
    source_line: int | None = None
    absolute_links: bool = False  # 404.html is served at any depth, so its links cannot be relative
    moved_by: str = ""  # how a user puts it elsewhere, for clash messages ('': the front matter's permalink)

    @property
    def output_file(self) -> str:
        return output_file(self.url_path)


@dataclass(frozen=True, slots=True)
class OutputFile:
    """Bytes bound for site/ (or a file to copy there)."""

    rel: str
    data: bytes | None = None
    copy_from: Path | None = None
    link: bool = False  # may be hard-linked rather than copied (immutable sources, like cache entries)


def output_file(url_path: str) -> str:
    """'posts/a/' -> 'posts/a/index.html'; '' -> 'index.html'; 'feed.xml' stays."""
    if url_path == "" or url_path.endswith("/"):
        return url_path + "index.html"
    return url_path


@dataclass(frozen=True, slots=True)
class VariantFiles:
    """One rendered theme variant of an animation as the page uses it: site paths per format, frame size,
    and its videos as <source>s, smallest first."""

    variant: str
    key: str
    urls: dict[str, str]
    width: int
    height: int
    frames: int
    fps: float
    sources: tuple[VideoSource, ...] = ()


@dataclass(frozen=True, slots=True)
class VideoSource:
    """One video file of an animation: its format, site path, exact type (codecs included) and size."""

    fmt: str
    url: str
    type: str
    bytes: int


@dataclass(frozen=True, slots=True)
class Download:
    """A data file linked from an animation's caption (`download: true`)."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class AnimationView:
    """One rendered animation as the theme's partials/animation.html receives it (`animation`), in a
    post's body and excerpt and on its card alike."""

    id: str
    alt: str
    caption_html: str
    loop: bool
    autoplay: bool
    controls: bool
    sound: bool
    width: int
    height: int
    variants: tuple[VariantFiles, ...]
    downloads: tuple[Download, ...]
