"""One option schema for sitegen.toml, the animation directive and every plot kind.

An Option declares a key once: its type(s), default, a line of documentation, the values it may take
(choices, bounds, a further check) and the names it had before. `validate` checks a mapping against a
Schema and reports every problem in one style — the key, what would be right, a hint — and the same
declarations print `sitegen kinds` and write the README's key tables (sitegen/docs_tables.py)."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterator, Mapping

from sitegen.errors import Diagnostic, Severity, did_you_mean

NUMBER = (int, float)
# What a check finds wrong, worded to follow the key ("must be a colour like '#0b7285'"), with a hint or not.
Verdict = str | tuple[str, str] | None
Check = Callable[[Any], Verdict]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a value: `key` is the key to blame, so the message can point at its line."""

    key: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def diagnostic(self, path: str, line: int | None) -> Diagnostic:
        return Diagnostic(self.severity, path, line, self.message, self.hint)


@dataclass(frozen=True, slots=True)
class TypeNames:
    """How messages name types, in the words of the file a value came from."""

    words: tuple[tuple[type, str], ...]
    python_actual: bool = False  # name the wrong value's type as Python does ('not str')

    def expected(self, types: tuple[type, ...]) -> str:
        shown = [t for t in types if not (t is int and float in types)]  # "a number" covers whole ones
        return " or ".join(dict.fromkeys(self.name(t) for t in shown))

    def actual(self, value: Any) -> str:
        return type(value).__name__ if self.python_actual else self.name(type(value))

    def name(self, kind: type) -> str:
        return dict(self.words).get(kind, kind.__name__)


TOML = TypeNames(((str, "a string"), (int, "an integer"), (float, "a number"), (bool, "true or false"),
                  (list, "a list"), (dict, "a table")))
YAML = TypeNames(((str, "text"), (int, "a whole number"), (float, "a number"), (bool, "true or false"),
                  (list, "a list"), (dict, "a mapping")), python_actual=True)


@dataclass(frozen=True, slots=True)
class Option:
    """One key: its type(s), its default (None: unset, the code decides), what it means, and the values
    it may take. A number must be finite and within the bounds; a list with choices holds only choices."""

    name: str
    types: tuple[type, ...]
    default: Any
    doc: str
    choices: tuple[Any, ...] = ()
    min: float | None = None  # the smallest value allowed
    greater_than: float | None = None  # values must be greater than this
    max: float | None = None  # the largest value allowed
    check: Check | None = None  # anything else, once the type, bounds and choices are right
    renamed_from: tuple[str, ...] = ()  # old names, still read, with a warning naming this one
    old_values: tuple[tuple[Any, Any], ...] = ()  # (old value, its new name): still read, with a warning

    def __post_init__(self) -> None:
        if isinstance(self.types, type):
            object.__setattr__(self, "types", (self.types,))


Rule = Callable[[Mapping[str, Any], Collection[str]], "Problem | None"]  # (values, keys given) -> problem


@dataclass(frozen=True, slots=True)
class Schema:
    """The ordered options of one table or block. `owner` names it in an unknown key's message ("the
    kind 'heatmap'"), `prefix` comes before each key in messages ("theme."), `words` names the types,
    and `rules` check keys against each other once each has been checked alone."""

    options: tuple[Option, ...]
    owner: str = ""
    prefix: str = ""
    words: TypeNames = YAML
    rules: tuple[Rule, ...] = ()
    _by_name: dict[str, Option] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        names = [name for option in self.options for name in (option.name, *option.renamed_from)]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"keys declared twice: {', '.join(twice)}")
        by_name = {name: option for option in self.options for name in (option.name, *option.renamed_from)}
        object.__setattr__(self, "_by_name", by_name)

    def __iter__(self) -> Iterator[Option]:
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)

    def __contains__(self, name: object) -> bool:
        option = self._by_name.get(name)  # type: ignore[arg-type]
        return option is not None and option.name == name

    def __getitem__(self, name: str) -> Option:
        option = self._by_name.get(name)
        if option is None or option.name != name:
            raise KeyError(name)
        return option

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(option.name for option in self.options)

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def extended(self, other: Schema, owner: str) -> Schema:
        """These options and `other`'s, as one block (the directive's keys and a kind's)."""
        return Schema((*self.options, *other.options), owner, self.prefix, self.words, (*self.rules, *other.rules))

    @classmethod
    def of_dataclass(cls, owner: type, **settings: Any) -> Schema:
        """The options declared with `option_field` on a dataclass, in field order."""
        return cls(tuple(dataclasses.replace(f.metadata["option"], name=f.name)
                         for f in dataclasses.fields(owner) if "option" in f.metadata), **settings)


