"""Author scripts, made twice in the same run:

- matplotlib's own path: the script run as it is (a fresh Python process), its Animation saved with
  `PillowWriter` (GIF) and with `FFMpegWriter(codec="libvpx-vp9")` (WebM), under the light theme's
  rcParams;
- sitegen's path: `sitegen build` on a site whose one post animates the script with the directive's
  default formats (the light variant only), from an empty cache, once under each encoder preset
  (`sitegen.PRESETS`, the default first). The formats measured are the files of its cache entry.

Both are timed from start to files: wall time, and CPU time of the subprocess and everything it
waited for (`getrusage(RUSAGE_CHILDREN)`: the build's script child and ffmpeg, matplotlib's ffmpeg).
sitegen's time is its whole build (parsing, the script child's start-up, writing the site);
matplotlib's, the interpreter's start-up, the script and both saves (each save's own time is taken
inside the process). The exact frames come from a third run that saves lossless APNGs through
PillowWriter, one per matplotlib save and in the same order (a script that keeps drawing from a
random generator draws other frames on its second save; sitegen saves once, so its files are
compared with the first). Every file is decoded and compared with its frames (bytes and mean luma
SSIM against matplotlib's file of its kind, bench/comparison.py), and the targets of
bench/report.py are judged.

Every script is drawn at 20 fps (interval 50 ms); the three written for issue 12 (thin_lines,
image_colorbar, scatter_cloud) are 640×480 (figsize 6.4×4.8 at 100 dpi), `--frames` frames long.

    python bench/script_animations.py [--frames N] [--repeat N] [--only NAME] [--json PATH]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from comparison import Comparison, MatplotlibRun, compared, presets  # noqa: E402
from reference_animations import light_style  # noqa: E402
from sitegen.animation.encoders import probe_ffmpeg  # noqa: E402
from sitegen.cache import RenderCache  # noqa: E402
from stopwatch import Timing, timed  # noqa: E402

FPS = 20.0  # every script animates at interval=50 ms
MATPLOTLIB_ORDER = ("gif", "webm")  # matplotlib's saves, in the order they are made


@dataclass(frozen=True, slots=True)
class AuthorScript:
    """A script as a matplotlib user writes it; FRAMES in it stands for the frame count."""

    source: str
    noisy: bool = False  # white noise in the picture: its WebM target is looser


SCRIPTS = {
    # A blitted line plot, as every tutorial's speed tip writes it.
    "blit_lines": AuthorScript('''
        import numpy as np
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        fig, ax = plt.subplots(figsize=(6.4, 4.8))
        x = np.linspace(0, 4 * np.pi, 400)
        lines = [ax.plot(x, np.sin(x + k), lw=1.5)[0] for k in range(4)]
        ax.set_ylim(-2.2, 2.2); ax.grid(True)
        def update(i):
            for k, line in enumerate(lines):
                line.set_ydata(np.sin(x * (1 + 0.1 * k) + i / 8) * (1 + 0.3 * np.cos(i / 20 + k)))
            return lines
        ani = FuncAnimation(fig, update, frames=FRAMES, interval=50, blit=True)
    '''),
    # A noisy field with imshow + colour bar.
    "imshow_field": AuthorScript('''
        import numpy as np
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        rng = np.random.default_rng(0)
        y, x = np.mgrid[0:90, 0:120]
        fig, ax = plt.subplots(figsize=(6, 4.5))
        image = ax.imshow(np.zeros((90, 120)), vmin=-1.5, vmax=1.5, cmap="RdBu_r")
        fig.colorbar(image)
        def update(i):
            image.set_data(np.sin(x / 9 - i / 6) * np.cos(y / 11) + 0.3 * rng.standard_normal((90, 120)))
            return [image]
        ani = FuncAnimation(fig, update, frames=FRAMES, interval=50)
    ''', noisy=True),
    # A scatter of 2,000 points drifting.
    "scatter_drift": AuthorScript('''
        import numpy as np
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        rng = np.random.default_rng(1)
        points = rng.standard_normal((2000, 2))
        velocity = 0.02 * rng.standard_normal((2000, 2))
        fig, ax = plt.subplots(figsize=(5, 5))
        dots = ax.scatter(points[:, 0], points[:, 1], s=4, c=np.arange(2000) % 5, cmap="tab10")
        ax.set_xlim(-4, 4); ax.set_ylim(-4, 4)
        def update(i):
            dots.set_offsets(points + i * velocity)
            return [dots]
        ani = FuncAnimation(fig, update, frames=FRAMES, interval=50, blit=True)
    '''),
    # Thin lines: six thin sine waves travelling over a grid, blitted.
    "thin_lines": AuthorScript('''
        import numpy as np
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
        x = np.linspace(0, 2 * np.pi, 600)
        lines = [ax.plot(x, np.sin(x + k / 2), lw=0.8)[0] for k in range(6)]
        ax.set_xlim(0, 2 * np.pi)
        ax.set_ylim(-1.6, 1.6)
        ax.grid(True, linewidth=0.5)
        ax.set_xlabel("phase (rad)")
        ax.set_ylabel("amplitude")
        def update(frame):
            for k, line in enumerate(lines):
                line.set_ydata((1 - 0.1 * k) * np.sin((1 + 0.25 * k) * x - frame / 10 + k / 2))
            return lines
        ani = FuncAnimation(fig, update, frames=FRAMES, interval=50, blit=True)
    '''),
    # An image with a colour bar: a smooth field moving under imshow.
    "image_colorbar": AuthorScript('''
        import numpy as np
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        y, x = np.mgrid[-3:3:120j, -4:4:160j]
        def field(t):
            bump = np.exp(-((x - 2.5 * np.cos(t)) ** 2 + (y - 1.5 * np.sin(t)) ** 2))
            return np.sin(x + t) * np.cos(y - 0.5 * t) + bump
        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
        image = ax.imshow(field(0), extent=(-4, 4, -3, 3), origin="lower", cmap="viridis", vmin=-1.2, vmax=2)
        fig.colorbar(image, ax=ax, label="value")
        ax.set_title("A moving field")
        def update(frame):
            image.set_data(field(frame / 15))
            return [image]
        ani = FuncAnimation(fig, update, frames=FRAMES, interval=50)
    '''),
    # A scatter cloud: 2,000 points drifting, coloured by a colormap (their distance from the centre).
    "scatter_cloud": AuthorScript('''
        import numpy as np
        import matplotlib.pyplot as plt
        from matplotlib.animation import FuncAnimation
        rng = np.random.default_rng(7)
        start = rng.normal(size=(2000, 2))
        drift = rng.normal(scale=0.015, size=(2000, 2))
        fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
        cloud = ax.scatter(start[:, 0], start[:, 1], c=np.hypot(start[:, 0], start[:, 1]), cmap="plasma",
                           vmin=0, vmax=4, s=6)
        ax.set_xlim(-5, 5)
        ax.set_ylim(-4, 4)
        ax.set_title("A drifting cloud")
        def update(frame):
            points = start + frame * drift + 0.3 * np.sin(frame / 12 + start[:, ::-1])
            cloud.set_offsets(points)
            cloud.set_array(np.hypot(points[:, 0], points[:, 1]))
            return [cloud]
        ani = FuncAnimation(fig, update, frames=FRAMES, interval=50)
    '''),
}

# Runs the script as it is, then saves its Animation to each target; prints each save's time.
SAVE = '''
import json, resource, runpy, sys, time, matplotlib
matplotlib.use("Agg")
import matplotlib.animation as animation
import matplotlib.pyplot as plt
matplotlib.rcParams.update({style})
matplotlib.rcParams["animation.ffmpeg_path"] = {ffmpeg!r}
plt.show = lambda *a, **k: None
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
namespace = runpy.run_path("script.py", run_name="__main__")
ani = namespace["ani"]
times = {{}}
for target in sys.argv[1:]:
    wall, used = time.perf_counter(), cpu()
    if target.endswith(".webm"):
        writer = animation.FFMpegWriter(fps={fps}, codec="libvpx-vp9", extra_args=["-pix_fmt", "yuv420p"])
    else:
        writer = animation.PillowWriter(fps={fps})
    ani.save(target, writer=writer, dpi=100)
    times[target] = [time.perf_counter() - wall, cpu() - used]
print(json.dumps(times))
'''


def _script(name: str, frames: int) -> str:
    return textwrap.dedent(SCRIPTS[name].source).replace("FRAMES", str(frames))


def matplotlib_save(folder: Path, name: str, frames: int, targets: list[str]) -> tuple[Timing, dict[str, Timing]]:
    """The script run and saved to each target (in `folder`): the whole run's time, and each save's."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "script.py").write_text(_script(name, frames))
    (folder / "save.py").write_text(SAVE.format(style=repr(light_style()), ffmpeg=probe_ffmpeg().exe, fps=FPS))
    command = [sys.executable, "save.py", *targets]
    total, done = timed(lambda: subprocess.run(command, cwd=folder, env={**os.environ, "MPLBACKEND": "Agg"},
                                               capture_output=True, text=True))
    if done.returncode != 0:
        raise RuntimeError(f"matplotlib's save of {name} failed:\n{done.stderr[-3000:]}")
    saves = json.loads(done.stdout.strip().splitlines()[-1])
    return total, {target: Timing(*saves[target]) for target in targets}


