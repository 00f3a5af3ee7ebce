"""The GIF encoder: one adaptive palette for the whole animation, only the changed rectangle stored
per frame, exact timing in centiseconds.

The file is written block by block as frames arrive, so memory holds a colour lookup table (16 MB),
the indexed frame on screen and one compressed tile — never the animation. Pillow does the LZW coding;
the GIF structure around it is written here, because Pillow can only write a GIF from all its frames.
"""
from __future__ import annotations

import math
import struct
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Sequence

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from sitegen.animation.encoders.video import VideoSpec


@dataclass(frozen=True, slots=True)
class GifSettings:
    """Everything that shapes the GIF's bytes (it goes into the render cache key).

    The palette is where a GIF's size is decided: noise that flickers between near-identical
    colours, and antialiasing blends, cost LZW codes out of proportion to what the eye sees. So
    colours are taken most frequent first, each absorbing its neighbours within `spacing` (RGB
    distance) — or, for colours rarer than `common_share` of the pixels, within a radius growing
    as they get rarer, up to `rare_spacing`. Frequent colours (background, text, lines) stay exact.

    Each frame stores the rectangle around its changed pixels, opaque or with the unchanged ones
    transparent, whichever codes smaller. A transparent gap shorter than `min_transparent_run`
    pixels (in the raster order LZW reads) keeps the colour on screen instead: short gaps between
    changed pixels break the strings LZW has learnt (6 % smaller on scrolling traces, 2 % on thin
    lines, 0 on noise; the decoded frames are the same). Leaving a pixel on screen while its new
    colour is merely close to it was measured too, and not taken: to SSIM frozen noise is an error,
    and at equal SSIM a coarser palette is smaller.
    """

    colours: int = 255  # palette entries at most; one more index is kept for "unchanged" (transparent)
    # The coarsest spacing whose palette keeps the sampled frames at `min_ssim` is taken: on noise the
    # coarse one, which the noise hides (an imshow of a noisy field: 3.13 MB at SSIM 0.989 instead
    # of 3.75 MB at 0.996; PillowWriter 5.97 MB); smooth gradients fail it and get 12 or finer, where
    # banding would show (bench: 47-57 % of PillowWriter's bytes at SSIM 0.988-0.998).
    spacing: float = 20.0
    finer_spacings: tuple[float, ...] = (12.0, 8.0, 5.0, 3.0)
    min_ssim: float = 0.985
    rare_spacing: float = 48.0
    common_share: float = 1e-3
    sample_pixels: int = 1_000_000  # the sampled frames are subsampled to about this many pixels
    min_transparent_run: int = 8
    min_delay_cs: int = 2  # browsers play delays under 2 cs as 10 cs, so faster frames are dropped
    revision: int = 4  # bump when the writer's output changes for the same settings

    def __post_init__(self) -> None:
        if not 1 <= self.colours <= 255:
            raise ValueError(f"colours {self.colours}: must be 1..255 (index 255 is kept for transparency)")
        if self.min_transparent_run < 1:
            raise ValueError(f"min_transparent_run {self.min_transparent_run}: must be at least 1 pixel")


SETTINGS = GifSettings()
_UNKNOWN = 255  # lookup-table entry for "not mapped yet"; never a palette index (at most 255 colours)


def gif_settings() -> dict[str, object]:
    return asdict(SETTINGS)


def start_cs(index: int, fps: Fraction) -> int:
    """When frame `index` starts, in whole centiseconds, rounded so the error never accumulates."""
    return math.floor(index * 100 / fps + Fraction(1, 2))


# ---------------------------------------------------------------------------------------------
# Palette


