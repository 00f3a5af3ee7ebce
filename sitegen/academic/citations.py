"""Citations in posts, in Pandoc's syntax: `[@key]`, `[see @key, p. 3]`, `[@a; @b]`, `[-@key]` (no
author) and `@key` in running text ('Lindqvist et al. (2024)'), formatted in the site's CSL style, each
linked to its entry in the References list that ends the post.

They are a Python-Markdown inline pattern, so code spans and code blocks (stashed before inline patterns
run) are never touched; raw HTML is stashed before it too. An `@` only starts a citation after a space,
an opening bracket or quote, or at the start of a line: `name@example.org` and `https://host/@user` are
not citations. `\\@` writes a literal @."""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from sitegen.academic.style import CiteItem, Session, parse_locator
from sitegen.errors import error
from sitegen.fields import Fields

if TYPE_CHECKING:
    from sitegen.academic.bibliography import Bibliography

KEY = r"[\w](?:[\w:.#$%&+?<>~/-]*[\w])?"
_PIECE = re.compile(rf"^(?P<prefix>.*?)(?<![\w.@])(?P<suppress>-)?@(?P<key>{KEY})(?P<suffix>.*)$", re.S)
CITATION = (rf"(?P<bracketed>\[(?P<body>[^\[\]]*?(?<![\w.@])-?@{KEY}[^\[\]]*)\])"
            rf"|(?P<in_text>(?<![^\s(\[{{\"'“‘–—])@(?P<key>{KEY}))")  # after a space or an opening mark
PRIORITY = 85  # after raw HTML (90) is stashed, before emphasis (60)
REFERENCES_ID = "references"

# What the pattern asks for one citation: (its source text, its items, in running text?) -> HTML, or None
# to leave the text as written.
CiteWriter = Callable[[str, list[CiteItem], bool], "str | None"]


def parse_bracketed(body: str) -> list[CiteItem] | None:
    """'see @a, p. 3; @b' -> items; None when a part names no key (then it is not a citation)."""
    items = []
    for piece in body.split(";"):
        match = _PIECE.match(piece.strip())
        if match is None:
            return None
        locator, suffix = parse_locator(match.group("suffix"))
        items.append(CiteItem(match.group("key"), match.group("prefix"), locator, suffix,
                              bool(match.group("suppress"))))
    return items


class _CitationPattern(InlineProcessor):
    def __init__(self, md: Markdown, writer: Callable[[], CiteWriter | None]) -> None:
        super().__init__(CITATION, md)
        self._writer = writer

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, Any, Any]:  # noqa: N802 (Markdown API)
        write = self._writer()
        if write is None:
            return None, None, None
        if m.group("bracketed"):
            items = parse_bracketed(m.group("body"))
            found = write(m.group(0), items, False) if items else None
        else:
            found = write(m.group(0), [CiteItem(m.group("key"))], True)
        if found is None:
            return None, None, None
        return self.md.htmlStash.store(found), m.start(0), m.end(0)


class CitationExtension(Extension):
    """Registers the pattern; `writer()` says what the conversion under way cites with (None: nothing)."""

    def __init__(self, writer: Callable[[], CiteWriter | None]) -> None:
        super().__init__()
        self._writer = writer

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown API)
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")
        md.inlinePatterns.register(_CitationPattern(md, self._writer), "sitegen_citation", PRIORITY)


