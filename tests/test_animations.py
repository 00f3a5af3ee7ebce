"""Animation directives end to end: the real CLI renders every kind and a script, and the files are
decoded to check what they hold."""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from animation_checks import animation_files, decode_gif, decode_video, luminance
from conftest import read, run_cli

SMALL = "size: [2, 1.5]\n  dpi: 48\n  fps: 10"


def fence(body: str) -> str:
    return "```animation\n" + body.strip() + "\n```\n"


def kind_post(kind: str, data: str, extra: str = "") -> str:
    return (f"---\ntitle: {kind}\n---\nText.\n\n"
            + fence(f"kind: {kind}\ndata: {data}\nsize: [2, 1.5]\ndpi: 48\nfps: 10\n{extra}\n"
                    f"caption: The {kind}.\nalt: A {kind}."))


def make_data(root: Path) -> None:
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    t = np.arange(6)[:, None, None]
    y, x = np.mgrid[0:16, 0:16]
    np.savez(data / "wave.npz", frames=np.exp(-((x - 2 * t) ** 2 + (y - 8) ** 2) / 8.0),
             recon=np.exp(-((x - 2 * t) ** 2 + (y - 8) ** 2) / 10.0))
    np.save(data / "signals.npy", np.sin(np.linspace(0, 12, 400))[None] * np.arange(1, 4)[:, None])
    (data / "spikes.csv").write_text("neuron,time\n" + "\n".join(
        f"{n},{s:.3f}" for n in range(8) for s in np.sort(rng.uniform(0, 2, 15))))
    np.savez(data / "embedding.npz", positions=rng.normal(size=(5, 40, 2)).cumsum(axis=0),
             labels=np.arange(40) % 3)
    np.save(data / "paths.npy", np.stack([np.c_[np.cos(a), np.sin(a)] for a in
                                          np.linspace(0, 6, 30)[:, None] + np.arange(2)[None]]))
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    np.savez(data / "eeg.npz", positions=0.8 * np.c_[np.sin(angles), np.cos(angles)],
             values=np.sin(angles[None] + np.arange(5)[:, None]))
    np.savez(data / "net.npz", positions=np.c_[np.cos(angles[:6]), np.sin(angles[:6])],
             activity=rng.random((5, 6)), weights=rng.normal(size=(6, 6)))


KINDS = {
    "heatmap": ("data/wave.npz", "panels: [frames, recon]"),
    "traces": ("data/signals.npy", "window: 100\nstep: 40"),
    "raster": ("data/spikes.csv", "window: 0.5\nstep: 0.25"),
    "scatter": ("data/embedding.npz", ""),
    "trajectory": ("data/paths.npy", "tail: 5"),
    "topomap": ("data/eeg.npz", "resolution: 24"),
    "network": ("data/net.npz", "threshold: 0.2"),
}


