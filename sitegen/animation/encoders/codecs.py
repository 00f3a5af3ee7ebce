"""The exact media type of a video file, as a page's <source type> and a player's canPlayType() need it
('video/webm; codecs="av01.0.04M.08"', 'video/mp4; codecs="avc1.64001f"'), read from the stream's own
headers (ffmpeg's trace_headers bitstream filter), so the profile and level are the ones the encoder
wrote rather than a guess from the frame size."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from sitegen.animation.encoders.ffmpeg import probe_ffmpeg

_FIELD = re.compile(r"^\[trace_headers[^\]]*\]\s+\d+\s+(\w+(?:\[0\])?)\s+[01]+ = (\d+)", re.MULTILINE)
_CODEC = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+)")


def stream_fields(path: Path) -> tuple[str | None, dict[str, int]]:
    """The video codec ffmpeg names (vp9, av1, h264) and the first value of each header field."""
    command = [probe_ffmpeg().exe or "ffmpeg", "-hide_banner", "-i", f"file:{path}", "-map", "0:v:0", "-c", "copy",
               "-bsf:v", "trace_headers", "-frames:v", "1", "-f", "null", "-"]
    text = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=60).stderr
    fields: dict[str, int] = {}
    for name, value in _FIELD.findall(text):
        fields.setdefault(name.removesuffix("[0]"), int(value))
    codec = _CODEC.search(text)
    return (codec[1] if codec else None), fields


def codecs_parameter(codec: str | None, fields: dict[str, int]) -> str | None:
    """RFC 6381 / the AV1-ISOBMFF codecs string for a stream, or None when it cannot be told."""
    if codec == "vp9":
        return "vp9"  # every browser that plays VP9 understands the short form
    if codec == "av1" and "seq_profile" in fields and "seq_level_idx" in fields:
        tier = "H" if fields.get("seq_tier") else "M"
        depth = "10" if fields.get("high_bitdepth") else "08"
        return f"av01.{fields['seq_profile']}.{fields['seq_level_idx']:02d}{tier}.{depth}"
    if codec == "h264" and "profile_idc" in fields and "level_idc" in fields:
        flags = sum(fields.get(f"constraint_set{i}_flag", 0) << (7 - i) for i in range(6))
        return f"avc1.{fields['profile_idc']:02x}{flags:02x}{fields['level_idc']:02x}"
    return None


def media_type(mime: str, path: Path) -> str:
    """`mime` with the codecs parameter of the video in `path` ('video/webm; codecs="vp9"'), or `mime`
    alone when the stream's headers do not say."""
    codecs = codecs_parameter(*stream_fields(path))
    return f'{mime}; codecs="{codecs}"' if codecs else mime
