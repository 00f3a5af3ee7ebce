"""The CSL style (citeproc-py's own, or a .csl file inside the site folder, never fetched) and the
engine that formats with it: the publications page's entries, and a post's citations and references.

citeproc-py's objects hold lxml trees, which do not pickle: what crosses to a worker process is the
style's bytes and the CSL-JSON, and each process builds its engine once (`engine_for`)."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Callable, Sequence

from lxml import etree

from sitegen.errors import Diagnostic, error

DEFAULT_STYLE = "harvard-cite-them-right"  # the style citeproc-py ships
_CSL = "{http://purl.org/net/xbiblio/csl}"
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False)
BLANK = "\ue002"  # a stand-in author, to find where a style puts the names in a citation
LOCATORS = {"p": "page", "pp": "page", "page": "page", "pages": "page", "chap": "chapter", "ch": "chapter",
            "chapter": "chapter", "sec": "section", "section": "section", "fig": "figure", "figure": "figure",
            "vol": "volume", "volume": "volume", "para": "paragraph", "paragraph": "paragraph", "l": "line",
            "line": "line", "n": "note", "note": "note", "pt": "part", "part": "part", "col": "column"}


def default_style_path() -> Path:
    from citeproc import STYLES_PATH

    return Path(STYLES_PATH) / f"{DEFAULT_STYLE}.csl"


def load_style(name: str, root: Path, where: tuple[str, int | None]) -> tuple[bytes, list[Diagnostic]]:
    """The style's XML: `name` is '' (the default) or a .csl file's path in the site folder `root`;
    `where` is the (file, line) that names it. A style that cannot be used is an error, and the default
    stands in for it so the rest of the build still reports its own problems."""
    default = default_style_path().read_bytes()
    if not name:
        return default, []
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        return default, [error(*where, f"[publications] style '{name}' is outside the site folder",
                               "put the .csl file in the site folder and name its path from there; styles are never downloaded")]
    if path.suffix != ".csl" or not path.is_file():
        return default, [error(*where, f"[publications] style '{name}': no such .csl file",
                               f"looked for {path}; leave 'style' out for the default ({DEFAULT_STYLE})")]
    data = path.read_bytes()
    problem = style_problem(data)
    return (default, [error(name, problem[1], f"not a usable CSL style: {problem[0]}",
                            "a CSL 1.0 <style> with <citation> and <bibliography>, e.g. from the Zotero style repository")]) \
        if problem else (data, [])


def style_problem(data: bytes) -> tuple[str, int | None] | None:
    """Why the XML cannot serve as a style (and the line), or None."""
    try:
        root = etree.parse(BytesIO(data), _PARSER).getroot()
    except etree.XMLSyntaxError as exc:
        return f"invalid XML: {exc.msg}", exc.lineno
    if root.tag != f"{_CSL}style":
        return f"the root element is <{etree.QName(root).localname}>, not a CSL <style>", root.sourceline
    missing = [part for part in ("citation", "bibliography") if root.find(f"{_CSL}{part}") is None]
    if missing:
        return f"it has no <{missing[0]}>", root.sourceline
    try:
        Engine(data, [])
    except Exception as exc:  # citeproc-py's own checks (an unknown locale, a broken macro)
        return f"citeproc-py cannot read it: {exc}", None
    return None


def _safe_xml(style_xml: bytes, every_name: bool) -> bytes:
    """The style as citeproc-py reads it: parsed here without entities (its own parser would resolve
    them), and with `every_name` no "et al." anywhere (a publications page shows every author)."""
    root = etree.parse(BytesIO(style_xml), _PARSER).getroot()
    for element in root.iter(f"{_CSL}bibliography", f"{_CSL}name", f"{_CSL}names", f"{_CSL}style") if every_name else ():
        for attribute in ("et-al-min", "et-al-use-first", "et-al-subsequent-min", "et-al-subsequent-use-first"):
            element.attrib.pop(attribute, None)
    return etree.tostring(root)


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited key with its prefix, locator (label, value) and suffix, as the author wrote them."""

    key: str
    prefix: str = ""
    locator: tuple[str, str] | None = None
    suffix: str = ""
    suppress_author: bool = False


