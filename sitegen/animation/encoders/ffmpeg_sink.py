"""Piping frames into ffmpeg: the sink of the video formats (webm, mp4)."""
from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from sitegen.animation.encoders.ffmpeg import FfmpegProfile, ffmpeg_command, probe_ffmpeg
from sitegen.animation.encoders.video import FfmpegFailed, VideoSpec, even_size

log = logging.getLogger(__name__)


class FfmpegSink:
    """Streams raw RGB frames into an ffmpeg process, each padded to the even size with its edge
    colour; ffmpeg's stderr goes to a temporary file so the pipe never blocks on it, and is quoted
    when ffmpeg fails."""

    def __init__(self, profile: FfmpegProfile, path: Path, spec: VideoSpec, shown_as: Path | None = None) -> None:
        self._profile, self._shown_as = profile, shown_as or path
        self._padding = ((0, even_size(spec.height) - spec.height), (0, even_size(spec.width) - spec.width), (0, 0))
        command = ffmpeg_command(probe_ffmpeg().exe or "ffmpeg", profile, spec, path)
        log.debug("running %s", " ".join(command))
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                         stderr=self._stderr, env={**os.environ, **dict(profile.env)})

    def write(self, frame: np.ndarray) -> None:
        if self._padding[0][1] or self._padding[1][1]:
            frame = np.pad(frame, self._padding, mode="edge")
        try:
            self._process.stdin.write(frame.data)
        except BrokenPipeError:
            raise self._failure(self._process.wait()) from None

    def finish(self) -> None:
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        code = self._process.wait()
        if code != 0:
            raise self._failure(code)
        self._stderr.close()

    def abort(self) -> None:
        self._process.kill()
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        self._process.wait()
        self._stderr.close()

    def _failure(self, code: int | None, lines: int = 20) -> FfmpegFailed:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        tail = "\n".join(text[-lines:]) or "(ffmpeg printed nothing)"
        return FfmpegFailed(self._profile.fmt, self._shown_as, code, tail)
