"""Markdown -> HTML with the syntax scientists' Jekyll posts already use.

One `MarkdownRenderer` per process: building a Python-Markdown instance is slow, resetting it is not."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from sitegen.mathml import MathExtension

ANIMATION_FENCE = "animation"
# A <div>, so Markdown treats it as a block and does not wrap it in <p>.
ANIMATION_PLACEHOLDER = '<div data-sitegen-animation="{index}"></div>'
ANIMATION_PLACEHOLDER_RE = re.compile(r'<div data-sitegen-animation="(\d+)"></div>')

MORE = "<!--more-->"
_IAL_ALONE = re.compile(r"^\{:?\s*([^}\n]+)\}\s*$")
_IAL_LEADING = re.compile(r"^\{:\s*([^}\n]+)\}[ \t]*\n")
_TAGS = re.compile(r"<[^>]+>")
_TAGS_BREAKING = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|br|td|th|tr|dt|dd|pre|blockquote|figure|figcaption|hr|table)\b[^>]*>", re.I)
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Fence:
    """One ```animation block as the Markdown parse found it."""

    source: str  # its YAML body
    line_index: int | None  # 0-based line of its opening fence in the converted text; None if unknown


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    excerpt_html: str  # the part before <!--more-->, or "" when there is no marker
    toc_html: str
    word_count: int
    problems: tuple[tuple[str, str], ...]  # (source snippet, message)
    animations: tuple[Fence, ...] = ()  # each ```animation fence, in order


class _KramdownIAL(Treeprocessor):
    """kramdown's block attribute lists on their own line: `{: .notice}` after a block applies to it,
    and a paragraph that starts with one takes it itself. Python-Markdown only reads the inline form."""

    def run(self, root: etree.Element) -> None:
        attr_list = self.md.treeprocessors["attr_list"]
        for parent in list(root.iter()):
            previous = None
            for child in list(parent):
                if child.tag == "p" and len(child) == 0 and child.text:
                    alone = _IAL_ALONE.match(child.text.strip())
                    if alone and previous is not None and child.text.strip().startswith("{:"):
                        attr_list.assign_attrs(previous, alone.group(1))
                        _keep_tail(parent, child, previous)
                        parent.remove(child)
                        continue
                if child.tag == "p" and child.text:
                    leading = _IAL_LEADING.match(child.text)
                    if leading:
                        attr_list.assign_attrs(child, leading.group(1))
                        child.text = child.text[leading.end():]
                previous = child


def _keep_tail(parent: etree.Element, removed: etree.Element, previous: etree.Element) -> None:
    if removed.tail and removed.tail.strip():
        previous.tail = (previous.tail or "") + removed.tail


class _KramdownExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown API)
        md.treeprocessors.register(_KramdownIAL(md), "sitegen_kramdown_ial", 9)


def _slugify(value: str, separator: str) -> str:
    return slugify_unicode(value, separator)


def _extension_configs(extra_fences: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        "toc": {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-4",
                "slugify": _slugify},
        "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
        "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "pygments_lang_class": True},
        "pymdownx.superfences": {"custom_fences": extra_fences},
    }


class MarkdownRenderer:
    """Converts post bodies; ```animation fences become placeholders and their bodies are kept."""

    # Each extension costs time on every post (smarty alone doubled it), so only what posts use.
    EXTENSIONS = ["attr_list", "md_in_html", "tables", "footnotes", "abbr", "def_list", "toc", "admonition",
                  "sane_lists", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.tilde"]

    def __init__(self) -> None:
        self._math = MathExtension()
        self._animations: list[Fence] = []
        self._fence_start: int | None = None
        fence = {"name": ANIMATION_FENCE, "class": ANIMATION_FENCE, "format": self._animation_placeholder}
        self._md = markdown.Markdown(
            extensions=[*self.EXTENSIONS, self._math, _KramdownExtension()],
            extension_configs=_extension_configs([fence]),
            output_format="html",
        )
        self._note_fence_starts()

    def _note_fence_starts(self) -> None:
        """Superfences finds every fence in one pass over the lines and knows where each starts, but
        does not tell its formatter: note the start as each fence is processed, so a directive's line
        comes from the parse that found it (a fence that only shows a directive is never counted)."""
        fences = self._md.preprocessors["fenced_code_block"]
        process = fences.process_nested_block

        def noting_start(ws: str, content: str, start: int, end: int) -> Any:
            self._fence_start = start
            try:
                return process(ws, content, start, end)
            finally:
                self._fence_start = None

        fences.process_nested_block = noting_start

    def _animation_placeholder(self, source: str, *args: Any, **kwargs: Any) -> str:
        """Superfences calls this for each ```animation block (in lists and quotes too)."""
        self._animations.append(Fence(source, self._fence_start))
        return ANIMATION_PLACEHOLDER.format(index=len(self._animations) - 1)

    @property
    def markdown(self) -> markdown.Markdown:
        return self._md

    def render(self, text: str) -> Rendered:
        self._md.reset()
        self._animations = []
        html = self._md.convert(text)
        excerpt = html.split(MORE, 1)[0] if MORE in html else ""
        toc = getattr(self._md, "toc", "")
        has_entries = bool(getattr(self._md, "toc_tokens", []))
        words = len(_WORDS.findall(_TAGS.sub(" ", html)))
        return Rendered(html, excerpt, toc if has_entries else "", words, tuple(self._math.problems),
                        tuple(self._animations))

    def render_inline(self, text: str) -> str:
        """One line of Markdown (a caption) -> HTML without the surrounding <p>."""
        html = self.render(text).html.strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html


def plain_text(html: str) -> str:
    """Tags removed and whitespace collapsed, for descriptions and meta tags."""
    import html as html_module

    text = _TAGS.sub("", _TAGS_BREAKING.sub(" ", html))
    return " ".join(html_module.unescape(text).split())
