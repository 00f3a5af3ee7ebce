"""Maths in Markdown: `$...$`, `\\(...\\)`, `$$...$$` and `\\[...\\]` become MathML on the server,
so pages show formulas with no script and no network."""
from __future__ import annotations

import html
import re
from functools import lru_cache
import xml.etree.ElementTree as etree

from latex2mathml.converter import convert as latex_to_mathml
from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

# `$x$` is maths only when the dollars hug the formula and no digit follows (so "$5 and $10" is money).
_INLINE = r"(?<![\\$])\$(?![\s$])((?:\\.|[^$\\\n])+?)(?<!\s)\$(?![\d$])|\\\((.+?)\\\)"
_BLOCK_OPEN = re.compile(r"^\s*(\$\$|\\\[)")
_CLOSERS = {"$$": "$$", "\\[": "\\]"}


@lru_cache(maxsize=4096)  # posts repeat their formulas; converting one is slow
def render_tex(tex: str, display: bool) -> tuple[str, str | None]:
    """MathML for `tex`, or a visible fallback and the reason it could not be converted."""
    try:
        mathml = latex_to_mathml(tex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many kinds; all mean "not convertible"
        tag = "pre" if display else "code"
        return f'<{tag} class="math-error">{html.escape(tex)}</{tag}>', f"{type(exc).__name__}: {exc}"
    if display:
        return f'<div class="math math-display">{mathml}</div>', None
    return f'<span class="math math-inline">{mathml}</span>', None


class _InlineMath(InlineProcessor):
    def __init__(self, md: Markdown, problems: list[tuple[str, str]]) -> None:
        super().__init__(_INLINE, md)
        self.problems = problems

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # noqa: N802 (Markdown API)
        tex = m.group(1) if m.group(1) is not None else m.group(2)
        markup, problem = render_tex(tex, display=False)
        if problem:
            self.problems.append((tex, f"cannot render the formula ${tex}$: {problem}"))
        return self.md.htmlStash.store(markup), m.start(0), m.end(0)


class _BlockMath(BlockProcessor):
    def __init__(self, parser, problems: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parser)
        self.problems = problems

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_BLOCK_OPEN.match(block))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        opener = _BLOCK_OPEN.match(blocks[0]).group(1)  # type: ignore[union-attr]
        closer = _CLOSERS[opener]
        gathered: list[str] = []
        for index, block in enumerate(blocks):
            gathered.append(block)
            text = "\n\n".join(gathered).strip()
            if len(text) > len(opener) and text.endswith(closer):
                del blocks[: index + 1]
                tex = text[len(opener):-len(closer)]
                markup, problem = render_tex(tex, display=True)
                if problem:
                    self.problems.append((tex, f"cannot render the formula {opener}{tex.strip()}{closer}: {problem}"))
                placeholder = etree.SubElement(parent, "p")
                placeholder.text = self.parser.md.htmlStash.store(markup)
                return True
        return False  # never closed: leave it as text


class MathExtension(Extension):
    """Registers the maths syntax; `problems` collects formulas that could not be converted."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.problems: list[tuple[str, str]] = []  # (the TeX, what went wrong)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown API)
        md.inlinePatterns.register(_InlineMath(md, self.problems), "sitegen_math", 186)
        md.parser.blockprocessors.register(_BlockMath(md.parser, self.problems), "sitegen_math_block", 105)
        md.registerExtension(self)

    def reset(self) -> None:
        self.problems.clear()