def matplotlib_run(folder: Path, name: str, frames: int) -> tuple[MatplotlibRun, dict[str, Path]]:
    """matplotlib's path: the GIF save, then the WebM save, as the reference path does them."""
    files = {fmt: folder / f"out.{fmt}" for fmt in MATPLOTLIB_ORDER}
    total, saves = matplotlib_save(folder, name, frames, [path.name for path in files.values()])
    return MatplotlibRun(total, saves[files["gif"].name], saves[files["webm"].name]), files


def sitegen_build(folder: Path, name: str, frames: int, preset: str) -> tuple[Timing, dict[str, Path]]:
    """`sitegen build` of a one-post site animating the script, into a fresh cache: its time, and the
    files of the cache entry it made, by format."""
    posts = folder / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "script.py").write_text(_script(name, frames))
    (posts / "2024-01-01-bench.md").write_text(
        "---\ntitle: Bench\n---\nText.\n\n```animation\nscript: script.py\nvariants: [light]\nalt: bench\n```\n")
    cache = RenderCache(folder / "render-cache")
    command = [sys.executable, "-m", "sitegen", "build", "-q", "--preset", preset, "--cache-dir", str(cache.root)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    timing, done = timed(lambda: subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True))
    if done.returncode != 0:
        raise RuntimeError(f"sitegen build of {name} failed:\n{done.stderr[-3000:]}")
    [entry_folder] = cache.entries()
    entry = cache.get(entry_folder.name)
    if entry is None:
        raise RuntimeError(f"sitegen build of {name}: its cache entry {entry_folder} is damaged")
    return timing, {fmt: entry.path(fmt) for fmt in entry.files}


