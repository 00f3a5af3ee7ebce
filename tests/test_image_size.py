"""Images get the width and height of their files, so a page keeps its layout while pictures load:
sizes read from raster headers and from the root <svg> tag of SVGs, then written on cards, headers,
sidebars and galleries through the real CLI."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import post, read, run_cli, write
from sitegen.image_size import image_size, svg_size


@pytest.mark.parametrize("tag, size", [
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">', (640, 360)),
    (b'<svg width="640px" height="360px" viewBox="0 0 10 5">', (640, 360)),
    (b"<svg viewBox='0 0 800 450'>", (800, 450)),
    (b'<svg viewBox="0,0,800,450" width="400">', (400, 225)),
    (b'<svg viewBox="0 0 800 450" height="90">', (160, 90)),
    (b'<svg\n  xmlns="http://www.w3.org/2000/svg"\n  viewBox="-10 -10 300 200"\n>', (300, 200)),
    (b'<?xml version="1.0"?>\n<!-- a comment -->\n<svg width="12.6" height="7.4">', (13, 7)),
])
def test_svg_sizes_from_the_root_tag(tag, size):
    assert svg_size(tag + b"<rect/></svg>") == size


@pytest.mark.parametrize("tag", [
    b'<svg width="100%" height="100%">',  # relative: the page decides
    b'<svg width="10em" viewBox="0 0 10 10">',
    b"<svg>",
    b'<svg viewBox="0 0 0 10">',
    b'<svg width="9999999" height="5">',
    b"<html><body>no svg here</body></html>",
])
def test_svg_sizes_that_cannot_be_told(tag):
    assert svg_size(tag) is None


@pytest.mark.parametrize("suffix, mode", [(".png", "RGB"), (".jpg", "RGB"), (".gif", "P"), (".webp", "RGB")])
def test_raster_sizes_from_the_header(tmp_path: Path, suffix: str, mode: str):
    path = tmp_path / f"picture{suffix}"
    Image.new(mode, (321, 123)).save(path)
    assert image_size(path) == (321, 123)


def test_broken_and_missing_files_have_no_size(tmp_path: Path):
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    (tmp_path / "text.svg").write_text("just text")
    assert image_size(tmp_path / "broken.png") is None
    assert image_size(tmp_path / "text.svg") is None
    assert image_size(tmp_path / "missing.png") is None


def _img_tags(html: str, src_part: str) -> list[str]:
    return [tag for tag in re.findall(r"<img\b[^>]*>", html) if src_part in tag]


def test_cards_headers_and_sidebars_carry_the_files_sizes(tmp_path: Path):
    root = tmp_path / "site"
    write(root, {
        "content/posts/2024-01-02-wide.md": post("Wide", "Text.", header="{teaser: /assets/wide.png, image: /assets/wide.png}",
                                                 sidebar="[{title: Me, image: /assets/net.svg}]"),
        "content/posts/2024-01-01-net.md": post("Net", "Text.", header="{teaser: /assets/net.svg}"),
        "content/posts/2023-12-01-far.md": post("Far", "Text.", header="{teaser: 'https://example.org/x.png'}"),
        "content/assets/net.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 270"><circle r="9"/></svg>',
        "content/assets/net.dark.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270"><circle r="9"/></svg>',
    })
    Image.new("RGB", (300, 100), (40, 120, 160)).save(root / "content/assets/wide.png")
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    home = read(root, "index.html")
    [wide] = _img_tags(home, "wide.png")
    assert 'width="300" height="100"' in wide
    svgs = _img_tags(home, "net")
    assert len(svgs) == 2 and all('width="480" height="270"' in tag for tag in svgs)  # the picture and its twin
    [far] = _img_tags(home, "example.org")
    assert "width=" not in far  # nothing is fetched to size an outside picture
    page = read(root, "posts/wide/index.html")
    assert all('width="300" height="100"' in tag for tag in _img_tags(page, "wide.png"))
    assert _img_tags(page, "net") and all('width="480" height="270"' in t for t in _img_tags(page, "net"))
