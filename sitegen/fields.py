"""Typed values read out of a post's front matter, one diagnostic (at the key's line) per problem."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sitegen.errors import Diagnostic, error, warning
from sitegen.frontmatter import FrontMatter
from sitegen.slugs import to_datetime


class Fields:
    """Reads typed values out of front matter, recording a diagnostic (with the key's line) per problem."""

    def __init__(self, front: FrontMatter, shown: str, rel: str, outline: Any = None) -> None:
        self.front, self.shown, self.rel, self.outline = front, shown, rel, outline
        self.problems: list[Diagnostic] = []
        self.fatal = False

    def fail(self, key: str | None, message: str, hint: str = "", fatal: bool = False) -> None:
        line = self.front.line(key) if key else 1
        self.problems.append(error(self.shown, line, message, hint))
        self.fatal = self.fatal or fatal

    def warn(self, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(warning(self.shown, line, message, hint))

    def text(self, key: str, default: str = "") -> str:
        value = self.front.data.get(key)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.fail(key, f"'{key}' must be text, not a {'mapping' if isinstance(value, dict) else 'list'}")
            return default
        return str(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.front.data.get(key, default)
        if isinstance(value, bool):
            return value
        self.fail(key, f"'{key}' must be true or false, not {value!r}")
        return default

    def when(self, key: str) -> datetime | None:
        if self.front.data.get(key) is None:
            return None
        try:
            return to_datetime(self.front.data[key])
        except ValueError:
            self.fail(key, f"'{key}' is not a date: {self.front.data[key]!r}",
                      "write it as YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS +0100'")
            return None

    def words(self, *keys: str) -> tuple[str, ...]:
        """Tags or categories: a list, or a string split on commas (or, like Jekyll, on spaces)."""
        for key in keys:
            value = self.front.data.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                parts = value.split(",") if "," in value else value.split()
                return tuple(p.strip() for p in parts if p.strip())
            if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
                return tuple(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))
            self.fail(key, f"'{key}' must be a string or a list of strings")
        return ()

    def mapping_list(self, key: str) -> list[dict[str, Any]]:
        value = self.front.data.get(key)
        if value is None:
            return []
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(key, f"'{key}' must be a list of mappings", f"e.g. '{key}:\\n  - title: ...'")
            return []
        return items
