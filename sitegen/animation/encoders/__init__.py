"""Encoders: WebM (VP9), GIF, poster and MP4 (H.264) writers behind one small interface.

`open_encoder(fmt, path, spec)` is a context manager yielding a sink; `sink.write(frame)` takes
RGB frames in order; leaving the block finishes the file. Output goes to a hidden partial file
next to `path` and is renamed into place only when complete, so a failure never leaves a half
file. `encode_all` streams one pass of frames into several formats at once.

Every setting that shapes the bytes is in `encoder_settings(fmt)` and every tool version in
`encoder_versions()`, both part of the render cache key; output is byte-reproducible.
"""
from __future__ import annotations

import functools
import logging
import os
import subprocess
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Protocol, Sequence

import numpy as np
import PIL
from PIL import Image

from sitegen import PRESETS
from sitegen.animation.encoders.gif import GifSink, gif_settings
from sitegen.errors import did_you_mean

log = logging.getLogger(__name__)

FORMATS = ("webm", "gif", "poster", "mp4")
SUFFIXES = {"webm": ".webm", "gif": ".gif", "poster": ".png", "mp4": ".mp4"}  # poster may also be .webp


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


class EncoderMissing(Exception):
    """A format's encoder is not available; the message names the format and why."""


class EncoderFailed(RuntimeError):
    """ffmpeg failed; carries the end of what it printed."""

    def __init__(self, fmt: str, path: Path, returncode: int | None, stderr: str) -> None:
        self.fmt, self.path, self.returncode, self.stderr = fmt, path, returncode, stderr
        super().__init__(f"ffmpeg failed writing {fmt} {path.name} (exit code {returncode}):\n{stderr}")


class FrameSink(Protocol):
    def write(self, frame: np.ndarray) -> None:
        """Take the next HxWx3 (or HxWx4, alpha ignored) uint8 RGB frame."""


class _Sink(FrameSink, Protocol):
    def finish(self) -> None: ...
    def abort(self) -> None: ...


# ---------------------------------------------------------------------------------------------
# ffmpeg: what is installed


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
DEFAULT_PRESET = PRESETS[0]
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
VIDEO_FORMATS = frozenset(fmt for fmt, _ in _PROFILES)


# A long animation of a built-in kind is encoded in runs of this many frames by several workers and
# joined without re-encoding (see segments.py). Fixed, so the bytes never depend on the machine. Each
# run starts with a key frame; at 120 frames that costs under 1 % on the bench references (libvpx
# places one about as often by itself), at 50 frames 1-2 %, at 25 frames 7-12 %.
SEGMENT_FRAMES = 120


def profile_for(fmt: str, preset: str = DEFAULT_PRESET) -> FfmpegProfile:
    """The ffmpeg profile that writes `fmt` (webm or mp4) under `preset`."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}: {did_you_mean(preset, PRESETS)}")
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


def available_formats(audio: bool = False) -> dict[str, str | None]:
    """format -> None if it can be written here, else the reason. With audio=True, also requires
    the audio encoder (libopus for webm, aac for mp4)."""
    return {fmt: _missing(fmt, audio) for fmt in FORMATS}


def _missing(fmt: str, audio: bool) -> str | None:
    if fmt not in VIDEO_FORMATS:
        return None  # gif and poster need only Pillow
    profile = profile_for(fmt)  # every preset uses the same codecs
    probe = probe_ffmpeg()
    if probe.problem:
        return probe.problem
    needed = (profile.video_codec, profile.audio_codec) if audio else (profile.video_codec,)
    absent = [name for name in needed if name not in probe.encoders]
    if absent:
        return f"the bundled ffmpeg ({probe.version}) has no {' or '.join(absent)} encoder"
    return None


def encoder_versions() -> dict[str, str]:
    """Versions of everything that encodes; part of the render cache key."""
    probe = probe_ffmpeg()
    return {"ffmpeg": probe.version if probe.exe else "unavailable", "pillow": PIL.__version__}


def encoder_settings(fmt: str, preset: str = DEFAULT_PRESET) -> dict[str, object]:
    """The settings that shape `fmt`'s output bytes under `preset`; part of the render cache key."""
    _check_known(fmt)
    if fmt == "gif":
        return gif_settings()
    if fmt == "poster":
        return {"png": "optimize, palette when <= 256 colours", "webp": "lossless", "revision": 1}
    profile = profile_for(fmt, preset)
    return {"video_codec": profile.video_codec, "video_options": profile.video_options,
            "colour": _COLOUR_FILTER, "colour_tags": _COLOUR_TAGS, "audio_codec": profile.audio_codec,
            "audio_options": profile.audio_options, "muxer": profile.muxer,
            "muxer_options": profile.muxer_options + _BITEXACT, "even_size": "edge-padded",
            "segment_frames": SEGMENT_FRAMES, "revision": 2}