def parse_locator(text: str) -> tuple[tuple[str, str] | None, str]:
    """', p. 3' -> (('page', '3'), ''); ', chap. 2 and more' -> (('chapter', '2'), ' and more'); ', 33' ->
    (('page', '33'), ''); anything else is a plain suffix."""
    match = re.match(r"^\s*,?\s*(?:(?P<label>[A-Za-z]+)\.?\s*)?(?P<value>[\dIVXLCivxlc]+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+)*)(?P<rest>.*)$",
                     text, re.S)
    if match and (match.group("label") is None or match.group("label").lower() in LOCATORS) and text.strip():
        label = LOCATORS[match.group("label").lower()] if match.group("label") else "page"
        return (label, match.group("value").replace("-", "–")), match.group("rest")
    return None, text


_XPATHS: dict[tuple[int, str], tuple[Any, Any]] = {}


def _remember_xpaths() -> None:
    """citeproc-py looks up the same few dozen XPath expressions on the same style elements for every
    name and date it formats, and that was half of its time. The style's tree does not change once
    loaded, so each (element, expression) is evaluated once; the element is kept with its result, so
    lxml hands out the same proxy for it (and no other object can take its id) while it is remembered."""
    from citeproc.model import CitationStylesElement

    search = CitationStylesElement.xpath_search
    if getattr(search, "remembers", False):
        return

    def remembered(element: Any, expression: str) -> Any:
        key = (id(element), expression)
        if key not in _XPATHS:
            _XPATHS[key] = (element, search(element, expression))
        return _XPATHS[key][1]

    remembered.remembers = True  # type: ignore[attr-defined]
    CitationStylesElement.xpath_search = remembered


class Engine:
    """citeproc-py for one style and one bibliography (CSL-JSON items, HTML-escaped already)."""

    def __init__(self, style_xml: bytes, items: Sequence[dict[str, Any]], every_name: bool = False) -> None:
        from citeproc import CitationStylesStyle
        from citeproc.source.json import CiteProcJSON

        _remember_xpaths()
        self.style = CitationStylesStyle(BytesIO(_safe_xml(style_xml, every_name)), validate=False)
        self.source = CiteProcJSON(items)
        self._blank_items = [_blanked(item) for item in items]
        self._blank = None
        self._formatted: dict[str, str] = {}
        self._cited: dict[tuple[bool, str, tuple[str, str] | None], str] = {}
        # A numeric style's numbers, and "ibid."-like positions, depend on the post's other citations;
        # any other style formats a citation and an entry alike in every post, so they are kept.
        self.reuses = not re.search(rb'variable="[^"]*citation-number|position="', style_xml)
        layout = self.style.root.citation.layout
        self.prefix, self.suffix = layout.get("prefix", ""), layout.get("suffix", "")
        self.delimiter = layout.get("delimiter", "; ")

    def entries(self, keys: Sequence[str]) -> dict[str, str]:
        """Each key's bibliography entry as HTML, in no particular style order (the page orders them);
        each formatted once per engine (the publications page and the CV show the same entries)."""
        missing = [key for key in keys if key not in self._formatted]
        bibliography = self._bibliography(self.source)
        for key, item in zip(missing, [self._register(bibliography, key).cites[0] for key in missing]):
            self._formatted[key] = linkify(str(self.style.render_bibliography([item])[0]))
        return {key: self._formatted[key] for key in keys}

    def session(self) -> "Session":
        from citeproc import CitationStylesBibliography, formatter

        if self._blank is None:
            from citeproc.source.json import CiteProcJSON
            self._blank = CiteProcJSON(self._blank_items)
        return Session(self, CitationStylesBibliography(self.style, self.source, formatter.html),
                       CitationStylesBibliography(self.style, self._blank, formatter.html))

    def _bibliography(self, source: Any) -> Any:
        from citeproc import CitationStylesBibliography, formatter

        return CitationStylesBibliography(self.style, source, formatter.html)

    @staticmethod
    def _register(bibliography: Any, key: str, item: CiteItem | None = None) -> Any:
        from citeproc import Citation, CitationItem, Locator

        options: dict[str, Any] = {}
        if item is not None and item.locator:
            options["locator"] = Locator(*item.locator)
        citation = Citation([CitationItem(key, **options)])
        bibliography.register(citation)
        return citation