def option_field(types: type | tuple[type, ...], default: Any, doc: str, **constraints: Any) -> Any:
    """A dataclass field that is also an option: its default is written once, here."""
    return field(default=default, metadata={"option": Option("", types, default, doc, **constraints)})


@dataclass(frozen=True, slots=True)
class Checked:
    """What `validate` found: every option's value (its default when missing, empty or invalid), the
    keys given (by their current names) and every problem, in the order of the keys."""

    values: dict[str, Any]
    given: frozenset[str]
    problems: tuple[Problem, ...]


def validate(raw: Mapping[str, Any], schema: Schema, *, skip: Collection[str] = ()) -> Checked:
    """Check every key of `raw` against `schema`. Keys in `skip` are checked elsewhere (sitegen.toml's
    tables) but count for "did you mean"; an empty value (YAML `key:`) means the default."""
    values, given, problems = schema.defaults(), set(), []
    for key, value in raw.items():
        if key in skip:
            continue
        option = schema._by_name.get(key)
        if option is None:
            owner = f" for {schema.owner}" if schema.owner else ""
            problems.append(Problem(key, f"unknown key '{schema.prefix}{key}'{owner}",
                                    did_you_mean(key, [*schema.names, *skip])))
            continue
        if key != option.name:
            renamed = _renamed(key, option, schema.prefix, raw)
            problems.append(renamed)
            if renamed.severity is Severity.ERROR:
                continue
        value = _current_value(key, option, value, schema.prefix, problems)
        refusal = None if value is None else refuse(option, value, schema.words)
        if refusal:
            problems.append(Problem(key, f"'{schema.prefix}{key}' {refusal[0]}", refusal[1]))
        elif value is not None:
            values[option.name] = value
            given.add(option.name)
    problems += [p for p in (rule(values, given) for rule in schema.rules) if p is not None]
    return Checked(values, frozenset(given), tuple(problems))


def _renamed(key: str, option: Option, prefix: str, raw: Mapping[str, Any]) -> Problem:
    old, new = f"'{prefix}{key}'", f"'{prefix}{option.name}'"
    if option.name in raw:
        return Problem(key, f"{old} is the old name of {new}: give only {new}")
    return Problem(key, f"{old} is now called {new}", f"rename it to '{option.name}'", Severity.WARNING)


def _current_value(key: str, option: Option, value: Any, prefix: str, problems: list[Problem]) -> Any:
    """A value given by its old name, under its new one (with a warning saying so)."""
    for old, new in option.old_values:
        if isinstance(value, type(old)) and value == old:
            problems.append(Problem(key, f"'{prefix}{key}' = {old!r} is now called {new!r}", f"write {new!r}",
                                    Severity.WARNING))
            return new
    return value


