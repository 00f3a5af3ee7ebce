"""Decoding helpers for the animation tests: what a rendered file really holds."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image


@dataclass
class Video:
    codec: str
    audio: str | None
    width: int
    height: int
    frames: np.ndarray  # T×H×W×3


def decode_video(path: Path) -> Video:
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    probe = subprocess.run([exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    video = re.search(r"Stream #\S+: Video: (\w+).*?, (\d{2,5})x(\d{2,5})", probe.stderr)
    assert video, probe.stderr
    audio = re.search(r"Stream #\S+: Audio: (\w+)", probe.stderr)
    width, height = int(video.group(2)), int(video.group(3))
    raw = subprocess.run([exe, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    return Video(video.group(1), audio.group(1) if audio else None, width, height, frames)


@dataclass
class Gif:
    frames: int
    durations_ms: list[int]
    size: tuple[int, int]
    global_palette: bool
    local_palettes: int
    first: np.ndarray
    corner: tuple[int, int, int]


def decode_gif(path: Path) -> Gif:
    data = path.read_bytes()
    assert data[:6] in (b"GIF89a", b"GIF87a")
    global_palette = bool(data[10] & 0x80)
    with Image.open(path) as im:
        durations = []
        for index in range(im.n_frames):
            im.seek(index)
            durations.append(im.info.get("duration", 0))
        im.seek(0)
        first = np.asarray(im.convert("RGB"))
        return Gif(im.n_frames, durations, im.size, global_palette, _local_palettes(data), first,
                   tuple(int(v) for v in first[1, 1]))


def _local_palettes(data: bytes) -> int:
    """Counts image descriptors that carry a local colour table (walking the GIF block structure)."""
    pos = 13 + (3 * 2 ** ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    count = 0
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            break
        if block == 0x21:  # extension: label, then sub-blocks
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        elif block == 0x2C:  # image descriptor
            packed = data[pos + 9]
            pos += 10
            if packed & 0x80:
                count += 1
                pos += 3 * 2 ** ((packed & 7) + 1)
            pos += 1  # LZW minimum code size
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
        else:
            raise AssertionError(f"unexpected GIF block {block:#x} at {pos}")
    return count


def luminance(rgb: tuple[int, int, int] | np.ndarray) -> float:
    r, g, b = (float(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def animation_files(html: str, site: Path, page_dir: Path) -> list[dict[str, Path]]:
    """For each animation figure on a page: {'light-webm': path, 'dark-gif': path, …}."""
    found = []
    for tag in re.findall(r"<(?:video|img)[^>]*data-animation[^>]*>", html):
        files = {f"{variant}-{fmt}": (page_dir / url).resolve()
                 for variant, fmt, url in re.findall(r'data-(light|dark)-(\w+)="([^"]+)"', tag)}
        found.append(files)
    return found
