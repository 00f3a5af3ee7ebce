"""The plot kinds by the name a directive's `kind:` uses: each registers itself with `register`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

from sitegen.errors import did_you_mean
from sitegen.schema import Schema

if TYPE_CHECKING:
    from sitegen.animation.kinds.base import Kind


class UnknownKind(KeyError):
    """No kind has this name; `hint` suggests the closest."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__(name)
        self.name = name
        self.message = f"unknown kind '{name}'"
        self.hint = did_you_mean(name, known) or "run 'sitegen kinds' to list them"

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})"


class KindRegistry(Mapping[str, "Kind"]):
    """Kinds by name, in the order they were registered (the order `sitegen kinds` and the README show)."""

    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(self, kind: Kind) -> Kind:
        """Add `kind` under `kind.name`; a name is taken once."""
        if kind.name in self._kinds:
            raise ValueError(f"a kind named '{kind.name}' is already registered")
        if not isinstance(kind.params, Schema):
            raise TypeError(f"the kind '{kind.name}' must declare its keys as a Schema, not {type(kind.params).__name__}")
        self._kinds[kind.name] = kind
        return kind

    def __getitem__(self, name: str) -> Kind:
        try:
            return self._kinds[name]
        except KeyError:
            raise UnknownKind(name, self._kinds) from None

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)


KINDS = KindRegistry()
register = KINDS.register
