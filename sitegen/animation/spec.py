"""The ```animation fence: found while Markdown is converted, read as YAML, checked key by key.

The fence leaves a placeholder in the post's HTML; the theme replaces it with the figure once the
animation's files exist."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sitegen.errors import Diagnostic, SitegenError, did_you_mean, error, warning
from sitegen.frontmatter import load_yaml_mapping
from sitegen.model import FrozenMap
from sitegen.sizes import size_problem

FORMATS = ("webm", "gif", "poster", "mp4")
VARIANTS = ("light", "dark")
_NUMBER = (int, float)


@dataclass(frozen=True, slots=True)
class Option:
    types: tuple[type, ...]
    default: Any
    doc: str
    check: Callable[[Any], str | None] | None = None


def _positive(value: Any) -> str | None:
    return None if value > 0 else "must be greater than 0"


def _non_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def _size(value: Any) -> str | None:
    ok = len(value) == 2 and all(isinstance(v, _NUMBER) and not isinstance(v, bool) and 0 < v <= 40 for v in value)
    return None if ok else "must be [width, height] in inches, e.g. [6, 4.5]"


def _subset(allowed: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        bad = [v for v in value if v not in allowed]
        if bad or not value:
            return f"must be a non-empty list of {', '.join(allowed)}" + (f"; {did_you_mean(str(bad[0]), allowed)}" if bad else "")
        return None
    return check


COMMON: dict[str, Option] = {
    "kind": Option((str,), None, "a built-in kind (see `sitegen kinds`)"),
    "script": Option((str,), None, "a Python file that makes a matplotlib Animation"),
    "data": Option((str, list, dict), None, "one path, a list of paths, or a mapping name -> path (.npy, .npz, .npz#name, .csv)"),
    "fps": Option(_NUMBER, 20, "frames per second", _positive),
    "duration": Option(_NUMBER, None, "seconds; the frames are spread over it", _positive),
    "frames": Option((int,), None, "number of frames (default: the data's own length)", _positive),
    "size": Option((list,), [6.0, 4.5], "[width, height] in inches", _size),
    "dpi": Option(_NUMBER, 100, "dots per inch", _positive),
    "width": Option((int,), None, "width in pixels (sets dpi from size)", _positive),
    "formats": Option((list,), ["webm", "gif", "poster"], "outputs: webm, gif, poster, mp4", _subset(FORMATS)),
    "caption": Option((str,), "", "the caption under the figure (inline Markdown)"),
    "alt": Option((str,), "", "text for readers who cannot see the animation"),
    "title": Option((str,), None, "a title drawn above the plot"),
    "loop": Option((bool,), True, "loop forever"),
    "autoplay": Option((bool,), True, "play when scrolled into view"),
    "controls": Option((bool,), False, "show video controls"),
    "poster_frame": Option((int,), None, "which frame (from 0) the poster still shows (default: the middle one)",
                           _non_negative),
    "variants": Option((list,), list(VARIANTS), "theme variants to render: light, dark", _subset(VARIANTS)),
    "audio": Option((str,), None, "a sound file muxed into the video; the video then has controls and does not autoplay"),
    "download": Option((bool,), False, "link the data files from the figure"),
    "timeout": Option(_NUMBER, 120, "seconds a script may run", _positive),
    "max_frames": Option((int,), None, "the most frames this animation may have (default: [limits] max_frames)",
                         _positive),
    "params": Option((dict,), {}, "parameters passed to a script's make_animation(data, params)"),
    "animation": Option((str,), None, "which of a script's Animations to render: its variable name (default: the last made)"),
    "memory": Option((str, int), None, "the most memory a script may use, e.g. '2 GiB' (default: [render] script_memory)",
                     size_problem),
}


@dataclass(frozen=True, slots=True)
class Directive:
    """One animation as the post asks for it, every key checked and defaulted."""

    post: str  # the post's path as shown in messages
    line: int  # line of the ```animation fence in the post
    index: int  # position among the post's animations
    kind: str | None
    script: str | None
    data: tuple[tuple[str, str], ...]  # (name, path as written); name '' when the directive gave none
    options: FrozenMap  # every COMMON key, defaulted
    params: FrozenMap  # the kind's own keys, defaulted
    key_lines: FrozenMap  # key -> line in the post

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


def parse_directive(source: str, post: str, line: int, index: int) -> tuple[Directive | None, list[Diagnostic]]:
    """Read one fence body. `line` is the fence's line in the post."""
    from sitegen.animation.kinds import KINDS

    try:
        raw, lines = load_yaml_mapping(source, post, first_line=line + 1, what="the animation block")
    except SitegenError as exc:
        return None, [exc.diagnostic()]
    problems: list[Diagnostic] = []

    def fail(key: str | None, message: str, hint: str = "") -> None:
        problems.append(error(post, lines.get(key, line) if key else line, message, hint))

    kind_name, script = raw.get("kind"), raw.get("script")
    if (kind_name is None) == (script is None):
        fail("script" if script else None, "an animation needs either 'kind:' or 'script:' (exactly one)",
             "e.g. 'kind: heatmap' or 'script: scripts/phase.py'")
    kind = None
    if isinstance(kind_name, str):
        kind = KINDS.get(kind_name)
        if kind is None:
            fail("kind", f"unknown kind '{kind_name}'", did_you_mean(kind_name, KINDS) or "run 'sitegen kinds' to list them")
    own = {p.name: p for p in kind.params} if kind else {}
    options = _check_keys(raw, own, fail, kind_name if kind else None)
    params = {name: raw.get(name, p.default) for name, p in own.items()}
    params["title"] = options["title"]
    _check_combinations(options, fail)
    data = _data_entries(options["data"], fail)
    if problems:
        return None, problems
    if not options["alt"] and not options["caption"]:
        problems.append(warning(post, line, "this animation has neither 'alt:' nor 'caption:'",
                                "add 'alt:' describing what it shows, for readers who cannot see it"))
    return Directive(post, line, index, kind_name if kind else None, script, data, FrozenMap(options),
                     FrozenMap(params), FrozenMap({k: v for k, v in lines.items()})), problems


