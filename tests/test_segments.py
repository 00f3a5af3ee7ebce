"""A long animation of a built-in kind renders in parts on several workers, joined into one file
that plays every frame in order — with the same bytes whatever the number of workers."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from animation_checks import decode_video
from conftest import run_cli
from sitegen.animation.encoders import SEGMENT_FRAMES
from sitegen.animation.jobs import RenderJob
from sitegen.animation.segments import cost, tasks_for
from test_animations import fence

FRAMES = 2 * SEGMENT_FRAMES + 31  # three video parts, the last one short


def bump_data(path: Path, frames: int = FRAMES) -> None:
    """A bright bump circling once: every frame differs, and frames far apart differ most."""
    t = np.arange(frames)[:, None, None] * 2 * np.pi / frames
    y, x = np.mgrid[0:24, 0:32]
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, np.exp(-((x - 16 - 11 * np.cos(t)) ** 2 + (y - 12 - 8 * np.sin(t)) ** 2) / 8.0))


def long_site(site, formats: str = "[webm, gif, poster, mp4]") -> Path:
    root = site({"content/posts/2024-01-01-long.md": "---\ntitle: Long\n---\n" + fence(
        f"kind: heatmap\ndata: data/bump.npy\nsize: [2, 1.5]\ndpi: 64\nfps: 25\nvariants: [light]\n"
        f"formats: {formats}\nalt: a bump going round")})
    bump_data(root / "data/bump.npy")
    return root


def files(root: Path) -> dict[str, Path]:
    return {p.suffix: p for p in (root / "site/animations").iterdir()}


def gif_frames(path: Path) -> list[np.ndarray]:
    with Image.open(path) as image:
        return [np.asarray(frame.convert("RGB"), dtype=np.float32) for frame in ImageSequence.Iterator(image)]


def test_a_long_animation_is_joined_from_its_parts_in_order(site):
    root = long_site(site)
    result = run_cli("build", "-j", "2", cwd=root)
    assert result.code == 0, result.text
    found = files(root)
    assert not [p for p in (root / "site/animations").iterdir() if "part-" in p.name]
    still = gif_frames(found[".gif"])
    assert len(still) == FRAMES
    for suffix, codec in ((".webm", "av1"), (".mp4", "h264")):
        video = decode_video(found[suffix])
        assert video.codec == codec and len(video.frames) == FRAMES
        frames = video.frames[:, :still[0].shape[0], :still[0].shape[1]].astype(np.float32)
        # every decoded frame is nearest to the GIF's frame of the same index, across the joins too
        for index in (0, SEGMENT_FRAMES - 1, SEGMENT_FRAMES, 2 * SEGMENT_FRAMES, FRAMES - 1):
            errors = [np.abs(frames[index] - still[other]).mean() for other in range(FRAMES)]
            assert int(np.argmin(errors)) == index, (suffix, index)
    probe = run_cli("render", "content/posts/2024-01-01-long.md", "--out", "out", cwd=root)
    assert probe.code == 0, probe.text  # the same key: taken from the cache


def test_the_bytes_do_not_depend_on_the_number_of_workers(site, tmp_path):
    root = long_site(site, "[webm, gif, poster]")
    digests = []
    for jobs in ("1", "2", "3"):
        result = run_cli("build", "-j", jobs, "--cache-dir", str(tmp_path / f"cache-{jobs}"), cwd=root)
        assert result.code == 0 and "1 rendered" in result.err, result.text
        digests.append({s: hashlib.sha256(p.read_bytes()).hexdigest() for s, p in files(root).items()})
    assert digests[0] == digests[1] == digests[2]
    assert set(digests[0]) == {".webm", ".gif", ".png"}


def job(**changes: object) -> RenderJob:
    base = RenderJob(key="k", post="p.md", line=1, variant="light", kind="heatmap", script=None, data=(),
                     params=(), style=(), width=160, height=120, dpi=80.0, fps=20.0, frames=FRAMES,
                     formats=("webm", "gif", "poster"), poster_frame=None, loop=True, audio=None, timeout=60.0,
                     max_frames=10_000, inputs=())
    return replace(base, **changes)


def test_which_animations_are_split():
    parts = tasks_for(job())
    assert [t.frames for t in parts] == [(0, SEGMENT_FRAMES), (SEGMENT_FRAMES, 2 * SEGMENT_FRAMES),
                                         (2 * SEGMENT_FRAMES, FRAMES), None]
    assert [t.formats for t in parts] == [("webm",)] * 3 + [("gif", "poster")]
    assert all(t.parts == 4 for t in parts) and cost(parts[0]) > cost(parts[3])
    assert len(tasks_for(job(formats=("webm",)))) == 3  # no stills part when there are no stills
    for whole in (job(frames=SEGMENT_FRAMES), job(kind=None, script="s.py"), job(audio="a.wav"),
                  job(formats=("gif", "poster"))):
        assert [t.whole for t in tasks_for(whole)] == [True]