class Session:
    """One post's citations, in the order they are written, and its references list."""

    def __init__(self, engine: Engine, bibliography: Any, blank: Any) -> None:
        self.engine, self._bibliography, self._blank = engine, bibliography, blank

    def cite(self, items: Sequence[CiteItem], in_text: bool, link: Callable[[str, str], str]) -> str:
        """The citation's HTML: each item formatted alone and linked with `link(key, html)`, joined as the
        style joins them; `in_text`: 'Lindqvist et al. (2024)' rather than '(Lindqvist et al., 2024)'."""
        engine = self.engine
        parts = []
        for item in items:
            if item.suppress_author or in_text:  # where the names are is found by a second rendering
                names, shown, _ = self._parts(item)
                names = names or self._short_names(item.key)
            else:
                names, shown = "", self._render(self._bibliography, item)
            parts.append((names, html.escape(item.prefix) + shown + html.escape(item.suffix), item.key))
        if in_text:
            return engine.delimiter.join(link(key, f"{names} {engine.prefix}{shown}{engine.suffix}".strip())
                                         for names, shown, key in parts)
        return engine.prefix + engine.delimiter.join(link(key, shown) for _, shown, key in parts) + engine.suffix

    def _parts(self, item: CiteItem) -> tuple[str, str, str]:
        """(the names, the rest, the whole) of the item's citation, without the layout's brackets."""
        whole = self._render(self._bibliography, item)
        blank = self._render(self._blank, item)
        at = blank.find(BLANK)
        if at < 0:
            return "", whole, whole
        head, tail = blank[:at], blank[at + 1:]
        if not (whole.startswith(head) and whole.endswith(tail)) or len(whole) < len(head) + len(tail):
            return "", whole, whole
        return whole[len(head):len(whole) - len(tail)].strip(), head + re.sub(r"^[\s,;:]+", "", tail), whole

    def _render(self, bibliography: Any, item: CiteItem) -> str:
        citation = Engine._register(bibliography, item.key, item)  # registered all the same: the References
        engine = self.engine
        memo = (bibliography is self._blank, item.key.lower(), item.locator)
        if engine.reuses and memo in engine._cited:
            return engine._cited[memo]
        text = str(bibliography.cite(citation, lambda missing: None))
        if engine.prefix and text.startswith(engine.prefix):
            text = text[len(engine.prefix):]
        if engine.suffix and text.endswith(engine.suffix):
            text = text[:-len(engine.suffix)]
        engine._cited[memo] = text
        return text

    def _short_names(self, key: str) -> str:
        """For styles whose citations show no names (numeric ones): 'A', 'A and B', 'A et al.'."""
        reference = self.engine.source.get(key.lower())
        people = [str(getattr(n, "family", "") or getattr(n, "literal", "")) for n in (reference.get("author") or [])] \
            if reference is not None else []
        if not people:
            return ""
        return people[0] if len(people) == 1 else " and ".join(people) if len(people) == 2 else f"{people[0]} et al."

    def references(self) -> list[tuple[str, str]]:
        """(key, entry HTML) of every key cited so far, in the style's order: a numeric style's, or for
        any other, the entries as formatted (each once per process) in alphabetical order, which is
        what an author-date style's author, year, title sort gives."""
        bibliography = self._bibliography
        if not bibliography.items:
            return []
        if self.engine.reuses:
            formatted = self.engine.entries(list(bibliography.keys))
            return sorted(formatted.items(), key=lambda pair: _TAG.sub("", pair[1]).casefold())
        bibliography.sort()
        rendered = bibliography.bibliography()
        return [(item.key, linkify(str(text))) for item, text in zip(bibliography.items, rendered)]


_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"(?<![\w\"'=/])(https?://[^\s<>\"]+?)(?=[.,;:]?(?:\s|<|$))")


def linkify(formatted: str) -> str:
    """The URLs a style writes out ('Available at: https://doi.org/…') as links."""
    parts = re.split(r"(<[^>]+>)", formatted)
    return "".join(p if p.startswith("<") else _URL.sub(r'<a href="\1">\1</a>', p) for p in parts)


def _blanked(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its names replaced by one BLANK (the names a citation would show)."""
    for variable in ("author", "editor"):
        if item.get(variable):
            return {**{k: v for k, v in item.items() if k not in ("author", "editor")}, variable: [{"family": BLANK}]}
    return item


_ENGINES: dict[str, Engine] = {}


def engine_for(digest: str, make: Callable[[], Engine]) -> Engine:
    """This process's engine for a bibliography (by its digest): citeproc-py takes a while to set up."""
    if digest not in _ENGINES:
        if len(_ENGINES) >= 4:  # a build has two (posts' and the page's); a dev server's next build, two more
            _ENGINES.clear()
            _XPATHS.clear()
        _ENGINES[digest] = make()
    return _ENGINES[digest]