def _pack(rgb: np.ndarray) -> np.ndarray:
    """RGB (…×3 uint8) -> one uint32 key per colour."""
    rgb = rgb.astype(np.uint32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def _unpack(keys: np.ndarray) -> np.ndarray:
    return np.stack([(keys >> 16) & 255, (keys >> 8) & 255, keys & 255], axis=-1).astype(np.uint8)


def nearest(colours: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Index of the nearest palette entry (RGB distance; the first on a tie) for each colour (N×3)."""
    pal = palette.astype(np.int32)[None]
    out = np.empty(len(colours), dtype=np.uint8)
    for start in range(0, len(colours), 4096):  # chunks keep the N×P×3 temporary small
        chunk = colours[start:start + 4096].astype(np.int32)[:, None]
        out[start:start + 4096] = np.square(chunk - pal).sum(axis=2).argmin(axis=1)
    return out


def choose_palette(samples: Sequence[np.ndarray], settings: GifSettings | None = None) -> np.ndarray:
    """Palette entries (P×3 uint8, P ≤ settings.colours) for frames like `samples`; see GifSettings."""
    settings = settings or SETTINGS
    spacings = (settings.spacing, *settings.finer_spacings)
    for spacing in spacings:
        palette = _palette(samples, settings, spacing)
        if spacing == spacings[-1] or _fidelity(samples, palette) >= settings.min_ssim:
            return palette
    raise AssertionError("unreachable")


def _fidelity(samples: Sequence[np.ndarray], palette: np.ndarray) -> float:
    """Mean SSIM of (up to four of) the sampled frames against themselves mapped to the palette."""
    from sitegen.animation.encoders.quality import ssim

    mapping = _PaletteMap(palette)
    chosen = list(samples)[:: max(1, len(samples) // 4)][:4]
    return float(np.mean([ssim(f[..., :3], palette[mapping.indices(f[..., :3])]) for f in chosen]))


def _palette(samples: Sequence[np.ndarray], settings: GifSettings, spacing: float) -> np.ndarray:
    pixels = np.concatenate([s[..., :3].reshape(-1, 3) for s in samples])
    pixels = pixels[:: max(1, len(pixels) // settings.sample_pixels)]
    keys, counts = np.unique(_pack(pixels), return_counts=True)
    order = np.argsort(-counts, kind="stable")
    share = counts[order] / len(pixels)
    radius = np.clip(spacing * settings.common_share / share, spacing, settings.rare_spacing)
    return _greedy_entries(_unpack(keys[order]).astype(np.int32), radius, settings.colours)


def _greedy_entries(colours: np.ndarray, radius: np.ndarray, limit: int) -> np.ndarray:
    """In order, each colour not yet absorbed becomes an entry and absorbs the colours within its
    radius. Colours left over when `limit` is reached map to their nearest entry later."""
    free = np.ones(len(colours), dtype=bool)
    entries = []
    while len(entries) < limit and free.any():
        first = int(np.argmax(free))
        entries.append(first)
        free &= np.square(colours - colours[first]).sum(axis=1) > radius[first] ** 2
    return colours[entries].astype(np.uint8)


class _PaletteMap:
    """Exact nearest-entry mapping of RGB frames, remembered per colour in a 2^24 lookup table
    (16 MB), since an animation's frames share most of their colours."""

    def __init__(self, palette: np.ndarray) -> None:
        self.palette = palette
        self._table = np.full(1 << 24, _UNKNOWN, dtype=np.uint8)

    def indices(self, frame: np.ndarray) -> np.ndarray:
        keys = _pack(frame)
        found = self._table[keys]
        missing = found == _UNKNOWN
        if missing.any():
            new = np.unique(keys[missing])
            self._table[new] = nearest(_unpack(new), self.palette)
            found = self._table[keys]
        return found


# ---------------------------------------------------------------------------------------------
# GIF blocks


@dataclass(frozen=True, slots=True)
class _Tile:
    """One stored frame: a rectangle of palette indices, LZW-coded, starting at `start` cs."""

    start: int
    left: int
    top: int
    width: int
    height: int
    transparent: bool
    data: bytes  # minimum code size, sub-blocks, terminator


def _header(width: int, height: int, palette: np.ndarray, table_bits: int, loop: bool) -> bytes:
    table = np.zeros((1 << table_bits, 3), dtype=np.uint8)
    table[: len(palette)] = palette
    screen = struct.pack("<HHBBB", width, height, 0x80 | (7 << 4) | (table_bits - 1), 0, 0)
    looping = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00" if loop else b""  # 0 = forever
    return b"GIF89a" + screen + table.tobytes() + looping


def _frame_block(tile: _Tile, delay: int, transparent_index: int) -> bytes:
    packed = (1 << 2) | int(tile.transparent)  # disposal 1: leave the frame for the next to draw on
    control = b"\x21\xf9\x04" + struct.pack("<BHBB", packed, delay, transparent_index if tile.transparent else 0, 0)
    descriptor = b"\x2c" + struct.pack("<HHHHB", tile.left, tile.top, tile.width, tile.height, 0)
    return control + descriptor + tile.data


def _lzw(indices: np.ndarray, code_size: int) -> bytes:
    coded = Image.fromarray(np.ascontiguousarray(indices)).tobytes("gif", "L", code_size, 0)
    return bytes([code_size]) + coded + b"\0"


def long_runs(mask: np.ndarray, shortest: int) -> np.ndarray:
    """`mask` with its runs of True shorter than `shortest` (in raster order) set to False."""
    flat = mask.reshape(-1)
    starts = np.flatnonzero(np.diff(flat, prepend=~flat[:1]))  # where each run of equal values begins
    lengths = np.diff(starts, append=len(flat))
    return (flat & np.repeat(lengths >= shortest, lengths)).reshape(mask.shape)


def _changed_box(changed: np.ndarray) -> tuple[int, int, int, int]:
    rows = np.flatnonzero(changed.any(axis=1))
    cols = np.flatnonzero(changed.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


class _FrameCoder:
    """Turns RGB frames into tiles against one palette, keeping the indexed frame on screen."""

    def __init__(self, palette: np.ndarray, first_frame: np.ndarray, min_transparent_run: int) -> None:
        self.palette = palette
        self._min_run = min_transparent_run
        self.transparent = len(palette)  # the index that means "unchanged"
        self.table_bits = max(1, math.ceil(math.log2(len(palette) + 1)))
        self._code_size = max(2, self.table_bits)
        self._map = _PaletteMap(palette)
        self._canvas = self._map.indices(first_frame)  # palette indices on screen

    def whole(self, start: int) -> _Tile:
        height, width = self._canvas.shape
        return _Tile(start, 0, 0, width, height, False, _lzw(self._canvas, self._code_size))

    def next(self, frame: np.ndarray, start: int) -> _Tile | None:
        """The tile that turns the screen into `frame`, or None when no pixel changes."""
        indices = self._map.indices(frame)
        changed = indices != self._canvas
        if not changed.any():
            return None
        self._canvas = indices
        return self._tile(changed, start)

    def _tile(self, changed: np.ndarray, start: int) -> _Tile:
        """The changed rectangle, with long runs of unchanged pixels in it made transparent when that
        codes smaller (see GifSettings)."""
        left, top, right, bottom = _changed_box(changed)
        crop = self._canvas[top:bottom, left:right]
        best = _Tile(start, left, top, right - left, bottom - top, False, _lzw(crop, self._code_size))
        see_through = long_runs(~changed[top:bottom, left:right], self._min_run)  # shorter gaps: the colour on screen
        if see_through.any():
            masked = _lzw(np.where(see_through, np.uint8(self.transparent), crop), self._code_size)
            if len(masked) < len(best.data):
                best = _Tile(start, left, top, right - left, bottom - top, True, masked)
        return best


class GifSink:
    """Writes frames into a GIF as they arrive (`write`), then its last frame and trailer (`finish`)."""

    def __init__(self, path: Path, spec: VideoSpec, palette_frames: Sequence[np.ndarray]) -> None:
        self._spec = spec
        self._settings = SETTINGS
        self._fps = spec.fps_fraction()
        self._end = start_cs(spec.frame_count, self._fps)
        self._samples = tuple(palette_frames)
        self._coder: _FrameCoder | None = None  # made on the first frame (from it, if no samples were given)
        self._pending: _Tile | None = None  # written once the next frame's start gives its delay
        self._written = 0
        self._file: BinaryIO = open(path, "wb")

    def write(self, frame: np.ndarray) -> None:
        start = start_cs(self._written, self._fps)
        self._written += 1
        if self._coder is None:
            self._coder = self._begin(frame)
            self._accept(self._coder.whole(start))
        elif self._playable(start):
            tile = self._coder.next(frame, start)
            if tile is not None:  # else its time goes to the frame on screen
                self._accept(tile)

    def finish(self) -> None:
        try:
            if self._pending is not None:
                self._write_tile(self._pending, self._end)
            self._file.write(b"\x3b")
        finally:
            self._file.close()

    def abort(self) -> None:
        self._file.close()

    def _begin(self, first_frame: np.ndarray) -> _FrameCoder:
        settings = self._settings
        coder = _FrameCoder(choose_palette(self._samples or (first_frame,), settings), first_frame,
                            settings.min_transparent_run)
        spec = self._spec
        self._file.write(_header(spec.width, spec.height, coder.palette, coder.table_bits, spec.loop))
        return coder

    def _playable(self, start: int) -> bool:
        """Browsers play delays under 2 cs as 10 cs: a frame that would make one is dropped."""
        minimum = self._settings.min_delay_cs
        return start - self._pending.start >= minimum and self._end - start >= minimum

    def _accept(self, tile: _Tile) -> None:
        if self._pending is not None:
            self._write_tile(self._pending, tile.start)
        self._pending = tile

    def _write_tile(self, tile: _Tile, until: int) -> None:
        self._file.write(_frame_block(tile, until - tile.start, self._coder.transparent))
