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


# ---------------------------------------------------------------------------------------------- exceptions
#
# One hierarchy; cli.py alone maps it to exit codes (UsageError 2, every other SitegenError 1).
#
#   SitegenError                 something the user can fix or must know: a message and a hint
#   ├── InputError               …in a file of theirs, at a line (ConfigError for sitegen.toml)
#   │   └── ExecutorUnavailable  the Dask cluster asked for cannot be used
#   ├── DataError                a data file cannot be used (the directive gives its post and line)
#   ├── RenderProblem            a render failed for a reason the author can fix (a script error, …)
#   ├── EncoderMissing           a format cannot be written here (no such encoder, no such format)
#   ├── EncoderFailed            ffmpeg failed, with the end of what it printed
#   ├── Diagnosed                carries diagnostics (every problem found at once)
#   │   └── BuildFailed          the build found errors; site/ was left as it was
#   ├── CommandFailed            a command could not do its job (deploy, init, cache clear …)
#   └── UsageError               the command line asks for something that does not exist
#
# Not errors: EnoughFrames, TooManyFrames and ScriptTimeout (scripts/) are BaseExceptions that stop an
# author's script mid-run, so its own `except Exception` cannot swallow them.


class SitegenError(Exception):
    """Base of every exception sitegen raises on purpose."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """What to print before the message (none, unless the error found several problems)."""
        return ()

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(SitegenError):
    """An error in one of the user's files: where it is and what would be right."""

    def __init__(self, path: str | Path, line: int | None, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.path = str(path)
        self.line = line

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.path, self.line, self.message, self.hint)

    def __str__(self) -> str:
        return self.diagnostic().format()


class ConfigError(InputError):
    """sitegen.toml cannot be used."""


class ExecutorUnavailable(InputError):
    """The executor the build was asked to render with cannot be used (no Dask, no scheduler); `path`
    names where it was asked for (--scheduler, SITEGEN_SCHEDULER, sitegen.toml)."""


class DataError(SitegenError):
    """A data file cannot be used; the message says which and why."""


class RenderProblem(SitegenError):
    """A render the author can fix failed (a script error, no animation made, too many frames); the
    job it belongs to gives the post and line."""


class EncoderMissing(SitegenError):
    """A format's encoder is not available (or the format is unknown); the message names it and why."""


class EncoderFailed(SitegenError):
    """An encoder (ffmpeg) failed; carries the end of what it printed."""


class Diagnosed(SitegenError):
    """Several problems found at once, as diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic], message: str = "") -> None:
        found = tuple(diagnostics)
        errors = sum(d.severity is Severity.ERROR for d in found)
        super().__init__(message or f"{errors} error{'s' * (errors != 1)}")
        self._diagnostics = found

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self._diagnostics

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self._diagnostics if d.severity is Severity.ERROR)


class BuildFailed(Diagnosed):
    """The build found errors; the previous site was left as it was."""

    def summarised(self, what: str, outcome: str) -> "BuildFailed":
        """The same failure with the line a command ends on: 'Build failed: 2 errors, 1 warning. …'."""
        errors = len(self.errors)
        warnings = len(self.diagnostics) - errors
        return BuildFailed(self.diagnostics, f"{what}: {errors} error{'s' * (errors != 1)}, {warnings} "
                                             f"warning{'s' * (warnings != 1)}.{' ' + outcome if outcome else ''}")


class CommandFailed(SitegenError):
    """A command could not do its job; nothing was changed."""


class UsageError(SitegenError):
    """The command line asks for something that does not exist."""


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
