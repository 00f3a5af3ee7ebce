"""What every encoder shares: the frames it is given (VideoSpec), the sink it writes them through,
its errors, presets, and the even frame size that video needs.

Standard library only, so the format table (and jobs.py, which reads it) loads without numpy or
Pillow."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sitegen import PRESETS
from sitegen.errors import EncoderFailed, EncoderMissing, did_you_mean
from sitegen.registry import UnknownName

if TYPE_CHECKING:
    import numpy as np

DEFAULT_PRESET = PRESETS[0]


def check_preset(preset: str) -> None:
    """A ValueError naming the presets, unless `preset` is one (see PRESETS)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}: {did_you_mean(preset, PRESETS)}")


def even_size(pixels: float) -> int:
    """The even pixel count nearest `pixels` (at least 2), an odd whole number rounding up.

    yuv420p stores colour at half resolution, so H.264 needs an even width and height: the planner
    sizes frames with this, the video encoders pad odd frames up to it (with their edge colour), and
    a script's result reports the size its video has."""
    return max(2, 2 * math.floor(pixels / 2 + 0.5))


@dataclass(frozen=True, slots=True)
class VideoSpec:
    """What the frames are and how the animation plays."""

    width: int  # pixels of the frames you will receive
    height: int
    fps: float
    frame_count: int  # how many frames write() will receive
    loop: bool = True
    poster_frame: int = 0  # which frame the poster is (0-based; clamped into range)
    audio: Path | None = None  # muxed as Opus (WebM) / AAC (MP4); the video's length follows the frames

    def __post_init__(self) -> None:
        if not (1 <= self.width <= 65535 and 1 <= self.height <= 65535):
            raise ValueError(f"frame size {self.width}×{self.height}: width and height must be 1..65535 pixels")
        if not self.fps > 0:
            raise ValueError(f"fps {self.fps}: must be a positive number of frames per second")
        if self.frame_count < 1:
            raise ValueError(f"frame_count {self.frame_count}: an animation needs at least one frame")

    def fps_fraction(self) -> Fraction:
        """fps as an exact ratio (29.97 -> 2997/100), for timing without drift."""
        return Fraction(self.fps).limit_denominator(10_000)

    def duration(self) -> float:
        return self.frame_count / self.fps


class FrameSink(Protocol):
    def write(self, frame: np.ndarray) -> None:
        """Take the next HxWx3 (or HxWx4, alpha ignored) uint8 RGB frame."""


class Sink(FrameSink, Protocol):
    """What an encoder writes through: frames in order, then `finish` (the file is complete) or
    `abort` (something failed; the file may be left partial, for the caller to remove)."""

    def finish(self) -> None: ...
    def abort(self) -> None: ...


class UnknownFormat(UnknownName, EncoderMissing):
    """No format has this name."""


class FfmpegFailed(EncoderFailed):
    """ffmpeg failed writing a file; carries the end of what it printed."""

    def __init__(self, fmt: str, path: Path, returncode: int | None, stderr: str) -> None:
        self.fmt, self.path, self.returncode, self.stderr = fmt, path, returncode, stderr
        super().__init__(f"ffmpeg failed writing {fmt} {path.name} (exit code {returncode}):\n{stderr}")


def partial_path(path: Path) -> Path:
    """The hidden file next to `path` that is written first and renamed into place when complete."""
    return path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")
