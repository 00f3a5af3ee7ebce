"""Jekyll's highlight, post_url and link tags, the theme's toc marker, and `{{ }}` that knows code.

`highlight` writes a fenced code block, so Markdown colours it exactly as it colours ``` fences (the
same Pygments classes, line numbers and marked lines). `{{ }}` escapes HTML (front matter is not
trusted to write markup), except inside fenced code, which Markdown escapes itself."""
from __future__ import annotations

import re
from io import StringIO
from typing import TextIO

from liquid.ast import BlockNode, Node
from liquid.builtin.output import Output, OutputNode
from liquid.context import RenderContext
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.stringify import to_liquid_string
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from sitegen.liquid import fragments
from sitegen.liquid.state import current

_HIGHLIGHT = re.compile(r"^\s*([\w+#.-]+)((?:\s+(?:linenos|mark_lines\s*=\s*(?:\"[^\"]*\"|'[^']*'|\S+)))*)\s*$")
_MARK_LINES = re.compile(r"mark_lines\s*=\s*[\"']?([\d\s]+)")
_TICKS = re.compile(r"`{3,}")
NOT_A_DIRECTIVE = {"animation": "yaml"}  # a highlighted block never becomes an animation


class ReferenceMissing(LiquidError):
    """post_url or link names a post or page that does not exist; `choices` are those that do."""

    def __init__(self, message: str, *, token: Token, name: str, choices: tuple[str, ...]) -> None:
        super().__init__(message, token=token)
        self.name, self.choices = name, choices


class CodeAwareOutputNode(OutputNode):
    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = current()
        raw = state is not None and self.token.source is state.source and state.in_code(self.token.start_index)
        return buffer.write(to_liquid_string(self.expression.evaluate(context), context.autoescape and not raw))


class CodeAwareOutput(Output):
    node_class = CodeAwareOutputNode


class HighlightNode(Node):
    __slots__ = ("language", "linenos", "marked", "block")

    def __init__(self, token: Token, language: str, linenos: bool, marked: str, block: BlockNode) -> None:
        super().__init__(token)
        self.language, self.linenos, self.marked, self.block = language, linenos, marked, block
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        code = StringIO()
        escaping, context.autoescape = context.autoescape, False  # Markdown escapes code itself
        try:
            self.block.render(context, code)
        finally:
            context.autoescape = escaping
        text = code.getvalue().strip("\n")
        ticks = "`" * max([3, *(len(run) + 1 for run in _TICKS.findall(text))])
        options = (' linenums="1"' if self.linenos else "") + (f' hl_lines="{self.marked}"' if self.marked else "")
        language = NOT_A_DIRECTIVE.get(self.language, self.language)
        return buffer.write(f"\n{ticks}{language}{options}\n{text}\n{ticks}\n")


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = stream.current.value if stream.current.kind == TOKEN_EXPRESSION else ""
        match = _HIGHLIGHT.match(expression)
        if not match:
            raise LiquidSyntaxError("highlight needs a language, then optionally 'linenos' and "
                                    "mark_lines=\"1 2\", e.g. {% highlight python linenos %}", token=token)
        if stream.current.kind == TOKEN_EXPRESSION:
            next(stream)
        marked = _MARK_LINES.search(match.group(2))
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, match.group(1), "linenos" in match.group(2),
                             " ".join(marked.group(1).split()) if marked else "", block)


class _ReferenceNode(Node):
    __slots__ = ("target",)

    def __init__(self, token: Token, target: str) -> None:
        super().__init__(token)
        self.target = target
        self.blank = False


class PostUrlNode(_ReferenceNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        posts = context.env.posts_by_stem
        stem = self.target.strip("/").rsplit("/", 1)[-1]
        stem = re.sub(r"\.(md|markdown)$", "", stem)
        if stem not in posts:
            raise ReferenceMissing(f"post_url: no post '{self.target}'", token=self.token, name=stem,
                                   choices=tuple(posts))
        return buffer.write(posts[stem])


class LinkNode(_ReferenceNode):
    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        pages = context.env.pages_by_path
        wanted = re.sub(r"^(?:content/|/)", "", self.target.strip())
        for candidate in (wanted, re.sub(r"^_", "", wanted)):
            if candidate in pages:
                return buffer.write(pages[candidate])
        raise ReferenceMissing(f"link: no post or page '{self.target}'", token=self.token, name=wanted,
                               choices=tuple(pages))


class _ReferenceTag(Tag):
    block = False
    node_class: type[_ReferenceNode] = PostUrlNode

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        target = stream.current.value.strip() if stream.current.kind == TOKEN_EXPRESSION else ""
        if not target:
            raise LiquidSyntaxError(f"{self.name} needs a name, e.g. {{% {self.name} {self.example} %}}", token=token)
        return self.node_class(token, target)


class PostUrlTag(_ReferenceTag):
    name, example, node_class = "post_url", "2024-01-01-first-post", PostUrlNode


class LinkTag(_ReferenceTag):
    name, example, node_class = "link", "pages/about.md", LinkNode


class TocNode(Node):
    """Where the theme's toc include puts the page's table of contents (known once Markdown ran)."""

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return buffer.write(fragments.TOC)


class TocTag(Tag):
    name = "sitegen_toc"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        return TocNode(stream.eat(TOKEN_TAG))
