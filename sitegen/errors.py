"""Diagnostics: errors and warnings that name a file, a line and what would be right."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Iterable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the user's input. `line` is 1-based; None when unknown."""

    severity: Severity
    path: str
    line: int | None
    message: str
    hint: str = ""

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SitegenError(Exception):
    """An error the user can fix; carries where it is and what would be right."""

    def __init__(self, path: str | Path, line: int | None, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.message = message
        self.hint = hint

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.path, self.line, self.message, self.hint)

    def __str__(self) -> str:
        return self.diagnostic().format()


class ConfigError(SitegenError):
    """sitegen.toml cannot be used."""


class RenderProblem(Exception):
    """A render the author can fix failed (a script error, no animation made, too many frames); the
    job it belongs to gives the post and line."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class ExecutorUnavailable(SitegenError):
    """The executor the build was asked to render with cannot be used (no Dask, no scheduler)."""


class BuildFailed(Exception):
    """The build found errors; the previous site was left as it was."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(f"{len(self.errors)} error(s)")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def error(path: str | Path, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.ERROR, str(path), line, message, hint)


def warning(path: str | Path, line: int | None, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(Severity.WARNING, str(path), line, message, hint)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'did you mean 'x'?' for the closest choice, or a list of the valid ones."""
    choices = sorted(set(choices))
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if len(choices) <= 12:
        return "expected one of: " + ", ".join(repr(c) for c in choices)
    return ""


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)
