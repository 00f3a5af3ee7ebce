"""The CV file: which one, read within bounds, and parsed (YAML safely, or JSON) into plain values with
the line of every key and list item, so a problem deep inside names its line."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sitegen.config import SiteConfig
from sitegen.errors import Diagnostic, InputError, error

MAX_BYTES = 1024 * 1024  # a CV is a few kilobytes; more is a mistake (a data file named cv.json)
MAX_VALUES = 100_000  # values visited, aliases counted each time they are used
MAX_DEPTH = 32  # sections hold entries that hold lists: a CV is never deep (an alias may loop)
DEFAULT_NAMES = ("cv.yaml", "cv.yml", "cv.json")
YAML_HINT = "check the indentation, and quote values that contain ': ' or start with a special character"

Path_ = tuple[str | int, ...]  # ('work', 0, 'startDate')


@dataclass(frozen=True, slots=True)
class Document:
    """A CV file's values and where each key is."""

    shown: str  # the path in messages: 'content/cv.yaml'
    data: dict[str, Any]
    lines: dict[Path_, int]  # a key's (or a list item's) 1-based line

    def line(self, *path: str | int) -> int | None:
        """The line of `path`, else of the nearest enclosing key that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None


def cv_file(config: SiteConfig) -> tuple[Path | None, list[Diagnostic]]:
    """The site's CV file: `[cv] file`, else the one of content/cv.yaml, cv.yml, cv.json there is."""
    if config.cv.file:
        path = config.root / config.cv.file
        if not path.is_file():
            return None, [error("sitegen.toml", None, f"cv.file: there is no file {config.cv.file}",
                                "give a path in the site folder, like 'content/cv.yaml'")]
        return path, []
    found = [config.content_path / name for name in DEFAULT_NAMES if (config.content_path / name).is_file()]
    if len(found) > 1:
        names = " and ".join(f"{config.content_dir}/{p.name}" for p in found)
        return None, [error(f"{config.content_dir}/{found[1].name}", None, f"two CV files: {names}",
                            "keep one, or choose with [cv] file = \"...\" in sitegen.toml")]
    return (found[0] if found else None), []


def read_document(path: Path, shown: str) -> tuple[Document, list[Diagnostic]]:
    """Parse the file; raises InputError (with its line) when it cannot be read at all."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(shown, None, f"the CV file is {size:,} bytes; it may be at most {MAX_BYTES:,}",
                         "is this the right file?")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(shown, raw[:exc.start].count(b"\n") + 1, "the CV file is not UTF-8 text",
                         "save it as UTF-8") from None
    if path.suffix.lower() == ".json":
        return _json(text, shown)
    return _yaml(text, shown)


def _yaml(text: str, shown: str) -> tuple[Document, list[Diagnostic]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise InputError(shown, mark.line + 1 if mark else None, f"the CV is not valid YAML{where}: {problem}",
                         YAML_HINT) from None
    except yaml.YAMLError as exc:
        raise InputError(shown, None, f"the CV is not valid YAML: {exc}", YAML_HINT) from None
    reader = _Reader(shown)
    data = reader.value(node, ()) if node is not None else {}
    return Document(shown, _mapping(data, shown), reader.lines), reader.problems


def _json(text: str, shown: str) -> tuple[Document, list[Diagnostic]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(shown, exc.lineno, f"the CV is not valid JSON (line {exc.lineno}, column {exc.colno}): "
                                            f"{exc.msg}", "check for a missing comma or quote just before") from None
    # JSON is YAML too (tabs aside): its nodes give the lines and show keys given twice, which json drops
    reader = _Reader(shown)
    try:
        node = yaml.compose(text.replace("\t", " "), Loader=yaml.SafeLoader)
        if node is not None:
            reader.value(node, ())
    except yaml.YAMLError:  # a JSON subtlety YAML reads otherwise: no lines, the values are still right
        reader = _Reader(shown)
    return Document(shown, _mapping(data, shown), reader.lines), reader.problems


def _mapping(data: Any, shown: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(shown, 1, "the CV must be a mapping of sections ('basics:', 'work:', …)",
                         "see https://jsonresume.org/schema")
    return data


class _Reader:
    """Values from YAML nodes, noting each key's line; a key given twice is an error at its second line."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.lines: dict[Path_, int] = {}
        self.problems: list[Diagnostic] = []
        self._visited = 0
        self._scalars = yaml.constructor.SafeConstructor()

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self._visited += 1
        if len(path) > MAX_DEPTH:
            raise InputError(self.shown, node.start_mark.line + 1, f"the CV nests deeper than {MAX_DEPTH} levels",
                             "does an alias (*name) refer to itself?")
        if self._visited > MAX_VALUES:
            raise InputError(self.shown, node.start_mark.line + 1, f"the CV holds more than {MAX_VALUES:,} values",
                             "do aliases (*name) repeat a large part?")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines.setdefault((*path, index), item.start_mark.line + 1)
                items.append(self.value(item, (*path, index)))
            return items
        try:
            return self._scalars.construct_object(node)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            return node.value  # a date like 2020-02-30 is text as written; where a date is needed, it is checked

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(self.value(key_node, path))
            where, line = (*path, key), key_node.start_mark.line + 1
            if key in result:
                self.problems.append(error(self.shown, line, f"'{dotted(where)}' is given twice (first on line "
                                                             f"{self.lines.get(where)})", "keep one"))
            self.lines.setdefault(where, line)
            result[key] = self.value(value_node, where)
        return result


def dotted(path: Path_) -> str:
    """('work', 0, 'startDate') -> 'work[0].startDate'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
