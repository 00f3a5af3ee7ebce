"""sitegen's benchmark: prints every figure with its target and PASS/FAIL, and writes them as JSON.

    python bench/run.py [--quick] [--only NAME] [--repeat N] [--keep DIR] [--json PATH]

Sections (--only takes a section, or one reference animation's or author script's name):
  references   heatmap (the noisy one), traces and scatter, drawn by sitegen's own kinds, made by
               matplotlib's FuncAnimation.save (PillowWriter GIF + FFMpegWriter VP9 WebM) and by sitegen
               as a build renders them (every format of the directive's default set in one pass, long
               animations in parts on every core), under each encoder preset: wall and CPU time of both
               paths (CPU incl. pool workers and ffmpeg), bytes and mean luma SSIM of every file sitegen
               made against matplotlib's file of its kind (poster: bytes), where sitegen's time goes;
  scripts      the same for author scripts (bench/script_animations.py): matplotlib's saves and
               `sitegen build`, each in its own process, CPU incl. their children;
  site         a generated site of 100 animated posts: cold build, no-op rebuild, one data file changed;
  plain-posts  1,000 plain posts: pages per second (bench/plain_posts.py);
  memory       peak memory rendering 100 vs 1,000 frames of one heatmap, each in a fresh process.

Targets of references and scripts (issue 12): the default preset's WebM ≤ 75 % of FFMpegWriter's bytes
(≤ 100 % on noisy images) at SSIM ≥ its SSIM − 0.002; GIF ≤ 60 % of PillowWriter's bytes at SSIM ≥ 0.98;
sitegen's whole default set in no more wall time than matplotlib's two saves.

--quick shrinks every section for a smoke run of a few minutes on an idle 2-core machine. Progress
goes to stderr; the tables to stdout at the end; JSON to bench/results/latest.json.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")

import animated_site  # noqa: E402
import plain_posts  # noqa: E402
import report  # noqa: E402
import script_animations  # noqa: E402
from comparison import presets  # noqa: E402
from matplotlib_vs_sitegen import compare, use_bundled_ffmpeg  # noqa: E402
from peak_memory import measure as measure_memory  # noqa: E402
from reference_animations import NAMES, default_formats, references  # noqa: E402
from stopwatch import load_average  # noqa: E402

BENCH = Path(__file__).resolve().parent
SECTIONS = ("references", "scripts", "site", "plain-posts", "memory")
SCRIPT_NAMES = tuple(script_animations.SCRIPTS)


@dataclass(frozen=True, slots=True)
class Sizes:
    """How big each section is: the full benchmark, or a quick smoke run."""

    shorter: int  # reference animations keep 1/shorter of their frames
    script_frames: int  # frames of each author script
    breakdown: bool  # also time sitegen's steps one by one
    site: animated_site.SiteSpec
    plain_posts: int
    memory_lengths: tuple[int, int]
    memory_size: tuple[int, int]


FULL = Sizes(1, 100, True, animated_site.SiteSpec(), 1000, (100, 1000), (400, 300))
QUICK = Sizes(10, 10, False, animated_site.SiteSpec(posts=3, frames=10), 100, (8, 80), (200, 150))


@dataclass(frozen=True, slots=True)
class Section:
    """What one section produced: its tables (printed at the end), its checks, its JSON."""

    title: str
    tables: str
    checks: list[report.Check]
    data: Any


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ sections


def run_references(names: tuple[str, ...], sizes: Sizes, repeat: int, folder: Path) -> Section:
    results = []
    for reference in references(names, sizes.shorter):
        progress(f"{reference.name}: {reference.frame_count} frames, matplotlib and sitegen × {repeat}, then quality")
        results.append(compare(reference, repeat, folder / "references", breakdown=sizes.breakdown))
    title = (f"2. Reference animations: matplotlib vs sitegen (median of {repeat}; wall time, CPU time incl. "
             "pool workers and ffmpeg)")
    return Section(title, report.comparison_tables(results), report.comparison_checks("2", results), results)


def run_scripts(names: tuple[str, ...], sizes: Sizes, repeat: int) -> Section:
    results = []
    for name in names:
        progress(f"script {name}: {sizes.script_frames} frames, matplotlib and sitegen build × {repeat}, then quality")
        results.append(script_animations.run(name, sizes.script_frames, repeat))
    title = (f"2b. Author scripts: matplotlib's saves vs sitegen build (median of {repeat}; each in its own "
             "process; CPU time incl. its children)")
    return Section(title, report.comparison_tables(results), report.comparison_checks("2b", results), results)


def run_site(sizes: Sizes) -> Section:
    spec = sizes.site
    progress(f"site of {spec.posts} animated posts: cold build, no-op rebuild, one data file changed")
    result = animated_site.measure(spec)
    title = (f"3. Site of {result.posts} posts, {result.animations} animations × 2 variants "
             f"({result.frames} frames, {result.width}×{result.height}, {'+'.join(default_formats())})")
    return Section(title, report.site_table(result), report.site_checks(result), result)


def run_plain_posts(sizes: Sizes, repeat: int) -> Section:
    progress(f"{sizes.plain_posts} plain posts × {repeat} builds")
    result = plain_posts.measure(sizes.plain_posts, repeat)
    return Section(f"4. Plain posts (builds in one process, median of {repeat})", report.plain_table(result),
                   report.plain_checks(result), result)


def run_memory(sizes: Sizes, folder: Path) -> Section:
    progress(f"peak memory: heatmap of {' and '.join(map(str, sizes.memory_lengths))} frames, one process each")
    runs = measure_memory(sizes.memory_lengths, *sizes.memory_size, folder / "memory")
    formats = "+".join(default_formats())
    return Section(f"5. Peak memory, one heatmap to {formats} through run_task (fresh process each)",
                   report.memory_table(runs), report.memory_checks(runs), runs)


def selected(only: str | None, sizes: Sizes, repeat: int, folder: Path) -> dict[str, Callable[[], Section]]:
    """The sections to run, by name, as calls not yet made."""
    names, wanted = ((only,), "references") if only in NAMES else (NAMES, only)
    scripts, wanted = ((only,), "scripts") if only in SCRIPT_NAMES else (SCRIPT_NAMES, wanted)
    runs: dict[str, Callable[[], Section]] = {
        "references": lambda: run_references(names, sizes, repeat, folder),
        "scripts": lambda: run_scripts(scripts, sizes, repeat),
        "site": lambda: run_site(sizes),
        "plain-posts": lambda: run_plain_posts(sizes, repeat),
        "memory": lambda: run_memory(sizes, folder),
    }
    return {name: run for name, run in runs.items() if wanted in (None, name)}


# ------------------------------------------------------------------------------------------ the run


def environment() -> dict[str, Any]:
    import numpy
    import PIL

    from sitegen.animation.encoders import encoder_settings, encoder_versions

    return {"date": datetime.datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
            "platform": platform.platform(), "cores": _cores(), "matplotlib": matplotlib.__version__,
            "numpy": numpy.__version__, "pillow": PIL.__version__, **encoder_versions(), "git": _git_state(),
            "encoder_settings": {preset: {fmt: encoder_settings(fmt, preset) for fmt in default_formats()}
                                 for preset in presets()}}


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _git_state() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=BENCH.parent, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = sorted({line.split(maxsplit=1)[1].split("/")[0] for line in git("status", "--porcelain").splitlines()})
    return commit + (f" (uncommitted changes in {', '.join(changed)})" if changed else "")


def header(env: dict[str, Any], loads: tuple[float, float], quick: bool) -> str:
    return (f"sitegen benchmark{' (QUICK smoke run: smaller sizes)' if quick else ''} — {env['date']}, "
            f"git {env['git']}\n{env['cores']} cores, 1-min load average {loads[0]:.1f} at start, {loads[1]:.1f} "
            f"at end; Python {env['python']}, matplotlib {env['matplotlib']}, numpy {env['numpy']}, "
            f"Pillow {env['pillow']}, ffmpeg {env.get('ffmpeg', '?')}\n{_settings_lines(env['encoder_settings'])}")


def _settings_lines(settings: dict[str, dict[str, dict[str, Any]]]) -> str:
    """A line per preset: how it makes each default format (a preset after the first: where it differs)."""
    default, *_ = settings.values()
    lines = []
    for preset, by_format in settings.items():
        differing = {fmt: s for fmt, s in by_format.items() if by_format is default or s != default[fmt]}
        lines.append(f"sitegen {preset}: " + "; ".join(f"{fmt} {_described(s)}" for fmt, s in differing.items()))
    return "\n".join(lines)


def _described(settings: dict[str, Any]) -> str:
    if "video_options" in settings:  # a video format: its codec and options say what matters
        segments = f" (segments of {settings['segment_frames']})" if "segment_frames" in settings else ""
        return f"{settings.get('video_codec', '')} {' '.join(map(str, settings['video_options']))}{segments}"
    return ", ".join(f"{key} {value}" for key, value in settings.items())


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run")
    parser.add_argument("--only", choices=(*SECTIONS, *NAMES, *SCRIPT_NAMES),
                        help="run one section (or one reference, or one author script)")
    parser.add_argument("--repeat", type=int, help="runs per timed figure, median reported (default 3; quick 1)")
    parser.add_argument("--keep", type=Path, help="keep the encoded files in this folder")
    parser.add_argument("--json", type=Path, default=BENCH / "results" / "latest.json", help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes, repeat = (QUICK, args.repeat or 1) if args.quick else (FULL, args.repeat or 3)
    use_bundled_ffmpeg()
    env, load_start = environment(), load_average()
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as scratch:
        folder = args.keep or Path(scratch)
        sections = {name: run() for name, run in selected(args.only, sizes, repeat, folder).items()}
    loads = (load_start, load_average())
    checks = [check for section in sections.values() for check in section.checks]
    print(header(env, loads, args.quick))
    for section in sections.values():
        print(f"\n## {section.title}\n\n{section.tables}")
    print(f"\n## Targets\n\n{report.checks_table(checks)}")
    report.write_json(args.json, {"environment": env, "load_average": loads, "quick": args.quick,
                                  "repeat": repeat, "only": args.only, "sections": {
                                      name: section.data for name, section in sections.items()},
                                  "checks": checks})
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
