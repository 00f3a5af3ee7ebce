"""A generated site of N posts, each with one small built-in-kind animation reading its own data file,
built three times with `sitegen.build.build`: cold (fresh render cache), again with nothing changed,
and after changing ONE data file.

The animations take turns among heatmap, traces and scatter; each is 30 frames at 320×240 in the
default variants (light and dark) and formats (those a directive makes when it names none), so a
site of 100 posts renders 200 animations when cold. A no-op rebuild must render nothing; the
one-file rebuild exactly the two variants of that file's animation.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reference_animations import activity_frames, channel_signals, embedding_positions
from sitegen.build import BuildOptions, BuildReport, build
from stopwatch import Timing, timed

KINDS = ("heatmap", "traces", "scatter")
TRACE_WINDOW, TRACE_STEP = 60, 4  # samples; with 60 + 29 × 4 samples the window makes 30 frames


@dataclass(frozen=True, slots=True)
class SiteSpec:
    posts: int = 100
    frames: int = 30
    size_inches: tuple[float, float] = (3.2, 2.4)  # at the default 100 dpi: 320×240 pixels
    fps: int = 15


@dataclass(frozen=True, slots=True)
class BuildRun:
    """One build: its time and what the render cache did."""

    timing: Timing
    rendered: int
    cached: int
    failed: int
    pages: int
    stages: dict[str, float]  # seconds per build stage (parse, plan, animate, …)


@dataclass(frozen=True, slots=True)
class SiteResult:
    posts: int
    animations: int  # directives; each renders once per variant
    frames: int
    width: int
    height: int
    cold: BuildRun
    noop: BuildRun
    one_changed: BuildRun


class SilentProgress:
    """sitegen's Progress protocol, printing nothing (the default prints a line per animation)."""

    def begin(self, jobs: int) -> None:
        pass

    def frames(self, key: str, label: str, done: int, total: int) -> None:
        pass

    def finished(self, label: str, seconds: float, failed: bool) -> None:
        pass

    def close(self) -> None:
        pass


# ------------------------------------------------------------------------------------------ the site


def post_data(kind: str, frames: int, seed: int) -> dict[str, np.ndarray]:
    """Small arrays for one animation of `kind`, different for every seed."""
    if kind == "heatmap":
        return {"frames": activity_frames(frames, 24, 32, seed=seed)}
    if kind == "traces":
        signals, _ = channel_signals(3, TRACE_WINDOW + (frames - 1) * TRACE_STEP, 100.0, seed=seed)
        return {"signals": signals}
    positions, labels = embedding_positions(frames, 200, clusters=4, seed=seed)
    return {"positions": positions, "labels": labels}


def post_text(number: int, kind: str, spec: SiteSpec) -> str:
    extra = f"window: {TRACE_WINDOW}\nstep: {TRACE_STEP}\n" if kind == "traces" else ""
    return (f"---\ntitle: Animated result {number}\ndate: 2024-01-{1 + number % 28:02d}\ntags: [{kind}]\n---\n"
            f"A {kind} animation made from its own data file.\n\n"
            f"```animation\nkind: {kind}\ndata: data/anim-{number:03d}.npz\n{extra}"
            f"frames: {spec.frames}\nfps: {spec.fps}\nsize: [{spec.size_inches[0]}, {spec.size_inches[1]}]\n"
            f"caption: Animation {number}, a {kind}.\n```\n")


def data_file(root: Path, number: int) -> Path:
    return root / "content" / "posts" / "data" / f"anim-{number:03d}.npz"


def write_data(root: Path, number: int, spec: SiteSpec, seed: int) -> None:
    np.savez(data_file(root, number), **post_data(KINDS[number % len(KINDS)], spec.frames, seed))


def make_site(root: Path, spec: SiteSpec) -> None:
    """sitegen.toml, and per post a Markdown file and its data file."""
    posts = root / "content" / "posts"
    (posts / "data").mkdir(parents=True)
    for number in range(spec.posts):
        (posts / f"2024-01-{1 + number % 28:02d}-animated-{number:03d}.md").write_text(
            post_text(number, KINDS[number % len(KINDS)], spec))
        write_data(root, number, spec, seed=number)
    (root / "sitegen.toml").write_text('title = "Animated bench"\nurl = "https://bench.example.org"\n')


# ------------------------------------------------------------------------------------------ measuring


def build_once(root: Path, cache: Path) -> BuildRun:
    timing, report = timed(lambda: build(BuildOptions(root=root, cache_dir=cache), progress=SilentProgress()))
    return _run_of(timing, report)


def _run_of(timing: Timing, report: BuildReport) -> BuildRun:
    stats = report.renders
    return BuildRun(timing, stats.rendered, stats.cached, stats.failed, report.pages, dict(report.stage_seconds))


def measure(spec: SiteSpec) -> SiteResult:
    """Build the site cold, again unchanged, and again after rewriting post 0's data file."""
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-site-"))
    try:
        make_site(work, spec)
        cache = work / "render-cache"
        cold = build_once(work, cache)
        noop = build_once(work, cache)
        write_data(work, 0, spec, seed=10_000)
        changed = build_once(work, cache)
        width, height = (round(side * 100) for side in spec.size_inches)
        return SiteResult(spec.posts, spec.posts, spec.frames, width, height, cold, noop, changed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
