"""Encoders: every output is decoded again (ffmpeg for video, Pillow for GIF/PNG) and compared with
the frames that went in."""
from __future__ import annotations

import json
import math
import struct
import wave
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sitegen.animation import encoders
from sitegen.animation.encoders import ffmpeg as ffmpeg_module
from sitegen.animation.encoders import quality
from sitegen.animation.encoders import EncoderFailed, EncoderMissing, VideoSpec, encode_all, open_encoder
from sitegen.animation.encoders.gif import start_cs

W, H = 64, 48
BLUE, ORANGE, WHITE = (31, 119, 180), (255, 127, 14), (255, 255, 255)


def moving_square(count: int = 8, width: int = W, height: int = H) -> list[np.ndarray]:
    """A plot-like animation: white background, an axis line, a blue square moving right,
    an orange bar growing."""
    frames = []
    for i in range(count):
        frame = np.full((height, width, 3), WHITE, np.uint8)
        frame[height - 6, 4:width - 4] = 0
        frame[10:22, 4 + 4 * i:16 + 4 * i] = BLUE
        frame[30:36, 4:8 + 3 * i] = ORANGE
        frames.append(frame)
    return frames


def encode(fmt: str, path: Path, spec: VideoSpec, frames: list[np.ndarray], **kw) -> Path:
    with open_encoder(fmt, path, spec, **kw) as sink:
        for frame in frames:
            sink.write(frame)
    return path


def ffmpeg() -> str:
    return encoders.probe_ffmpeg().exe


def sine_wav(path: Path, seconds: float, rate: int = 48000) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * 32767 * np.sin(2 * np.pi * 440 * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return path


def gif_blocks(data: bytes) -> tuple[int, list[dict]]:
    """The global colour table flag and, per image, its descriptor and graphic control fields."""
    assert data[:6] == b"GIF89a"
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    images, control = [], {}
    while data[pos] != 0x3B:
        if data[pos] == 0x21:  # extension: label, then sub-blocks
            if data[pos + 1] == 0xF9:
                packed, delay, index = struct.unpack("<BHB", data[pos + 3:pos + 7])
                control = {"disposal": packed >> 2 & 7, "transparent": packed & 1, "delay": delay}
            pos += 2
        elif data[pos] == 0x2C:
            left, top, width, height, packed = struct.unpack("<HHHHB", data[pos + 1:pos + 10])
            images.append({"box": (left, top, width, height), "local_table": bool(packed & 0x80), **control})
            pos += 11  # descriptor, then the LZW minimum code size
        else:
            raise AssertionError(f"unexpected GIF block {data[pos]:#x} at {pos}")
        while data[pos]:
            pos += data[pos] + 1
        pos += 1
    return flags & 0x80, images


# ---------------------------------------------------------------------------------------------
# WebM


@pytest.mark.parametrize("preset, codec", [("publish", "av1"), ("preview", "vp9")])
def test_webm_is_av1_to_publish_vp9_to_preview_tagged_bt601_and_decodes_to_the_frames(tmp_path, preset, codec):
    frames = moving_square(8)
    path = tmp_path / "a.webm"
    with open_encoder("webm", path, VideoSpec(W, H, 10, 8), preset=preset) as sink:
        for frame in frames:
            sink.write(frame)
    info = quality.probe(ffmpeg(), path)
    assert info.streams == (("video", codec),)
    assert "yuv420p(tv, smpte170m" in info.text
    decoded = quality.decode_video(ffmpeg(), path, W, H)
    assert len(decoded) == 8
    assert quality.mean_ssim(frames, decoded) > 0.95
    assert quality.psnr(frames, decoded) > 30


def test_webm_of_odd_size_is_padded_to_even_with_the_edge(tmp_path):
    frames = moving_square(6, width=63, height=47)
    path = encode("webm", tmp_path / "odd.webm", VideoSpec(63, 47, 10, 6), frames)
    assert ", 64x48" in quality.probe(ffmpeg(), path).text
    decoded = quality.decode_video(ffmpeg(), path, 63, 47)
    assert quality.mean_ssim(frames, decoded) > 0.95


@pytest.mark.parametrize("audio_seconds", [0.3, 3.0])
def test_webm_audio_is_opus_and_the_frames_set_the_length(tmp_path, audio_seconds):
    wav = sine_wav(tmp_path / "tone.wav", audio_seconds)
    path = encode("webm", tmp_path / "a.webm", VideoSpec(W, H, 10, 8, audio=wav), moving_square(8))
    info = quality.probe(ffmpeg(), path)
    assert info.streams == (("video", "av1"), ("audio", "opus"))
    assert info.duration == pytest.approx(0.8, abs=0.08)
    assert len(quality.decode_video(ffmpeg(), path, W, H)) == 8


def test_ffmpeg_failure_raises_its_message_and_leaves_no_file(tmp_path):
    not_audio = tmp_path / "notes.wav"
    not_audio.write_text("this is not a sound file\n")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(EncoderFailed) as failure:
        encode("webm", out / "a.webm", VideoSpec(W, H, 10, 8, audio=not_audio), moving_square(8))
    assert "notes.wav" in failure.value.stderr
    assert "a.webm" in str(failure.value)
    assert list(out.iterdir()) == []


def test_webm_and_gif_are_byte_reproducible(tmp_path):
    frames = moving_square(8)
    spec = VideoSpec(W, H, 10, 8)
    for fmt in ("webm", "gif"):
        first = encode(fmt, tmp_path / f"1.{fmt}", spec, frames).read_bytes()
        second = encode(fmt, tmp_path / f"2.{fmt}", spec, frames).read_bytes()
        assert first == second, fmt


# ---------------------------------------------------------------------------------------------
# GIF


def test_gif_has_one_global_palette_and_decodes_to_the_frames(tmp_path):
    frames = moving_square(8)
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 10, 8), frames, palette_frames=frames[::3])
    has_global, images = gif_blocks(path.read_bytes())
    assert has_global and len(images) == 8
    assert not any(image["local_table"] for image in images)
    assert {image["disposal"] for image in images} == {1}
    decoded = quality.decode_gif(path).at_fps(10, 8)
    assert quality.mean_ssim(frames, decoded) >= 0.98
    # the plot's flat colours come out exact
    assert all(np.array_equal(a, b) for a, b in zip(frames, decoded))


