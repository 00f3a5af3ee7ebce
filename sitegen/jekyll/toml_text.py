"""Plain values as TOML text, for the sitegen.toml an import writes (the standard library reads TOML
but does not write it). Strings, booleans, numbers, dates, lists and tables; None is left out."""
from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, Mapping

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value if v is not None) + "]"
    if isinstance(value, Mapping):
        items = [f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items() if v is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def toml_key(key: Any) -> str:
    text = str(key)
    return text if _BARE_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def toml_table(name: str, values: Mapping[str, Any], array: bool = False) -> str:
    """`[name]` (or `[[name]]`) and its keys, one a line; '' for a table with nothing in it."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in values.items() if v is not None]
    if not lines and not array:
        return ""
    header = f"[[{name}]]" if array else f"[{name}]"
    return "\n".join([header, *lines]) + "\n"


def toml_document(top: Mapping[str, Any], tables: Mapping[str, Mapping[str, Any]],
                  arrays: Mapping[str, list[Mapping[str, Any]]]) -> str:
    """Top-level keys, then each table, then each array of tables."""
    parts = ["\n".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in top.items() if v is not None) + "\n"]
    parts += [t for name, values in tables.items() if (t := toml_table(name, values))]
    parts += [toml_table(name, entry, array=True) for name, entries in arrays.items() for entry in entries]
    return "\n".join(parts)
