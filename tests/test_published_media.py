"""The files a site publishes: AV1 WebM whose quality follows the content, an H.264 MP4 that plays while
it downloads, exact <source> types smallest first, and previews that take the published files."""
from __future__ import annotations

import re
import struct
from pathlib import Path

import numpy as np
import pytest

from animation_checks import animation_files, decode_video
from conftest import run_cli
from test_animations import fence
from sitegen.animation import encoders
from sitegen.animation.encoders import VideoSpec, grain, open_encoder
from sitegen.animation.encoders.codecs import codecs_parameter, media_type
from sitegen.animation.encoders.ffmpeg import WEBM, profile_for

W, H = 160, 120


def noise_frames(count: int, seed: int = 0) -> list[np.ndarray]:
    """A bright bump moving over a field with a little white noise, through a colour map: what an
    imshow of noisy data looks like, and what AV1 at the plot CRF loses most SSIM on."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:H, 0:W]
    frames = []
    for i in range(count):
        value = 60 + 120 * np.exp(-((x - 40 - 8 * i) ** 2 + (y - 60) ** 2) / 800) + rng.normal(0, 8, (H, W))
        frames.append(np.stack([value * 0.3 + 40, value, 255 - value * 0.8], axis=-1).clip(0, 255).astype(np.uint8))
    return frames


def plot_frames(count: int) -> list[np.ndarray]:
    """A white plot with a dark sine line moving along: what most animations are."""
    frames = []
    x = np.arange(W)
    for i in range(count):
        frame = np.full((H, W, 3), 255, np.uint8)
        y = (H / 2 + 30 * np.sin(x / 12 + i / 3)).astype(int)
        for dy in (-1, 0, 1):
            frame[np.clip(y + dy, 0, H - 1), x] = (31, 119, 180)
        frame[::20, :] = (220, 220, 220)  # a grid
        frames.append(frame)
    return frames


def drawn(update, count: int, **subplots) -> list[np.ndarray]:
    """`count` frames of a matplotlib figure (320×240) that `update(axes, i)` redraws."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = plt.Figure(figsize=(3.2, 2.4), dpi=100)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot(**subplots)
    frames = []
    for i in range(count):
        update(axes, i)
        canvas.draw()
        frames.append(np.asarray(canvas.buffer_rgba())[..., :3].copy())
    return frames


