"""JSON Resume dates ("2019-09-01", "2019-09", "2019"; YAML may give a date or a year as a number) and
how the CV shows them: "Sep 2019", "2016 – 2021", "Sep 2019 – present"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

DATE_HINT = "write it as YYYY-MM-DD, YYYY-MM or YYYY, e.g. 2019-09"
PRESENT = ("present", "now", "current", "today")  # an endDate some write instead of leaving it out
_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def shown(self) -> str:
        return f"{_MONTHS[self.month - 1]} {self.year}" if self.month else str(self.year)

    @property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"] + [f"{n:02d}" for n in (self.month, self.day) if n]
        return "-".join(parts)


def parse_date(value: Any) -> PartialDate:
    """Raises ValueError (saying what is wrong) for anything that is not one of the three forms."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return PartialDate(value)
    match = _PATTERN.match(str(value).strip()) if isinstance(value, (str, int)) else None
    if match is None:
        raise ValueError(f"is not a date: {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"has no month {month}: {value!r}")
    if day is not None:
        try:
            date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"is not a date: {value!r} ({exc})") from None
    return PartialDate(year, month, day)


def is_present(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in PRESENT


def span(start: PartialDate | None, end: PartialDate | None, ongoing: bool) -> str:
    """'Sep 2019 – present', '2016 – 2021', 'Sep 2019' (one date, or the same twice), '' (none)."""
    if start is None:
        return end.shown if end else ""
    if end is None:
        return f"{start.shown} – present" if ongoing else start.shown
    if end.shown == start.shown:
        return start.shown
    return f"{start.shown} – {end.shown}"
