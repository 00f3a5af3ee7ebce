"""Measuring encoded animations against the frames they were made from: SSIM, PSNR, and decoders
that turn a WebM/MP4 or a GIF back into one RGB frame per input frame. Used by the tests and
`bench/encoders.py`; nothing in a build depends on it."""
from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image

# ITU-R BT.601 luma, as most SSIM tools use.
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)
_C1 = (0.01 * 255) ** 2
_C2 = (0.03 * 255) ** 2


def _gaussian_window(sigma: float = 1.5, radius: int = 5) -> np.ndarray:
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    return (taps / taps.sum()).astype(np.float32)


_WINDOW = _gaussian_window()


def _blur(plane: np.ndarray) -> np.ndarray:
    """Separable Gaussian filter, 'valid' region only (no border guessing)."""
    n = len(_WINDOW)
    rows = sum(w * plane[k:plane.shape[0] - n + 1 + k] for k, w in enumerate(_WINDOW))
    return sum(w * rows[:, k:rows.shape[1] - n + 1 + k] for k, w in enumerate(_WINDOW))


def luma(frame: np.ndarray) -> np.ndarray:
    return frame[..., :3].astype(np.float32) @ _LUMA


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM (Wang et al. 2004: 11×11 Gaussian window, σ 1.5) of two RGB frames' luma."""
    if a.shape[:2] != b.shape[:2]:
        raise ValueError(f"frames differ in size: {a.shape[:2]} and {b.shape[:2]}")
    x, y = luma(a), luma(b)
    mx, my = _blur(x), _blur(y)
    vx = _blur(x * x) - mx * mx
    vy = _blur(y * y) - my * my
    cov = _blur(x * y) - mx * my
    index = ((2 * mx * my + _C1) * (2 * cov + _C2)) / ((mx * mx + my * my + _C1) * (vx + vy + _C2))
    return float(index.mean())


def mean_ssim(reference: Sequence[np.ndarray], decoded: Sequence[np.ndarray]) -> float:
    _check_counts(reference, decoded)
    return float(np.mean([ssim(a, b) for a, b in zip(reference, decoded)]))


def psnr(reference: Sequence[np.ndarray], decoded: Sequence[np.ndarray]) -> float:
    """PSNR in dB over all frames and channels together (inf when identical)."""
    _check_counts(reference, decoded)
    squared = sum(float(np.square(a[..., :3].astype(np.float64) - b[..., :3]).sum()) for a, b in zip(reference, decoded))
    values = sum(a[..., :3].size for a in reference)
    mse = squared / values
    return math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def _check_counts(reference: Sequence[np.ndarray], decoded: Sequence[np.ndarray]) -> None:
    if len(reference) != len(decoded):
        raise ValueError(f"{len(decoded)} decoded frames for {len(reference)} reference frames")


def decode_video(ffmpeg: str, path: Path, width: int, height: int) -> np.ndarray:
    """Every frame of a WebM/MP4 as RGB, cropped to width×height (the encoder may have padded to even)."""
    command = [ffmpeg, "-v", "error", "-i", f"file:{path}", "-vf", f"format=rgb24,crop={width}:{height}:0:0",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    data = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(data, np.uint8).reshape(-1, height, width, 3)


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What `ffmpeg -i` says about a file: duration in seconds and (kind, codec) per stream."""

    duration: float | None
    streams: tuple[tuple[str, str], ...]
    text: str


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+.*?: (Video|Audio): (\w+)")


def probe(ffmpeg: str, path: Path) -> MediaInfo:
    text = subprocess.run([ffmpeg, "-hide_banner", "-i", f"file:{path}"], capture_output=True, text=True).stderr
    match = _DURATION.search(text)
    duration = None if match is None else int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])
    streams = tuple((kind.lower(), codec) for kind, codec in _STREAM.findall(text))
    return MediaInfo(duration, streams, text)


@dataclass(frozen=True, slots=True)
class GifFrames:
    """A GIF decoded as displayed: composited frames and their delays in milliseconds."""

    frames: tuple[np.ndarray, ...]
    durations_ms: tuple[int, ...]

    def at_fps(self, fps: float, count: int) -> list[np.ndarray]:
        """The frame on screen in the middle of each input frame's time slot (i + ½)/fps, i < count:
        one per input frame, so a GIF that merged identical frames still lines up with its inputs,
        and centisecond rounding of the delays does not shift the comparison by a frame."""
        ends = np.cumsum(self.durations_ms)
        step = Fraction(1000) / Fraction(fps)
        shown = [int(np.searchsorted(ends, float((i + Fraction(1, 2)) * step), side="right")) for i in range(count)]
        return [self.frames[min(s, len(self.frames) - 1)] for s in shown]


def decode_gif(path: Path) -> GifFrames:
    frames, durations = [], []
    with Image.open(path) as image:
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(np.asarray(image.convert("RGB")))
            durations.append(int(image.info.get("duration", 0)))
    return GifFrames(tuple(frames), tuple(durations))