def _check_known(fmt: str) -> None:
    if fmt not in FORMATS:
        raise EncoderMissing(f"unknown format {fmt!r}: {did_you_mean(fmt, FORMATS)}")


# ---------------------------------------------------------------------------------------------
# Sinks


def _even(n: int) -> int:
    return n + (n & 1)


def _file_arg(path: Path) -> str:
    return f"file:{path}"  # so a name starting with '-' or holding ':' is still a file


def ffmpeg_command(exe: str, profile: FfmpegProfile, spec: VideoSpec, output: Path) -> list[str]:
    duration = f"{spec.duration():.6f}"
    command = [exe, "-hide_banner", "-nostats", "-loglevel", "error",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{_even(spec.width)}x{_even(spec.height)}",
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
    partial = _partial_path(output)
    command = [probe_ffmpeg().exe or "ffmpeg", "-hide_banner", "-nostats", "-loglevel", "error",
               "-f", "concat", "-i", _file_arg(listing), "-map", "0", "-c", "copy",
               *_BITEXACT, *profile.muxer_options, "-f", profile.muxer, "-y", _file_arg(partial)]
    try:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise EncoderFailed(fmt, output, done.returncode, done.stderr.strip() or "(ffmpeg printed nothing)")
        os.replace(partial, output)
    finally:
        listing.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)


class FfmpegSink:
    """Streams raw RGB frames into an ffmpeg process; its stderr goes to a temporary file so the
    pipe never blocks on it, and is quoted when ffmpeg fails."""

    def __init__(self, profile: FfmpegProfile, path: Path, spec: VideoSpec, shown_as: Path | None = None) -> None:
        self._profile, self._shown_as = profile, shown_as or path
        self._padding = ((0, _even(spec.height) - spec.height), (0, _even(spec.width) - spec.width), (0, 0))
        command = ffmpeg_command(probe_ffmpeg().exe or "ffmpeg", profile, spec, path)
        log.debug("running %s", " ".join(command))
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=self._stderr)

    def write(self, frame: np.ndarray) -> None:
        if self._padding[0][1] or self._padding[1][1]:
            frame = np.pad(frame, self._padding, mode="edge")  # even size for yuv420p, edge colour
        try:
            self._process.stdin.write(frame.data)
        except BrokenPipeError:
            raise self._failure(self._process.wait()) from None

    def finish(self) -> None:
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        code = self._process.wait()
        if code != 0:
            raise self._failure(code)
        self._stderr.close()

    def abort(self) -> None:
        self._process.kill()
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        self._process.wait()
        self._stderr.close()

    def _failure(self, code: int | None, lines: int = 20) -> EncoderFailed:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        tail = "\n".join(text[-lines:]) or "(ffmpeg printed nothing)"
        return EncoderFailed(self._profile.fmt, self._shown_as, code, tail)


class PosterSink:
    """Saves frame `spec.poster_frame` as an optimised PNG (or lossless WebP, by suffix)."""

    def __init__(self, path: Path, spec: VideoSpec) -> None:
        if path.suffix.lower() not in (".png", ".webp"):
            raise ValueError(f"poster {path.name}: the suffix must be .png or .webp")
        self._path = path
        self._index = min(max(spec.poster_frame, 0), spec.frame_count - 1)
        self._seen = 0

    def write(self, frame: np.ndarray) -> None:
        if self._seen == self._index:
            save_still(frame, self._path)
        self._seen += 1

    def finish(self) -> None:
        pass

    def abort(self) -> None:
        pass


