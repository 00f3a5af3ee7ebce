"""The output formats: one `Encoder` per format, registered by name, holding every fact about it
(suffix, MIME type, fixed file name, whether it is a video) and how it is made (its settings per
preset, whether it is available here, the tools' versions, the sink that takes its frames).

Everything else that names a format's file or type derives from this table. Loading it loads
neither numpy nor Pillow: an encoder's frame-handling module is imported when it is first asked
for its settings or a sink, so jobs.py and the planner can read the table."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from sitegen.animation.encoders.ffmpeg import ffmpeg_versions, profile_for, video_settings
from sitegen.animation.encoders.ffmpeg import missing as ffmpeg_missing
from sitegen.animation.encoders.video import DEFAULT_PRESET, Sink, UnknownFormat, VideoSpec
from sitegen.registry import Registry

if TYPE_CHECKING:
    import numpy as np

# (file to write, spec, palette frames, preset, the path messages name) -> the sink taking its frames
Opener = Callable[[Path, VideoSpec, Sequence["np.ndarray"], str, Path], Sink]


@dataclass(frozen=True, slots=True)
class Encoder:
    """One output format: what it is, and how it is made."""

    name: str
    suffix: str  # of its files
    mime: str
    output_name: str  # its fixed file name in a worker's output and in a cache entry
    video: bool  # made by ffmpeg: padded to an even size, and joinable from segments encoded apart
    settings: Callable[[str], dict[str, object]]  # preset -> what shapes its bytes (part of the cache key)
    missing: Callable[[bool], str | None]  # (with audio?) -> None if it can be written here, else why not
    versions: Callable[[], dict[str, str]]  # the tools that write it (part of the cache key)
    open_sink: Opener


def _video_settings(fmt: str, preset: str) -> dict[str, object]:
    settings = video_settings(fmt, preset)
    if profile_for(fmt, preset).grainy_crf is None:
        return {**settings, "grain_probe": None}
    from sitegen.animation.encoders.grain import probe_settings

    return {**settings, "grain_probe": probe_settings()}  # it chooses between the CRFs


def _video(fmt: str, mime: str) -> Encoder:
    return Encoder(fmt, f".{fmt}", mime, f"animation.{fmt}", True, settings=partial(_video_settings, fmt),
                   missing=partial(ffmpeg_missing, fmt), versions=ffmpeg_versions, open_sink=partial(_open_video, fmt))


def _open_video(fmt: str, path: Path, spec: VideoSpec, palette_frames: Sequence[np.ndarray], preset: str,
                shown_as: Path) -> Sink:
    from sitegen.animation.encoders.ffmpeg_sink import FfmpegSink

    profile = profile_for(fmt, preset)
    if profile.grainy_crf is not None:
        from sitegen.animation.encoders.grain import is_grainy

        profile = profile.for_content(is_grainy(palette_frames))
    return FfmpegSink(profile, path, spec, shown_as=shown_as)


def _gif_settings(preset: str) -> dict[str, object]:
    from sitegen.animation.encoders.gif import gif_settings

    return gif_settings()  # one GIF writer for every preset


def _open_gif(path: Path, spec: VideoSpec, palette_frames: Sequence[np.ndarray], preset: str, shown_as: Path) -> Sink:
    from sitegen.animation.encoders.gif import GifSink

    return GifSink(path, spec, palette_frames)


def _poster_settings(preset: str) -> dict[str, object]:
    from sitegen.animation.encoders.poster import poster_settings

    return poster_settings()


def _open_poster(path: Path, spec: VideoSpec, palette_frames: Sequence[np.ndarray], preset: str,
                 shown_as: Path) -> Sink:
    from sitegen.animation.encoders.poster import PosterSink

    return PosterSink(path, spec)


def _needs_only_pillow(audio: bool) -> str | None:
    return None  # Pillow is a dependency; a still or a GIF has no sound to encode


def _pillow_versions() -> dict[str, str]:
    import PIL

    return {"pillow": PIL.__version__}


def _still(name: str, suffix: str, mime: str, output_name: str, settings: Callable[[str], dict[str, object]],
           open_sink: Opener) -> Encoder:
    return Encoder(name, suffix, mime, output_name, False, settings, _needs_only_pillow, _pillow_versions, open_sink)


# Priority is the order in which encode_all hands each frame on: video first, so that ffmpeg encodes
# in its own process while Python makes the GIF.
ENCODERS: Registry[Encoder] = Registry("format", UnknownFormat)
ENCODERS.register(_video("webm", "video/webm"), "webm", 40)
ENCODERS.register(_video("mp4", "video/mp4"), "mp4", 30)
ENCODERS.register(_still("gif", ".gif", "image/gif", "animation.gif", _gif_settings, _open_gif), "gif", 20)
# A poster written by open_encoder may also be a lossless .webp, chosen by its path's suffix.
ENCODERS.register(_still("poster", ".png", "image/png", "poster.png", _poster_settings, _open_poster), "poster", 10)

# The table's columns, for the built-in formats above.
FORMATS = ENCODERS.names()
SUFFIXES = {encoder.name: encoder.suffix for encoder in ENCODERS}
OUTPUT_NAMES = {encoder.name: encoder.output_name for encoder in ENCODERS}
MIME_TYPES = {encoder.name: encoder.mime for encoder in ENCODERS}
VIDEO_FORMATS = frozenset(encoder.name for encoder in ENCODERS if encoder.video)


def available_formats(audio: bool = False) -> dict[str, str | None]:
    """format -> None if it can be written here, else the reason. With audio=True, also requires
    the audio encoder (libopus for webm, aac for mp4)."""
    return {encoder.name: encoder.missing(audio) for encoder in ENCODERS}


def encoder_settings(fmt: str, preset: str = DEFAULT_PRESET) -> dict[str, object]:
    """The settings that shape `fmt`'s output bytes under `preset`; part of the render cache key."""
    return ENCODERS[fmt].settings(preset)


def encoder_versions() -> dict[str, str]:
    """Versions of everything that encodes; part of the render cache key."""
    versions: dict[str, str] = {}
    for encoder in ENCODERS:
        versions.update(encoder.versions())
    return versions
