"""An image's size in pixels, read from its header (raster files, through Pillow) or its root <svg> tag,
so the theme can give an <img> its width and height and the page does not jump as pictures load.
Nothing here decodes a whole picture or parses XML: a user's file is read no further than it must be."""
from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, UnidentifiedImageError

SVG_HEAD = 64 * 1024  # the root <svg> tag is looked for in this much of the file
_SVG_TAG = re.compile(rb"<svg\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""\b(width|height|viewBox)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")  # a length in px (or unitless): others are relative
MAX_SIDE = 100_000  # sizes beyond this are not believed


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of the image at `path`, or None when it cannot be told (no file, an unknown format,
    an SVG sized in %, em or not at all)."""
    try:
        if path.suffix.lower() == ".svg":
            with path.open("rb") as file:
                return svg_size(file.read(SVG_HEAD))
        with Image.open(path) as image:  # reads the header only
            return _believable(*image.size)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


def svg_size(head: bytes) -> tuple[int, int] | None:
    """The size an SVG's root tag gives: width and height in px, else its viewBox (whose units are px
    when the width and height are not given), else a given side with the viewBox's aspect ratio."""
    tag = _SVG_TAG.search(head)
    if tag is None:
        return None
    found = {name.decode().lower(): value.decode("utf-8", "replace") for name, _, value in _ATTRIBUTE.findall(tag.group(1))}
    width, height = _px(found.get("width")), _px(found.get("height"))
    box = _view_box(found.get("viewbox"))
    if width and height:
        return _believable(width, height)
    if box is None:
        return None
    if width:
        return _believable(width, width * box[1] / box[0])
    if height:
        return _believable(height * box[0] / box[1], height)
    if "width" in found or "height" in found:  # sized in %, em …: the page decides
        return None
    return _believable(*box)


def _px(value: str | None) -> float | None:
    match = _LENGTH.match(value) if value else None
    return float(match.group(1)) if match else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    parts = re.split(r"[\s,]+", value.strip()) if value else []
    try:
        width, height = float(parts[2]), float(parts[3])
    except (IndexError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def _believable(width: float, height: float) -> tuple[int, int] | None:
    w, h = round(width), round(height)
    return (w, h) if 0 < w <= MAX_SIDE and 0 < h <= MAX_SIDE else None
