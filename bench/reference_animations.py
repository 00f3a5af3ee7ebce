"""The three reference animations of the benchmark, drawn by sitegen's own kinds from data made here.

Every array is generated from a fixed seed, so each run measures the same pixels:

- heatmap: a travelling Gaussian bump plus a rotating spiral plus noise (the "2-D activity patterns" of a
  typical tutorial), viridis, colour bar, title; 100 frames at 600×450; the noisy one (`noisy`);
- traces: five channels in a sliding two-second window, legend and grid; 200 frames at 800×400;
- scatter: 2,000 points of an embedding separating into six labelled clusters; 100 frames at 500×500.

`draw_scene` and `render_job` are the two ways in: the first draws the scene on a figure (for
matplotlib's own writers and for the reference pixels), the second describes the same animation as
the RenderJob a build would give `sitegen.animation.worker.run_task`: by default the formats a
directive makes when it names none, under the default encoder preset.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from sitegen.config import ThemeOptions
from sitegen.animation.encoders import DEFAULT_PRESET
from sitegen.animation.dataset import DataSet
from sitegen.animation.frames import make_figure
from sitegen.animation.kinds import KINDS, Scene
from sitegen.animation.jobs import RenderJob
from sitegen.animation.spec import COMMON
from sitegen.animation.styles import variant_styles

DPI = 100.0
FPS = 20.0  # the directive's default


@dataclass(frozen=True, slots=True)
class Reference:
    """One animation: a built-in kind, its data and parameters, and the frame size."""

    name: str
    kind: str
    arrays: Mapping[str, np.ndarray]
    params: Mapping[str, Any]  # every parameter of the kind (defaults filled in) and `title`
    width: int
    height: int
    frame_count: int
    fps: float = FPS
    dpi: float = DPI
    noisy: bool = False  # white noise in the picture: no codec can shrink it much

    @property
    def data_bytes(self) -> int:
        return sum(array.nbytes for array in self.arrays.values())


def light_style() -> dict[str, Any]:
    """The rcParams of the default theme's light variant: what a build draws the light files with."""
    return variant_styles(ThemeOptions())["light"].rc()


def kind_params(kind: str, title: str | None, **overrides: Any) -> dict[str, Any]:
    """Every parameter of `kind` as a directive would pass it: defaults, the overrides, and the title."""
    params = {param.name: param.default for param in KINDS[kind].params}
    unknown = set(overrides) - set(params)
    if unknown:
        raise ValueError(f"{kind} has no parameter {', '.join(sorted(unknown))}")
    return {**params, **overrides, "title": title}


def make_reference(name: str, kind: str, arrays: Mapping[str, np.ndarray], params: Mapping[str, Any],
                   width: int, height: int, noisy: bool = False) -> Reference:
    """A Reference whose frame count is the kind's own, after checking the data as a build would."""
    data = DataSet(arrays=dict(arrays))
    problems = KINDS[kind].check(data, params)
    if problems:
        raise ValueError(f"reference {name}: " + "; ".join(problem.message for problem in problems))
    count = KINDS[kind].frame_count(data, params)
    return Reference(name, kind, dict(arrays), dict(params), width, height, count, noisy=noisy)


# ------------------------------------------------------------------------------------------ data


def activity_frames(frames: int, height: int, width: int, seed: int = 1) -> np.ndarray:
    """T×H×W float32: a bump crossing the field left to right, a three-armed spiral turning once, noise."""
    rng = np.random.default_rng(seed)
    half_width = 2.0 * width / height  # square cells
    x, y = np.meshgrid(np.linspace(-half_width, half_width, width), np.linspace(-2.0, 2.0, height))
    radius, angle = np.hypot(x, y), np.arctan2(y, x)
    out = np.empty((frames, height, width), dtype=np.float32)
    for t in range(frames):
        centre = -half_width + 2 * half_width * t / frames
        bump = np.exp(-((x - centre) ** 2 + y ** 2) / 0.5)
        spiral = 0.5 * (1 + np.sin(3 * (angle + 2 * np.pi * t / frames) - radius))
        out[t] = bump + 0.3 * spiral + rng.normal(0.0, 0.1, x.shape)
    return out