@pytest.fixture(scope="module")
def all_kinds(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    make_data(root)
    for index, (kind, (data, extra)) in enumerate(KINDS.items()):
        (root / "content/posts").mkdir(parents=True, exist_ok=True)
        (root / f"content/posts/2024-01-{index + 1:02d}-{kind}.md").write_text(kind_post(kind, data, extra))
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    return root


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_webm_mp4_gif_and_poster_in_light_and_dark(all_kinds, kind):
    root = all_kinds
    page = root / f"site/posts/{kind}"
    [files] = animation_files((page / "index.html").read_text(), root / "site", page)
    assert set(files) == {f"{v}-{f}" for v in ("light", "dark") for f in ("webm", "mp4", "gif", "poster")}
    for variant in ("light", "dark"):
        for fmt, codec in (("webm", "av1"), ("mp4", "h264")):
            video = decode_video(files[f"{variant}-{fmt}"])
            assert video.codec == codec and video.audio is None
            assert (video.width, video.height) == (96, 72)
            assert len(video.frames) >= 2
            assert np.abs(video.frames[0].astype(int) - video.frames[-1].astype(int)).mean() > 0.2  # it moves
        gif = decode_gif(files[f"{variant}-gif"])
        assert gif.size == (96, 72) and gif.global_palette and gif.local_palettes == 0
        assert abs(sum(gif.durations_ms) - 100 * len(video.frames)) <= 10  # fps 10: 100 ms a frame
        bright = luminance(gif.corner)
        assert (bright > 200) if variant == "light" else (bright < 60), (variant, gif.corner)
    assert files["light-poster"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_page_shows_a_figure_with_caption_alt_and_size(all_kinds):
    html = read(all_kinds, "posts/heatmap/index.html")
    assert '<figure class="animation"' in html and "<figcaption>" in html and "The heatmap." in html
    assert 'aria-label="A heatmap."' in html and 'width="96" height="72"' in html
    assert "loop" in html and "muted" in html and "playsinline" in html and "data-autoplay" in html
    assert "static/js/animation.js" in html


def test_data_files_are_not_copied_into_the_site(all_kinds):
    assert not list((all_kinds / "site").rglob("*.npz")) and not list((all_kinds / "site").rglob("*.npy"))


def test_kinds_command_lists_every_kind():
    from conftest import REPO
    result = run_cli("kinds", cwd=REPO)
    assert result.code == 0
    for kind in KINDS:
        assert f"\n{kind}: " in "\n" + result.out
    assert "Keys every animation accepts" in result.out and "poster_frame" in result.out


SCRIPT = """
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation
from mylib import wave

fig, ax = plt.subplots(figsize=(2, 1.5), dpi=48)
line, = ax.plot([], [])
ax.set_xlim(0, 6); ax.set_ylim(-1, 1)
x = np.linspace(0, 6, 50)

def update(i):
    line.set_data(x, wave(x, i))
    return line,

FuncAnimation(fig, update, frames=7, interval=100)
plt.show()
"""

FACTORY = """
import matplotlib.pyplot as plt
from matplotlib.animation import ArtistAnimation

def make_animation(data, params):
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=48)
    frames = [[ax.imshow(frame, animated=True)] for frame in data["frames"][: params["n"]]]
    return ArtistAnimation(fig, frames, interval=100)
"""


def test_script_animations_render_funcanimation_and_make_animation(site):
    root = site({
        "content/posts/2024-01-01-s.md": "---\ntitle: S\n---\n" + fence("script: scripts/anim.py\nfps: 10\nalt: a wave")
        + "\n" + fence("script: scripts/factory.py\ndata: data/wave.npz\nparams: {n: 4}\nfps: 10\nalt: frames"),
        "content/posts/scripts/anim.py": SCRIPT,
        "content/posts/scripts/mylib.py": "import numpy as np\n\ndef wave(x, i):\n    return np.sin(x + i)\n",
        "scripts/factory.py": FACTORY,
    })
    make_data(root)
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    page = root / "site/posts/s"
    first, second = animation_files((page / "index.html").read_text(), root / "site", page)
    assert len(decode_video(first["light-webm"]).frames) == 7
    assert decode_gif(first["dark-gif"]).frames == 7
    assert luminance(decode_gif(first["dark-gif"]).corner) < 60  # the theme style applies to scripts too
    assert len(decode_video(second["light-webm"]).frames) == 4
    assert not list((root / "site").rglob("*.py"))  # scripts are inputs, not published


@pytest.mark.parametrize("script, message", [
    ("raise ValueError('bad parameter')\n", "ValueError: bad parameter"),
    ("import time\ntime.sleep(30)\n", "ran longer than 2 s"),
    ("import sys\nsys.exit(3)\n", "called exit(3)"),
    ("import os\nos._exit(7)\n", "exit status 7"),
    ("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n", "made no matplotlib Animation"),
])
def test_a_failing_script_is_an_error_with_its_line_and_the_rest_still_builds(site, script, message):
    root = site({
        "content/posts/2024-01-01-bad.md": "---\ntitle: Bad\n---\nIntro.\n\n" + fence("script: fail.py\ntimeout: 2\nalt: x"),
        "content/posts/fail.py": "import numpy as np\n\n" + script,
        "content/posts/2024-01-02-good.md": kind_post("heatmap", "data/wave.npz"),
    })
    make_data(root)
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "content/posts/2024-01-01-bad.md:6: error:" in result.err and message in result.err
    assert "site-packages" not in result.err and "script_child" not in result.err
    (root / "content/posts/2024-01-01-bad.md").unlink()
    again = run_cli("build", cwd=root)  # the good post's animation was rendered by the failed build
    assert again.code == 0 and "0 rendered, 2 from the cache" in again.err


def test_a_script_traceback_points_at_the_authors_line(site):
    root = site({"content/posts/2024-01-01-bad.md": "---\ntitle: Bad\n---\n" + fence("script: fail.py\nalt: x"),
                 "content/posts/fail.py": "def f():\n    return 1 / 0\n\nf()\n"})
    result = run_cli("build", cwd=root)
    assert 'File "fail.py", line 2, in f' in result.err and "ZeroDivisionError" in result.err


@pytest.mark.parametrize("body, where, message", [
    ("kind: heatmapp\ndata: data/wave.npz", 6, "unknown kind 'heatmapp' (did you mean 'heatmap'?)"),
    ("kind: heatmap\ndata: data/wave.npz\ncmapp: viridis", 8, "unknown key 'cmapp' for the kind 'heatmap' (did you mean 'cmap'?)"),
    ("kind: heatmap\ndata: data/wave.npz\nfps: fast", 8, "'fps' must be a number, not str"),
    ("kind: heatmap\ndata: data/nothere.npz", 7, "data file 'data/nothere.npz' not found"),
    ("kind: heatmap\ndata: data/signals.npy", 7, "heatmap"),
    ("kind: heatmap\ndata: ../../../outside.npy", 7, "points outside the site folder"),
    ("kind: heatmap\ndata: /etc/hostname", 7, "must be a path relative to the post or the site folder"),
    ("kind: heatmap\ndata: data/pickled.npy", 7, "pickled"),
    ("kind: heatmap\ndata: data/wave.npz\ncmap: virdis", 8, "did you mean 'viridis'?"),
    ("data: data/wave.npz", 5, "needs either 'kind:' or 'script:'"),
    ("kind: heatmap\ndata: data/wave.npz\nformats: [webm, avi]", 8, "'formats' must be a non-empty list"),
    ("kind: [heatmap", 7, "the animation block is not valid YAML"),
])
def test_directive_errors_name_the_post_line_and_key(site, body, where, message):
    root = site({
        "content/posts/2024-01-01-bad.md": "---\ntitle: Bad\n---\n\n" + fence(body + "\nalt: x"),
        "content/posts/2024-01-02-good.md": "---\ntitle: Good\n---\nFine.\n",
    })
    make_data(root)
    (root.parent / "outside.npy").write_bytes(b"")
    np.save(root / "data/pickled.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert f"content/posts/2024-01-01-bad.md:{where}: error:" in result.err, result.err
    assert message in result.err, result.err


def test_all_directive_errors_of_a_build_are_reported_together(site):
    root = site({
        "content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + fence("kind: heatmapp\ndata: x.npy"),
        "content/posts/2024-01-02-b.md": "---\ntitle: B\n---\n" + fence("kind: traces\ndata: missing.csv"),
    })
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "2024-01-01-a.md:5: error: unknown kind" in result.err
    assert "2024-01-02-b.md:6: error: data file 'missing.csv' not found" in result.err
    assert "Build failed: 2 errors" in result.err


def test_a_symlink_pointing_outside_the_site_is_refused(site, tmp_path):
    secret = tmp_path / "secret.npy"
    np.save(secret, np.zeros((3, 4, 4)))
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + fence("kind: heatmap\ndata: link.npy\nalt: x")})
    (root / "content/posts/link.npy").symlink_to(secret)
    result = run_cli("build", cwd=root)
    assert result.code == 1 and "'link.npy' points outside the site folder" in result.err


def test_sound_is_muxed_as_opus_and_the_video_has_controls(site):
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n"
                 + fence("kind: heatmap\ndata: data/wave.npz\naudio: data/tone.wav\n" + SMALL.replace("\n  ", "\n")
                         + "\nalt: x")})
    make_data(root)
    with wave.open(str(root / "data/tone.wav"), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(8000)
        out.writeframes((np.sin(np.arange(8000) * 0.2) * 8000).astype("<i2").tobytes())
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    page = root / "site/posts/a"
    html = (page / "index.html").read_text()
    [files] = animation_files(html, root / "site", page)
    video = decode_video(files["light-webm"])
    assert video.codec == "av1" and video.audio == "opus"
    assert "data-autoplay" not in html and "data-controls" in html and " muted" not in html


def test_download_links_the_data_from_the_figure(site):
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n"
                 + fence("kind: heatmap\ndata: data/wave.npz\ndownload: true\n" + SMALL.replace("\n  ", "\n") + "\nalt: x")})
    make_data(root)
    assert run_cli("build", cwd=root).code == 0
    [copied] = list((root / "site/downloads").rglob("wave.npz"))
    assert copied.read_bytes() == (root / "data/wave.npz").read_bytes()
    assert copied.name in read(root, "posts/a/index.html")


