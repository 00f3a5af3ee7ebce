"""The GIF's size target (issue 12): at most 60 % of matplotlib's PillowWriter bytes at mean luma SSIM
≥ 0.98 against the exact frames, on noisy and on antialiased content, and errors that stay bounded
as colours change slowly."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sitegen.animation.encoders import VideoSpec, gif, open_encoder, quality  # noqa: E402
from sitegen.animation.encoders.gif import long_runs  # noqa: E402

FPS = 30
ORANGE = (255, 127, 14)


def noisy_heatmap(count: int = 30, width: int = 200, height: int = 150) -> list[np.ndarray]:
    """An imshow-like field: a Gaussian bump circling in white noise (new noise every frame), 4-pixel
    cells in viridis, framed in black, with a colour bar, on a white figure."""
    rng = np.random.default_rng(0)
    viridis = (matplotlib.colormaps["viridis"](np.linspace(0, 1, 256))[:, :3] * 255).round().astype(np.uint8)
    rows, cols, cell, top, left = 24, 32, 4, 20, 20
    y, x = np.mgrid[0:rows, 0:cols]
    bar = viridis[np.linspace(255, 0, rows * cell).astype(int)]
    right = left + cols * cell
    frames = []
    for i in range(count):
        angle = 2 * np.pi * i / count
        bump = np.exp(-((x - 16 - 8 * np.cos(angle)) ** 2 + (y - 12 - 6 * np.sin(angle)) ** 2) / 18)
        level = np.clip((bump + rng.normal(0, 0.05, x.shape) + 0.2) / 1.4 * 255, 0, 255).astype(int)
        frame = np.full((height, width, 3), 255, np.uint8)
        frame[top:top + rows * cell, left:right] = viridis[level].repeat(cell, axis=0).repeat(cell, axis=1)
        frame[[top - 1, top + rows * cell], left - 1:right + 1] = 0
        frame[top:top + rows * cell, right + 10:right + 18] = bar[:, None]
        frames.append(frame)
    return frames


def thin_lines(count: int = 30, width: int = 200, height: int = 150) -> list[np.ndarray]:
    """Three antialiased sine traces moving over a grid, drawn by matplotlib."""
    fig = plt.figure(figsize=(width / 100, height / 100), dpi=100)
    ax = fig.add_axes((0.1, 0.1, 0.85, 0.85))
    x = np.linspace(0, 2 * np.pi, 200)
    lines = [ax.plot(x, np.sin(x), lw=1)[0] for _ in range(3)]
    ax.set(xlim=(0, 2 * np.pi), ylim=(-1.2, 1.2), xticks=[], yticks=[])
    ax.grid(True)
    frames = []
    for i in range(count):
        for k, line in enumerate(lines):
            line.set_ydata(np.sin((k + 1) * x + 0.1 * i * (k + 1)) * (1 - 0.2 * k))
        fig.canvas.draw()
        frames.append(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy())
    plt.close(fig)
    return frames


def pillow_writer_bytes(path: Path, frames: list[np.ndarray]) -> int:
    """What matplotlib's PillowWriter writes for opaque frames: RGB images, saved by its finish()."""
    images = [Image.fromarray(frame) for frame in frames]
    images[0].save(path, save_all=True, append_images=images[1:], duration=int(1000 / FPS), loop=0)
    return path.stat().st_size


def encode_gif(path: Path, frames: list[np.ndarray]) -> Path:
    """Our GIF, given 8 palette frames sampled evenly, as a build does."""
    height, width = frames[0].shape[:2]
    samples = [frames[i] for i in np.linspace(0, len(frames) - 1, 8).round().astype(int)]
    with open_encoder("gif", path, VideoSpec(width, height, FPS, len(frames)), palette_frames=samples) as sink:
        for frame in frames:
            sink.write(frame)
    return path


@pytest.mark.parametrize("make_frames", [noisy_heatmap, thin_lines])
def test_gif_is_at_most_60_percent_of_pillow_writer_at_ssim_098(tmp_path, make_frames):
    frames = make_frames()
    baseline = pillow_writer_bytes(tmp_path / "pillow.gif", frames)
    ours = encode_gif(tmp_path / "ours.gif", frames)
    assert ours.stat().st_size <= 0.60 * baseline
    assert quality.mean_ssim(frames, quality.decode_gif(ours).at_fps(FPS, len(frames))) >= 0.98


def test_a_slowly_drifting_colour_is_followed_and_its_error_never_accumulates(tmp_path):
    # one level a frame: each step is far below the palette's spacing, the 59 in all far above it,
    # so a colour left on screen while it is "close enough" to the one before would end up stuck
    frames = []
    for i in range(60):
        frame = np.full((48, 64, 3), 255, np.uint8)
        frame[40, 4:60] = 0
        frame[10:30, 10:50] = (100 + i, 60, 140)
        frames.append(frame)
    decoded = quality.decode_gif(encode_gif(tmp_path / "drift.gif", frames)).at_fps(FPS, len(frames))
    errors = [int(np.abs(shown[20, 30].astype(int) - true[20, 30]).max()) for true, shown in zip(frames, decoded)]
    assert max(errors) <= gif.SETTINGS.spacing  # the coarsest spacing the palette may take


def test_long_runs_keeps_only_runs_at_least_as_long_as_asked():
    mask = np.array([[1, 1, 0, 1, 1, 1],
                     [1, 0, 0, 0, 1, 1]], dtype=bool)
    kept = np.array([[0, 0, 0, 1, 1, 1],
                     [1, 0, 0, 0, 0, 0]], dtype=bool)  # runs go on across rows, as LZW reads them
    assert np.array_equal(long_runs(mask, 3), kept)
    assert np.array_equal(long_runs(mask, 1), mask)
    assert not long_runs(np.ones((2, 2), dtype=bool), 5).any()


def test_short_unchanged_gaps_are_stored_as_their_colour_which_codes_smaller(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    first = rng.integers(0, 256, (16, 3)).astype(np.uint8)[rng.integers(0, 16, (80, 120))]  # dear to store again
    for row in range(10, 70, 4):
        first[row, 5 + row % 3::3] = ORANGE
    second = first.copy()
    second[10:70:4, 5:] = ORANGE  # orange lines: changed pixels, and one-pixel gaps that were orange already
    frames = [first, second, second]
    ours = encode_gif(tmp_path / "ours.gif", frames)
    monkeypatch.setattr(gif, "SETTINGS", replace(gif.SETTINGS, min_transparent_run=1))
    every_gap = encode_gif(tmp_path / "every-gap.gif", frames)
    assert ours.stat().st_size < every_gap.stat().st_size
    for path in (ours, every_gap):
        assert all(np.array_equal(a, b) for a, b in zip(frames, quality.decode_gif(path).at_fps(FPS, 3)))
