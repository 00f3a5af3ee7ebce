"""YAML front matter: split it from the body, load it safely, and remember the line of each key."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import yaml

from sitegen.errors import InputError
from sitegen.model import FrozenMap

try:  # libyaml is much faster when the wheel has it; both are safe loaders
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@dataclass(frozen=True, slots=True)
class FrontMatter:
    data: FrozenMap
    key_lines: FrozenMap  # key -> 1-based line in the source file: top-level ('header') and nested ('header.teaser', 'gallery[1]')
    body: str
    body_line: int  # 1-based line where the body starts

    def line(self, key: str) -> int | None:
        return self.key_lines.get(key)


def split_front_matter(text: str, path: str) -> FrontMatter:
    """Parse `---\\nYAML\\n---\\nbody`. A file without front matter is all body."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(FrozenMap(), FrozenMap(), text, 1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise InputError(path, 1, "front matter is not closed",
                           "end the YAML block with a line holding only '---'")
    yaml_text = "".join(lines[1:end])
    data, key_lines = load_yaml_mapping(yaml_text, path, first_line=2, what="front matter", nested=True)
    return FrontMatter(FrozenMap(data), FrozenMap(key_lines), "".join(lines[end + 1:]), end + 2)


def load_yaml_mapping(yaml_text: str, path: str, first_line: int, what: str,
                      nested: bool = False) -> tuple[dict[str, Any], dict[str, int]]:
    """Load a YAML mapping safely; returns it and the 1-based line of each top-level key (`nested`: of
    nested ones too, as 'header.teaser' and 'gallery[1].url').
    `first_line` is the line of the YAML's first line in `path`; `what` names it in messages."""
    loader = _Loader(yaml_text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at_end = mark is not None and mark.index >= len(yaml_text.rstrip())
        if at_end and exc.context_mark is not None:  # "found end of stream": point where the value began
            mark = exc.context_mark
        line = first_line + mark.line if mark else first_line
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise InputError(path, line, f"{what} is not valid YAML: {problem}",
                           "check the indentation and quote values that contain ': ' or start with a special character") from None
    except yaml.YAMLError as exc:
        raise InputError(path, first_line, f"{what} is not valid YAML: {exc}") from None
    except (ValueError, OverflowError) as exc:  # a value that looks like a type it cannot be: 2024-13-45
        raise _unconstructible(node, exc, path, first_line, what) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError(path, first_line, f"{what} must be a mapping of keys to values",
                           "write 'key: value' lines, e.g. 'title: My project'")
    key_lines = {str(key.value): first_line + key.start_mark.line for key, _ in node.value}
    if nested:
        key_lines = {**dotted_key_lines(node, first_line), **key_lines}
    return {str(k): v for k, v in data.items()}, key_lines


def dotted_key_lines(node: yaml.Node | None, first_line: int = 1, key: str = "",
                     found: dict[str, int] | None = None) -> dict[str, int]:
    """The line of every key below `node` by its dotted name ('author.name', 'nav[2]', 'nav[2].url');
    `first_line` is the line of the YAML's first line."""
    found = {} if found is None else found
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            inner = f"{key}.{name.value}" if key else str(name.value)
            found.setdefault(inner, first_line + name.start_mark.line)
            dotted_key_lines(value, first_line, inner, found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found.setdefault(f"{key}[{index}]", first_line + item.start_mark.line)
            dotted_key_lines(item, first_line, f"{key}[{index}]", found)
    return found


_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_DATE_HINT = ("write a real date as YYYY-MM-DD and a time as HH:MM:SS, from 00:00:00 to 23:59:59, "
              "or quote the value to keep it as text")


def _unconstructible(root: yaml.Node | None, exc: Exception, path: str, first_line: int, what: str) -> InputError:
    """The error for a value YAML recognises but cannot build (a date like 2024-13-45): at its line."""
    checker = yaml.constructor.SafeConstructor()
    for key, node in _scalars(root, "") if root is not None else ():
        if node.tag == _TIMESTAMP_TAG:
            try:
                checker.construct_yaml_timestamp(node)
            except ValueError as problem:
                return InputError(path, first_line + node.start_mark.line,
                                    f"'{key}' is not a valid date: {node.value} ({problem})", _DATE_HINT)
    return InputError(path, first_line, f"{what} holds a value that cannot be read: {exc}")


def _scalars(node: yaml.Node, key: str, seen: set[int] | None = None) -> Iterator[tuple[str, yaml.ScalarNode]]:
    """Every scalar below `node` with the dotted key that leads to it ('event.held', 'talks[2]')."""
    seen = set() if seen is None else seen
    if id(node) in seen:  # an alias can make the graph a cycle
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        yield key, node
    elif isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            inner = f"{key}.{name.value}" if key else str(name.value)
            yield from _scalars(name, inner, seen)  # a key can be a date too
            yield from _scalars(value, inner, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, f"{key}[{index}]", seen)
