"""ffmpeg: what is installed, how each video format is made (profiles per preset, the command line,
the settings that go into the cache key), and joining segments without re-encoding.

Piping frames into ffmpeg is ffmpeg_sink.py's job; this module needs no numpy."""
from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from sitegen.animation.encoders.video import (DEFAULT_PRESET, FfmpegFailed, VideoSpec, check_preset, even_size,
                                              partial_path)


@dataclass(frozen=True, slots=True)
class FfmpegProfile:
    """How one format is made with ffmpeg."""

    fmt: str
    muxer: str
    video_codec: str
    video_options: tuple[str, ...]
    audio_codec: str
    audio_options: tuple[str, ...]
    muxer_options: tuple[str, ...] = ()


# Two presets, chosen per build (`[render] preset`, `--preset`); each is part of the cache key.
#
# "small" (the default, for publishing) is VP9 at matplotlib's own effort (FFMpegWriter's default is
# -crf 32 -cpu-used 1): the same bytes at the same SSIM, so never larger. Measured on the bench
# references (heatmap 100 frames 600x450, traces 200 frames 800x400, scatter 100 frames 500x500):
# -cpu-used 0 is 7-13 % smaller but takes twice the time; -cpu-used 2 is 2x faster but 3-6 % larger
# at lower SSIM; -cpu-used 4 is 3x faster, 8-16 % larger at lower SSIM, and two-pass, -tune ssim,
# -aq-mode and -sharpness did not buy that back at equal SSIM. -threads 2 with row-mt uses both cores
# of a machine like ours when one animation renders alone; -tile-columns 0 keeps the frame in one
# tile column as a single-threaded encode does (two columns made the 800-px traces reference 0.6 %
# larger than matplotlib's). With row-mt, any -threads >= 2 gives the same bytes (1 does not).
#
# "fast" (what `sitegen serve` uses while you write) is realtime VP9: 9-15x faster to encode, files
# 1.1-1.7x larger at slightly lower SSIM (0.936 / 0.989 / 0.995 against 0.960 / 0.996 / 0.998).
def _vp9(deadline: str, cpu_used: int) -> tuple[str, ...]:
    return ("-crf", "32", "-b:v", "0", "-deadline", deadline, "-cpu-used", str(cpu_used), "-row-mt", "1",
            "-tile-columns", "0", "-threads", "2")


def _x264(preset: str) -> tuple[str, ...]:
    return ("-crf", "23", "-preset", preset, "-threads", "1")


WEBM = FfmpegProfile("webm", "webm", "libvpx-vp9", _vp9("good", 1), "libopus", ("-b:a", "96k"))
WEBM_FAST = replace(WEBM, video_options=_vp9("realtime", 6))
MP4 = FfmpegProfile("mp4", "mp4", "libx264", _x264("medium"), "aac", ("-b:a", "128k"), ("-movflags", "+faststart"))
MP4_FAST = replace(MP4, video_options=_x264("veryfast"))
_PROFILES = {("webm", "small"): WEBM, ("webm", "fast"): WEBM_FAST, ("mp4", "small"): MP4, ("mp4", "fast"): MP4_FAST}


# A long animation of a built-in kind is encoded in runs of this many frames by several workers and
# joined without re-encoding (see segments.py). Fixed, so the bytes never depend on the machine. Each
# run starts with a key frame; at 120 frames that costs under 1 % on the bench references (libvpx
# places one about as often by itself), at 50 frames 1-2 %, at 25 frames 7-12 %.
SEGMENT_FRAMES = 120


def profile_for(fmt: str, preset: str = DEFAULT_PRESET) -> FfmpegProfile:
    """The ffmpeg profile that writes `fmt` (webm or mp4) under `preset`."""
    check_preset(preset)
    return _PROFILES[(fmt, preset)]


# RGB -> yuv420p with the matrix written into the stream, so every decoder converts back alike.
# BT.601 rather than BT.709: on a viridis heatmap BT.709 made VP9 16 % larger at equal quality
# (1471 vs 1262 KB, bench heatmap), on line plots it made no difference.
_COLOUR_FILTER = (
    "scale=out_color_matrix=bt601:out_range=tv,format=yuv420p,"
    "setparams=color_primaries=smpte170m:color_trc=smpte170m:colorspace=smpte170m:range=tv")  # all four tagged
_COLOUR_TAGS = ("-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m",
                "-color_range", "tv")
_BITEXACT = ("-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1")


