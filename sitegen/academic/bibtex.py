""".bib files -> BibEntry*: bibtexparser splits the blocks (and keeps each one's line); the values are
resolved here (@string macros, month names, `#` concatenation, crossref) and their LaTeX decoded to
Unicode, so every problem names the file and line it is at."""
from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from sitegen.errors import Diagnostic, error, warning
from sitegen.model import FrozenMap

MAX_BIB_BYTES = 8 * 1024 * 1024  # one .bib file (checked before it is read); a large lab's bibliography is a few MiB
MAX_ENTRIES = 5000  # over all the site's .bib files
NAME_FIELDS = ("author", "editor")
HIDDEN_FIELDS = frozenset({"abstract", "file", "files"})  # left out of the BibTeX a reader copies
PROTECT_OPEN, PROTECT_CLOSE = "\ue010", "\ue011"  # around {Protected} text, until CSL makes it nocase
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")
_COMMAND_BEFORE = re.compile(r"\\[a-zA-Z]+\*?\s*$")
_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


@dataclass(frozen=True, slots=True)
class Person:
    """One name of an author or editor list, split as BibTeX splits it; `literal` for a braced name
    ('{Human Brain Project}'), `others` for 'and others'."""

    family: str
    given: str = ""
    particle: str = ""  # 'van der', 'de la'
    suffix: str = ""  # 'Jr.'
    literal: bool = False
    others: bool = False


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One entry: its fields as Unicode text (lower-case names; macros and crossref resolved), its name
    lists, where it is written, and its BibTeX as written (minus abstract and file fields)."""

    key: str
    type: str  # lower case: 'article', 'inproceedings', …
    fields: FrozenMap
    authors: tuple[Person, ...]
    editors: tuple[Person, ...]
    path: str  # as messages show it: 'content/publications.bib'
    line: int
    field_lines: FrozenMap
    bibtex: str

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def text(self, name: str) -> str:
        """A field without its case-protection marks."""
        return plain(self.get(name))

    def where(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    @property
    def year(self) -> int | None:
        match = re.search(r"\d{4}", self.get("year") or self.get("date"))
        return int(match.group(0)) if match else None

    @property
    def month(self) -> int | None:
        value = self.get("month").strip().lower()
        if value.isdigit() and 1 <= int(value) <= 12:
            return int(value)
        return MONTHS.get(value[:3]) if value[:3] in MONTHS else None


def plain(text: str) -> str:
    return text.replace(PROTECT_OPEN, "").replace(PROTECT_CLOSE, "")


def read_bib(text: str, shown: str) -> tuple[list[BibEntry], list[Diagnostic]]:
    """The entries of one .bib file's text and every problem in it (`shown`: the path in messages)."""
    with _parser_messages() as messages:
        library = bibtexparser.parse_string(text, parse_stack=[])
    problems = [_failed(block, shown, messages) for block in library.failed_blocks]
    strings: dict[str, str] = {}
    for block in library.blocks:
        if isinstance(block, model.String):
            strings[block.key.lower()], _ = _resolve(block.value, strings)
    entries = []
    for block in library.entries:
        entry, found = _entry(block, strings, shown)
        entries.append(entry)
        problems += found
    return entries, problems


def _failed(block: model.ParsingFailedBlock, shown: str, messages: list[str]) -> Diagnostic:
    line = (block.start_line or 0) + 1
    if isinstance(block, model.DuplicateBlockKeyBlock):
        first = (block.previous_block.start_line or 0) + 1
        return error(shown, line, f"duplicate key '{block.key}': the same key as the entry at line {first}",
                     "give one of them another key")
    said = next((m for m in messages if f"(line {line - 1})" in m), str(block.error))
    reason = re.sub(r"^.*?due to ", "", " ".join(said.split())) or "the block cannot be read"
    head = (block.raw or "").strip().split("\n", 1)[0][:60]
    return error(shown, line, f"this BibTeX block cannot be read: {reason}",
                 f"it starts '{head}'; an entry looks like @article{{key, title = {{…}}, year = 2024}}")


@contextlib.contextmanager
def _parser_messages() -> Iterator[list[str]]:
    """What bibtexparser logs while it parses (its only account of why a block failed), kept for our
    messages rather than printed."""
    messages: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("bibtexparser")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _entry(block: model.Entry, strings: dict[str, str], shown: str) -> tuple[BibEntry, list[Diagnostic]]:
    line = (block.start_line or 0) + 1
    problems: list[Diagnostic] = []
    raw: dict[str, str] = {}
    lines: dict[str, int] = {}
    for item in block.fields:
        name = item.key.lower()
        value, unknown = _resolve(item.value, strings)
        where = (item.start_line or block.start_line or 0) + 1
        problems += [warning(shown, where, f"'{name}' uses the @string '{macro}', which is not defined",
                             "define it with @string{name = {…}} before the entry, or put the value in braces")
                     for macro in unknown]
        raw[name], lines[name] = value, where
    authors, editors = (_people(raw.get(name, ""), shown, lines.get(name, line), problems) for name in NAME_FIELDS)
    fields = {name: decode(value, protect=name in ("title", "booktitle")) for name, value in raw.items()
              if name not in NAME_FIELDS}
    return BibEntry(block.key, block.entry_type.lower(), FrozenMap(fields), authors, editors, shown, line,
                    FrozenMap(lines), _as_written(block)), problems


