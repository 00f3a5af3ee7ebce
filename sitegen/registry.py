"""A named, prioritised registry, after Python-Markdown's `util.Registry`: items are registered by
name with a priority, looked up by name (an unknown name is an error with a did-you-mean), and
iterated highest priority first (ties in the order they were registered). The plot kinds and the
output formats are registries of this kind."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, Iterable, Iterator, TypeVar

from sitegen.errors import did_you_mean

T = TypeVar("T")


class UnknownName(KeyError):
    """No item has this name: `message` says so, `hint` suggests the closest."""

    def __init__(self, what: str, name: str, known: Iterable[str]) -> None:
        super().__init__(name)
        self.name = name
        self.message = f"unknown {what} '{name}'"
        self.hint = did_you_mean(name, known)

    def __str__(self) -> str:
        return f"{self.message}: {self.hint}" if self.hint else self.message


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    name: str
    item: T
    priority: float


class Registry(Generic[T]):
    """`registry[name]` is the item, or `error(what, name, known)` (an UnknownName) when there is none.
    With `unique`, a name is taken once; else registering it again replaces the item. `check` sees
    every item before it is added (and raises if it is not fit)."""

    def __init__(self, what: str, error: Callable[[str, str, Iterable[str]], Exception] = UnknownName,
                 unique: bool = False, check: Callable[[T], None] | None = None) -> None:
        self._what, self._error, self._unique, self._fit = what, error, unique, check
        self._entries: dict[str, _Entry[T]] = {}

    def register(self, item: T, name: str, priority: float = 0.0) -> T:
        if self._unique and name in self._entries:
            raise ValueError(f"a {self._what} named '{name}' is already registered")
        if self._fit is not None:
            self._fit(item)
        self._entries[name] = _Entry(name, item, priority)
        return item

    def deregister(self, name: str) -> None:
        self._check(name)
        del self._entries[name]

    def __getitem__(self, name: str) -> T:
        self._check(name)
        return self._entries[name].item

    def get(self, name: str, default: T | None = None) -> T | None:
        entry = self._entries.get(name)
        return entry.item if entry is not None else default

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return (entry.item for entry in self._sorted())

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> tuple[str, ...]:
        """Every name, highest priority first."""
        return tuple(entry.name for entry in self._sorted())

    def items(self) -> list[tuple[str, T]]:
        return [(entry.name, entry.item) for entry in self._sorted()]

    def ordered(self, names: Iterable[str]) -> list[T]:
        """The items of `names` in the registry's order (each once); an unknown name is the error."""
        wanted = list(names)
        for name in wanted:
            self._check(name)
        return [entry.item for entry in self._sorted() if entry.name in wanted]

    def _sorted(self) -> list[_Entry[T]]:
        return sorted(self._entries.values(), key=lambda entry: -entry.priority)  # stable: ties keep their order

    def _check(self, name: str) -> None:
        if name not in self._entries:
            raise self._error(self._what, name, list(self._entries))
