"""[limits]: what one animation may ask for (frame pixels, frame count, data in memory), checked from
the directive and the data's headers before anything is drawn or loaded — on every build, cached or
not, since they read no more than a few headers. Each problem names its limit and how to raise it."""
from __future__ import annotations

import math

from sitegen.config import Limits
from sitegen.animation.datafiles import DataError, DataRef, decoded_size
from sitegen.animation.spec import Directive
from sitegen.errors import Diagnostic, error
from sitegen.sizes import format_bytes

_FRAMES_HINT = "raise 'max_frames:' in the animation block, or [limits] max_frames in sitegen.toml"


def max_frames(directive: Directive, limits: Limits) -> int:
    """The most frames this animation may have: its own 'max_frames:', else the site's."""
    return directive.options["max_frames"] or limits.max_frames


def check_before_loading(directive: Directive, refs: list[tuple[str, DataRef]], limits: Limits) -> list[Diagnostic]:
    """Every limit that can be checked without loading the data: its size, the frame pixels, and the
    frame count the directive asks for."""
    return [*_data_size(directive, refs, limits), *_frame_pixels(directive, limits), *_asked_frames(directive, limits)]


def check_natural_frames(directive: Directive, natural: int | None, limits: Limits) -> list[Diagnostic]:
    """The frame count a kind takes from its data, when the directive gives neither frames nor duration."""
    options = directive.options
    limit = max_frames(directive, limits)
    if natural is None or options["frames"] or options["duration"] or natural <= limit:
        return []
    return [error(directive.post, directive.line_of("data"), f"the data makes {natural:,} frames, more than {_name(directive, limit)}",
                  f"set 'frames:' to render fewer (spread over the data), or {_FRAMES_HINT}")]


def _data_size(directive: Directive, refs: list[tuple[str, DataRef]], limits: Limits) -> list[Diagnostic]:
    sizes, problems = [], []
    for _, ref in refs:
        try:
            sizes.append((ref.written, decoded_size(ref)))
        except DataError as exc:
            problems.append(error(directive.post, directive.line_of("data"), exc.message, exc.hint))
    total, limit = sum(size for _, size in sizes), limits.max_data_bytes
    if total > limit:
        each = ", ".join(f"{written}: {format_bytes(size)}" for written, size in sizes)
        problems.append(error(
            directive.post, directive.line_of("data"),
            f"the data takes {format_bytes(total)} once loaded ({each}), more than max_data_size ({format_bytes(limit)})",
            f"use less of it (an .npz#name, fewer or smaller arrays), or raise it in sitegen.toml: "
            f"[limits] max_data_size = \"{format_bytes(1 << math.ceil(math.log2(total)))}\""))
    return problems


def _frame_pixels(directive: Directive, limits: Limits) -> list[Diagnostic]:
    options = directive.options
    if directive.script and "size" not in directive.key_lines and "width" not in directive.key_lines:
        return []  # the script's figure keeps its own size: its child checks the first frame it draws
    size = options["size"]
    dpi = options["width"] / size[0] if options["width"] else float(options["dpi"])
    width, height = size[0] * dpi, size[1] * dpi
    if math.isfinite(width * height) and width * height <= limits.max_frame_pixels:
        return []
    key = next((k for k in ("width", "dpi", "size") if k in directive.key_lines), "size")
    shown = f"{round(width)}×{round(height)} pixels" if math.isfinite(width * height) else "endless size"
    return [error(directive.post, directive.line_of(key),
                  f"frames of {shown} are more than max_frame_pixels ({limits.max_frame_pixels:,} pixels a frame)",
                  "make 'width:', 'dpi:' or 'size:' smaller, or raise [limits] max_frame_pixels in sitegen.toml")]


def _asked_frames(directive: Directive, limits: Limits) -> list[Diagnostic]:
    options = directive.options
    key = "frames" if options["frames"] else "duration" if options["duration"] else None
    if key is None:
        return []
    count = options["frames"] if key == "frames" else options["duration"] * options["fps"]
    limit = max_frames(directive, limits)
    if math.isfinite(count) and round(count) <= limit:
        return []
    shown = f"{round(count):,} frames" if math.isfinite(count) else "endless frames"
    return [error(directive.post, directive.line_of(key), f"{shown}, more than {_name(directive, limit)}",
                  f"give fewer 'frames:' (or a shorter 'duration:'), or {_FRAMES_HINT}")]


def _name(directive: Directive, limit: int) -> str:
    own = "the animation's " if directive.options["max_frames"] else ""
    return f"{own}max_frames ({limit:,})"
