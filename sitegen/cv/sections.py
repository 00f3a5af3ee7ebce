"""The JSON Resume schema's sections (https://jsonresume.org/schema), declared once: each entry's keys
with their types, and which key plays which part on the page (the heading, the place, the dates …).
A top-level key the schema does not have ('talks', 'teaching') is a section of the same shape."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.schema import Option, Schema

TEXT = (str,)
WHEN = (str, int, date)  # YAML reads 2019 as a number and 2019-09-01 as a date
NUMBER_OR_TEXT = (str, int, float)


@dataclass(frozen=True, slots=True)
class Parts:
    """Which of an entry's keys the page shows where; the first given of each tuple is used."""

    heading: tuple[str, ...] = ("name", "title")
    subject: str = ""  # a key whose value follows the heading: 'PhD' in 'Neuroscience'
    place: tuple[str, ...] = ()  # the organisation, institution, event …
    date: tuple[str, ...] = ("date",)  # one date (an award, a talk)
    start: str = "startDate"
    end: str = "endDate"
    location: tuple[str, ...] = ("location",)
    notes: tuple[str, ...] = ()  # short facts after the heading: a level, a score, roles
    summary: tuple[str, ...] = ("summary", "description")
    highlights: tuple[str, ...] = ("highlights",)
    keywords: str = "keywords"
    url: str = "url"


@dataclass(frozen=True, slots=True)
class Section:
    name: str  # the key in the file
    title: str  # the heading on the page
    keys: Schema  # an entry's keys (others are allowed, as in the schema; a near miss is a warning)
    parts: Parts
    layout: str = "entries"  # how cv.html lays it out: 'entries', 'tags' (keywords), 'compact', 'quotes'


def _keys(name: str, *options: tuple[str, tuple[type, ...]], renamed: dict[str, tuple[str, ...]] | None = None) -> Schema:
    return Schema(tuple(Option(key, types, None, "", renamed_from=(renamed or {}).get(key, ()))
                        for key, types in options), owner=f"an entry of '{name}'", prefix=f"{name}[].")


_DATED = (("startDate", WHEN), ("endDate", WHEN), ("summary", TEXT), ("highlights", (list,)), ("url", TEXT))

SECTIONS: dict[str, Section] = {s.name: s for s in (
    Section("work", "Experience", _keys("work", ("name", TEXT), ("position", TEXT), ("location", TEXT),
                                        ("description", TEXT), *_DATED, renamed={"name": ("company",)}),
            Parts(heading=("position", "name"), place=("name",), summary=("summary",))),
    Section("volunteer", "Volunteering", _keys("volunteer", ("organization", TEXT), ("position", TEXT), *_DATED),
            Parts(heading=("position", "organization"), place=("organization",))),
    Section("education", "Education", _keys("education", ("institution", TEXT), ("area", TEXT),
                                            ("studyType", TEXT), ("score", NUMBER_OR_TEXT), ("courses", (list,)),
                                            ("startDate", WHEN), ("endDate", WHEN), ("url", TEXT),
                                            ("summary", TEXT), ("highlights", (list,))),
            Parts(heading=("studyType", "area", "institution"), subject="area", place=("institution",), notes=("score",),
                  highlights=("highlights", "courses"))),
    Section("awards", "Awards", _keys("awards", ("title", TEXT), ("date", WHEN), ("awarder", TEXT),
                                      ("summary", TEXT), ("url", TEXT)),
            Parts(heading=("title",), place=("awarder",))),
    Section("certificates", "Certificates", _keys("certificates", ("name", TEXT), ("date", WHEN), ("issuer", TEXT),
                                                  ("url", TEXT)),
            Parts(heading=("name",), place=("issuer",))),
    Section("publications", "Publications", _keys("publications", ("name", TEXT), ("publisher", TEXT),
                                                  ("releaseDate", WHEN), ("url", TEXT), ("summary", TEXT)),
            Parts(heading=("name",), place=("publisher",), date=("releaseDate",))),
    Section("skills", "Skills", _keys("skills", ("name", TEXT), ("level", TEXT), ("keywords", (list,))),
            Parts(heading=("name",), notes=("level",)), layout="tags"),
    Section("languages", "Languages", _keys("languages", ("language", TEXT), ("fluency", TEXT)),
            Parts(heading=("language",), notes=("fluency",)), layout="compact"),
    Section("interests", "Interests", _keys("interests", ("name", TEXT), ("keywords", (list,))),
            Parts(heading=("name",)), layout="tags"),
    Section("references", "References", _keys("references", ("name", TEXT), ("reference", TEXT)),
            Parts(heading=("name",), summary=("reference",)), layout="quotes"),
    Section("projects", "Projects", _keys("projects", ("name", TEXT), ("description", TEXT), ("entity", TEXT),
                                          ("type", TEXT), ("roles", (list,)), ("keywords", (list,)), *_DATED),
            Parts(heading=("name",), place=("entity",), notes=("type", "roles"))),
)}

# The parts of a section the schema does not have: what academics add ('talks', 'teaching', 'service').
GENERIC = Parts(heading=("name", "title", "course", "position", "role"),
                place=("event", "venue", "institution", "organization", "publisher", "awarder", "issuer"),
                date=("date", "releaseDate"), notes=("role", "type", "level"))

BASICS = Schema(tuple(Option(key, types, None, "") for key, types in (
    ("name", TEXT), ("label", TEXT), ("image", TEXT), ("email", TEXT), ("phone", NUMBER_OR_TEXT), ("url", TEXT),
    ("summary", TEXT), ("location", (dict,)), ("profiles", (list,)))), owner="'basics'", prefix="basics.")
PROFILE = Schema(tuple(Option(key, TEXT, None, "") for key in ("network", "username", "url")),
                 owner="a profile", prefix="basics.profiles[].")
LOCATION_SHOWN = ("city", "region", "countryCode")  # of basics.location (address and postalCode stay private)
META = ("basics", "meta", "$schema")  # top-level keys that are no section of entries
