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

from sitegen import encoders, quality  # noqa: E402


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
    seconds: float
    size: int
    baseline: int | None
    ssim: float | None
    psnr: float | None

    def format(self) -> str:
        ratio = f"{100 * self.size / self.baseline:5.1f} %" if self.baseline else "      "
        ssim = f"{self.ssim:.4f}" if self.ssim is not None else "     -"
        psnr = f"{self.psnr:5.1f}" if self.psnr is not None else "    -"
        return (f"| {self.animation:8} | {self.encoder:26} | {self.seconds:6.2f} s | {self.size / 1e3:8.1f} KB "
                f"| {ratio} | {ssim} | {psnr} dB |")


HEADER = ("| anim     | encoder                    |     time |       bytes | of mpl  |   SSIM |    PSNR  |\n"
          "|----------|----------------------------|----------|-------------|---------|--------|----------|")


def timed(run: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def palette_sample(frames: Sequence[np.ndarray], count: int = 8) -> list[np.ndarray]:
    return [frames[i] for i in np.linspace(0, len(frames) - 1, count).round().astype(int)]


def ours(fmt: str, path: Path, spec: encoders.VideoSpec, frames: Sequence[np.ndarray]) -> None:
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


def measure(name: str, frames: list[np.ndarray], fps: float, repeat: int, folder: Path) -> list[Row]:
    height, width = frames[0].shape[:2]
    spec = encoders.VideoSpec(width, height, fps, len(frames))
    exe = encoders.probe_ffmpeg().exe
    files = {key: folder / f"{name}-{key}" for key in
             ("pillow.gif", "mpl.webm", "ours.gif", "ours.webm", "ours.png", "ours.mp4", "all.webm", "all.gif", "all.png")}

    def video_quality(path: Path) -> tuple[float, float]:
        decoded = list(quality.decode_video(exe, path, width, height))
        return quality.mean_ssim(frames, decoded), quality.psnr(frames, decoded)

    def gif_quality(path: Path, timeline_fps: float) -> tuple[float, float]:
        decoded = quality.decode_gif(path).at_fps(timeline_fps, len(frames))
        return quality.mean_ssim(frames, decoded), quality.psnr(frames, decoded)

    rows = []
    t = timed(lambda: pillow_writer(files["pillow.gif"], fps, frames), repeat)
    pillow_size = files["pillow.gif"].stat().st_size
    # PillowWriter stores int(1000/fps) ms per frame, so its own timeline is used to line frames up.
    pillow_total = sum(quality.decode_gif(files["pillow.gif"]).durations_ms)
    rows.append(Row(name, "PillowWriter GIF", t, pillow_size, None,
                    *gif_quality(files["pillow.gif"], len(frames) * 1000 / pillow_total)))
    t = timed(lambda: ours("gif", files["ours.gif"], spec, frames), repeat)
    rows.append(Row(name, "sitegen GIF", t, files["ours.gif"].stat().st_size, pillow_size,
                    *gif_quality(files["ours.gif"], fps)))

    t = timed(lambda: ffmpeg_writer(files["mpl.webm"], fps, frames), repeat)
    mpl_size = files["mpl.webm"].stat().st_size
    rows.append(Row(name, "FFMpegWriter VP9", t, mpl_size, None, *video_quality(files["mpl.webm"])))
    t = timed(lambda: ours("webm", files["ours.webm"], spec, frames), repeat)
    rows.append(Row(name, "sitegen WebM", t, files["ours.webm"].stat().st_size, mpl_size,
                    *video_quality(files["ours.webm"])))
    ceiling = yuv420_ceiling(frames)
    rows.append(Row(name, "(yuv420p alone)", 0.0, 0, None, quality.mean_ssim(frames, ceiling),
                    quality.psnr(frames, ceiling)))
    if encoders.available_formats()["mp4"] is None:
        t = timed(lambda: ours("mp4", files["ours.mp4"], spec, frames), repeat)
        rows.append(Row(name, "sitegen MP4", t, files["ours.mp4"].stat().st_size, mpl_size,
                        *video_quality(files["ours.mp4"])))
    t = timed(lambda: ours("poster", files["ours.png"], spec, frames), repeat)
    rows.append(Row(name, "sitegen poster PNG", t, files["ours.png"].stat().st_size, None, None, None))

    paths = {"webm": files["all.webm"], "gif": files["all.gif"], "poster": files["all.png"]}
    t = timed(lambda: encoders.encode_all(("webm", "gif", "poster"), paths, spec, iter(frames),
                                          palette_sample(frames)), repeat)
    total = sum(p.stat().st_size for p in paths.values())
    rows.append(Row(name, "sitegen encode_all w+g+p", t, total, None, None, None))
    return rows


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
            for row in measure(name, frames, args.fps, args.repeat, folder):
                print(row.format(), flush=True)


if __name__ == "__main__":
    main()