def test_gif_loops_forever_or_plays_once(tmp_path):
    frames = moving_square(3)
    looping = encode("gif", tmp_path / "loop.gif", VideoSpec(W, H, 10, 3), frames)
    once = encode("gif", tmp_path / "once.gif", VideoSpec(W, H, 10, 3, loop=False), frames)
    with Image.open(looping) as image:
        assert image.info.get("loop") == 0
    with Image.open(once) as image:
        assert "loop" not in image.info


@pytest.mark.parametrize("fps", [30, 24, 7, 10, 29.97])
def test_gif_delays_add_up_to_the_real_duration(tmp_path, fps):
    count = 10
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, fps, count), moving_square(count))
    durations = quality.decode_gif(path).durations_ms
    assert len(durations) == count
    assert abs(sum(durations) - 1000 * count / fps) <= 10  # within one centisecond
    assert all(abs(d - 1000 / fps) < 10 for d in durations)  # each off by less than one centisecond


def test_gif_at_thirty_fps_spreads_the_rounding():
    assert [start_cs(i + 1, Fraction(30)) - start_cs(i, Fraction(30)) for i in range(6)] == [3, 4, 3, 3, 4, 3]


def test_gif_identical_frames_are_merged_and_keep_their_time(tmp_path):
    a, b, c = moving_square(3)
    frames = [a, a, b, b, b, c]
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 10, 6), frames)
    gif = quality.decode_gif(path)
    assert gif.durations_ms == (200, 300, 100)
    assert all(np.array_equal(x, y) for x, y in zip(frames, gif.at_fps(10, 6)))


def test_gif_faster_than_browsers_play_drops_frames_but_keeps_time(tmp_path):
    frames = moving_square(10)
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 100, 10), frames)
    durations = quality.decode_gif(path).durations_ms
    assert min(durations) >= 20  # browsers would play 10 ms as 100 ms
    assert sum(durations) == 100


def test_gif_stores_only_the_changed_rectangle(tmp_path):
    first = np.full((H, W, 3), WHITE, np.uint8)
    first[5:40, 5:60] = BLUE
    second = first.copy()
    second[20:24, 30:34] = ORANGE
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 10, 2), [first, second])
    _, images = gif_blocks(path.read_bytes())
    assert images[0]["box"] == (0, 0, W, H)
    assert images[1]["box"] == (30, 20, 4, 4)