def video_settings(fmt: str, preset: str = DEFAULT_PRESET) -> dict[str, object]:
    """The settings that shape a video format's bytes under `preset` (for the render cache key)."""
    profile = profile_for(fmt, preset)
    return {"video_codec": profile.video_codec, "video_options": profile.video_options,
            "colour": _COLOUR_FILTER, "colour_tags": _COLOUR_TAGS, "audio_codec": profile.audio_codec,
            "audio_options": profile.audio_options, "muxer": profile.muxer,
            "muxer_options": profile.muxer_options + _BITEXACT, "even_size": "edge-padded",
            "segment_frames": SEGMENT_FRAMES, "revision": 2}


# ---------------------------------------------------------------------------------------------
# What is installed


@dataclass(frozen=True, slots=True)
class FfmpegProbe:
    exe: str | None
    version: str
    encoders: frozenset[str]
    problem: str | None  # why ffmpeg cannot be used at all


@functools.cache
def probe_ffmpeg() -> FfmpegProbe:
    """The bundled ffmpeg, its version and its encoders (asked once per process)."""
    try:
        import imageio_ffmpeg
        exe = imageio_ffmpeg.get_ffmpeg_exe()
        version = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=30).stdout
        listing = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30).stdout
    except (ImportError, RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return FfmpegProbe(None, "", frozenset(), f"ffmpeg is not usable ({exc}); install imageio-ffmpeg")
    names = frozenset(parts[1] for line in listing.splitlines() if len(parts := line.split()) > 1 and len(parts[0]) == 6)
    first = version.splitlines()[0] if version else "unknown"
    return FfmpegProbe(exe, first.removeprefix("ffmpeg version ").split(" Copyright")[0], names, None)


def missing(fmt: str, audio: bool) -> str | None:
    """None if this ffmpeg can write `fmt` (with its audio encoder too if `audio`), else why not."""
    profile = profile_for(fmt)  # every preset uses the same codecs
    probe = probe_ffmpeg()
    if probe.problem:
        return probe.problem
    needed = (profile.video_codec, profile.audio_codec) if audio else (profile.video_codec,)
    absent = [name for name in needed if name not in probe.encoders]
    if absent:
        return f"the bundled ffmpeg ({probe.version}) has no {' or '.join(absent)} encoder"
    return None


def ffmpeg_versions() -> dict[str, str]:
    probe = probe_ffmpeg()
    return {"ffmpeg": probe.version if probe.exe else "unavailable"}


# ---------------------------------------------------------------------------------------------
# Command lines


def _file_arg(path: Path) -> str:
    return f"file:{path}"  # so a name starting with '-' or holding ':' is still a file


def ffmpeg_command(exe: str, profile: FfmpegProfile, spec: VideoSpec, output: Path) -> list[str]:
    """ffmpeg reading raw RGB frames of the even size from stdin and writing `output` with `profile`."""
    duration = f"{spec.duration():.6f}"
    command = [exe, "-hide_banner", "-nostats", "-loglevel", "error",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{even_size(spec.width)}x{even_size(spec.height)}",
               "-framerate", str(spec.fps_fraction()), "-i", "pipe:0"]
    if spec.audio is not None:
        command += ["-t", duration, "-i", _file_arg(spec.audio)]
    command += ["-map", "0:v", "-vf", _COLOUR_FILTER, "-c:v", profile.video_codec, *profile.video_options,
                *_COLOUR_TAGS]
    if spec.audio is not None:  # padded with silence to the video's length, cut there with -t above
        command += ["-map", "1:a:0", "-af", f"apad=whole_dur={duration}", "-c:a", profile.audio_codec,
                    *profile.audio_options]
    return command + [*_BITEXACT, *profile.muxer_options, "-f", profile.muxer, "-y", _file_arg(output)]


def join_segments(fmt: str, pieces: Sequence[Path], output: Path, preset: str = DEFAULT_PRESET) -> None:
    """Join video files encoded alike (each starting with a key frame) into `output`, without
    re-encoding. The pieces must sit in one folder; `output` appears only when complete."""
    profile = profile_for(fmt, preset)
    folder = pieces[0].parent
    listing = folder / f".{output.stem}-parts.txt"
    listing.write_text("ffconcat version 1.0\n" + "".join(f"file {p.name}\n" for p in pieces), encoding="utf-8")
    partial = partial_path(output)
    command = [probe_ffmpeg().exe or "ffmpeg", "-hide_banner", "-nostats", "-loglevel", "error",
               "-f", "concat", "-i", _file_arg(listing), "-map", "0", "-c", "copy",
               *_BITEXACT, *profile.muxer_options, "-f", profile.muxer, "-y", _file_arg(partial)]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise FfmpegFailed(fmt, output, done.returncode, done.stderr.strip() or "(ffmpeg printed nothing)")
        os.replace(partial, output)
    finally:
        listing.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
