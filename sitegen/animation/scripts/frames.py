"""Frames of an author's figure, as matplotlib's own movie writers take them, kept on disk.

`figure_pixels` is what a writer's `grab_frame` does (`savefig` to raw RGBA at the writer's dpi); a
`FrameStore` appends frames to a scratch file, so a long animation costs disk, not memory; and
`SitegenWriter` is a `matplotlib.animation.AbstractMovieWriter` whose frames go to a store, so that
`Animation.save(writer=SitegenWriter(...))` renders exactly what a save to a movie file would.
Runs in the script's child process only.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

import numpy as np
from matplotlib.animation import AbstractMovieWriter
from matplotlib.figure import Figure

from sitegen.errors import RenderProblem


class EnoughFrames(BaseException):
    """Raised from grab_frame once the directive's `frames:` are captured: ends Animation.save early.
    A BaseException, so an author's `except Exception` does not swallow it."""


class TooManyFrames(BaseException):
    """More frames than max_frames: the script is stopped."""


class FrameProblem(RenderProblem):
    """A frame the store cannot take; says what would be right (each kind of problem its own hint)."""

    advice = ""

    def __init__(self, message: str) -> None:
        super().__init__(message, type(self).advice)


class FrameTooLarge(FrameProblem):
    advice = "make the figure smaller or its dpi lower, or raise [limits] max_frame_pixels in sitegen.toml"

    def __init__(self, shape: tuple[int, ...], limit: int) -> None:
        super().__init__(f"a frame of {shape[1]}×{shape[0]} pixels is larger than max_frame_pixels ({limit:,})")


class FrameSizeChanged(FrameProblem):
    advice = "don't resize the figure between frames"

    def __init__(self, index: int, shape: tuple[int, ...], first: tuple[int, ...]) -> None:
        super().__init__(f"frame {index} is {shape[1]}×{shape[0]} pixels, but the first frame was "
                         f"{first[1]}×{first[0]}: every frame of an animation must have the same size")


# Figure.savefig as matplotlib defines it: the capture replaces the method for the author's own calls.
REAL_SAVEFIG: Callable[..., Any] = Figure.savefig


def figure_pixels(figure: Figure, dpi: float, savefig_kwargs: dict[str, Any]) -> np.ndarray:
    """The figure drawn as a movie writer draws it: H×W×3 uint8, any transparency over white (as
    matplotlib pre-composites for writers without an alpha channel)."""
    kwargs = {k: v for k, v in savefig_kwargs.items() if k not in ("format", "dpi", "bbox_inches")}
    buffer = io.BytesIO()
    REAL_SAVEFIG(figure, buffer, format="rgba", dpi=dpi, **kwargs)
    width_in, height_in = figure.get_size_inches()
    width, height = int(width_in * dpi), int(height_in * dpi)  # as Agg sizes its canvas
    data = np.frombuffer(buffer.getbuffer(), np.uint8)
    if data.size != width * height * 4:
        raise ValueError(f"the figure drew {data.size // 4} pixels, not {width}×{height}")
    rgba = data.reshape(height, width, 4)
    alpha = rgba[..., 3:]
    if alpha.min() == 255:
        return rgba[..., :3].copy()
    over_white = (rgba[..., :3].astype(np.uint16) * alpha + 255 * (255 - alpha.astype(np.uint16)) + 127) // 255
    return over_white.astype(np.uint8)


class FrameStore:
    """RGB frames appended to one raw file; read back as a memory map. Knows whether they move."""

    def __init__(self, path: Path, wanted: int | None, limit: int, max_pixels: int = 0) -> None:
        self.path, self.wanted, self.limit, self.max_pixels = path, wanted, limit, max_pixels
        self.count = 0
        self.shape: tuple[int, ...] | None = None
        self.moving = False
        self._first: np.ndarray | None = None
        self._file: io.BufferedWriter | None = None

    @property
    def full(self) -> bool:
        return self.wanted is not None and self.count >= self.wanted

    def add(self, frame: np.ndarray) -> None:
        if self.full:
            return
        if self.count >= self.limit:
            raise TooManyFrames()
        if self._file is None:
            if self.max_pixels and frame.shape[0] * frame.shape[1] > self.max_pixels:
                raise FrameTooLarge(frame.shape, self.max_pixels)
            self.shape, self._first = frame.shape, frame.copy()
            self._file = open(self.path, "wb")
        elif frame.shape != self.shape:
            raise FrameSizeChanged(self.count, frame.shape, self.shape or ())
        elif not self.moving and not np.array_equal(frame, self._first):
            self.moving = True
        self._file.write(np.ascontiguousarray(frame).data)
        self.count += 1

    def frames(self) -> np.ndarray:
        """Every frame, count×H×W×3, read from disk as needed."""
        if self._file is not None:
            self._file.close()
        if not self.count or self.shape is None:
            return np.zeros((0, 1, 1, 3), np.uint8)
        return np.memmap(self.path, dtype=np.uint8, mode="r", shape=(self.count, *self.shape))


class SitegenWriter(AbstractMovieWriter):
    """A matplotlib movie writer whose frames go to a FrameStore. Like FFMpegWriter, it has no alpha
    channel, so Animation.save composites the figure's face colour over white before each frame."""

    def __init__(self, store: FrameStore, fps: float) -> None:
        super().__init__(fps=fps)
        self._store = store

    def setup(self, fig: Figure, outfile: Any, dpi: float | None = None) -> None:
        self.outfile, self.fig = outfile, fig  # nothing is written to outfile
        self.dpi = dpi or fig.dpi

    def grab_frame(self, **savefig_kwargs: Any) -> None:
        self._store.add(figure_pixels(self.fig, self.dpi, savefig_kwargs))
        if self._store.full:
            raise EnoughFrames()

    def finish(self) -> None:
        pass
