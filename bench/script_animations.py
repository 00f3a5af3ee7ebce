"""Author scripts, made twice in the same run:

- matplotlib's own path: the script run as it is, its Animation saved with `FFMpegWriter(codec=
  "libvpx-vp9")` (WebM) and with `PillowWriter` (GIF), under the light theme's rcParams;
- sitegen's path: `sitegen build` on a site whose one post animates the script (webm, gif, poster;
  the light variant), from an empty cache, with the "small" preset and with "fast".

Both are timed wall-clock from start to files (sitegen's includes its whole build: parsing, the
child's start-up, writing the site). The exact frames come from a third run that saves a lossless
APNG through PillowWriter; every WebM and GIF is decoded and compared with them (luma SSIM, PSNR).

    python bench/script_animations.py [--frames N] [--repeat N]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reference_animations import light_style  # noqa: E402
from sitegen.animation.encoders import quality  # noqa: E402
from sitegen.animation.encoders import probe_ffmpeg  # noqa: E402

SCRIPTS = {
    # A blitted line plot, as every tutorial's speed tip writes it.
    "blit_lines": '''
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
    ''',
    # A noisy field with imshow + colour bar.
    "imshow_field": '''
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
    ''',
    # A scatter of 2,000 points drifting.
    "scatter_drift": '''
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
    ''',
}

SAVE = '''
import runpy, sys, matplotlib
matplotlib.use("Agg")
import matplotlib.animation as animation
import matplotlib.pyplot as plt
matplotlib.rcParams.update({style})
matplotlib.rcParams["animation.ffmpeg_path"] = {ffmpeg!r}
plt.show = lambda *a, **k: None
namespace = runpy.run_path("script.py", run_name="__main__")
ani = namespace["ani"]
for target in sys.argv[1:]:
    if target.endswith(".webm"):
        ani.save(target, writer=animation.FFMpegWriter(fps=20, codec="libvpx-vp9", extra_args=["-pix_fmt", "yuv420p"]), dpi=100)
    else:
        ani.save(target, writer=animation.PillowWriter(fps=20), dpi=100)
'''


def _script(name: str, frames: int) -> str:
    return textwrap.dedent(SCRIPTS[name]).replace("FRAMES", str(frames))


def matplotlib_save(folder: Path, name: str, frames: int, targets: list[str]) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "script.py").write_text(_script(name, frames))
    (folder / "save.py").write_text(SAVE.format(style=repr(light_style()), ffmpeg=probe_ffmpeg().exe))
    start = time.perf_counter()
    subprocess.run([sys.executable, "save.py", *targets], cwd=folder, check=True, env={**os.environ, "MPLBACKEND": "Agg"})
    return time.perf_counter() - start


def sitegen_build(folder: Path, name: str, frames: int, preset: str) -> tuple[float, dict[str, Path]]:
    posts = folder / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "script.py").write_text(_script(name, frames))
    (posts / "2024-01-01-bench.md").write_text(
        "---\ntitle: Bench\n---\nText.\n\n```animation\nscript: script.py\nformats: [webm, gif, poster]\n"
        "variants: [light]\nalt: bench\n```\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "-q", "--preset", preset, "-j", "1"],
                          cwd=folder, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"sitegen build failed:\n{done.stderr}")
    seconds = time.perf_counter() - start
    animations = folder / "site" / "animations"
    return seconds, {"webm": next(animations.glob("*.webm")), "gif": next(animations.glob("*.gif"))}


def exact_frames(folder: Path, name: str, frames: int) -> np.ndarray:
    matplotlib_save(folder, name, frames, ["exact.png"])
    with Image.open(folder / "exact.png") as image:
        out = []
        for index in range(image.n_frames):
            image.seek(index)
            out.append(np.asarray(image.convert("RGB")))
    return np.stack(out)


def measure(path: Path, exact: np.ndarray) -> dict[str, float]:
    height, width = exact.shape[1:3]
    if path.suffix == ".gif":
        decoded = quality.decode_gif(path).at_fps(20, len(exact))
    else:
        decoded = list(quality.decode_video(probe_ffmpeg().exe or "ffmpeg", path, width, height))
    return {"bytes": path.stat().st_size, "ssim": quality.mean_ssim(list(exact), decoded),
            "psnr": quality.psnr(list(exact), decoded)}


def run(name: str, frames: int, repeat: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="bench-script-") as scratch:
        base = Path(scratch)
        exact = exact_frames(base / "exact", name, frames)
        times: dict[str, list[float]] = {"matplotlib": [], "small": [], "fast": []}
        files: dict[str, dict[str, Path]] = {}
        for round_ in range(repeat):  # interleaved, so load on the machine hits both alike
            folder = base / f"mpl{round_}"
            times["matplotlib"].append(matplotlib_save(folder, name, frames, ["out.webm", "out.gif"]))
            files["matplotlib"] = {"webm": folder / "out.webm", "gif": folder / "out.gif"}
            for preset in ("small", "fast"):
                seconds, made = sitegen_build(base / f"{preset}{round_}", name, frames, preset)
                times[preset].append(seconds)
                files[preset] = made
        result: dict[str, object] = {"frames": frames, "size": list(exact.shape[1:3][::-1])}
        for who, made in files.items():
            result[who] = {"seconds": float(np.median(times[who])),
                           **{fmt: measure(path, exact) for fmt, path in made.items()}}
        return result


def report(name: str, result: dict[str, object]) -> str:
    base = result["matplotlib"]
    lines = [f"{name}: {result['frames']} frames at {result['size'][0]}×{result['size'][1]}"]
    for who in ("matplotlib", "small", "fast"):
        r = result[who]
        lines.append(f"  {who:10s} {r['seconds']:6.1f} s ({r['seconds'] / base['seconds']:4.2f}×)   "
                     f"WebM {r['webm']['bytes'] / 1024:7.0f} KB ({r['webm']['bytes'] / base['webm']['bytes']:4.2f}×, "
                     f"SSIM {r['webm']['ssim']:.4f})   GIF {r['gif']['bytes'] / 1024:7.0f} KB "
                     f"({r['gif']['bytes'] / base['gif']['bytes']:4.2f}×, SSIM {r['gif']['ssim']:.4f})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=sorted(SCRIPTS))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = {}
    for name in [args.only] if args.only else SCRIPTS:
        results[name] = run(name, args.frames, args.repeat)
        print(report(name, results[name]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