def exact_frames(folder: Path, name: str, frames: int) -> dict[str, list[np.ndarray]]:
    """The frames of each of matplotlib's saves, by format (saved again as lossless APNGs, in the same
    order): a script may draw other frames on its second save than on its first (a random generator it
    keeps drawing from). sitegen saves the Animation once, so its frames are those of the first."""
    targets = {fmt: f"exact-{fmt}.png" for fmt in MATPLOTLIB_ORDER}
    matplotlib_save(folder, name, frames, list(targets.values()))
    return {fmt: _apng_frames(folder / target) for fmt, target in targets.items()}


def _apng_frames(path: Path) -> list[np.ndarray]:
    with Image.open(path) as image:
        out = []
        for index in range(image.n_frames):
            image.seek(index)
            out.append(np.asarray(image.convert("RGB")))
    return out


def run(name: str, frames: int, repeat: int) -> Comparison:
    """Both paths `repeat` times (interleaved, so load on the machine hits both alike), then every file
    of the last round measured."""
    with tempfile.TemporaryDirectory(prefix="bench-script-") as scratch:
        base = Path(scratch)
        exact = exact_frames(base / "exact", name, frames)
        mpl_runs: list[MatplotlibRun] = []
        ours_runs: dict[str, list[Timing]] = {preset: [] for preset in presets()}
        ours_files: dict[str, dict[str, Path]] = {}
        for round_ in range(repeat):
            mpl_run, mpl_files = matplotlib_run(base / f"mpl{round_}", name, frames)
            mpl_runs.append(mpl_run)
            for preset in presets():
                timing, ours_files[preset] = sitegen_build(base / f"{preset}{round_}", name, frames, preset)
                ours_runs[preset].append(timing)
        return compared(name, SCRIPTS[name].noisy, exact[MATPLOTLIB_ORDER[0]], FPS, mpl_runs, mpl_files, ours_runs,
                        ours_files, matplotlib_exact=exact)


def main() -> None:
    import report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=sorted(SCRIPTS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    for name in [args.only] if args.only else SCRIPTS:
        print(f"[bench] {name}: {args.frames} frames, matplotlib and sitegen × {args.repeat}, then quality",
              file=sys.stderr, flush=True)
        results.append(run(name, args.frames, args.repeat))
    checks = report.comparison_checks("2b", results)
    print(f"{report.comparison_tables(results)}\n\n## Targets\n\n{report.checks_table(checks)}")
    if args.json:
        report.write_json(args.json, {"scripts": results, "checks": checks})


if __name__ == "__main__":
    main()
