"""Jekyll's filters over lists of posts and data: where, where_exp, sort, group_by, jsonify,
array_to_sentence_string."""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from io import StringIO
from typing import Any, Callable, Iterable, Mapping

from liquid import Markup
from liquid.filter import with_context
from liquid.undefined import is_undefined


def _items(value: object) -> list[Any]:
    if value is None or is_undefined(value):
        return []
    if isinstance(value, Mapping):
        return list(value.values())
    if isinstance(value, (str, bytes)):
        return [value]
    return list(value) if isinstance(value, Iterable) else [value]


def _prop(item: object, key: str) -> object:
    """item.key, a dotted key following mappings ('header.teaser')."""
    for part in str(key).split("."):
        item = item.get(part) if isinstance(item, Mapping) else None
    return item


def _same(found: object, wanted: object) -> bool:
    if isinstance(found, (list, tuple)):
        return any(_same(f, wanted) for f in found)
    return found == wanted or (found is not None and str(found) == str(wanted))


def where(value: object, key: str, wanted: object = None) -> list[Any]:
    return [item for item in _items(value) if _same(_prop(item, key), wanted)]


@lru_cache(maxsize=256)
def _condition(env: Any, name: str, expression: str) -> Any:
    return env.from_string(f"{{% if {expression} %}}1{{% endif %}}", name="where_exp")


def _matches(context: Any, name: str, expression: str) -> Callable[[object], bool]:
    template = _condition(context.env, name, expression)

    def test(item: object) -> bool:
        buffer = StringIO()
        template.render_with_context(context, buffer, partial=True, **{name: item})
        return buffer.getvalue() == "1"
    return test


@with_context
def where_exp(value: object, name: str, expression: str, *, context: Any) -> list[Any]:
    test = _matches(context, str(name), str(expression))
    return [item for item in _items(value) if test(item)]


def _sort_key(item: object) -> tuple[int, Any]:
    if isinstance(item, datetime):
        return (1, item.timestamp())
    if isinstance(item, date):
        return (1, datetime(item.year, item.month, item.day).timestamp())
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return (1, item)
    return (2, str(item))


def sort(value: object, key: object = None, nils: str = "first") -> list[Any]:
    """Jekyll's sort: by a property, items without it first (or `nils: "last"`)."""
    items = _items(value)
    if key is None or is_undefined(key):
        return sorted(items, key=_sort_key)
    absent = [i for i in items if _prop(i, str(key)) is None]
    present = sorted((i for i in items if _prop(i, str(key)) is not None), key=lambda i: _sort_key(_prop(i, str(key))))
    return [*present, *absent] if nils == "last" else [*absent, *present]


def group_by(value: object, key: str) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for item in _items(value):
        found = _prop(item, key)
        groups.setdefault("" if found is None else str(found), []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def _json_default(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def jsonify(value: object) -> Markup:
    """JSON that is safe inside HTML and <script> alike (<, > and & written as \\u escapes)."""
    text = json.dumps(None if is_undefined(value) else value, default=_json_default, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def array_to_sentence_string(value: object, connector: str = "and") -> str:
    words = [str(i) for i in _items(value)]
    if len(words) <= 2:
        return f" {connector} ".join(words)
    return f"{', '.join(words[:-1])}, {connector} {words[-1]}"


DATA_FILTERS: dict[str, Callable[..., Any]] = {
    "where": where, "where_exp": where_exp, "sort": sort, "group_by": group_by, "jsonify": jsonify,
    "array_to_sentence_string": array_to_sentence_string,
}