def channel_signals(channels: int, samples: int, rate: float, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """C×N float32 signals (an oscillation per channel, a slow drift and noise, channel k around 2k) and
    their N sample times in seconds."""
    rng = np.random.default_rng(seed)
    time = np.arange(samples) / rate
    k = np.arange(channels)[:, None]
    rhythm = 0.8 * np.sin(2 * np.pi * (4 + 3 * k) * time + k)
    drift = 0.3 * np.sin(2 * np.pi * 0.3 * time + 2 * k)
    signals = 2.0 * k + rhythm + drift + rng.normal(0.0, 0.08, (channels, samples))
    return signals.astype(np.float32), time


def embedding_positions(frames: int, points: int, clusters: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """T×N×2 float32 positions of points moving from one cloud to `clusters` blobs on a ring (a latent
    space over training), with jitter that settles; and each point's cluster label."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, clusters, points)
    start = rng.normal(0.0, 1.0, (points, 2))
    angles = 2 * np.pi * labels / clusters
    end = 4.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1) + rng.normal(0.0, 0.45, (points, 2))
    out = np.empty((frames, points, 2), dtype=np.float32)
    for t in range(frames):
        progress = t / max(frames - 1, 1)
        eased = progress * progress * (3 - 2 * progress)
        jitter = rng.normal(0.0, 0.08 * (1 - progress) + 0.01, (points, 2))
        out[t] = (1 - eased) * start + eased * end + jitter
    return out, labels


# ------------------------------------------------------------------------------------------ references


def heatmap_reference(frames: int = 100, width: int = 600, height: int = 450,
                      grid: tuple[int, int] = (60, 80)) -> Reference:
    """`grid` is the data's rows × columns; width × height the frame's pixels."""
    arrays = {"frames": activity_frames(frames, *grid)}
    params = kind_params("heatmap", "Population activity", colorbar_label="activity (a.u.)", dt=0.05)
    return make_reference("heatmap", "heatmap", arrays, params, width, height, noisy=True)


def traces_reference(frames: int = 200, channels: int = 5, rate: float = 250.0) -> Reference:
    window_s, step = 2.0, 5
    window_samples = round(window_s * rate) + 1  # what the kind makes of `window` in time units
    signals, time = channel_signals(channels, window_samples + (frames - 1) * step, rate)
    params = kind_params("traces", "Recorded channels", window=window_s, step=step, ylabel="signal (mV)")
    reference = make_reference("traces", "traces", {"signals": signals, "time": time}, params, 800, 400)
    if reference.frame_count != frames:
        raise AssertionError(f"traces reference has {reference.frame_count} frames, wanted {frames}")
    return reference


def scatter_reference(frames: int = 100, points: int = 2000) -> Reference:
    positions, labels = embedding_positions(frames, points, clusters=6)
    arrays = {"positions": positions, "labels": labels, "epochs": np.arange(1, frames + 1, dtype=float)}
    params = kind_params("scatter", "Latent space over training")
    return make_reference("scatter", "scatter", arrays, params, 500, 500)


NAMES = ("heatmap", "traces", "scatter")


def references(names: tuple[str, ...] = NAMES, shorter: int = 1) -> list[Reference]:
    """The references named, at their frame sizes, with 1/`shorter` of their frames (for a smoke run)."""
    makers = {"heatmap": lambda: heatmap_reference(100 // shorter),
              "traces": lambda: traces_reference(200 // shorter),
              "scatter": lambda: scatter_reference(100 // shorter)}
    return [makers[name]() for name in names]


# ------------------------------------------------------------------------------------------ drawing


def draw_scene(reference: Reference) -> Scene:
    """The reference drawn by its kind on a fresh figure. Call inside `rc_context(light_style())`."""
    figure = make_figure(reference.width, reference.height, reference.dpi)
    return KINDS[reference.kind].draw(figure, DataSet(arrays=dict(reference.arrays)), reference.params)


def save_data(reference: Reference, folder: Path) -> Path:
    """The reference's arrays as one .npz (what a post's `data:` would name)."""
    path = folder / f"{reference.name}.npz"
    np.savez(path, **reference.arrays)
    return path


def default_formats() -> tuple[str, ...]:
    """The files a directive makes when it names none: the default of its `formats` key."""
    return tuple(COMMON["formats"].default)


def render_job(reference: Reference, data_file: Path, formats: tuple[str, ...] | None = None,
               preset: str = DEFAULT_PRESET) -> RenderJob:
    """The RenderJob a build plans for this animation (light variant), reading `data_file` (the site
    folder is its folder: a job names files relative to the site). formats None: the default set."""
    return RenderJob(
        key=f"bench-{reference.name}-{preset}", preset=preset, post=f"bench/{reference.name}.md", line=1, variant="light",
        kind=reference.kind, script=None, data=(("", data_file.name, None, data_file.name),),
        params=tuple(sorted(reference.params.items())), style=tuple(sorted(light_style().items())),
        width=reference.width, height=reference.height, dpi=reference.dpi, fps=reference.fps,
        frames=reference.frame_count, formats=default_formats() if formats is None else formats,
        poster_frame=None, loop=True, audio=None, timeout=600.0, max_frames=100_000, inputs=())

