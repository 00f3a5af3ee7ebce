"""The ```animation fence: found while Markdown is converted, read as YAML, checked key by key.

Parsing finds the fences before anything renders (planning needs them); once the animations are
rendered, the post's Markdown is converted and each fence becomes the theme's figure (figures.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sitegen.errors import Diagnostic, InputError, error, has_errors, warning
from sitegen.frontmatter import load_yaml_mapping
from sitegen.model import FrozenMap
from sitegen.schema import NUMBER, Option, Schema, Verdict, exclusive, validate
from sitegen.sizes import size_problem

FORMATS = ("webm", "gif", "poster", "mp4")
VARIANTS = ("light", "dark")


def _size(value: list[Any]) -> Verdict:
    ok = len(value) == 2 and all(isinstance(v, NUMBER) and not isinstance(v, bool) and 0 < v <= 40 for v in value)
    return None if ok else "must be [width, height] in inches, e.g. [6, 4.5]"


# The keys every animation takes; a kind adds its own (sitegen/animation/kinds).
COMMON = Schema((
    Option("kind", str, None, "a built-in kind (see `sitegen kinds`)"),
    Option("script", str, None, "a Python file that makes a matplotlib Animation"),
    Option("data", (str, list, dict), None,
           "one path, a list of paths, or a mapping name -> path (.npy, .npz, .npz#name, .csv)"),
    Option("fps", NUMBER, 20, "frames per second", greater_than=0),
    Option("duration", NUMBER, None, "seconds; the frames are spread over it", greater_than=0),
    Option("frames", int, None, "number of frames (default: the data's own length)", greater_than=0),
    Option("size", list, [6.0, 4.5], "[width, height] in inches", check=_size),
    Option("dpi", NUMBER, 100, "dots per inch", greater_than=0),
    Option("width", int, None, "width in pixels (sets dpi from size)", greater_than=0),
    Option("formats", list, ["webm", "mp4", "gif", "poster"], "the files to make: WebM (AV1) and MP4 (H.264) video, "
           "the GIF for where no video plays, the poster still", choices=FORMATS),
    Option("caption", str, "", "the caption under the figure (inline Markdown)"),
    Option("alt", str, "", "text for readers who cannot see the animation"),
    Option("title", str, None, "a title drawn above the plot"),
    Option("loop", bool, True, "loop forever"),
    Option("autoplay", bool, True, "play when scrolled into view"),
    Option("controls", bool, False, "show video controls"),
    Option("poster_frame", int, None, "which frame (from 0) the poster still shows (default: the middle one)",
           min=0),
    Option("variants", list, list(VARIANTS), "the theme variants to render", choices=VARIANTS),
    Option("audio", str, None, "a sound file muxed into the video; the video then has controls and does not autoplay"),
    Option("download", bool, False, "link the data files from the figure"),
    Option("timeout", NUMBER, 120, "seconds a script may run", greater_than=0),
    Option("max_frames", int, None, "the most frames this animation may have (default: `[limits] max_frames`)",
           greater_than=0),
    Option("params", dict, {}, "parameters passed to a script's make_animation(data, params)"),
    Option("animation", str, None,
           "which of a script's Animations to render: its variable name (default: the last made)"),
    Option("memory", (str, int), None,
           "the most memory a script may use, e.g. '2 GiB' (default: `[render] script_memory`)", check=size_problem),
), owner="an animation", rules=(exclusive("duration", "frames"), exclusive("width", "dpi")))


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
    from sitegen.animation.kinds import KINDS, UnknownKind

    try:
        raw, lines = load_yaml_mapping(source, post, first_line=line + 1, what="the animation block")
    except InputError as exc:
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
        try:
            kind = KINDS[kind_name]
        except UnknownKind as unknown:
            fail("kind", unknown.message, unknown.hint)
    schema = COMMON.extended(kind.params, owner=f"the kind '{kind.name}'") if kind else COMMON
    checked = validate(raw, schema)
    problems += [p.diagnostic(post, lines.get(p.key, line)) for p in checked.problems]
    options = {name: checked.values[name] for name in COMMON.names}
    params = {name: checked.values[name] for name in kind.params.names} if kind else {}
    params["title"] = options["title"]
    data = _data_entries(options["data"], fail)
    if has_errors(problems):
        return None, problems
    if not options["alt"] and not options["caption"]:
        problems.append(warning(post, line, "this animation has neither 'alt:' nor 'caption:'",
                                "add 'alt:' describing what it shows, for readers who cannot see it"))
    return Directive(post, line, index, kind.name if kind else None, script, data, FrozenMap(options),
                     FrozenMap(params), FrozenMap({k: v for k, v in lines.items()})), problems


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

