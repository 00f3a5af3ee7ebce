"""Measure sitegen's encoders against matplotlib's own writers on the same frames, and print a table:
encoder time, bytes, bytes relative to matplotlib's writer, mean SSIM and PSNR against the raw frames.

    python bench/encoders.py [--frames 60] [--fps 30] [--repeat 3] [--keep DIR]

Two realistic animations are drawn once with matplotlib (a heatmap with a colourbar, 600×450; five
traces with a legend and a grid, 800×400). Times are encoder time only (medians of --repeat runs).
Targets: GIF ≤ 60 % of PillowWriter's bytes with mean SSIM ≥ 0.98; WebM no larger than
FFMpegWriter's default VP9 at equal or better SSIM.
"""
from __future__ import annotations

import argparse
import dataclasses
import math
import resource
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FFMpegWriter, PillowWriter  # noqa: E402
from PIL import Image  # noqa: E402

from sitegen.animation import encoders
from sitegen.animation.encoders import quality  # noqa: E402
from sitegen.animation.encoders.ffmpeg import WEBM  # noqa: E402
from sitegen.animation.encoders.ffmpeg_sink import FfmpegSink  # noqa: E402


def _pixels(fig: plt.Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()


def heatmap_frames(count: int) -> list[np.ndarray]:
    """A Gaussian bump circling over a noisy field, viridis, with a colourbar: 600×450."""
    rng = np.random.default_rng(1)
    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=100)
    y, x = np.mgrid[0:60, 0:80]
    image = ax.imshow(np.zeros((60, 80)), cmap="viridis", vmin=-0.2, vmax=1.2, origin="lower")
    fig.colorbar(image, ax=ax, label="activity (a.u.)")
    ax.set(title="Population activity", xlabel="x (electrode)", ylabel="y (electrode)")
    frames = []
    for i in range(count):
        angle = 2 * np.pi * i / count
        cx, cy = 40 + 22 * np.cos(angle), 30 + 15 * np.sin(angle)
        field = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 6.0 ** 2)) + rng.normal(0, 0.05, x.shape)
        image.set_data(field)
        frames.append(_pixels(fig))
    plt.close(fig)
    return frames


def traces_frames(count: int) -> list[np.ndarray]:
    """Five noisy channels scrolling past, with a legend and a grid: 800×400."""
    rng = np.random.default_rng(2)
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    t = np.linspace(0, 4, 400)
    lines = [ax.plot(t, np.zeros_like(t), label=f"channel {k + 1}", lw=1.2)[0] for k in range(5)]
    ax.set(xlim=(0, 4), ylim=(-1.5, 9.5), xlabel="time (s)", ylabel="signal (mV)", title="Recorded channels")
    ax.grid(True, alpha=0.4)
    ax.legend(loc="upper right")
    frames = []
    for i in range(count):
        for k, line in enumerate(lines):
            phase = 0.15 * i * (1 + 0.3 * k)
            line.set_ydata(2 * k + 0.8 * np.sin(2 * np.pi * (k + 1) * 0.5 * t + phase) + rng.normal(0, 0.08, t.shape))
        frames.append(_pixels(fig))
    plt.close(fig)
    return frames


@dataclass(frozen=True, slots=True)
class Row:
    animation: str
    encoder: str
    seconds: tuple[float, float]  # wall, CPU
    size: int
    baseline: int | None
    ssim: float | None
    psnr: float | None

    def format(self) -> str:
        ratio = f"{100 * self.size / self.baseline:5.1f} %" if self.baseline else "      "
        ssim = f"{self.ssim:.4f}" if self.ssim is not None else "     -"
        psnr = f"{self.psnr:5.1f}" if self.psnr is not None else "    -"
        wall, cpu = [f"{t:6.2f} s" if t else " " * 8 for t in self.seconds]
        size = f"{self.size / 1e3:8.1f} KB" if self.size else "           "
        return f"| {self.animation:8} | {self.encoder:26} | {wall} | {cpu} | {size} | {ratio} | {ssim} | {psnr} dB |"


HEADER = ("| anim     | encoder                    |     wall |      CPU |       bytes | of mpl  |   SSIM |    PSNR  |\n"
          "|----------|----------------------------|----------|----------|-------------|---------|--------|----------|")


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (ffmpeg): steadier than wall time on a
    busy machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[], None], repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), cpu_seconds()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def palette_sample(frames: Sequence[np.ndarray], count: int = 8) -> list[np.ndarray]:
    return [frames[i] for i in np.linspace(0, len(frames) - 1, count).round().astype(int)]


