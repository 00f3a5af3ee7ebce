"""What one body's render collects while python-liquid runs: its errors (at the top-level node being
rendered) and the theme's fragments. Held in a context variable, so the shared environment stays
read-only and renders in threads would not mix."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from liquid.exceptions import LiquidError
from liquid.token import Token

MAX_FRAGMENTS = 0x0F00  # theme-written blocks in one post (each has a one-character token)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A Liquid error and where the post's top-level node that led to it starts (an index into the body)."""

    error: LiquidError
    node_start: int


@dataclass(slots=True)
class RenderState:
    """Mutable on purpose, and only for the length of one render (see `collecting`)."""

    source: str  # the body being rendered
    directory: Path | None = None  # the post's folder, for include_relative
    code: tuple[tuple[int, int], ...] = ()  # the body's fenced code blocks, as (start, end) indexes
    problems: list[Recorded] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    node_start: int = 0
    parsing: Token | None = None  # the tag being parsed
    trusted_depth: int = 0  # > 0 while a theme include renders (its nested includes are part of it)

    def in_code(self, index: int) -> bool:
        return any(start <= index < end for start, end in self.code)


_CURRENT: ContextVar[RenderState | None] = ContextVar("sitegen_liquid_render", default=None)


@contextmanager
def collecting(source: str, directory: Path | None = None,
               code: tuple[tuple[int, int], ...] = ()) -> Iterator[RenderState]:
    state = RenderState(source, directory, code)
    token = _CURRENT.set(state)
    try:
        yield state
    finally:
        _CURRENT.reset(token)


def current() -> RenderState | None:
    return _CURRENT.get()


def record(error: LiquidError) -> bool:
    """Keep `error` for the render in progress; False when none is (the caller raises it)."""
    state = _CURRENT.get()
    if state is None:
        return False
    state.problems.append(Recorded(error, state.node_start))
    return True


def note_parsing(token: Token) -> None:
    state = _CURRENT.get()
    if state is not None:
        state.parsing = token


def parsing() -> Token | None:
    state = _CURRENT.get()
    return state.parsing if state is not None else None
