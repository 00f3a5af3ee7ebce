"""Slugs, titles and dates taken from file names."""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timezone

_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.*)$")


def slugify(text: str) -> str:
    """'Spiking network — E/I balance!' -> 'spiking-network-e-i-balance'."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def split_date_prefix(stem: str) -> tuple[date | None, str]:
    """'2024-03-02-balanced-network' -> (date(2024, 3, 2), 'balanced-network')."""
    match = _DATE_PREFIX.match(stem)
    if not match:
        return None, stem
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), match.group(4)
    except ValueError:
        return None, stem


def title_from_slug(slug: str) -> str:
    """'balanced-ei_network' -> 'Balanced ei network'."""
    words = re.split(r"[-_\s]+", slug.strip("-_ "))
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:]


def to_datetime(value: object) -> datetime:
    """A YAML date, datetime or string as a timezone-aware datetime (UTC when no zone is given).
    Raises ValueError for anything else."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    if isinstance(value, str):
        text = value.strip()
        for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%Y-%m-%d %H:%M:%S %z"),
                      lambda t: datetime.strptime(t, "%Y-%m-%d %H:%M %z")):
            try:
                return to_datetime(parse(text))
            except ValueError:
                continue
    raise ValueError(f"not a date: {value!r}")