def _as_written(block: model.Entry) -> str:
    fields = [f"  {f.key} = {f.value.strip()}" for f in block.fields if f.key.lower() not in HIDDEN_FIELDS]
    written = re.match(r"\s*@\s*(\w+)", block.raw or "")  # bibtexparser gives the type in lower case
    return f"@{written.group(1) if written else block.entry_type}{{{block.key},\n" + ",\n".join(fields) + "\n}"


def _resolve(raw: str, strings: dict[str, str]) -> tuple[str, list[str]]:
    """A value as BibTeX reads it: braced and quoted parts, numbers and @string macros joined by '#'."""
    parts, unknown = [], []
    for part in _concatenated(raw.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            parts.append(part[1:-1])
        elif part.isdigit():
            parts.append(part)
        elif part.lower() in strings:
            parts.append(strings[part.lower()])
        elif part.lower() in MONTHS:
            parts.append(_MONTH_NAMES[MONTHS[part.lower()] - 1])
        else:
            unknown.append(part)
            parts.append(part)
    return "".join(parts), unknown


def _concatenated(raw: str) -> list[str]:
    """`raw` split at the '#' signs outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:index].strip())
            start = index + 1
    parts.append(raw[start:].strip())
    return [p for p in parts if p]


@lru_cache(maxsize=16384)
def decode(value: str, protect: bool = False) -> str:
    """LaTeX to Unicode text; with `protect`, each {Protected} group of the value between
    PROTECT_OPEN and PROTECT_CLOSE (a group that only wraps an accent, like {\\"o}, is not one)."""
    if not protect:
        return " ".join(_latex(value).split())
    out = []
    for text, protected in _top_level_groups(value):
        decoded = _latex(text)
        out.append(PROTECT_OPEN + decoded + PROTECT_CLOSE if protected and decoded.strip() else decoded)
    return " ".join("".join(out).split())


def _latex(text: str) -> str:
    if not any(c in text for c in "\\$~"):
        return text.replace("{", "").replace("}", "").replace("---", "—").replace("--", "–")
    try:
        return _LATEX.latex_to_text(text)
    except Exception:  # pylatexenc gives up on broken LaTeX: keep the letters
        return re.sub(r"\\[a-zA-Z]+|[{}\\$]", "", text)


def _top_level_groups(value: str) -> list[tuple[str, bool]]:
    """(text, protected) pieces: each top-level {group} that is neither a command's argument nor an
    accent ({\\'e}) is protected."""
    pieces, depth, start, opened = [], 0, 0, False
    for index, char in enumerate(value):
        if index > 0 and value[index - 1] == "\\":
            continue
        if char == "{":
            if depth == 0 and not _COMMAND_BEFORE.search(value[max(0, index - 40):index]) \
                    and value[index + 1:index + 2] != "\\":
                pieces.append((value[start:index], False))
                start, opened = index, True
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0 and opened:
                pieces.append((value[start + 1:index], True))
                start, opened = index + 1, False
    pieces.append((value[start:], False))
    return [(text, protected) for text, protected in pieces if text]


def _people(raw: str, shown: str, line: int, problems: list[Diagnostic]) -> tuple[Person, ...]:
    if not raw.strip():
        return ()
    people = []
    for name in split_multiple_persons_names(raw):
        if name.strip().lower() == "others":
            people.append(Person("", others=True))
            continue
        try:
            parts = parse_single_name_into_parts(name)
        except InvalidNameError as exc:
            problems.append(error(shown, line, f"cannot read the name '{name}': {exc}",
                                  "write names as 'Family, Given and Family, Given'"))
            continue
        literal = not parts.first and not parts.von and len(parts.last) == 1 and parts.last[0].startswith("{") \
            and parts.last[0].endswith("}") and not parts.last[0].startswith("{\\")
        people.append(Person(family=_words(parts.last), given=_words(parts.first), particle=_words(parts.von),
                             suffix=_words(parts.jr), literal=literal))
    return tuple(people)


def _words(tokens: Iterable[str]) -> str:
    return decode(" ".join(tokens))


def with_crossrefs(entries: list[BibEntry]) -> tuple[list[BibEntry], list[Diagnostic]]:
    """Entries with a `crossref` take the fields they lack from the entry it names (whose title is
    their booktitle), as BibTeX does."""
    by_key = {e.key.lower(): e for e in entries}
    result, problems = [], []
    for entry in entries:
        target = entry.get("crossref")
        if not target:
            result.append(entry)
            continue
        parent = by_key.get(plain(target).lower())
        if parent is None:
            problems.append(warning(entry.path, entry.where("crossref"), f"crossref '{plain(target)}' names no entry",
                                    "check the key, or remove the crossref"))
            result.append(entry)
            continue
        inherited = {**parent.fields, "booktitle": parent.get("booktitle") or parent.get("title")}
        fields = {**{k: v for k, v in inherited.items() if k not in ("title", "crossref")}, **entry.fields}
        result.append(BibEntry(entry.key, entry.type, FrozenMap(fields), entry.authors, entry.editors or parent.editors,
                               entry.path, entry.line, entry.field_lines, entry.bibtex))
    return result, problems
