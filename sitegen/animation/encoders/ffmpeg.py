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
    env: tuple[tuple[str, str], ...] = ()  # set for the ffmpeg process
    grainy_crf: int | None = None  # the CRF for grainy content (see grain.py); None: one CRF for all

    def for_content(self, grainy: bool) -> FfmpegProfile:
        """This profile for content that is grainy (measured by grain.is_grainy) or not."""
        if not grainy or self.grainy_crf is None:
            return self
        options = list(self.video_options)
        options[options.index("-crf") + 1] = str(self.grainy_crf)
        return replace(self, video_options=tuple(options))


# Two presets, chosen per build (`[render] preset`, `--preset`); each is part of the cache key.
#
# "publish" (the default of build and render) is the files visitors download. Its WebM is AV1 from
# SVT-AV1 at preset 3 with its screen-content tools forced on (scm=1: palette and intra block copy,
# which plots are made for) and tuned for SSIM. Measured against matplotlib's own FFMpegWriter VP9
# (libvpx-vp9 at crf 32, cpu-used 1) on the same frames, bytes at equal luma SSIM (bench/encoders.py):
#
# | content (100 frames, 600-800 px) | FFMpegWriter VP9      | SVT-AV1 crf 31           | crf 28                  |
# | thin lines                       | 246 KB @ 0.99785      | 125 KB (51 %) @ 0.99852  |                         |
# | scrolling noisy traces           | 1.28 MB @ 0.99584     | 906 KB (71 %) @ 0.99518  |                         |
# | 2,000-point scatter              | 2.04 MB @ 0.99526     | 1.41 MB (69 %) @ 0.99407 | 1.67 MB (82 %) @ 0.99526|
# | smooth image, colour bar         | 48 KB @ 0.99602       | 27 KB (56 %) @ 0.99718   |                         |
# | bump under white noise           | 468 KB @ 0.9685       | 339 KB (73 %) @ 0.96208  | 432 KB (92 %) @ 0.968   |
#
# So CRF 31 for plots, and 28 for grainy content (measured per animation by grain.py), where AV1
# at 31 loses more SSIM than VP9 does. libaom-av1 (good, cpu-used 6, -tune-content screen) was 5-10 %
# smaller still but took 2.5-3x matplotlib's encode time; aom's realtime mode and SVT-AV1 at presets
# >= 5 were no smaller than VP9 at equal SSIM. Its temporal filter is off (enable-tf=0): it denoises
# the frames it predicts from, which plots have no need of, and on a dense scatter it cost 0.0002
# SSIM (a 2,000-point cloud: 63.2 % of VP9's bytes at VP9's SSIM - 0.0018 instead of 63.7 % at
# - 0.0020); elsewhere bytes moved by under 1 % (the noisy heatmap: SSIM 0.0009 lower, still
# 0.0033 above VP9's). SVT-AV1's bytes do not depend on its thread count (lp 1 and 2 gave the same
# file), so they are the same on every machine.
#
# Its MP4 is H.264 for the browsers without WebM (Safari on older Apple hardware): x264 -preset slow
# -tune animation (flat areas and sharp edges), +faststart so it plays while it downloads. One thread,
# because x264's bytes depend on its thread count.
#
# "preview" (the default of `sitegen serve`) is realtime VP9 and x264 veryfast: 9-15x faster to
# encode, files 1.1-1.7x larger at slightly lower SSIM.
def _vp9(deadline: str, cpu_used: int) -> tuple[str, ...]:
    return ("-crf", "32", "-b:v", "0", "-deadline", deadline, "-cpu-used", str(cpu_used), "-row-mt", "1",
            "-tile-columns", "0", "-threads", "2")


def _svt_av1(crf: int, preset: int) -> tuple[str, ...]:
    return ("-crf", str(crf), "-b:v", "0", "-preset", str(preset), "-svtav1-params", "scm=1:tune=2:enable-tf=0:lp=2")


def _x264(preset: str, *tune: str) -> tuple[str, ...]:
    return ("-crf", "23", "-preset", preset, *tune, "-threads", "1")


_QUIET_SVT = (("SVT_LOG", "1"),)  # SVT-AV1 prints a banner at every start unless told errors only
WEBM = FfmpegProfile("webm", "webm", "libsvtav1", _svt_av1(31, 3), "libopus", ("-b:a", "96k"), env=_QUIET_SVT,
                     grainy_crf=28)
WEBM_PREVIEW = FfmpegProfile("webm", "webm", "libvpx-vp9", _vp9("realtime", 6), "libopus", ("-b:a", "96k"))
MP4 = FfmpegProfile("mp4", "mp4", "libx264", _x264("slow", "-tune", "animation"), "aac", ("-b:a", "128k"),
                    ("-movflags", "+faststart"))
MP4_PREVIEW = replace(MP4, video_options=_x264("veryfast"))
_PROFILES = {("webm", "publish"): WEBM, ("webm", "preview"): WEBM_PREVIEW,
             ("mp4", "publish"): MP4, ("mp4", "preview"): MP4_PREVIEW}


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
COLOUR_FILTER = (
    "scale=out_color_matrix=bt601:out_range=tv,format=yuv420p,"
    "setparams=color_primaries=smpte170m:color_trc=smpte170m:colorspace=smpte170m:range=tv")  # all four tagged
_COLOUR_TAGS = ("-colorspace", "smpte170m", "-color_primaries", "smpte170m", "-color_trc", "smpte170m",
                "-color_range", "tv")
_BITEXACT = ("-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1")


def video_settings(fmt: str, preset: str = DEFAULT_PRESET) -> dict[str, object]:
    """The settings that shape a video format's bytes under `preset` (for the render cache key)."""
    profile = profile_for(fmt, preset)
    return {"video_codec": profile.video_codec, "video_options": profile.video_options,
            "colour": COLOUR_FILTER, "colour_tags": _COLOUR_TAGS, "audio_codec": profile.audio_codec,
            "audio_options": profile.audio_options, "muxer": profile.muxer,
            "muxer_options": profile.muxer_options + _BITEXACT, "even_size": "edge-padded",
            "segment_frames": SEGMENT_FRAMES, "env": dict(profile.env), "grainy_crf": profile.grainy_crf,
            "revision": 3}


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
    from sitegen import PRESETS

    probe = probe_ffmpeg()
    if probe.problem:
        return probe.problem
    profiles = [profile_for(fmt, preset) for preset in PRESETS]
    needed = [p.video_codec for p in profiles] + ([p.audio_codec for p in profiles] if audio else [])
    needed = list(dict.fromkeys(needed))
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
    command += ["-map", "0:v", "-vf", COLOUR_FILTER, "-c:v", profile.video_codec, *profile.video_options,
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
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **dict(profile.env)})
        if done.returncode != 0:
            raise FfmpegFailed(fmt, output, done.returncode, done.stderr.strip() or "(ffmpeg printed nothing)")
        os.replace(partial, output)
    finally:
        listing.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
