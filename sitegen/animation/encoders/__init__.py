"""Encoders: WebM (VP9), MP4 (H.264), GIF and poster writers behind one small interface.

Each format is an `Encoder` in the registry `ENCODERS` (formats.py), which holds every fact about
it and how it is made. `open_encoder(fmt, path, spec)` is a context manager yielding a sink;
`sink.write(frame)` takes RGB frames in order; leaving the block finishes the file, which appears
at `path` only when complete. `encode_all` streams one pass of frames into several formats at once.

Every setting that shapes the bytes is in `encoder_settings(fmt, preset)` and every tool version in
`encoder_versions()`, both part of the render cache key; output is byte-reproducible.

Inside: video.py (what every encoder shares), formats.py (the table), ffmpeg.py
(probing, profiles, joining segments), ffmpeg_sink.py, gif.py, poster.py, encode.py (driving the
sinks), quality.py (SSIM and decoding, for tests and the bench).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sitegen.animation.encoders.ffmpeg import SEGMENT_FRAMES, FfmpegProfile, join_segments, probe_ffmpeg, profile_for
from sitegen.animation.encoders.formats import (ENCODERS, FORMATS, MIME_TYPES, OUTPUT_NAMES, SUFFIXES, VIDEO_FORMATS,
                                                Encoder, available_formats, encoder_settings, encoder_versions)
from sitegen.registry import Registry
from sitegen.animation.encoders.video import (DEFAULT_PRESET, EncoderFailed, EncoderMissing, FrameSink, Sink,
                                              VideoSpec, even_size)

if TYPE_CHECKING:
    from sitegen.animation.encoders.encode import as_rgb, encode_all, open_encoder

# Handling frames needs numpy, so these load on first use: jobs.py and the planner read the format
# table from this package without loading numpy or Pillow.
_FRAME_API = ("as_rgb", "encode_all", "open_encoder")

__all__ = ["DEFAULT_PRESET", "ENCODERS", "FORMATS", "MIME_TYPES", "OUTPUT_NAMES", "SEGMENT_FRAMES", "SUFFIXES",
           "VIDEO_FORMATS", "Encoder", "EncoderFailed", "EncoderMissing", "FfmpegProfile", "FrameSink", "Registry",
           "Sink", "VideoSpec", "as_rgb", "available_formats", "encode_all", "encoder_settings", "encoder_versions",
           "even_size", "join_segments", "open_encoder", "probe_ffmpeg", "profile_for"]


def __getattr__(name: str) -> Any:
    if name not in _FRAME_API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from sitegen.animation.encoders import encode

    return getattr(encode, name)
