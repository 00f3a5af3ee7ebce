"""How grainy an animation is, measured by a short probe encode of its sampled frames, so the WebM's
quality setting can follow its content.

Plots (lines, markers, text, smooth images) keep a luma SSIM above 0.99 through AV1 at the publish
CRF; an image of noise loses several hundredths there, where matplotlib's VP9 loses less. So a
grainy animation is encoded at a lower CRF (ffmpeg.WEBM's grainy_crf). Grainy is either of:

- fine texture everywhere: the probe's SSIM under `grainy_below`;
- fine texture over a large moving area: the probe's SSIM under `textured_below` and at least
  `moving_area` of the picture different from one sample to the next. Noise redrawn in every frame
  cannot be predicted from the frame before, and there AV1 at CRF 31 smooths away more of it than
  VP9 does (an imshow of a noisy field: 0.0041 below VP9's SSIM at 31, 0.0004 above at 28). A
  scatter or scrolling traces at the same probe SSIM move on under a fifth of the picture and keep
  VP9's SSIM within 0.002 at 31. The probe sees only the sampled
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

    Measured on the bench's frames (probe SSIM; share of the picture that moves between samples):
    thin lines 0.986-0.993, 0.07; scrolling noisy traces 0.976, 0.20; 2,000-point scatters
    0.982-0.993, 0.10-0.19; a smooth image with a colour bar 0.996, 0.38; an imshow of a noisy field
    0.984, 0.38; a bump under white noise 0.940, 0.68.
    """

    crf: int = 31
    preset: int = 12  # the fastest: the probe is a measurement, not an output
    samples: int = 4  # of the sampled frames, evenly spread (SSIM with 4 was within 0.002 of 8)
    grainy_below: float = 0.972
    textured_below: float = 0.99
    moving_area: float = 0.3
    max_pixels: int = 1_000_000  # larger samples are probed at half size (noise survives that)
    revision: int = 2


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


def moving_share(samples: Sequence[np.ndarray]) -> float:
    """The mean share of pixels that differ from one sample to the next."""
    frames = [f[..., :3] for f in samples]
    if len(frames) < 2:
        return 0.0
    return float(np.mean([np.any(a != b, axis=-1).mean() for a, b in zip(frames, frames[1:])]))


def is_grainy(samples: Sequence[np.ndarray], probe: GrainProbe = PROBE) -> bool:
    if not samples:
        return False
    ssim = sample_ssim(samples, probe)
    return ssim < probe.grainy_below or (ssim < probe.textured_below and moving_share(samples) >= probe.moving_area)


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