def refuse(option: Option, value: Any, words: TypeNames) -> tuple[str, str] | None:
    """What is wrong with `value` for `option` (worded to follow the key) and a hint; None when it is fine."""
    if not _has_type(value, option.types):
        return f"must be {words.expected(option.types)}, not {words.actual(value)}", ""
    if _is_number(value) and not math.isfinite(value):
        return f"must be a finite number, not {value!r}", ""
    if _is_number(value) and not _within(option, value):
        return f"must be {_bounds_message(option)}, not {_shown(value)}", ""
    if option.choices:
        refusal = _choice_refusal(option.choices, value)
        if refusal:
            return refusal
    verdict = option.check(value) if option.check else None
    return (verdict, "") if isinstance(verdict, str) else verdict


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types
    if isinstance(value, int) and float in types:
        return True
    return isinstance(value, types)


def _is_number(value: Any) -> bool:
    return isinstance(value, NUMBER) and not isinstance(value, bool)


def _within(option: Option, value: float) -> bool:
    return ((option.min is None or value >= option.min) and (option.max is None or value <= option.max)
            and (option.greater_than is None or value > option.greater_than))


def _choice_refusal(choices: tuple[Any, ...], value: Any) -> tuple[str, str] | None:
    if isinstance(value, list):
        bad = [item for item in value if item not in choices]
        if value and not bad:
            return None
        listed = ", ".join(repr(c) for c in choices)
        return f"must be a non-empty list of {listed}, not {value!r}", _suggestion(bad[0], choices) if bad else ""
    if value in choices:
        return None
    return f"must be {choice_text(choices)}, not {value!r}", _suggestion(value, choices)


def _suggestion(value: Any, choices: tuple[Any, ...]) -> str:
    """'did you mean …?' when a choice is close (the message lists them all)."""
    hint = did_you_mean(str(value), [str(c) for c in choices])
    return hint if hint.startswith("did you mean") else ""


def choice_text(choices: tuple[Any, ...]) -> str:
    shown = [repr(c) for c in choices]
    return " or ".join(shown) if len(shown) <= 2 else "one of " + ", ".join(shown)


def _shown(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def bounds_text(option: Option) -> str:
    """'greater than 0', '0 or more', 'from 8 to 1024', … ('' without bounds)."""
    low, high = option.min, option.max
    if option.greater_than is not None:
        above = f"greater than {_shown(option.greater_than)}"
        return above if high is None else f"{above} and at most {_shown(high)}"
    if low is not None:
        return f"{_shown(low)} or more" if high is None else f"from {_shown(low)} to {_shown(high)}"
    return "" if high is None else f"{_shown(high)} or less"


def _bounds_message(option: Option) -> str:
    if option.greater_than == 0 and option.max is None:
        return "a positive number"
    return bounds_text(option)


def allowed(option: Option, words: TypeNames) -> str:
    """The values an option takes, in a few words: "a number, greater than 0", "'upper' or 'lower'"."""
    if option.choices:
        listed = ", ".join(repr(c) for c in option.choices)
        return f"a list of {listed}" if list in option.types else choice_text(option.choices)
    bounds = bounds_text(option)
    expected = words.expected(option.types)
    return f"{expected}, {bounds}" if bounds else expected


def literal(value: Any) -> str:
    """A value as a user writes it in YAML or TOML: true, 'viridis', [6.0, 4.5]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {literal(item)}" for key, item in value.items()) + "}"
    return repr(value)


# ---- rules: keys checked against each other


def exclusive(first: str, second: str) -> Rule:
    """At most one of two keys may be given."""
    def rule(values: Mapping[str, Any], given: Collection[str]) -> Problem | None:
        both = first in given and second in given
        return Problem(first, f"give '{first}' or '{second}', not both") if both else None
    return rule


def ordered(low: str, high: str) -> Rule:
    """When both are set, `low` must be less than `high` (the ends of a scale)."""
    def rule(values: Mapping[str, Any], given: Collection[str]) -> Problem | None:
        a, b = values.get(low), values.get(high)
        if a is None or b is None or a < b:
            return None
        return Problem(high, f"'{high}' ({_shown(b)}) must be greater than '{low}' ({_shown(a)})")
    return rule