def encode_with_sitegen(fmt: str, path: Path, spec: encoders.VideoSpec, frames: Sequence[np.ndarray]) -> None:
    with encoders.open_encoder(fmt, path, spec, palette_frames=palette_sample(frames)) as sink:
        for frame in frames:
            sink.write(frame)


def pillow_writer(path: Path, fps: float, frames: Sequence[np.ndarray]) -> None:
    """matplotlib's PillowWriter: grab_frame's RGB images, then its own finish()."""
    writer = PillowWriter(fps=fps)
    fig = plt.figure(figsize=(frames[0].shape[1] / 100, frames[0].shape[0] / 100), dpi=100)
    writer.setup(fig, path, dpi=100)
    writer._frames = [Image.fromarray(frame) for frame in frames]
    writer.finish()
    plt.close(fig)


def ffmpeg_writer(path: Path, fps: float, frames: Sequence[np.ndarray]) -> None:
    """matplotlib's FFMpegWriter with codec libvpx-vp9 and its defaults, fed the RGBA frames grab_frame
    would send. `-pix_fmt yuv420p` is the one addition: without it this ffmpeg picks gbrap for an RGBA
    pipe and fails (matplotlib drops -vcodec for .webm and adds -pix_fmt only for h264)."""
    writer = FFMpegWriter(fps=fps, codec="libvpx-vp9", extra_args=["-pix_fmt", "yuv420p"])
    fig = plt.figure(figsize=(frames[0].shape[1] / 100, frames[0].shape[0] / 100), dpi=100)
    writer.setup(fig, path, dpi=100)
    for frame in frames:
        writer._proc.stdin.write(np.dstack([frame, np.full(frame.shape[:2], 255, np.uint8)]).tobytes())
    writer.finish()
    plt.close(fig)


