"""The plot kinds by the name a directive's `kind:` uses: each registers itself with `register`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from sitegen.registry import Registry, UnknownName
from sitegen.schema import Schema

if TYPE_CHECKING:
    from sitegen.animation.kinds.base import Kind


class UnknownKind(UnknownName):
    """No kind has this name; `hint` suggests the closest."""

    def __init__(self, what: str, name: str, known: Iterable[str]) -> None:
        super().__init__(what, name, known)
        self.hint = self.hint or "run 'sitegen kinds' to list them"

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})"


def _declares_a_schema(kind: Kind) -> None:
    if not isinstance(kind.params, Schema):
        raise TypeError(f"the kind '{kind.name}' must declare its keys as a Schema, not {type(kind.params).__name__}")


def kind_registry() -> Registry[Kind]:
    """Kinds by name, in the order they were registered (the order `sitegen kinds` and the README show)."""
    return Registry("kind", UnknownKind, unique=True, check=_declares_a_schema)


KINDS = kind_registry()


def register(kind: Kind) -> Kind:
    """Add a built-in or a site's own kind under `kind.name`; a name is taken once."""
    return KINDS.register(kind, kind.name)
