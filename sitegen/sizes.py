"""Sizes in bytes as people write them: 4 GiB, 512MB, 1.5 GB, or a plain number of bytes."""
from __future__ import annotations

import re

_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
          "t": 1000**4, "tb": 1000**4, "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_bytes(value: int | str) -> int:
    """'4 GiB' -> 4294967296. A ValueError says what is expected."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"must be a size such as '4 GiB' or '512 MB', not {value!r}")
    if isinstance(value, int):
        number, unit = float(value), ""
    else:
        match = _PATTERN.match(value)
        if not match or match.group(2).lower() not in _UNITS:
            raise ValueError(f"must be a size such as '4 GiB' or '512 MB', not {value!r}")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * _UNITS[unit])
    if size <= 0:
        raise ValueError(f"must be more than 0 bytes, not {value!r}")
    return size


def size_problem(value: object) -> str | None:
    """What is wrong with `value` as a size, for an option check; None when it is one."""
    try:
        parse_bytes(value)  # type: ignore[arg-type]
    except ValueError as exc:
        return str(exc)
    return None


def format_bytes(size: int) -> str:
    """4294967296 -> '4 GiB' (binary units, at most one decimal)."""
    for unit, factor in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            text = f"{size / factor:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    return f"{size} bytes"
