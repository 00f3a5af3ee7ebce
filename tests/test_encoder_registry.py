"""The encoder registry: one table of format facts that the rest of sitegen derives from, lookups
that suggest a name, settings (and so cache keys) that stay what they were, and every registered
format writing a file that decodes."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from animation_checks import decode_gif, decode_video
from conftest import REPO
from sitegen import PRESETS
from sitegen.animation import encoders
from sitegen.animation.encoders import ENCODERS, EncoderMissing, Registry, VideoSpec, even_size

# sha256 of json.dumps(encoder_settings(fmt, preset), sort_keys=True), as the render cache key holds
# them. A change here changes every cache key: make it on purpose (bump the format's "revision").
SETTINGS_DIGESTS = {
    ("gif", "preview"): "5fbcc4fac4d82038",
    ("gif", "publish"): "5fbcc4fac4d82038",
    ("mp4", "preview"): "2330eb4a3ec7e4dd",
    ("mp4", "publish"): "0fd3a2855253bf3f",
    ("poster", "preview"): "d99a77e54903ba90",
    ("poster", "publish"): "d99a77e54903ba90",
    ("webm", "preview"): "df827b09b135ce1e",
    ("webm", "publish"): "71f39bcc2d8d4916",
}


def frames(count: int, width: int, height: int) -> list[np.ndarray]:
    """A white plot with a blue square moving right."""
    out = []
    for i in range(count):
        frame = np.full((height, width, 3), 255, np.uint8)
        frame[8:20, 4 + 5 * i:16 + 5 * i] = (31, 119, 180)
        out.append(frame)
    return out


def test_each_format_is_registered_with_its_facts():
    facts = {e.name: (e.suffix, e.mime, e.output_name, e.video) for e in ENCODERS}
    assert facts == {"webm": (".webm", "video/webm", "animation.webm", True),
                     "mp4": (".mp4", "video/mp4", "animation.mp4", True),
                     "gif": (".gif", "image/gif", "animation.gif", False),
                     "poster": (".png", "image/png", "poster.png", False)}
    assert encoders.FORMATS == ("webm", "mp4", "gif", "poster")  # video first: encode_all feeds them first
    assert encoders.VIDEO_FORMATS == {"webm", "mp4"}


def test_the_rest_of_sitegen_reads_the_one_table():
    from sitegen.animation import engine, jobs

    assert jobs.OUTPUT_NAMES == encoders.OUTPUT_NAMES
    assert engine.SUFFIXES == encoders.SUFFIXES
    assert engine.site_name("k" * 64, "webm") == f"animations/{'k' * 20}.webm"


def test_jobs_reads_the_table_without_loading_numpy_or_pillow():
    code = "import sys, sitegen.animation.jobs; print(sorted({'numpy', 'PIL'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("written, suggestion", [("webp", "did you mean 'webm'?"), ("gfi", "did you mean 'gif'?"),
                                                 ("movie", "expected one of: 'gif', 'mp4', 'poster', 'webm'")])
def test_an_unknown_format_says_what_was_meant(written, suggestion):
    with pytest.raises(EncoderMissing) as missing:
        ENCODERS[written]
    assert str(missing.value) == f"unknown format '{written}': {suggestion}"
    with pytest.raises(EncoderMissing, match=f"unknown format '{written}'"):
        encoders.encoder_settings(written)


def test_a_registry_orders_by_priority_and_replaces_by_name():
    registry: Registry[str] = Registry("colour")
    registry.register("low", "a", 1)
    registry.register("high", "b", 5)
    registry.register("middle", "c", 3)
    assert list(registry) == ["high", "middle", "low"] and registry.names() == ("b", "c", "a")
    assert registry.items() == [("b", "high"), ("c", "middle"), ("a", "low")] and registry.get("z") is None
    registry.register("higher", "a", 9)
    assert registry["a"] == "higher" and len(registry) == 3
    assert registry.ordered(["a", "c"]) == ["higher", "middle"]
    registry.deregister("c")
    assert "c" not in registry
    with pytest.raises(KeyError, match="unknown colour 'c'"):
        registry.ordered(["a", "c"])


@pytest.mark.parametrize("fmt, preset", sorted(SETTINGS_DIGESTS))
def test_settings_are_unchanged(fmt, preset):
    settings = json.dumps(encoders.encoder_settings(fmt, preset), sort_keys=True)
    assert hashlib.sha256(settings.encode()).hexdigest()[:16] == SETTINGS_DIGESTS[(fmt, preset)], settings


def test_every_format_and_preset_has_settings():
    assert {(e.name, p) for e in ENCODERS for p in PRESETS} == set(SETTINGS_DIGESTS)
    assert set(encoders.encoder_versions()) == {"ffmpeg", "pillow"}


@pytest.mark.parametrize("pixels, even", [(1, 2), (2, 2), (63, 64), (64, 64), (601, 602), (603, 604),
                                          (600.4, 600), (600.6, 600), (601.2, 602), (0.3, 2)])
def test_even_size_is_the_nearest_even_number_an_odd_one_rounding_up(pixels, even):
    assert even_size(pixels) == even


@pytest.mark.parametrize("fmt", encoders.FORMATS)
def test_every_registered_format_writes_a_file_that_decodes(tmp_path, fmt):
    if (reason := encoders.available_formats()[fmt]) is not None:
        pytest.skip(reason)
    shown = frames(5, 63, 47)  # odd: the video formats pad to 64×48
    path = tmp_path / f"a{ENCODERS[fmt].suffix}"
    sizes = encoders.encode_all([fmt], {fmt: path}, VideoSpec(63, 47, 10, 5, poster_frame=3), iter(shown),
                                palette_frames=shown)
    assert sizes == {fmt: path.stat().st_size} and sizes[fmt] > 0
    if ENCODERS[fmt].video:
        video = decode_video(path)
        assert (video.codec, video.width, video.height, len(video.frames)) == (
            {"webm": "av1", "mp4": "h264"}[fmt], 64, 48, 5)
    elif fmt == "gif":
        gif = decode_gif(path)
        assert (gif.frames, gif.size, sum(gif.durations_ms)) == (5, (63, 47), 500)
    else:
        with Image.open(path) as image:
            assert image.format == "PNG" and np.array_equal(np.asarray(image.convert("RGB")), shown[3])


class NotingSink:
    """A test format's sink: notes each call in a log shared by the formats of one test."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log

    def write(self, frame: np.ndarray) -> None:
        self.log.append(f"{self.name} {frame.shape[1]}x{frame.shape[0]}")

    def finish(self) -> None:
        self.log.append(f"{self.name} finish")

    def abort(self) -> None:
        self.log.append(f"{self.name} abort")


