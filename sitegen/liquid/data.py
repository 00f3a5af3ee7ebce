"""`site.data`: the YAML, JSON and CSV files of a site's `_data/` (or `content/_data/`) folder, each
under its name (`_data/navigation.yml` -> site.data.navigation, `_data/people/team.csv` ->
site.data.people.team). YAML is loaded safely; a file that cannot be read is a diagnostic."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import Diagnostic, error, warning

DATA_FOLDERS = ("_data", "content/_data")
SUFFIXES = (".yml", ".yaml", ".json", ".csv", ".tsv")
MAX_DATA_FILE_BYTES = 16 << 20
_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_site_data(root: Path) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Every data file under the site's data folders (a later folder's file of the same name wins)."""
    data: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    site = root.resolve()
    for folder in (root / name for name in DATA_FOLDERS):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in SUFFIXES or not path.is_file() or path.name.startswith("."):
                continue
            shown = path.relative_to(root).as_posix()
            if not path.resolve().is_relative_to(site):
                problems.append(warning(shown, None, "skipped: a symlink that points outside the site folder"))
                continue
            value, problem = _load(path, shown)
            if problem:
                problems.append(problem)
                continue
            *parents, stem = path.relative_to(folder).with_suffix("").parts
            place = data
            for part in parents:
                place = place.setdefault(part, {}) if isinstance(place.get(part, {}), dict) else {}
            place[stem] = value
    return data, problems


def _load(path: Path, shown: str) -> tuple[Any, Diagnostic | None]:
    if path.stat().st_size > MAX_DATA_FILE_BYTES:
        return None, error(shown, None, f"data file larger than {MAX_DATA_FILE_BYTES >> 20} MiB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, error(shown, None, f"data file cannot be read: {exc}", "save it as UTF-8 text")
    suffix = path.suffix.lower()
    try:
        if suffix in (".yml", ".yaml"):
            return yaml.load(text, Loader=_Loader), None
        if suffix == ".json":
            return json.loads(text), None
        return list(csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return None, error(shown, mark.line + 1 if mark else None, f"not valid YAML: {exc.problem or exc}",
                           "check the indentation and quote values that contain ': '")
    except yaml.YAMLError as exc:
        return None, error(shown, None, f"not valid YAML: {exc}")
    except json.JSONDecodeError as exc:
        return None, error(shown, exc.lineno, f"not valid JSON: {exc.msg}")
    except (csv.Error, ValueError) as exc:
        return None, error(shown, None, f"data file cannot be read: {exc}")
