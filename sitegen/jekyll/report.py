"""What an import did: what it mapped (a line each) and what it could not, as warnings at the file and
line of the Jekyll site they come from."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Diagnostic, warning


@dataclass(frozen=True, slots=True)
class ImportReport:
    dest: Path
    mapped: tuple[str, ...]  # 'title, description, url -> sitegen.toml', one line each
    counts: tuple[tuple[str, int], ...]  # ('posts', 23): what was written, by what it is
    problems: tuple[Diagnostic, ...]  # what has no equal in sitegen, at its file and line

    def summary(self) -> str:
        written = ", ".join(f"{n} {what}" for what, n in self.counts if n)
        return f"Imported {written or 'nothing'} into {self.dest}/."


class Findings:
    """Collects an import's notes while it runs; `report` freezes them. Paths are shown under the
    source folder as the user named it ('my-site/_config.yml')."""

    def __init__(self, source_shown: str) -> None:
        self.source_shown = source_shown.rstrip("/")
        self._mapped: list[str] = []
        self._problems: list[Diagnostic] = []

    def shown(self, rel: str) -> str:
        return f"{self.source_shown}/{rel}"

    def mapped(self, text: str) -> None:
        self._mapped.append(text)

    def unmapped(self, rel: str, line: int | None, message: str, hint: str = "") -> None:
        self._problems.append(warning(self.shown(rel), line, message, hint))

    def report(self, dest: Path, counts: dict[str, int]) -> ImportReport:
        return ImportReport(dest, tuple(dict.fromkeys(self._mapped)), tuple(counts.items()),
                            tuple(dict.fromkeys(self._problems)))