def save_still(frame: np.ndarray, path: Path) -> None:
    image = Image.fromarray(frame)
    if path.suffix.lower() == ".webp":
        image.save(path, "WEBP", lossless=True, method=6)
        return
    colours = image.getcolors(256)
    if colours is not None:  # a plot often has few colours: an exact palette PNG is much smaller
        image = _exact_palette_image(frame, np.array([c for _, c in sorted(colours, key=lambda c: -c[0])], np.uint8))
    image.save(path, "PNG", optimize=True)


def _exact_palette_image(frame: np.ndarray, palette: np.ndarray) -> Image.Image:
    keys = (frame.astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], np.uint32))
    palette_keys = palette.astype(np.uint32) @ np.array([1 << 16, 1 << 8, 1], np.uint32)
    order = np.argsort(palette_keys)
    indices = order[np.searchsorted(palette_keys[order], keys)].astype(np.uint8)
    image = Image.fromarray(indices).convert("P")
    image.putpalette(palette.tobytes())
    return image


# (partial file to write, the path it becomes, spec, palette frames, preset) -> sink
_Opener = Callable[[Path, Path, VideoSpec, Sequence[np.ndarray], str], _Sink]
_OPENERS: dict[str, _Opener] = {
    "webm": lambda partial, path, spec, _, preset: FfmpegSink(profile_for("webm", preset), partial, spec, shown_as=path),
    "mp4": lambda partial, path, spec, _, preset: FfmpegSink(profile_for("mp4", preset), partial, spec, shown_as=path),
    "gif": lambda partial, path, spec, samples, _: GifSink(partial, spec, samples),
    "poster": lambda partial, path, spec, _, __: PosterSink(partial, spec),
}


class _CheckedSink:
    """What open_encoder yields: checks each frame's size and type and the frame count."""

    def __init__(self, sink: _Sink, spec: VideoSpec) -> None:
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


def _partial_path(path: Path) -> Path:
    return path.with_name(f".{path.stem}.partial-{os.getpid()}{path.suffix}")


@contextmanager
def open_encoder(fmt: str, path: Path, spec: VideoSpec, *, palette_frames: Sequence[np.ndarray] = (),
                 preset: str = DEFAULT_PRESET) -> Iterator[FrameSink]:
    """A sink for `fmt` writing to `path`. On normal exit the file is complete; on an exception
    nothing is left at `path` (a previous file there is kept) and the error propagates.
    `palette_frames` (gif only): frames sampled across the animation, for its one palette.
    `preset`: "small" or "fast" (see PRESETS)."""
    _check_known(fmt)
    profile_for("webm", preset)  # an unknown preset is an error before anything starts
    reason = available_formats(audio=spec.audio is not None)[fmt]
    if reason is not None:
        raise EncoderMissing(f"cannot write {fmt}: {reason}")
    path = Path(path)
    partial = _partial_path(path)
    sink = _OPENERS[fmt](partial, path, spec, [as_rgb(f, spec) for f in palette_frames], preset)
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
    Frames are not kept, so `frames` may be a generator of any length."""
    absent = [fmt for fmt in formats if fmt not in paths]
    if absent:
        raise ValueError(f"no output path given for {', '.join(absent)}: `paths` needs one per format")
    # ffmpeg formats first: they get each frame early and encode while Python does the GIF.
    ordered = sorted(formats, key=lambda fmt: fmt not in VIDEO_FORMATS)
    with ExitStack() as stack:
        sinks = [stack.enter_context(open_encoder(fmt, paths[fmt], spec, palette_frames=palette_frames,
                                                      preset=preset))
                 for fmt in ordered]
        for frame in frames:
            rgb = as_rgb(frame, spec)
            for sink in sinks:
                sink.write(rgb)
    return {fmt: Path(paths[fmt]).stat().st_size for fmt in formats}
