"""A named, prioritised registry, after Python-Markdown's `util.Registry`: items are registered by
name with a priority, looked up by name, and iterated highest priority first."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Iterable, Iterator, TypeVar

from sitegen.errors import did_you_mean

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    name: str
    item: T
    priority: float


class Registry(Generic[T]):
    """`registry[name]` is the item, or `error` saying "unknown <what> 'x': did you mean 'y'?"."""

    def __init__(self, what: str, error: type[Exception] = KeyError) -> None:
        self._what, self._error = what, error
        self._entries: dict[str, _Entry[T]] = {}

    def register(self, item: T, name: str, priority: float) -> None:
        """Add `item` as `name`, replacing an item already registered under that name."""
        self._entries[name] = _Entry(name, item, priority)

    def deregister(self, name: str) -> None:
        self._check(name)
        del self._entries[name]

    def __getitem__(self, name: str) -> T:
        self._check(name)
        return self._entries[name].item

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return (entry.item for entry in self._sorted())

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> tuple[str, ...]:
        """Every name, highest priority first."""
        return tuple(entry.name for entry in self._sorted())

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
            raise self._error(f"unknown {self._what} {name!r}: {did_you_mean(name, self._entries)}")
