"""The README's key tables, written from the schemas (sitegen.schema) so they cannot drift from the code.

Each table sits between two marker comments, `<!-- keys:NAME -->` and `<!-- /keys:NAME -->`:
`directive` (the keys every animation takes), `kinds` (each built-in kind: what it draws, its data, its
keys) and `config` (sitegen.toml). `python -m sitegen.docs_tables [README.md]` rewrites them;
`--check` only says whether they are current (exit status 1 when not)."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Callable, Sequence

from sitegen.schema import Schema, allowed, literal

_MARKERS = re.compile(r"(<!-- keys:(?P<name>[\w.-]+) -->\n).*?(<!-- /keys:(?P=name) -->)", re.S)


def key_table(*schemas: Schema) -> str:
    """A Markdown table of the schemas' keys (with their prefix, as messages show them): key, default,
    the values it takes, what it means."""
    rows = ["| key | default | values | meaning |", "|---|---|---|---|"]
    for schema in schemas:
        for option in schema:
            default = "—" if option.default is None else f"`{literal(option.default)}`"
            cells = (f"`{schema.prefix}{option.name}`", default, allowed(option, schema.words), option.doc)
            rows.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def directive_table() -> str:
    from sitegen.animation.spec import COMMON

    return key_table(COMMON)


def kinds_sections() -> str:
    """Every registered kind: a heading, its summary, its data layout and its keys."""
    from sitegen.animation.kinds import KINDS

    sections = []
    for kind in KINDS:
        layout = " ".join(line.strip() for line in kind.data_layout.strip().splitlines())
        sections.append(f"##### `{kind.name}`\n\n{kind.summary}\n\nData: {layout}\n\n{key_table(kind.params)}")
    return "\n".join(sections)


def config_table() -> str:
    """sitegen.toml's keys in one table, a table's keys written as TOML dotted keys (`render.preset`)."""
    from sitegen.config import TABLES, TOP_LEVEL

    return key_table(TOP_LEVEL, *(schema for schema, _ in TABLES.values()))


TABLES: dict[str, Callable[[], str]] = {"directive": directive_table, "kinds": kinds_sections,
                                        "config": config_table}


def rewrite(text: str) -> str:
    """`text` with every marked table written afresh; a marker naming no table is an error."""
    def fresh(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in TABLES:
            raise ValueError(f"<!-- keys:{name} --> names no table; the tables are {', '.join(TABLES)}")
        return match.group(1) + TABLES[name]() + match.group(3)

    return _MARKERS.sub(fresh, text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitegen.docs_tables", description=__doc__.splitlines()[0])
    parser.add_argument("readme", nargs="?", type=Path, default=Path("README.md"))
    parser.add_argument("--check", action="store_true", help="only say whether the tables are current")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    current = rewrite(text)
    if args.check:
        if current != text:
            print(f"{args.readme}: the key tables are out of date; run python -m sitegen.docs_tables", file=sys.stderr)
        return int(current != text)
    if current != text:
        args.readme.write_text(current, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