@pytest.fixture
def noting_formats():
    """Two formats registered for one test, 'early' (priority 35) and 'late' (15), around gif (20)."""
    log: list[str] = []

    def opener(name):
        def open_sink(path, spec, palette_frames, preset, shown_as):
            path.write_bytes(name.encode())
            return NotingSink(name, log)
        return open_sink

    for name, priority in (("early", 35), ("late", 15)):
        ENCODERS.register(replace(ENCODERS["poster"], name=name, suffix=".txt", open_sink=opener(name)), name, priority)
    yield log
    for name in ("early", "late"):
        ENCODERS.deregister(name)


def test_encode_all_drives_any_registered_format_in_registry_order(tmp_path, noting_formats):
    paths = {fmt: tmp_path / f"{fmt}.out" for fmt in ("late", "gif", "early")}
    sizes = encoders.encode_all(list(paths), paths, VideoSpec(32, 24, 10, 2), iter(frames(2, 32, 24)))
    assert noting_formats == ["early 32x24", "late 32x24", "early 32x24", "late 32x24",
                              "late finish", "early finish"]  # finished last-opened first
    assert sizes["early"] == len(b"early") and decode_gif(paths["gif"]).frames == 2
    assert "early" not in encoders.FORMATS  # the table's columns are of the built-in formats