def test_render_command_writes_one_posts_animations_to_a_folder(all_kinds, tmp_path):
    result = run_cli("render", "content/posts/2024-01-04-scatter.md", "--out", str(tmp_path / "out"), cwd=all_kinds)
    assert result.code == 0, result.text
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["scatter-1-dark-poster.png", "scatter-1-dark.gif", "scatter-1-dark.mp4", "scatter-1-dark.webm",
                     "scatter-1-light-poster.png", "scatter-1-light.gif", "scatter-1-light.mp4",
                     "scatter-1-light.webm"]


def test_a_missing_encoder_is_an_error_that_names_the_format(site, tmp_path):
    import imageio_ffmpeg
    fake = tmp_path / "ffmpeg"
    real = imageio_ffmpeg.get_ffmpeg_exe()
    fake.write_text(f"#!/bin/sh\nif [ \"$2\" = \"-encoders\" ] || [ \"$1\" = \"-encoders\" ]; then "
                    f"\"{real}\" \"$@\" | grep -v libvpx; else exec \"{real}\" \"$@\"; fi\n")
    fake.chmod(0o755)
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n"
                 + fence("kind: heatmap\ndata: data/wave.npz\nalt: x")})
    make_data(root)
    result = run_cli("build", cwd=root, env={"IMAGEIO_FFMPEG_EXE": str(fake)})
    assert result.code == 1
    assert "content/posts/2024-01-01-a.md:" in result.err and "cannot make 'webm'" in result.err


GENERATOR = """
import itertools
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
line, = ax.plot([0, 1], [0, 1])

def update(i):
    line.set_ydata([0, i % 3])
    return line,

FuncAnimation(fig, update, frames=itertools.count, save_count=None, cache_frame_data=False)
"""


def test_an_endless_script_animation_is_bounded_by_frames(site):
    root = site({"content/posts/2024-01-01-g.md": "---\ntitle: G\n---\n" + fence("script: gen.py\nframes: 5\nfps: 10\nalt: x"),
                 "content/posts/gen.py": GENERATOR})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    page = root / "site/posts/g"
    [files] = animation_files((page / "index.html").read_text(), root / "site", page)
    assert len(decode_video(files["light-webm"]).frames) == 5
