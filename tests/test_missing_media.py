"""Missing images through the real CLI: a plain `sitegen build` warns for each one at the post's line
(the Markdown image's, or the front-matter key's) with the key and a did-you-mean; `--strict` fails
without a traceback; the card and the post header leave a missing image out instead of showing a
broken one; external images are never checked."""
from __future__ import annotations

import pytest

from conftest import post, read, run_cli, write
from test_dark_images import SVG, images

POST = "content/posts/2024-03-01-gone.md"
BODY = """
Text before.

![A figure](../assets/img/figure-gone.svg)

![Close](/assets/img/netwrk.svg)

<img src="/assets/img/raw-gone.png" alt="Raw">

![Named twin gone](/assets/img/net.svg){: data-dark="/assets/img/net-night.svg"}

![Outside](https://example.org/nowhere.png)

{% include figure image_path="/assets/img/include-gone.svg" alt="Through the theme's include" %}
"""
FRONT = {
    "header": "\n  teaser: /assets/img/teaser-gone.png\n  image: /assets/img/banner-gone.svg"
              "\n  overlay_image: ../assets/img/hero-gone.svg",
    "sidebar": "\n  - title: Side\n    image: /assets/img/side-gone.svg",
    "gallery": "\n  - image_path: /assets/img/thumb-gone.svg\n  - image_path: /assets/img/net.svg",
}
FILES = {
    POST: post("Gone", BODY, **FRONT),
    "content/posts/2024-01-01-dark-gone.md": post(
        "Dark gone", "Text.", header="{teaser: /assets/img/net.svg, teaser_dark: /assets/img/net-dark-gone.svg}"),
    "content/posts/2023-01-01-fine.md": post("Fine", "Text.", header="{teaser: https://example.org/t.png}"),
    "content/assets/img/net.svg": SVG.format("#fff"),
    "content/assets/img/network.svg": SVG.format("#fff"),
}


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle` in the post file."""
    return text[:text.index(needle)].count("\n") + 1


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("missing")
    write(root, FILES)
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    return root, result


def test_every_missing_image_is_a_warning_at_its_line(built):
    root, result = built
    text = (root / POST).read_text(encoding="utf-8")
    expected = [
        ("../assets/img/figure-gone.svg", "link '../assets/img/figure-gone.svg' points to a file that does not exist"),
        ("/assets/img/netwrk.svg", "link '/assets/img/netwrk.svg' points to a file that does not exist"),
        ("/assets/img/raw-gone.png", "link '/assets/img/raw-gone.png' points to a file that does not exist"),
        ("/assets/img/net-night.svg", "link '/assets/img/net-night.svg' points to a file that does not exist"),
        ("include-gone.svg", "link '/assets/img/include-gone.svg' points to a file that does not exist"),
        ("teaser: /assets/img/teaser-gone.png", "'header.teaser' names a file that does not exist"),
        ("image: /assets/img/banner-gone.svg", "'header.image' names a file that does not exist"),
        ("overlay_image: ../assets", "'header.overlay_image' names a file that does not exist: '/assets/img/hero-gone.svg'"),
        ("image: /assets/img/side-gone.svg", "'sidebar[0].image' names a file that does not exist"),
        ("image_path: /assets/img/thumb-gone.svg", "'gallery[0].image_path' names a file that does not exist"),
    ]
    for needle, message in expected:
        assert f"{POST}:{line_of(text, needle)}: warning: {message}" in result.err, (needle, result.err)
    assert "content/posts/2024-01-01-dark-gone.md:3: warning: 'header.teaser_dark' names a file that does not exist" in result.err
    assert "did you mean 'network.svg'?" in result.err  # netwrk.svg
    assert "example.org" not in result.err  # external images are not checked
    assert "Traceback" not in result.err


def test_strict_fails_on_a_missing_image(built):
    root, _ = built
    result = run_cli("build", "--strict", cwd=root)
    assert result.code != 0
    assert f"{POST}:" in result.err and "[--strict]" in result.err and "Traceback" not in result.err


def test_a_card_whose_teaser_is_missing_shows_no_media(built):
    root, _ = built
    home = read(root, "index.html")
    assert "teaser-gone" not in home
    gone = _card(home, "Gone")
    assert "<img" not in gone and "card__media" not in gone and "card__placeholder" not in gone
    assert "card__media" in _card(home, "Fine")  # a card whose teaser is there keeps its media
    dark_gone = images(_card(home, "Dark gone"))
    assert not dark_gone.pairs and [i["src"] for i in dark_gone.images] == ["assets/img/net.svg"]  # no twin left


def test_the_post_header_leaves_missing_images_out(built):
    root, _ = built
    page = read(root, "posts/gone/index.html")
    for name in ("banner-gone", "hero-gone", "side-gone", "thumb-gone", "teaser-gone"):
        assert name not in page, name
    assert 'class="banner"' not in page and "hero--image" not in page
    assert "gallery__item" in page  # the thumbnail that exists is still there


def _card(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[html.rindex('<article class="card">', 0, start):html.index("</article>", start)]