def yuv420_ceiling(frames: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The frames after RGB -> yuv420p (bt709) -> RGB alone: the best any 4:2:0 video can do."""
    height, width = frames[0].shape[:2]
    exe = encoders.probe_ffmpeg().exe
    to_yuv = [exe, "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-i", "-",
              "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p", "-f", "rawvideo", "-"]
    yuv = subprocess.run(to_yuv, input=b"".join(f.tobytes() for f in frames), capture_output=True, check=True).stdout
    to_rgb = [exe, "-v", "error", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-color_range", "tv",
              "-colorspace", "bt709", "-s", f"{width}x{height}", "-i", "-",
              "-vf", "scale=in_color_matrix=bt709:in_range=tv", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"]
    rgb = subprocess.run(to_rgb, input=yuv, capture_output=True, check=True).stdout
    return list(np.frombuffer(rgb, np.uint8).reshape(-1, height, width, 3))


def with_crf(profile: encoders.FfmpegProfile, crf: int) -> encoders.FfmpegProfile:
    options = list(profile.video_options)
    options[options.index("-crf") + 1] = str(crf)
    return dataclasses.replace(profile, video_options=tuple(options))


@dataclass(frozen=True, slots=True)
class Case:
    """One animation to measure: its frames, and where its encoded files go."""

    name: str
    frames: list[np.ndarray]
    fps: float
    repeat: int
    folder: Path

    @property
    def spec(self) -> encoders.VideoSpec:
        height, width = self.frames[0].shape[:2]
        return encoders.VideoSpec(width, height, self.fps, len(self.frames))

    def file(self, label: str) -> Path:
        return self.folder / f"{self.name}-{label}"

    def video_quality(self, path: Path) -> tuple[float, float]:
        decoded = list(quality.decode_video(encoders.probe_ffmpeg().exe, path, self.spec.width, self.spec.height))
        return quality.mean_ssim(self.frames, decoded), quality.psnr(self.frames, decoded)

    def gif_quality(self, path: Path) -> tuple[float, float]:
        # The GIF's own timeline lines frames up: PillowWriter stores int(1000/fps) ms per frame.
        gif = quality.decode_gif(path)
        decoded = gif.at_fps(len(self.frames) * 1000 / sum(gif.durations_ms), len(self.frames))
        return quality.mean_ssim(self.frames, decoded), quality.psnr(self.frames, decoded)

    def ours(self, fmt: str, label: str) -> tuple[Path, tuple[float, float]]:
        path = self.file(label)
        return path, timed(lambda: encode_with_sitegen(fmt, path, self.spec, self.frames), self.repeat)


def webm_at_equal_ssim(case: Case, target: float, baseline: int) -> Row:
    """Our WebM's bytes at matplotlib's SSIM: encoded at CRFs around ours, log(bytes) interpolated
    linearly in SSIM between the two points that bracket the target (extrapolated if none do)."""
    crf = int(WEBM.video_options[WEBM.video_options.index("-crf") + 1])
    points = []
    for value in range(crf - 3, crf + 4):
        path = case.file(f"crf{value}.webm")
        sink = FfmpegSink(with_crf(WEBM, value), path, case.spec)
        for frame in case.frames:
            sink.write(frame)
        sink.finish()
        points.append((case.video_quality(path)[0], math.log(path.stat().st_size)))
    points.sort()
    below = [p for p in points if p[0] <= target] or points[:1]
    above = [p for p in points if p[0] > target] or points[-1:]
    (s0, b0), (s1, b1) = (below[-1], above[0]) if below[-1] != above[0] else (points[-2], points[-1])
    size = math.exp(b0 + (b1 - b0) * (target - s0) / (s1 - s0)) if s1 != s0 else math.exp(b0)
    return Row(case.name, "  same, at mpl's SSIM", (0.0, 0.0), round(size), baseline, target, None)


def gif_rows(case: Case) -> list[Row]:
    baseline = case.file("pillow.gif")
    t = timed(lambda: pillow_writer(baseline, case.fps, case.frames), case.repeat)
    size = baseline.stat().st_size
    path, t_ours = case.ours("gif", "ours.gif")
    return [Row(case.name, "PillowWriter GIF", t, size, None, *case.gif_quality(baseline)),
            Row(case.name, "sitegen GIF", t_ours, path.stat().st_size, size, *case.gif_quality(path))]


def video_rows(case: Case) -> list[Row]:
    baseline = case.file("mpl.webm")
    t = timed(lambda: ffmpeg_writer(baseline, case.fps, case.frames), case.repeat)
    size = baseline.stat().st_size
    mpl = Row(case.name, "FFMpegWriter VP9", t, size, None, *case.video_quality(baseline))
    path, t_ours = case.ours("webm", "ours.webm")
    rows = [mpl, Row(case.name, "sitegen WebM", t_ours, path.stat().st_size, size, *case.video_quality(path)),
            webm_at_equal_ssim(case, mpl.ssim, size)]
    ceiling = yuv420_ceiling(case.frames)
    rows.append(Row(case.name, "(yuv420p alone)", (0.0, 0.0), 0, None, quality.mean_ssim(case.frames, ceiling),
                    quality.psnr(case.frames, ceiling)))
    if encoders.available_formats()["mp4"] is None:
        path, t_ours = case.ours("mp4", "ours.mp4")
        rows.append(Row(case.name, "sitegen MP4", t_ours, path.stat().st_size, size, *case.video_quality(path)))
    return rows


def pipeline_rows(case: Case) -> list[Row]:
    path, t = case.ours("poster", "ours.png")
    poster = Row(case.name, "sitegen poster PNG", t, path.stat().st_size, None, None, None)
    paths = {"webm": case.file("all.webm"), "gif": case.file("all.gif"), "poster": case.file("all.png")}
    t = timed(lambda: encoders.encode_all(list(paths), paths, case.spec, iter(case.frames),
                                          palette_sample(case.frames)), case.repeat)
    total = sum(p.stat().st_size for p in paths.values())
    return [poster, Row(case.name, "sitegen encode_all w+g+p", t, total, None, None, None)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--fps", type=float, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the encoded files here instead of a temporary folder")
    args = parser.parse_args()
    matplotlib.rcParams["animation.ffmpeg_path"] = encoders.probe_ffmpeg().exe
    print(f"versions: {encoders.encoder_versions()}")
    animations = {"heatmap": heatmap_frames(args.frames), "traces": traces_frames(args.frames)}
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(HEADER)
        for name, frames in animations.items():
            case = Case(name, frames, args.fps, args.repeat, folder)
            for rows in (gif_rows, video_rows, pipeline_rows):
                for row in rows(case):
                    print(row.format(), flush=True)


if __name__ == "__main__":
    main()