class Citer:
    """One post's citations: formats each (a CiteWriter), notes unknown keys as problems (the citation's
    text, message, hint) and writes the References list."""

    def __init__(self, bibliography: Bibliography) -> None:
        self.bibliography = bibliography
        self.problems: list[tuple[str, str, str]] = []
        self._session: Session | None = None

    def __call__(self, text: str, items: list[CiteItem], in_text: bool) -> str | None:
        unknown = [item.key for item in items if self.bibliography.get(item.key) is None]
        for key in unknown:
            self.problems.append((text, *self.bibliography.unknown_key(key)))
        if unknown:
            return None
        keys = [self.bibliography.get(item.key).key for item in items]
        items = [CiteItem(key, i.prefix, i.locator, i.suffix, i.suppress_author) for key, i in zip(keys, items)]
        cited = self.session.cite(items, in_text, _link)
        return f'<span class="citation" data-cites="{html.escape(" ".join(keys))}">{cited}</span>'

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = self.bibliography.engine().session()
        return self._session

    def references_html(self) -> str:
        """The References list: every entry cited, in the style's order; '' when nothing was cited."""
        if self._session is None:
            return ""
        rows = []
        for lower_key, formatted in self._session.references():
            entry = self.bibliography.get(lower_key)
            listed = self.bibliography.lists(entry)
            more = (f' <a class="references__more" href="{html.escape(self.bibliography.entry_url(entry))}">'
                    f'Publications</a>') if listed else ""
            rows.append(f'<li class="references__entry" id="ref-{html.escape(entry.key)}">{formatted}{more}</li>')
        return (f'<section class="references" id="{REFERENCES_ID}" aria-labelledby="{REFERENCES_ID}-title">\n'
                f'<h2 class="references__title" id="{REFERENCES_ID}-title">References</h2>\n'
                f'<ul class="references__list">\n' + "\n".join(rows) + "\n</ul>\n</section>")


def _link(key: str, shown: str) -> str:
    return f'<a class="citation__ref" href="#ref-{html.escape(quote(key))}">{shown}</a>'


def publication_keys(value: Any, bibliography: Bibliography) -> tuple[tuple[str, ...], tuple[str, str] | None]:
    """A post's `publication:` (a key or a list of keys) as the bibliography spells them, or a problem
    (message, hint) for the first key it does not have."""
    keys = value if isinstance(value, list) else [value]
    if not all(isinstance(k, str) and k.strip() for k in keys):
        return (), ("'publication' must be a BibTeX key or a list of keys", "e.g. publication: lindqvist2024sparse")
    found = []
    for key in keys:
        entry = bibliography.get(key.strip())
        if entry is None:
            return (), bibliography.unknown_key(key.strip())
        found.append(entry.key)
    return tuple(dict.fromkeys(found)), None


def publication_note(keys: tuple[str, ...], bibliography: Bibliography) -> str:
    """The line at the top of a post that names its paper(s), linked to the publications page."""
    links = []
    for key in keys:
        entry = bibliography.get(key)
        container = entry.text("journal") or entry.text("journaltitle") or entry.text("booktitle")
        where = ", ".join(p for p in (container, str(entry.year or "")) if p)
        title = html.escape(entry.text("title"))
        link = f'<a href="{html.escape(bibliography.entry_url(entry))}">{title}</a>' if bibliography.lists(entry) else title
        links.append(link + (f" ({html.escape(where)})" if where else ""))
    label = "Paper" if len(keys) == 1 else "Papers"
    return f'<p class="publication-note"><span class="publication-note__label">{label}:</span> {"; ".join(links)}</p>\n'


def finish_post(markup: str, citer: Citer | None, fields: Fields, line_of: Callable[[str], int | None]) -> str:
    """A post's HTML with the line naming its paper (front matter `publication:`) and its References
    list; its unknown keys become errors at their lines (`line_of(text)`: where the post has `text`)."""
    for needle, message, hint in citer.problems if citer else ():
        fields.problems.append(error(fields.shown, line_of(needle), message, hint))
    if "publication" not in fields.front.data:
        return markup + (citer.references_html() if citer else "")
    if citer is None:
        fields.fail("publication", "'publication' names a BibTeX entry, but the site has no .bib file",
                    "add content/publications.bib, or name your files in [publications] bib")
        return markup
    keys, problem = publication_keys(fields.front.data["publication"], citer.bibliography)
    if problem:
        fields.fail("publication", *problem)
    note = publication_note(keys, citer.bibliography) if keys else ""
    return note + markup + citer.references_html()


_CITATION_LINK = re.compile(r'<a class="citation__ref" href="[^"]*">(.*?)</a>', re.S)


def unlinked(excerpt_html: str) -> str:
    """A card's excerpt with its citations as text: their links lead into the post's References."""
    return _CITATION_LINK.sub(r"\1", excerpt_html) if "citation__ref" in excerpt_html else excerpt_html
