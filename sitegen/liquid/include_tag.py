"""Jekyll's `{% include name key=value … %}` (parameters as `include.*`) and `{% include_relative %}`.
Unlike Shopify's include, the name is a bare file name and parameters are `key=value` pairs."""
from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import TextIO

from liquid import Markup
from liquid.ast import Node
from liquid.builtin.expressions import KeywordArgument, tokenize
from liquid.context import RenderContext
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.template import BoundTemplate
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from sitegen.liquid import fragments
from sitegen.liquid.includes import Include, IncludeNotFound
from sitegen.liquid.state import current

_NAME = re.compile(r"\s*(\{\{.*?\}\}|\S+)\s*", re.S)


class IncludeMissing(LiquidError):
    """An include that cannot be found; `choices` are the names that exist."""

    def __init__(self, message: str, *, token: Token, name: str, choices: tuple[str, ...]) -> None:
        super().__init__(message, token=token)
        self.name, self.choices = name, choices


class JekyllIncludeNode(Node):
    __slots__ = ("name", "name_template", "args", "relative")

    def __init__(self, token: Token, name: str, name_template: BoundTemplate | None,
                 args: list[KeywordArgument], relative: bool) -> None:
        super().__init__(token)
        self.name, self.name_template, self.args, self.relative = name, name_template, args, relative
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        """The include's output; nothing when it had an error (which is reported)."""
        include = self._find(context)
        params = {arg.name: arg.value.evaluate(context) for arg in self.args}
        state = current()
        trusted = include.trusted and state is not None and not state.trusted_depth
        if trusted:  # a theme include: author values inside it are plain text again (escaped, or
            # sanitised by markdownify), and its HTML goes into the post as a fragment token
            params = {key: str(value) if isinstance(value, Markup) else value for key, value in params.items()}
        problems = len(state.problems) if state else 0
        written = StringIO()
        if state is not None:
            state.trusted_depth += trusted
        try:
            with context.extend({"include": params}, template=include.template):
                include.template.render_with_context(context, written, partial=True)
        finally:
            if state is not None:
                state.trusted_depth -= trusted
        if state is not None and len(state.problems) > problems:
            return False
        html = written.getvalue()
        return buffer.write((fragments.keep(html) if trusted else None) or html)

    def _find(self, context: RenderContext) -> Include:
        name = self.name
        if self.name_template:
            out = StringIO()
            self.name_template.render_with_context(context, out, partial=True)
            name = out.getvalue().strip()
        library = context.env.library
        state = current()
        try:
            if self.relative:
                return library.relative(name, state.directory if state and state.directory else Path("."))
            return library.include(name)
        except IncludeNotFound as exc:
            raise IncludeMissing(exc.reason, token=self.token, name=name, choices=exc.choices) from None


class JekyllIncludeTag(Tag):
    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        expression = stream.current
        if expression.kind != TOKEN_EXPRESSION:
            raise LiquidSyntaxError(f"'{self.name}' needs a file name, e.g. {{% {self.name} note.html %}}", token=token)
        match = _NAME.match(expression.value)
        name = match.group(1) if match else ""
        rest = expression.value[match.end():] if match else ""
        parent = Token(TOKEN_EXPRESSION, rest, expression.start_index + (match.end() if match else 0), expression.source)
        args = KeywordArgument.parse(self.env, TokenStream(tokenize(rest, parent))) if rest.strip() else []
        name_template = self.env.from_string(name) if "{{" in name else None
        return JekyllIncludeNode(token, name, name_template, args, self.relative)


class IncludeRelativeTag(JekyllIncludeTag):
    name = "include_relative"
    relative = True