def test_gif_unchanged_pixels_inside_the_rectangle_may_be_transparent(tmp_path):
    # two changes far apart: the rectangle spans a striped background that did not change
    first = np.full((H, W, 3), WHITE, np.uint8)
    first[:, ::2] = BLUE
    second = first.copy()
    second[2, 2], second[45, 60] = ORANGE, ORANGE
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 10, 2), [first, second], palette_frames=[first, second])
    _, images = gif_blocks(path.read_bytes())
    assert images[1]["box"] == (2, 2, 59, 44)
    assert images[1]["transparent"] == 1
    assert np.array_equal(quality.decode_gif(path).frames[1], second)


def test_gif_palette_comes_from_the_first_frame_without_samples(tmp_path):
    frames = moving_square(4)
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 10, 4), frames)
    assert all(np.array_equal(a, b) for a, b in zip(frames, quality.decode_gif(path).at_fps(10, 4)))


def test_gif_of_a_noisy_heatmap_stays_close(tmp_path):
    rng = np.random.default_rng(0)
    import matplotlib
    colours = (matplotlib.colormaps["viridis"](np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)
    frames = [colours[np.clip(rng.normal(80 + 10 * i, 12, (H // 4, W // 4)), 0, 255).astype(int)]
              .repeat(4, axis=0).repeat(4, axis=1) for i in range(6)]
    path = encode("gif", tmp_path / "a.gif", VideoSpec(W, H, 10, 6), frames, palette_frames=frames[::2])
    assert quality.mean_ssim(frames, quality.decode_gif(path).at_fps(10, 6)) >= 0.98


# ---------------------------------------------------------------------------------------------
# Poster, MP4


@pytest.mark.parametrize("requested, shown", [(3, 3), (99, 7), (-2, 0)])
def test_poster_is_the_chosen_frame_clamped_into_range(tmp_path, requested, shown):
    frames = moving_square(8)
    path = encode("poster", tmp_path / "p.png", VideoSpec(W, H, 10, 8, poster_frame=requested), frames)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert np.array_equal(np.asarray(image.convert("RGB")), frames[shown])


def test_poster_as_webp_is_lossless(tmp_path):
    frames = moving_square(2)
    path = encode("poster", tmp_path / "p.webp", VideoSpec(W, H, 10, 2, poster_frame=1), frames)
    with Image.open(path) as image:
        assert image.format == "WEBP"
        assert np.array_equal(np.asarray(image.convert("RGB")), frames[1])


def test_mp4_is_h264_with_aac_audio(tmp_path):
    reason = encoders.available_formats(audio=True)["mp4"]
    if reason is not None:
        pytest.skip(reason)
    frames = moving_square(8, width=63, height=47)
    wav = sine_wav(tmp_path / "tone.wav", 2.0)
    path = encode("mp4", tmp_path / "a.mp4", VideoSpec(63, 47, 10, 8, audio=wav), frames)
    info = quality.probe(ffmpeg(), path)
    assert info.streams == (("video", "h264"), ("audio", "aac"))
    assert info.duration == pytest.approx(0.8, abs=0.1)
    assert quality.mean_ssim(frames, quality.decode_video(ffmpeg(), path, 63, 47)) > 0.95


# ---------------------------------------------------------------------------------------------
# The interface: missing encoders, bad input, one pass into several formats


def test_unknown_format_is_an_encoder_missing_naming_it(tmp_path):
    with pytest.raises(EncoderMissing, match="'webp'.*did you mean 'webm'"):
        with open_encoder("webp", tmp_path / "a.webp", VideoSpec(W, H, 10, 1)):
            pass


def test_unavailable_format_raises_and_never_falls_back(tmp_path, monkeypatch):
    probe = encoders.probe_ffmpeg()
    monkeypatch.setattr(ffmpeg_module, "probe_ffmpeg", lambda: replace(probe, encoders=frozenset({"libx264"})))
    with pytest.raises(EncoderMissing, match="cannot write webm: .* has no libsvtav1 or libvpx-vp9 encoder"):
        with open_encoder("webm", tmp_path / "a.webm", VideoSpec(W, H, 10, 1)):
            pass
    assert list(tmp_path.iterdir()) == []


def test_available_formats_says_which_encoder_is_missing(monkeypatch):
    probe = encoders.probe_ffmpeg()
    monkeypatch.setattr(ffmpeg_module, "probe_ffmpeg", lambda: replace(probe, encoders=frozenset({"libvpx-vp9", "libsvtav1"})))
    assert encoders.available_formats() == {
        "webm": None, "gif": None, "poster": None, "mp4": f"the bundled ffmpeg ({probe.version}) has no libx264 encoder"}
    assert "libopus" in encoders.available_formats(audio=True)["webm"]


def test_settings_and_versions_can_key_a_cache():
    settings = {fmt: encoders.encoder_settings(fmt) for fmt in encoders.FORMATS}
    assert "-crf" in settings["webm"]["video_options"] and settings["gif"]["colours"] <= 255
    json.dumps(settings, sort_keys=True)
    versions = encoders.encoder_versions()
    assert versions["ffmpeg"] != "unavailable" and versions["pillow"]


def test_a_frame_of_the_wrong_size_says_what_is_expected_and_leaves_no_file(tmp_path):
    with pytest.raises(ValueError, match="expected uint8 48×64×3"):
        encode("webm", tmp_path / "a.webm", VideoSpec(W, H, 10, 2), [np.zeros((48, 60, 3), np.uint8)] * 2)
    assert list(tmp_path.iterdir()) == []


def test_too_few_frames_fails_and_an_old_file_is_kept(tmp_path):
    old = tmp_path / "a.gif"
    old.write_bytes(b"old")
    with pytest.raises(ValueError, match="received 3 frames, spec.frame_count is 8"):
        encode("gif", old, VideoSpec(W, H, 10, 8), moving_square(3))
    assert old.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]


def test_an_error_while_writing_removes_every_partial_file(tmp_path):
    def frames():
        yield from moving_square(3)
        raise RuntimeError("the plot failed")

    paths = {fmt: tmp_path / f"a{encoders.SUFFIXES[fmt]}" for fmt in ("webm", "gif", "poster")}
    with pytest.raises(RuntimeError, match="the plot failed"):
        encode_all(list(paths), paths, VideoSpec(W, H, 10, 8), frames())
    assert list(tmp_path.iterdir()) == []


def test_encode_all_streams_one_pass_into_every_format(tmp_path):
    frames = moving_square(8)
    rgba = (np.dstack([f, np.full((H, W), 255, np.uint8)]) for f in frames)  # alpha is ignored
    paths = {fmt: tmp_path / f"a{encoders.SUFFIXES[fmt]}" for fmt in ("webm", "gif", "poster")}
    sizes = encode_all(list(paths), paths, VideoSpec(W, H, 10, 8, poster_frame=2), rgba, palette_frames=frames[::4])
    assert sizes == {fmt: path.stat().st_size for fmt, path in paths.items()}
    assert len(quality.decode_video(ffmpeg(), paths["webm"], W, H)) == 8
    assert len(quality.decode_gif(paths["gif"]).frames) == 8
    with Image.open(paths["poster"]) as image:
        assert np.array_equal(np.asarray(image.convert("RGB")), frames[2])


# ---------------------------------------------------------------------------------------------
# Quality helpers


def test_ssim_and_psnr():
    frames = moving_square(2)
    noisy = [np.clip(f.astype(int) + np.random.default_rng(1).integers(-20, 21, f.shape), 0, 255).astype(np.uint8)
             for f in frames]
    assert quality.ssim(frames[0], frames[0]) == pytest.approx(1.0)
    assert quality.psnr(frames, frames) == math.inf
    assert 0.3 < quality.mean_ssim(frames, noisy) < 0.95
    assert 20 < quality.psnr(frames, noisy) < 30


def test_presets_differ_in_their_video_settings_only(tmp_path):
    publish, preview = (encoders.encoder_settings("webm", p) for p in ("publish", "preview"))
    assert publish != preview and "realtime" in preview["video_options"] and publish["video_codec"] == "libsvtav1"
    assert encoders.encoder_settings("gif", "publish") == encoders.encoder_settings("gif", "preview")
    with pytest.raises(ValueError, match="did you mean 'preview'"):
        encoders.profile_for("webm", "preveiw")
    frames = [np.full((H, W, 3), 40 * i, np.uint8) for i in range(4)]
    for preset in ("publish", "preview"):
        path = tmp_path / f"{preset}.webm"
        with open_encoder("webm", path, VideoSpec(W, H, 10, 4), preset=preset) as sink:
            for frame in frames:
                sink.write(frame)
        assert path.stat().st_size > 0
    assert (tmp_path / "publish.webm").read_bytes() != (tmp_path / "preview.webm").read_bytes()
