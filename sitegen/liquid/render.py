"""One post's body through Liquid: `render_body` -> the text Markdown converts, the source line of
each of its lines, the theme's fragments and the problems found. A body without `{{` or `{%` is
returned as it is, without parsing."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from liquid.builtin.content import ContentNode
from liquid.exceptions import LiquidError, LiquidInterrupt, LiquidSyntaxError, StopRender
from liquid.output import LimitedStringIO
from liquid.template import BoundTemplate

from sitegen.errors import Diagnostic
from sitegen.liquid.diagnostics import SourceLines, diagnostics
from sitegen.liquid.site import LiquidSite
from sitegen.liquid.state import Recorded, RenderState, collecting

MAX_REPAIRS = 50  # unclosed {{ / {% cut out before the body is given up as plain text
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.M)


def has_liquid(text: str) -> bool:
    return "{{" in text or "{%" in text


@dataclass(frozen=True, slots=True)
class LiquidResult:
    text: str
    lines: tuple[int, ...]  # the 1-based source line of each line of `text`
    fragments: tuple[str, ...]
    problems: tuple[Diagnostic, ...]


def render_body(site: LiquidSite, rel: str, shown: str, body: str, first_line: int) -> LiquidResult:
    """`body` (starting at line `first_line` of `shown`) rendered with `page` = the post at `rel`."""
    if not has_liquid(body):
        return LiquidResult(body, (), (), ())
    source, cut = _parseable(site, body)
    code = _fenced_code(source)
    directory = (site.root / shown).parent
    with collecting(source, directory, code) as state:
        state.problems += cut
        template = site.env.from_string(source, path=shown)
        text, segments = _render_nodes(template, state, site.variables(rel))
    lines = SourceLines(source, first_line)
    found = diagnostics(state.problems, lines, shown, site.env.tags, site.env.filters, site.env.library.origins)
    return LiquidResult(text, _origins(text, segments, lines), tuple(state.fragments), tuple(found))


def _parseable(site: LiquidSite, body: str) -> tuple[str, list[Recorded]]:
    """`body` with each delimiter the lexer cannot close cut out up to its line's end (line breaks
    kept, so lines stay where they were), and the errors that made the cuts."""
    cut: list[Recorded] = []
    tokenize = site.env.tokenizer()
    for _ in range(MAX_REPAIRS):
        try:
            list(tokenize(body))
            return body, cut
        except LiquidSyntaxError as exc:
            start = exc.token.start_index if exc.token else 0
            end = body.find("\n", start)
            cut.append(Recorded(LiquidSyntaxError(exc.message, token=exc.token), start))
            body = body[:start] + (body[end:] if end >= 0 else "")
    return body.replace("{{", "").replace("{%", ""), cut


def _render_nodes(template: BoundTemplate, state: RenderState,
                  variables: dict) -> tuple[str, list[tuple[int, int, bool]]]:
    """Each top-level node rendered on its own, so a failing one leaves out only its own output, and
    where each node's output starts: (output index, source index, copied verbatim)."""
    env = template.env
    context = template.context_class(template, globals=template.make_globals(variables))
    buffer = LimitedStringIO(env.output_stream_limit) if env.output_stream_limit else StringIO()
    segments: list[tuple[int, int, bool]] = []
    for node in template.nodes:
        start = buffer.tell()
        state.node_start = max(node.token.start_index, 0)
        segments.append((start, state.node_start, isinstance(node, ContentNode)))
        try:
            node.render(context, buffer)
        except StopRender:
            break
        except (LiquidError, LiquidInterrupt) as exc:
            error = exc if isinstance(exc, LiquidError) else LiquidSyntaxError(f"unexpected '{exc}'", token=node.token)
            state.problems.append(Recorded(error, state.node_start))
            buffer.seek(start)
            buffer.truncate()
            if getattr(buffer, "size", 0) > (env.output_stream_limit or 0) > 0:
                break
    return buffer.getvalue(), segments


def _origins(text: str, segments: list[tuple[int, int, bool]], lines: SourceLines) -> tuple[int, ...]:
    """The source line of each output line: exact in text copied from the body, the tag's line in
    what a tag wrote."""
    starts = [s[0] for s in segments]
    origins = []
    position = 0
    while True:
        index = max(bisect.bisect_right(starts, position) - 1, 0)
        out_start, source_start, verbatim = segments[index] if segments else (0, 0, True)
        line = lines.line(source_start)
        origins.append(line + text.count("\n", out_start, position) if verbatim else line)
        position = text.find("\n", position) + 1
        if position == 0:
            return tuple(origins)


def _fenced_code(text: str) -> tuple[tuple[int, int], ...]:
    """Where the fenced code blocks of `text` are (``` or ~~~, closed by a fence as long)."""
    blocks = []
    opened: re.Match[str] | None = None
    for match in _FENCE.finditer(text):
        if opened is None:
            opened = match
        elif match.group(1)[0] == opened.group(1)[0] and len(match.group(1)) >= len(opened.group(1)):
            blocks.append((opened.start(), match.end()))
            opened = None
    return tuple(blocks)
