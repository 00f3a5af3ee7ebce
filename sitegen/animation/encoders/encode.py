"""Driving the encoders: `open_encoder` for one format, `encode_all` for one pass of frames into
several, both through each registered Encoder's sink. A file is written to a hidden partial file
next to its path and renamed into place only when complete, so a failure never leaves half a file."""
from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from sitegen.animation.encoders.formats import ENCODERS
from sitegen.animation.encoders.video import (DEFAULT_PRESET, EncoderMissing, FrameSink, Sink, VideoSpec,
                                              check_preset, partial_path)


class _CheckedSink:
    """What open_encoder yields: checks each frame's size and type and the frame count."""

    def __init__(self, sink: Sink, spec: VideoSpec) -> None:
        self._sink, self._spec, self.count = sink, spec, 0

    def write(self, frame: np.ndarray) -> None:
        frame = as_rgb(frame, self._spec)
        if self.count >= self._spec.frame_count:
            raise ValueError(f"frame {self.count + 1} is one too many: spec.frame_count is {self._spec.frame_count}")
        self._sink.write(frame)
        self.count += 1


def as_rgb(frame: np.ndarray, spec: VideoSpec) -> np.ndarray:
    """The frame as a contiguous HxWx3 uint8 array (alpha dropped), or a ValueError saying what is expected."""
    expected = (spec.height, spec.width)
    if frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[:2] != expected or frame.shape[2] not in (3, 4):
        raise ValueError(f"frame of shape {frame.shape} and dtype {frame.dtype}: expected uint8 "
                         f"{spec.height}×{spec.width}×3 (or ×4) RGB(A), as in the VideoSpec")
    return np.ascontiguousarray(frame[..., :3])


@contextmanager
def open_encoder(fmt: str, path: Path, spec: VideoSpec, *, palette_frames: Sequence[np.ndarray] = (),
                 preset: str = DEFAULT_PRESET) -> Iterator[FrameSink]:
    """A sink for `fmt` writing to `path`. On normal exit the file is complete; on an exception
    nothing is left at `path` (a previous file there is kept) and the error propagates.
    `palette_frames` (gif only): frames sampled across the animation, for its one palette.
    `preset`: one of sitegen.PRESETS."""
    encoder = ENCODERS[fmt]
    check_preset(preset)  # an error before anything starts
    reason = encoder.missing(spec.audio is not None)
    if reason is not None:
        raise EncoderMissing(f"cannot write {fmt}: {reason}")
    path = Path(path)
    partial = partial_path(path)
    sink = encoder.open_sink(partial, spec, [as_rgb(f, spec) for f in palette_frames], preset, path)
    try:
        checked = _CheckedSink(sink, spec)
        yield checked
        if checked.count != spec.frame_count:
            raise ValueError(f"{fmt} {path.name}: received {checked.count} frames, spec.frame_count is {spec.frame_count}")
        sink.finish()
    except BaseException:
        sink.abort()
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)


def encode_all(formats: Sequence[str], paths: Mapping[str, Path], spec: VideoSpec, frames: Iterable[np.ndarray],
               palette_frames: Sequence[np.ndarray] = (), preset: str = DEFAULT_PRESET) -> dict[str, int]:
    """Encode one pass over `frames` into every format at once; returns bytes written per format.
    Frames are not kept, so `frames` may be a generator of any length. Each frame goes to the
    formats in the registry's order."""
    absent = [fmt for fmt in formats if fmt not in paths]
    if absent:
        raise ValueError(f"no output path given for {', '.join(absent)}: `paths` needs one per format")
    with ExitStack() as stack:
        sinks = [stack.enter_context(open_encoder(encoder.name, paths[encoder.name], spec,
                                                  palette_frames=palette_frames, preset=preset))
                 for encoder in ENCODERS.ordered(formats)]
        for frame in frames:
            rgb = as_rgb(frame, spec)
            for sink in sinks:
                sink.write(rgb)
    return {fmt: Path(paths[fmt]).stat().st_size for fmt in formats}