def noisy_field_frames(count: int) -> list[np.ndarray]:
    """An imshow of a wave under noise redrawn in every frame, with a colour bar (as an author's
    script draws it): fine texture over a large moving area."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:45, 0:60]
    state = {}

    def update(axes, i):
        field = np.sin(x / 5 - i / 3) * np.cos(y / 6) + 0.3 * rng.standard_normal(x.shape)
        if "image" not in state:
            state["image"] = axes.imshow(field, vmin=-1.5, vmax=1.5, cmap="RdBu_r")
            axes.figure.colorbar(state["image"])
        state["image"].set_data(field)
    return drawn(update, count)


def scatter_frames(count: int) -> list[np.ndarray]:
    """1,500 coloured points drifting: fine sharp marks, but over a fifth of the picture."""
    rng = np.random.default_rng(1)
    start, drift = rng.normal(size=(1500, 2)), rng.normal(scale=0.05, size=(1500, 2))

    def update(axes, i):
        axes.clear()
        axes.scatter(*(start + i * drift).T, s=3, c=np.arange(1500) % 5, cmap="tab10")
        axes.set(xlim=(-4, 4), ylim=(-4, 4))
    return drawn(update, count)


def encode(fmt: str, path: Path, frames: list[np.ndarray], **options) -> Path:
    with open_encoder(fmt, path, VideoSpec(W, H, 10, len(frames)), palette_frames=frames[::4], **options) as sink:
        for frame in frames:
            sink.write(frame)
    return path


def test_the_grain_probe_tells_noise_from_a_plot():
    assert grain.is_grainy(noise_frames(8))
    assert not grain.is_grainy(plot_frames(8))
    assert not grain.is_grainy([])  # nothing sampled: a plot
    assert grain.is_grainy(noisy_field_frames(8))  # texture over a large moving area
    assert grain.moving_share(noisy_field_frames(8)) >= grain.PROBE.moving_area
    scatter = scatter_frames(8)
    assert grain.sample_ssim(scatter) < grain.PROBE.textured_below  # as fine a texture,
    assert not grain.is_grainy(scatter)  # but sharp marks over a small moving area
    assert grain.sample_ssim(noise_frames(8)) == grain.sample_ssim(noise_frames(8))  # a measurement, repeatable


def test_grainy_content_is_encoded_at_the_lower_crf(tmp_path, monkeypatch):
    assert WEBM.for_content(False) is WEBM
    grainy = WEBM.for_content(True).video_options
    assert grainy[grainy.index("-crf") + 1] == str(WEBM.grainy_crf) and WEBM.grainy_crf < int(
        WEBM.video_options[WEBM.video_options.index("-crf") + 1])
    assert profile_for("webm", "preview").for_content(True) == profile_for("webm", "preview")  # one CRF there
    frames = noise_frames(12)
    seen = []
    measure = grain.is_grainy
    monkeypatch.setattr(grain, "is_grainy", lambda samples: seen.append(measure(samples)) or seen[-1])
    measured = encode("webm", tmp_path / "measured.webm", frames).read_bytes()
    assert seen == [True]  # the encoder measured the sampled frames
    monkeypatch.setattr(grain, "is_grainy", lambda samples: False)
    as_a_plot = encode("webm", tmp_path / "plot.webm", frames).read_bytes()
    assert measured != as_a_plot and len(measured) > len(as_a_plot)  # more bits where the noise needs them
    assert encoders.encoder_settings("webm")["grain_probe"] == grain.probe_settings()  # in the cache key


@pytest.mark.parametrize("fmt, pattern", [("webm", r'video/webm; codecs="av01\.0\.\d\dM\.08"'),
                                          ("mp4", r'video/mp4; codecs="avc1\.64[0-9a-f]{4}"')])
def test_a_video_is_typed_with_its_exact_codecs(tmp_path, fmt, pattern):
    path = encode(fmt, tmp_path / f"a.{fmt}", plot_frames(6))
    assert re.fullmatch(pattern, media_type(encoders.MIME_TYPES[fmt], path))
    preview = encode(fmt, tmp_path / f"p.{fmt}", plot_frames(6), preset="preview")
    assert media_type(encoders.MIME_TYPES[fmt], preview).startswith(
        'video/webm; codecs="vp9"' if fmt == "webm" else 'video/mp4; codecs="avc1.')


def test_codecs_strings_follow_the_stream_headers():
    assert codecs_parameter("av1", {"seq_profile": 0, "seq_level_idx": 8}) == "av01.0.08M.08"
    assert codecs_parameter("av1", {"seq_profile": 0, "seq_level_idx": 13, "seq_tier": 1,
                                    "high_bitdepth": 1}) == "av01.0.13H.10"
    assert codecs_parameter("h264", {"profile_idc": 100, "level_idc": 31}) == "avc1.64001f"
    assert codecs_parameter("h264", {"profile_idc": 66, "constraint_set1_flag": 1, "level_idc": 30}) == "avc1.42401e"
    assert codecs_parameter("vp9", {}) == "vp9"
    assert codecs_parameter("av1", {}) is None and codecs_parameter(None, {}) is None
    assert media_type("video/webm", Path("/nonexistent.webm")) == "video/webm"  # unreadable: the bare type


def top_level_boxes(path: Path) -> list[str]:
    data, boxes, at = path.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[at:at + 8])
        boxes.append(name.decode("latin-1"))
        if size < 8:
            break
        at += size
    return boxes


def test_the_mp4_plays_while_it_downloads(tmp_path):
    boxes = top_level_boxes(encode("mp4", tmp_path / "a.mp4", plot_frames(6)))
    assert boxes.index("moov") < boxes.index("mdat"), boxes  # +faststart


def test_a_built_page_lists_every_video_smallest_first_with_its_type(site):
    body = fence("kind: heatmap\ndata: data/a.npy\nsize: [2, 1.5]\ndpi: 48\nfps: 10\nalt: a bump")
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + body})
    (root / "data").mkdir(exist_ok=True)
    t = np.arange(12)[:, None, None]
    y, x = np.mgrid[0:16, 0:16]
    np.save(root / "data/a.npy", np.exp(-((x - 4 - t) ** 2 + (y - 8) ** 2) / 8.0))
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    page = root / "site/posts/a"
    html = (page / "index.html").read_text()
    [files] = animation_files(html, root / "site", page)
    assert {"light-webm", "light-mp4", "light-gif", "light-poster", "dark-webm", "dark-mp4"} <= set(files)
    video = re.search(r"<video class=\"animation__video\".*?</video>", html, re.S)[0]
    sources = re.findall(r'<source src="([^"]+)" type="([^"]+)" data-format="(\w+)">', video)
    assert [fmt for _, _, fmt in sources] and {fmt for _, _, fmt in sources} == {"webm", "mp4"}
    sizes = [(page / src).resolve().stat().st_size for src, _, _ in sources]
    assert sizes == sorted(sizes)
    for src, kind, fmt in sources:
        path = (page / src).resolve()
        assert kind.replace("&#34;", '"') == media_type(encoders.MIME_TYPES[fmt], path)
        assert decode_video(path).codec == {"webm": "av1", "mp4": "h264"}[fmt]
    for variant in ("light", "dark"):  # the player switches types with the variant
        assert f'data-{variant}-webm-type="video/webm; codecs=' in html.replace("&#34;", '"')
    assert ".gif" not in "".join(src for src, _, _ in sources)  # the GIF is never a <source>
