"""The poster: one frame of the animation as an optimised PNG (or a lossless WebP, by suffix)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from sitegen.animation.encoders.video import VideoSpec

# Everything that shapes the poster's bytes (it goes into the render cache key); bump the revision
# when the writer's output changes.
SETTINGS = {"png": "optimize, palette when <= 256 colours", "webp": "lossless", "revision": 1}


def poster_settings() -> dict[str, object]:
    return dict(SETTINGS)


class PosterSink:
    """Saves frame `spec.poster_frame` (clamped into range) and ignores the others."""

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