def _check_keys(raw: dict[str, Any], own: dict[str, Any], fail: Callable[..., None], kind: str | None) -> dict[str, Any]:
    options = {name: option.default for name, option in COMMON.items()}
    for key, value in raw.items():
        if key in own:
            param = own[key]
            if value is not None and not _is(value, param.types):
                fail(key, f"'{key}' must be {_type_names(param.types)}, not {type(value).__name__}", param.doc)
            elif param.choices and value not in param.choices:
                fail(key, f"'{key}' must be one of {', '.join(map(str, param.choices))}",
                     did_you_mean(str(value), [str(c) for c in param.choices]))
            continue
        option = COMMON.get(key)
        if option is None:
            where = f"the kind '{kind}'" if kind else "an animation"
            fail(key, f"unknown key '{key}' for {where}", did_you_mean(key, [*COMMON, *own]))
            continue
        if value is None:
            continue
        if not _is(value, option.types):
            fail(key, f"'{key}' must be {_type_names(option.types)}, not {type(value).__name__}", option.doc)
            continue
        message = option.check(value) if option.check else None
        if message:
            fail(key, f"'{key}' {message}")
            continue
        options[key] = value
    return options


def _is(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types
    if isinstance(value, int) and float in types:
        return True
    return isinstance(value, types)


def _type_names(types: tuple[type, ...]) -> str:
    names = {int: "a whole number", float: "a number", str: "text", bool: "true or false", list: "a list",
             dict: "a mapping", tuple: "a list"}
    shown = [t for t in types if not (t is int and float in types)]  # "a number" covers whole ones
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in shown))


def _check_combinations(options: dict[str, Any], fail: Callable[..., None]) -> None:
    if options["duration"] is not None and options["frames"] is not None:
        fail("duration", "give 'duration' or 'frames', not both")
    if options["width"] is not None and "dpi" in options and options["dpi"] != COMMON["dpi"].default:
        fail("width", "give 'width' (pixels) or 'dpi', not both")


def _data_entries(value: Any, fail: Callable[..., None]) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (("", value),)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(("", v) for v in value)
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return tuple(value.items())
    fail("data", "'data' must be a path, a list of paths, or a mapping of names to paths",
         "e.g. 'data: {positions: data/pos.npy, values: data/eeg.npz#coef}'")
    return ()

