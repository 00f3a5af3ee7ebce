"""The Liquid environment of one build: Jekyll's tags and filters, sandbox limits, and errors kept
(not raised) for the render in progress, so one bad tag costs only its own output."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

from liquid import Environment, Mode
from liquid.ast import Node
from liquid.exceptions import LiquidError
from liquid.stream import TokenStream
from liquid.tag import Tag

from sitegen.liquid import state
from sitegen.liquid.data_filters import DATA_FILTERS
from sitegen.liquid.filters import FILTERS
from sitegen.liquid.include_tag import IncludeRelativeTag, JekyllIncludeTag
from sitegen.liquid.includes import IncludeFolder, IncludeLibrary
from sitegen.liquid.theme_filters import THEME_FILTERS
from sitegen.liquid.tags import CodeAwareOutput, HighlightTag, LinkTag, PostUrlTag, TocTag

# Sandbox bounds: a post cannot make a build loop, recurse or write without end.
LOOP_ITERATION_LIMIT = 100_000  # iterations of every loop in one render, together
OUTPUT_LIMIT_BYTES = 8 << 20  # what one post's Liquid may write
CONTEXT_DEPTH_LIMIT = 30  # includes within includes
LOCALS_LIMIT_BYTES = 8 << 20  # what one post's assign and capture may hold

# Shopify tags Jekyll does not have, which would read templates from elsewhere.
_NOT_JEKYLL = ("render",)


class JekyllEnvironment(Environment):
    keyword_assignment = True  # include's key=value
    loop_iteration_limit = LOOP_ITERATION_LIMIT
    output_stream_limit = OUTPUT_LIMIT_BYTES
    context_depth_limit = CONTEXT_DEPTH_LIMIT
    local_namespace_limit = LOCALS_LIMIT_BYTES

    def __init__(self, folders: tuple[IncludeFolder, ...], site_root: Path, site_url: str, base_url: str,
                 markdownify: Callable[[str], str], posts_by_stem: Mapping[str, str],
                 pages_by_path: Mapping[str, str]) -> None:
        super().__init__(tolerance=Mode.LAX, autoescape=True, strict_filters=True)
        self.site_url, self.base_url, self.markdownify = site_url, base_url, markdownify
        self.posts_by_stem, self.pages_by_path = posts_by_stem, pages_by_path
        self.library = IncludeLibrary(self, folders, site_root)

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=False)
        for name in _NOT_JEKYLL:
            self.tags.pop(name, None)
        for tag in (CodeAwareOutput, JekyllIncludeTag, IncludeRelativeTag, HighlightTag, PostUrlTag, LinkTag, TocTag):
            self.add_tag(tag)
        for name, function in {**FILTERS, **DATA_FILTERS, **THEME_FILTERS}.items():
            self.add_filter(name, function)
        self.tags = {name: _Locating(tag) for name, tag in self.tags.items()}

    def error(self, exc: Any, msg: str | None = None, token: Any = None) -> None:
        """Kept for the render in progress (python-liquid calls this for every error it recovers from)."""
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif token is not None and (exc.token is None or exc.token.start_index < 0):
            exc.token = token  # the end of a tag's expression has no place: the tag has
        if exc.token is None or exc.token.start_index < 0:
            exc.token = state.parsing() or exc.token
        if not state.record(exc):
            raise exc

    def __hash__(self) -> int:
        return id(self)


class _Locating(Tag):
    """A tag as python-liquid registered it, noting where each use of it starts while it is parsed,
    so an error at the end of its expression (which has no place of its own) gets the tag's."""

    def __init__(self, inner: Tag) -> None:
        super().__init__(inner.env)
        self.inner, self.block, self.name = inner, inner.block, inner.name
        self.end = getattr(inner, "end", "")

    def get_node(self, stream: TokenStream) -> Node:
        state.note_parsing(stream.current)
        return self.inner.get_node(stream)

    def parse(self, stream: TokenStream) -> Node:
        return self.inner.parse(stream)
