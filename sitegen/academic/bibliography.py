"""The site's bibliography, read once per build: every entry of the configured .bib files, checked
(duplicate keys across files, entries without a title, the bounds), and the CSL style."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sitegen.academic.bibtex import MAX_BIB_BYTES, MAX_ENTRIES, BibEntry, read_bib, with_crossrefs
from sitegen.academic.csl import MeMatcher, to_csl
from sitegen.academic.style import Engine, engine_for, load_style
from sitegen.config import CONFIG_NAME, SiteConfig, _KeyLines
from sitegen.errors import Diagnostic, did_you_mean, error
from sitegen.model import FrozenMap

DEFAULT_BIB = "content/publications.bib"


@dataclass(frozen=True, slots=True)
class Bibliography:
    """Every entry the site may cite, the style, and whose name is marked (frozen and picklable)."""

    entries: tuple[BibEntry, ...]
    style_xml: bytes
    me: tuple[str, ...]  # [author] name and [publications] aliases
    files: tuple[str, ...]  # the .bib files, site-relative: inputs, not pages
    index: FrozenMap  # key, folded to lower case as BibTeX compares keys -> place in `entries`
    digest: str
    page: str = "/publications/"  # the publications page, a site-root path
    only_mine: bool = False  # the page lists only the entries that name the site author

    @classmethod
    def of(cls, entries: list[BibEntry], style_xml: bytes, me: tuple[str, ...], files: tuple[str, ...],
           page: str = "/publications/", only_mine: bool = False) -> "Bibliography":
        digest = hashlib.sha256(style_xml + json.dumps([e.bibtex for e in entries] + list(me)).encode()).hexdigest()
        return cls(tuple(entries), style_xml, me, files, FrozenMap({e.key.lower(): i for i, e in enumerate(entries)}),
                   digest, page, only_mine)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def get(self, key: str) -> BibEntry | None:
        place = self.index.get(key.lower())
        return None if place is None else self.entries[place]

    def unknown_key(self, key: str) -> tuple[str, str]:
        """The message and hint for a key the bibliography does not have."""
        files = ", ".join(self.files) or DEFAULT_BIB
        return f"no entry '{key}' in {files}", did_you_mean(key, [e.key for e in self.entries]) or \
            "check the key as written after @article{ in the .bib file"

    def engine(self) -> Engine:
        """This process's citeproc engine (names unmarked): for posts' citations."""
        return engine_for(self.digest, lambda: Engine(self.style_xml, [to_csl(e) for e in self.entries]))

    def marked_engine(self) -> Engine:
        """An engine whose items mark the site author's names, and that lists every author: for the
        publications page."""
        me = MeMatcher(self.me)
        return engine_for(self.digest + ":me", lambda: Engine(self.style_xml, [to_csl(e, me) for e in self.entries],
                                                              every_name=True))

    def is_mine(self, entry: BibEntry) -> bool:
        me = MeMatcher(self.me)
        return any(me.matches(p) for p in (*entry.authors, *entry.editors))

    def lists(self, entry: BibEntry) -> bool:
        """Whether the publications page shows the entry."""
        return not self.only_mine or self.is_mine(entry)

    @property
    def listed(self) -> tuple[BibEntry, ...]:
        return tuple(e for e in self.entries if self.lists(e))

    def entry_url(self, entry: BibEntry) -> str:
        return f"{self.page}#{quote(entry.key)}"


NO_BIBLIOGRAPHY = Bibliography.of([], b"", (), ())


def load_bibliography(config: SiteConfig) -> tuple[Bibliography, list[Diagnostic]]:
    """The configured .bib files (else content/publications.bib, if it exists) and the style. No
    .bib file: an empty bibliography, and citations are not looked for."""
    options, root = config.publications, config.root
    where = _Where(root)
    named = [str(p) for p in options.bib]
    if not named and not (root / DEFAULT_BIB).is_file():
        return NO_BIBLIOGRAPHY, []
    entries, problems = [], []
    for rel in named or [DEFAULT_BIB]:
        found, read = _read_file(root, rel, where.line("bib") if named else None)
        entries += found
        problems += read
    entries, linked = with_crossrefs(_first_of_each_key(entries, problems))
    problems += linked
    problems += [error(e.path, e.line, f"entry '{e.key}' has no title", "add title = {…}")
                 for e in entries if not e.text("title").strip()]
    if len(entries) > MAX_ENTRIES:
        problems.append(error(CONFIG_NAME, where.line("bib"), f"{len(entries)} BibTeX entries: more than "
                              f"{MAX_ENTRIES}, the most a site may have", "list fewer .bib files"))
        entries = entries[:MAX_ENTRIES]
    style, styled = load_style(options.style, root, (CONFIG_NAME, where.line("style")))
    me = tuple(n for n in (config.author.name, *options.aliases) if n.strip())
    page = "/" + options.permalink.strip("/") + "/"
    return Bibliography.of(entries, style, me, tuple(named or [DEFAULT_BIB]), page, options.only_mine), [*problems, *styled]


def _read_file(root: Path, rel: str, line: int | None) -> tuple[list[BibEntry], list[Diagnostic]]:
    path = root / rel
    try:
        size = path.stat().st_size
        if size > MAX_BIB_BYTES:
            return [], [error(rel, None, f"{size / 2**20:.1f} MiB: larger than {MAX_BIB_BYTES // 2**20} MiB, the most "
                                         "one .bib file may be", "split it into several files in [publications] bib")]
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [error(CONFIG_NAME, line, f"[publications] bib names '{rel}', which does not exist",
                          f"looked for {path}")]
    except UnicodeDecodeError as exc:
        return [], [error(rel, None, f"not UTF-8 text: {exc.reason}", "save the .bib file as UTF-8")]
    except OSError as exc:
        return [], [error(CONFIG_NAME if line else rel, line, f"'{rel}' cannot be read: {exc.strerror or exc}")]
    return read_bib(text, rel)


def _first_of_each_key(entries: list[BibEntry], problems: list[Diagnostic]) -> list[BibEntry]:
    """Keys compare without case, as in BibTeX; a key twice (in one file, or two) is an error at the second."""
    seen: dict[str, BibEntry] = {}
    for entry in entries:
        first = seen.get(entry.key.lower())
        if first is None:
            seen[entry.key.lower()] = entry
        else:
            problems.append(error(entry.path, entry.line, f"duplicate key '{entry.key}': the same key as the entry at "
                                  f"{first.path}:{first.line}", "give one of them another key"))
    return list(seen.values())


class _Where:
    """Lines of [publications] keys in sitegen.toml, for messages."""

    def __init__(self, root: Path) -> None:
        path = root / CONFIG_NAME
        self._lines = _KeyLines(path.read_text(encoding="utf-8") if path.is_file() else "", CONFIG_NAME)

    def line(self, key: str) -> int | None:
        return self._lines.line("publications", key)
