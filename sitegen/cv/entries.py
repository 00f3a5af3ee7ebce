"""A CV Document -> the frozen CV the template shows: every section's entries with their dates written
out, Markdown in summaries and highlights made safe HTML, links checked; each problem at its line."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable

from sitegen.cv.dates import DATE_HINT, PartialDate, is_present, parse_date, span
from sitegen.cv.sections import BASICS, GENERIC, LOCATION_SHOWN, PROFILE, Parts, Section
from sitegen.cv.source import Document, Path_, dotted
from sitegen.errors import Diagnostic, error, warning
from sitegen.html_policy import refused_scheme
from sitegen.schema import Schema, refuse

Markdown = Callable[[str, bool], str]  # (text, inline) -> sanitised HTML


@dataclass(frozen=True, slots=True)
class Entry:
    heading: str
    url: str
    place: str
    location: str
    when: str  # 'Sep 2019 – present', '' without dates
    start: str  # the first date as ISO ('2019-09'), for <time datetime>
    notes: tuple[str, ...]
    summary_html: str
    highlights_html: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CVSection:
    name: str
    title: str
    layout: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Profile:
    network: str
    username: str
    url: str


@dataclass(frozen=True, slots=True)
class Basics:
    name: str = ""
    label: str = ""
    image: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""
    summary_html: str = ""
    location: str = ""
    profiles: tuple[Profile, ...] = ()


class Reader:
    """Reads values out of a Document, one diagnostic (at the key's line) per problem."""

    def __init__(self, document: Document, markdown: Markdown) -> None:
        self.document, self.markdown = document, markdown
        self.problems: list[Diagnostic] = []

    def fail(self, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append(error(self.document.shown, self.document.line(*path), message, hint))

    def warn(self, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.document.shown, self.document.line(*path), message, hint))

    def checked(self, raw: dict[str, Any], keys: Schema, path: Path_) -> dict[str, Any]:
        """The values of `raw` whose type is right; a near miss of a known key is a warning (the schema
        allows other keys, so a key like nothing known is the author's own and kept quiet)."""
        values = {}
        renamed = {old: option for option in keys for old in option.renamed_from}
        for key, value in raw.items():
            if key not in keys and key not in renamed:
                self._near_miss(key, keys, (*path, key))
                continue
            option = keys[key] if key in keys else renamed[key]
            if key in renamed:
                self.warn((*path, key), f"'{dotted((*path, key))}' is now called '{option.name}'",
                          f"rename it to '{option.name}'")
            refusal = None if value is None else refuse(option, value, keys.words)
            if refusal:
                self.fail((*path, key), f"'{dotted((*path, key))}' {refusal[0]}", refusal[1])
            elif value is not None:
                values[option.name] = value
        return values

    def _near_miss(self, key: str, keys: Schema, path: Path_) -> None:
        close = difflib.get_close_matches(key, keys.names, n=1, cutoff=0.75)
        if close:
            self.warn(path, f"unknown key '{dotted(path)}' is not shown", f"did you mean '{close[0]}'?")

    def url(self, value: Any, path: Path_) -> str:
        text = str(value or "").strip()
        scheme = refused_scheme(text) if text else None
        if scheme:
            self.fail(path, f"'{dotted(path)}' is a {scheme}: URL, which sitegen never puts in a page",
                      "link to a page or a file instead, e.g. https://… or /assets/…")
            return ""
        return text

    def when(self, value: Any, path: Path_) -> PartialDate | None:
        if value is None or value == "" or is_present(value):
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(path, f"'{dotted(path)}' {exc}", DATE_HINT)
            return None

    def texts(self, value: Any, path: Path_) -> tuple[str, ...]:
        """A list of strings (numbers are written out); anything else is an error."""
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        kept = []
        for index, item in enumerate(items):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                kept.append(str(item))
            else:
                self.fail((*path, index), f"'{dotted((*path, index))}' must be text, not {type(item).__name__}")
        return tuple(kept)


def entry(reader: Reader, values: dict[str, Any], parts: Parts, path: Path_) -> Entry:
    """One entry of a section, its keys already checked (a generic section's are not)."""
    heading_key = _first(values, parts.heading)
    place_key = _first(values, tuple(k for k in parts.place if k != heading_key))
    one = _first(values, parts.date)
    start = reader.when(values.get(parts.start) if not one else values[one], (*path, one or parts.start))
    end = reader.when(values.get(parts.end), (*path, parts.end)) if not one else None
    ongoing = not one and parts.start in values and (parts.end not in values or is_present(values[parts.end]))
    summary = _text(values, _first(values, parts.summary), reader, path)
    highlights_key = _first(values, parts.highlights) or "highlights"
    highlights = reader.texts(values.get(highlights_key), (*path, highlights_key))
    return Entry(
        heading=_heading(values, heading_key, parts, reader, path),
        url=reader.url(values.get(parts.url), (*path, parts.url)),
        place=_text(values, place_key, reader, path),
        location=_text(values, _first(values, parts.location), reader, path),
        when=span(start, end, ongoing), start=start.iso if start else "",
        notes=tuple(n for k in parts.notes if k != heading_key for n in reader.texts(values.get(k), (*path, k))),
        summary_html=reader.markdown(summary, False) if summary else "",
        highlights_html=tuple(reader.markdown(h, True) for h in highlights),
        keywords=reader.texts(values.get(parts.keywords), (*path, parts.keywords)),
    )


def section(reader: Reader, name: str, raw: Any, known: Section | None) -> CVSection | None:
    """A section of entries; None (with an error at its line) when it is not a list of mappings."""
    if not isinstance(raw, list):
        reader.fail((name,), f"'{name}' must be a list of entries ('- …' lines, or [ … ] in JSON), "
                             f"not {type(raw).__name__}")
        return None
    entries = []
    for index, item in enumerate(raw):
        path = (name, index)
        if not isinstance(item, dict):
            reader.fail(path, f"'{dotted(path)}' must be a mapping of keys (name, date, summary …), "
                              f"not {type(item).__name__}")
            continue
        values = reader.checked(item, known.keys, path) if known else item
        entries.append(entry(reader, values, known.parts if known else GENERIC, path))
    title = known.title if known else name.replace("_", " ").strip().capitalize()
    return CVSection(name, title, known.layout if known else "entries", tuple(entries))


def basics(reader: Reader, raw: Any) -> Basics:
    if raw is None:
        return Basics()
    if not isinstance(raw, dict):
        reader.fail(("basics",), f"'basics' must be a mapping (name, label, email …), not {type(raw).__name__}")
        return Basics()
    values = reader.checked(raw, BASICS, ("basics",))
    profiles = []
    for index, item in enumerate(values.get("profiles", [])):
        path = ("basics", "profiles", index)
        if not isinstance(item, dict):
            reader.fail(path, f"'{dotted(path)}' must be a mapping (network, username, url)")
            continue
        profile = reader.checked(item, PROFILE, path)
        profiles.append(Profile(profile.get("network", ""), profile.get("username", ""),
                                reader.url(profile.get("url"), (*path, "url"))))
    location = values.get("location", {})
    return Basics(
        name=values.get("name", ""), label=values.get("label", ""),
        image=reader.url(values.get("image"), ("basics", "image")), email=values.get("email", "").strip(),
        phone=str(values.get("phone", "")), url=reader.url(values.get("url"), ("basics", "url")),
        summary_html=reader.markdown(values["summary"], False) if values.get("summary") else "",
        location=", ".join(str(location[k]) for k in LOCATION_SHOWN if location.get(k)),
        profiles=tuple(profiles),
    )


def _first(values: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    return next((k for k in keys if values.get(k) not in (None, "")), None)


def _heading(values: dict[str, Any], key: str | None, parts: Parts, reader: Reader, path: Path_) -> str:
    """The heading's text; 'PhD in Neuroscience' when the section names a subject ('area') too."""
    heading = _text(values, key, reader, path)
    subject = _text(values, parts.subject, reader, path) if parts.subject and key != parts.subject else ""
    return f"{heading} in {subject}" if heading and subject else heading or subject


def _text(values: dict[str, Any], key: str | None, reader: Reader, path: Path_) -> str:
    if key is None or values.get(key) in (None, ""):
        return ""
    value = values[key]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    reader.fail((*path, key), f"'{dotted((*path, key))}' must be text, not {type(value).__name__}")
    return ""
