"""How grainy an animation is, measured by a short probe encode of its sampled frames, so the WebM's
quality setting can follow its content.

Plots (lines, markers, text, smooth images) keep a luma SSIM above 0.99 through AV1 at the publish
CRF; an image of noise loses several hundredths there, where matplotlib's VP9 loses less. So a
grainy animation is encoded at a lower CRF (see ffmpeg.AV1_CRF). The probe sees only the sampled
frames (the same ones in every worker that renders a part of the animation), so every part makes
the same choice and the parts still join."""
from __future__ import annotations

import os
import subprocess
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np

from sitegen.animation.encoders.ffmpeg import COLOUR_FILTER, probe_ffmpeg


@dataclass(frozen=True, slots=True)
class GrainProbe:
    """The probe: what it encodes with, and the SSIM under which content counts as grainy.

    Measured on the bench's frames (4 samples each, about 0.3 s): thin lines 0.991, scrolling noisy
    traces 0.981, a 2,000-point scatter 0.987, a smooth image with a colour bar 0.994; a bump under
    white noise 0.961.
    """

    crf: int = 31
    preset: int = 12  # the fastest: the probe is a measurement, not an output
    samples: int = 4  # of the sampled frames, evenly spread (SSIM with 4 was within 0.002 of 8)
    grainy_below: float = 0.972
    max_pixels: int = 1_000_000  # larger samples are probed at half size (noise survives that)
    revision: int = 1


PROBE = GrainProbe()


def probe_settings() -> dict[str, object]:
    return asdict(PROBE)


def sample_ssim(samples: Sequence[np.ndarray], probe: GrainProbe = PROBE) -> float:
    """Mean luma SSIM of the samples (H×W×3 uint8) after an AV1 encode at the probe's settings."""
    from sitegen.animation.encoders.quality import mean_ssim

    step = max(1, len(samples) // probe.samples)
    frames = [np.ascontiguousarray(f[..., :3]) for f in list(samples)[::step][: probe.samples]]
    if frames[0].shape[0] * frames[0].shape[1] > probe.max_pixels:
        frames = [np.ascontiguousarray(f[::2, ::2]) for f in frames]
    height, width = frames[0].shape[:2]
    even = (height - height % 2, width - width % 2)
    frames = [f[: even[0], : even[1]] for f in frames]
    if min(even) < 16:
        return 1.0  # too small to say; treated as a plot
    decoded = _round_trip(frames, probe)
    return mean_ssim(frames, decoded)


def is_grainy(samples: Sequence[np.ndarray], probe: GrainProbe = PROBE) -> bool:
    return bool(samples) and sample_ssim(samples, probe) < probe.grainy_below


def _round_trip(frames: list[np.ndarray], probe: GrainProbe) -> list[np.ndarray]:
    """The frames through SVT-AV1 and back, in memory (IVF in a pipe)."""
    height, width = frames[0].shape[:2]
    exe = probe_ffmpeg().exe or "ffmpeg"
    encode = [exe, "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
              "-s", f"{width}x{height}", "-framerate", "1", "-i", "pipe:0",
              "-vf", COLOUR_FILTER,
              "-c:v", "libsvtav1", "-crf", str(probe.crf), "-preset", str(probe.preset),
              "-svtav1-params", "scm=1:tune=2:lp=1", "-f", "ivf", "pipe:1"]
    coded = subprocess.run(encode, input=b"".join(f.tobytes() for f in frames), capture_output=True,
                           check=True, env={**os.environ, "SVT_LOG": "1"}).stdout
    decode = [exe, "-hide_banner", "-loglevel", "error", "-f", "ivf", "-i", "pipe:0",
              "-vf", "scale=in_color_matrix=bt601:in_range=tv,format=rgb24", "-f", "rawvideo", "pipe:1"]
    raw = subprocess.run(decode, input=coded, capture_output=True, check=True).stdout
    return list(np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3))[: len(frames)]
