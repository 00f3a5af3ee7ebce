"""Liquid's errors as diagnostics at the post's own line (front matter counted), worded for the
author, with 'did you mean'. Errors inside an include are reported at the include tag's line."""
from __future__ import annotations

import bisect
import re
from typing import Iterable

from liquid.exceptions import LiquidError, OutputStreamLimitError, LoopIterationLimitError, UnknownFilterError
from liquid.token import TOKEN_TAG

from sitegen.errors import Diagnostic, did_you_mean, warning
from sitegen.liquid.include_tag import IncludeMissing
from sitegen.liquid.state import Recorded
from sitegen.liquid.tags import ReferenceMissing

RAW_HINT = "wrap text that should show as it is in {% raw %}…{% endraw %}"
_FILTER = re.compile(r"unknown filter '([^']+)'")
_UNEXPECTED_TAG = re.compile(r"unexpected tag '([^']+)'")


class SourceLines:
    """Index in a text -> 1-based line in the file it came from (`first_line` is the text's first)."""

    def __init__(self, text: str, first_line: int) -> None:
        self._breaks = [i for i, ch in enumerate(text) if ch == "\n"]
        self.first_line = first_line

    def line(self, index: int) -> int:
        return self.first_line + bisect.bisect_left(self._breaks, index)


def diagnostics(recorded: Iterable[Recorded], lines: SourceLines, shown: str,
                tags: Iterable[str], filters: Iterable[str], origins: dict[str, str]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    unknown: set[str] = set()
    tags, filters = tuple(tags), tuple(filters)
    for item in recorded:
        error, token = item.error, item.error.token
        known = token is not None and token.start_index >= 0
        in_include = known and token.source in origins
        line = lines.line(token.start_index if known and not in_include else item.node_start)
        message, hint = _explain(error, tags, filters, unknown)
        if message is None:
            continue
        if in_include:
            message = f"in {origins[token.source]} line {_inner_line(token)}: {message}"
        found.append(warning(shown, line, f"Liquid: {message}; its output is left out", hint))
    return list(dict.fromkeys(found))


def _explain(error: LiquidError, tags: tuple[str, ...], filters: tuple[str, ...],
             unknown: set[str]) -> tuple[str | None, str]:
    text = str(error.message)
    token = error.token
    if isinstance(error, (IncludeMissing, ReferenceMissing)):
        return text, did_you_mean(error.name, error.choices) if error.choices else ""
    if isinstance(error, UnknownFilterError):
        name = _FILTER.search(text)
        return text, did_you_mean(name.group(1), filters) if name else ""
    tag = _UNEXPECTED_TAG.search(text)
    if tag and token is not None and token.kind == TOKEN_TAG:
        name = tag.group(1)
        if name.startswith("end") and name[3:] in unknown:
            return None, ""  # the end of an unknown block: said once, at its start
        if name not in tags:
            unknown.add(name)
            return f"unknown tag '{name}'", did_you_mean(name, [t for t in tags if t.isidentifier()]) or RAW_HINT
        return f"'{name}' here does not close an open block", "check the block's opening tag"
    if isinstance(error, LoopIterationLimitError):
        return f"{text} (a render may loop at most the sandbox's limit)", "loop over fewer items, or use 'limit:'"
    if isinstance(error, OutputStreamLimitError):
        return f"{text} (a post's Liquid may write only so much)", ""
    return text, RAW_HINT


def _inner_line(token) -> int:  # type: ignore[no-untyped-def]
    return token.source.count("\n", 0, token.start_index) + 1
