"""Markdown -> HTML with the syntax scientists' Jekyll posts already use.

A post is read in two phases: `fences` finds its ```animation blocks without converting anything (what
planning needs), and `render`, once the animations exist, converts it and asks a `FigureWriter` for
each block's HTML (the theme's partial), which goes into the page as written.

One `MarkdownRenderer` per process: building a Python-Markdown instance is slow, resetting it is not."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from typing import Any, Callable

import markdown
from markdown import util
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.superfences import SuperFencesException

from sitegen.academic.citations import CitationExtension, CiteWriter
from sitegen.mathml import MathExtension

ANIMATION_FENCE = "animation"

MORE = "<!--more-->"
# Where Python-Markdown's own stash of raw HTML goes back into its output (as its raw_html step finds it).
_STASHED = re.compile("<p>{0}</p>|{0}".format(util.HTML_PLACEHOLDER % r"([0-9]+)"))
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
    index: int  # its place among the text's ```animation blocks (a directive's index)


FigureWriter = Callable[[Fence], str]  # the HTML that takes a fence's place; "" leaves it out


@dataclass(frozen=True, slots=True)
class Rendered:
    html: str
    excerpt_html: str  # the part before <!--more-->, or "" when there is no marker
    toc_html: str
    word_count: int  # of the author's text: figures are not counted
    problems: tuple[tuple[str, str], ...]  # (source snippet, message)
    animations: tuple[Fence, ...] = ()  # each ```animation fence, in order
    summary_html: str = ""  # the excerpt, else the first paragraph, without figures: what a description is made from


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
    """Converts post bodies; each ```animation fence becomes what the `figure` writer returns."""

    # Each extension costs time on every post (smarty alone doubled it), so only what posts use.
    EXTENSIONS = ["attr_list", "md_in_html", "tables", "footnotes", "abbr", "def_list", "toc", "admonition",
                  "sane_lists", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.tilde"]

    def __init__(self) -> None:
        self._math = MathExtension()
        self._animations: list[Fence] = []
        self._fence_start: int | None = None
        self._figure: FigureWriter | None = None
        self._cite: CiteWriter | None = None  # the conversion's citations ([@key]); None: none looked for
        self._scanning = False
        fence = {"name": ANIMATION_FENCE, "class": ANIMATION_FENCE, "format": self._animation_fence}
        self._md = markdown.Markdown(
            extensions=[*self.EXTENSIONS, self._math, _KramdownExtension(), CitationExtension(lambda: self._cite)],
            extension_configs=_extension_configs([fence]),
            output_format="html",
        )
        self._stash = _AuthorHtmlFirst(self._md.postprocessors["raw_html"])
        self._md.postprocessors.register(self._stash, "raw_html", 30)
        self._note_fence_starts()

    def _note_fence_starts(self) -> None:
        """Superfences finds every fence in one pass over the lines and knows where each starts, but
        does not tell its formatter: note the start as each fence is processed, so a directive's line
        comes from the parse that found it (a fence that only shows a directive is never counted).
        While scanning, only ```animation fences are formatted (code is not highlighted)."""
        fences = self._md.preprocessors["fenced_code_block"]
        process = fences.process_nested_block
        animation = next(e["formatter"] for e in fences.extension.superfences if e["name"] == ANIMATION_FENCE)

        def noting_start(ws: str, content: str, start: int, end: int) -> Any:
            self._fence_start = start
            if self._scanning and fences.formatter is not animation:
                fences.formatter = None
            try:
                return process(ws, content, start, end)
            finally:
                self._fence_start = None

        fences.process_nested_block = noting_start

    def _animation_fence(self, source: str, *args: Any, **kwargs: Any) -> str:
        """Superfences calls this for each ```animation block (in lists and quotes too)."""
        fence = Fence(source, self._fence_start, len(self._animations))
        self._animations.append(fence)
        try:
            figure = self._figure(fence).strip() if self._figure else ""
        except Exception as exc:  # superfences drops a fence whose formatter fails, unless told this way
            raise SuperFencesException("the figure writer failed") from exc
        if figure:
            self._stash.figures.append(figure)
        return figure

    @property
    def markdown(self) -> markdown.Markdown:
        return self._md

    def fences(self, text: str) -> tuple[Fence, ...]:
        """The ```animation fences of `text`, found as `render` finds them (same lines, same order),
        without converting anything: only the line preprocessors up to superfences run."""
        if ANIMATION_FENCE not in text:
            return ()
        self._md.reset()
        self._animations, self._scanning = [], True
        try:
            lines = text.split("\n")
            for preprocessor in self._md.preprocessors:
                lines = preprocessor.run(lines)
                if preprocessor is self._md.preprocessors["fenced_code_block"]:
                    break
        finally:
            self._scanning = False
        return tuple(self._animations)

    def render(self, text: str, figure: FigureWriter | None = None,
               clean: Callable[[str], str] | None = None, cite: CiteWriter | None = None) -> Rendered:
        """`text` as HTML; each ```animation fence becomes `figure(fence)` (nothing without a writer).
        `clean` is what the author's HTML goes through (the whole, then the excerpt: links resolved,
        the site's sanitiser), never the figures: those come from the theme and go in after it.
        `cite` formats each citation (sitegen.academic.citations); without it, `[@key]` stays text."""
        self._md.reset()
        self._animations, self._figure, self._stash.figures, self._cite = [], figure, [], cite
        try:
            authored = self._md.convert(text)  # each figure still stashed
        except SuperFencesException as exc:
            raise exc.__cause__ or exc
        finally:
            self._figure = self._cite = None
        excerpt = authored.split(MORE, 1)[0] if MORE in authored else ""
        if clean is not None:
            authored, excerpt = clean(authored), clean(excerpt) if excerpt else ""
        prose, prose_excerpt = self._stash.restore(authored, drop=True), self._stash.restore(excerpt, drop=True)
        toc = getattr(self._md, "toc", "")
        has_entries = bool(getattr(self._md, "toc_tokens", []))
        return Rendered(self._stash.restore(authored), self._stash.restore(excerpt), toc if has_entries else "",
                        len(_WORDS.findall(_TAGS.sub(" ", prose))), tuple(self._math.problems),
                        tuple(self._animations), prose_excerpt or _first_paragraph(prose))

    def render_inline(self, text: str) -> str:
        """One line of Markdown (a caption) -> HTML without the surrounding <p>."""
        html = self.render(text).html.strip()
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return html


class _AuthorHtmlFirst(Postprocessor):
    """Python-Markdown's raw-HTML step (`inner`, md_in_html's), leaving out the figures: they go back
    only after the author's HTML has been cleaned, so the theme's markup reaches the page as written."""

    def __init__(self, inner: Postprocessor) -> None:
        super().__init__(inner.md)
        self.inner = inner
        self.figures: list[str] = []  # this conversion's figures; their stash entries are these very strings

    def run(self, text: str) -> str:
        return self._substitute(text, lambda block, figure: None if figure else self.inner.stash_to_string(block))

    def restore(self, text: str, drop: bool = False) -> str:
        """`text` with its figures put back where their fences were (`drop`: left out)."""
        if not self.figures or not text:
            return text
        return self._substitute(text, lambda block, figure: ("" if drop else block) if figure else None)

    def _substitute(self, text: str, pick: Callable[[Any, bool], str | None]) -> str:
        """Stash entries back into `text` as Python-Markdown does (a block-level one loses the <p> it
        was wrapped in); `pick(entry, is_figure)` gives an entry's HTML, or None to leave it stashed."""
        blocks = self.md.htmlStash.rawHtmlBlocks
        if not blocks:
            return text
        ours = {id(f) for f in self.figures}

        def substitute(match: re.Match[str]) -> str:
            key = int(match.group(1) or match.group(2))
            html = pick(blocks[key], id(blocks[key]) in ours) if key < len(blocks) else None
            if html is None:
                return match.group(0)
            if not html or match.group(1) is None or self.inner.isblocklevel(html):
                return _STASHED.sub(substitute, html)
            return _STASHED.sub(substitute, f"<p>{html}</p>")

        return _STASHED.sub(substitute, text)


def _first_paragraph(markup: str) -> str:
    match = re.search(r"<p\b[^>]*>(.*?)</p>", markup, re.S)
    return match.group(1) if match else ""


def plain_text(html: str) -> str:
    """Tags removed and whitespace collapsed, for descriptions and meta tags."""
    import html as html_module

    text = _TAGS.sub("", _TAGS_BREAKING.sub(" ", html))
    return " ".join(html_module.unescape(text).split())
