"""Dark twins of images through the real CLI: `fig.dark.svg` found next to `fig.svg`, `{: data-dark="…"}`
on a Markdown image, `header.teaser_dark` (and image_dark, overlay_image_dark), sidebar and gallery
images; `.invert-dark` passes through; an image without a twin stays one <img>. The pair is two lazy
<img>s in a <span class="dark-twin"> (see sitegen/media.py); the browser side is test_dark_browser.py."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import post, read, run_cli, write
from sitegen.html_policy import sanitize_content
from sitegen.media import pair_images

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 2" width="400" height="200"><rect width="4" height="2" fill="{}"/></svg>'
BODY = """
A figure with a twin by name:

![Network](/assets/img/net.svg)

One named with an attribute list, relative to the post:

![Spectrum](../assets/img/spectrum.png){: data-dark="../assets/img/spectrum-night.png" }

Line art, inverted in the dark theme:

![Sketch](/assets/img/sketch.svg){: .invert-dark}

A figure with no twin:

![Plain](/assets/img/plain.svg)

<p><img src="/assets/img/net.svg" alt="Raw HTML" width="400" height="200"></p>

{% include figure image_path="/assets/img/net.svg" alt="Through the theme's include" %}

![Outside](https://example.org/figure.svg)
"""
FILES = {
    "content/posts/2024-02-01-figures.md": post(
        "Figures", BODY,
        header="{teaser: /assets/img/net.svg, image: /assets/img/banner.svg, image_dark: /assets/img/banner-night.svg}",
        sidebar="[{title: Wiring, image: /assets/img/net.svg, image_alt: The wiring}]",
        gallery="[{image_path: /assets/img/plain.svg, alt: Plain}, {image_path: /assets/img/net.svg, alt: Net}]"),
    "content/posts/2024-01-01-named.md": post(
        "Named teaser", "A teaser with its twin named in front matter.",
        header="{teaser: /assets/img/plain.svg, teaser_dark: /assets/img/sketch.svg, "
               "overlay_image: /assets/img/banner.svg, overlay_image_dark: /assets/img/banner-night.svg}"),
    "content/posts/2023-12-01-none.md": post("No twin", "Plain teaser.", header="{teaser: /assets/img/plain.svg}"),
    "content/assets/img/net.svg": SVG.format("#fff"),
    "content/assets/img/net.dark.svg": SVG.format("#111"),
    "content/assets/img/banner.svg": SVG.format("#eee"),
    "content/assets/img/banner-night.svg": SVG.format("#222"),
    "content/assets/img/sketch.svg": SVG.format("#fff"),
    "content/assets/img/plain.svg": SVG.format("#fff"),
}


class _Images(HTMLParser):
    """Each <img> (its attributes) and, for those inside a .dark-twin, the pair it belongs to."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.pairs: list[list[dict[str, str]]] = []
        self.pictures = 0
        self._in_twin = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "span" and values.get("class") == "dark-twin":
            self._in_twin = True
            self.pairs.append([])
        elif tag == "img":
            self.images.append(values)
            if self._in_twin:
                self.pairs[-1].append(values)
        self.pictures += tag == "picture"

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._in_twin = False


def images(html: str) -> _Images:
    parser = _Images()
    parser.feed(html)
    return parser


def pair_of(found: _Images, light_end: str, alt: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The (light, dark) pair whose light image's src ends with `light_end` (and has `alt`)."""
    for pair in found.pairs:
        if pair[0]["src"].endswith(light_end) and (alt is None or pair[0].get("alt") == alt):
            assert len(pair) == 2, pair
            return pair[0], pair[1]
    raise AssertionError(f"no dark-twin pair for {light_end}: {found.pairs}")


def assert_pair(light: dict[str, str], dark: dict[str, str], dark_end: str) -> None:
    assert dark["src"].endswith(dark_end), dark
    assert "dark-twin__light" in light["class"].split() and "dark-twin__dark" in dark["class"].split()
    assert light["loading"] == dark["loading"] == "lazy"  # the hidden one is never fetched
    assert light.get("alt") == dark.get("alt")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("dark")
    write(root, FILES)
    (root / "content/assets/img/spectrum.png").write_bytes(b"\x89PNG light")
    (root / "content/assets/img/spectrum-night.png").write_bytes(b"\x89PNG dark")
    result = run_cli("build", "--strict", cwd=root)
    assert result.code == 0, result.text
    assert "warning" not in result.err, result.err
    return root


def test_a_twin_by_name_and_a_named_twin_in_the_body(built):
    found = images(read(built, "posts/figures/index.html"))
    assert_pair(*pair_of(found, "assets/img/net.svg", "Network"), "assets/img/net.dark.svg")
    assert_pair(*pair_of(found, "assets/img/spectrum.png"), "assets/img/spectrum-night.png")
    raw_light, raw_dark = pair_of(found, "assets/img/net.svg", "Raw HTML")  # an author's <img> too
    assert_pair(raw_light, raw_dark, "assets/img/net.dark.svg")
    assert raw_dark["width"] == "400" and raw_dark["height"] == "200"
    assert_pair(*pair_of(found, "assets/img/net.svg", "Through the theme's include"), "assets/img/net.dark.svg")
    assert not any("data-dark" in image for image in found.images)
    assert found.pictures == 0


def test_invert_dark_passes_through_and_no_twin_stays_one_image(built):
    found = images(read(built, "posts/figures/index.html"))
    in_pairs = [image["src"] for pair in found.pairs for image in pair]
    sketch = [i for i in found.images if i["src"].endswith("sketch.svg")]
    assert len(sketch) == 1 and "invert-dark" in sketch[0]["class"].split() and sketch[0]["src"] not in in_pairs
    plain = [i for i in found.images if i.get("alt") == "Plain" and i["src"].endswith("plain.svg")]
    assert plain and all("dark-twin" not in i.get("class", "") for i in plain)
    outside = [i for i in found.images if i["src"] == "https://example.org/figure.svg"]
    assert len(outside) == 1 and "class" not in outside[0]


def test_front_matter_images_use_their_twins(built):
    found = images(read(built, "posts/figures/index.html"))
    assert_pair(*pair_of(found, "assets/img/banner.svg"), "assets/img/banner-night.svg")  # header.image_dark
    sidebar_light, sidebar_dark = pair_of(found, "assets/img/net.svg", "The wiring")
    assert_pair(sidebar_light, sidebar_dark, "assets/img/net.dark.svg")
    assert "sidebar__image" in sidebar_dark["class"].split()
    assert_pair(*pair_of(found, "assets/img/net.svg", "Net"), "assets/img/net.dark.svg")  # a gallery thumbnail
    named = read(built, "posts/named/index.html")
    hero = re.search(r'<div class="hero hero--image"[^>]*>\s*<div class="hero__dark" style="([^"]*)"', named)
    assert hero and "assets/img/banner-night.svg" in hero.group(1)


def test_cards_use_the_teasers_twin(built):
    home = read(built, "index.html")
    cards = {title: images(card) for title, card in _cards(home).items()}
    assert_pair(*pair_of(cards["Figures"], "assets/img/net.svg"), "assets/img/net.dark.svg")  # by name
    assert_pair(*pair_of(cards["Named teaser"], "assets/img/plain.svg"), "assets/img/sketch.svg")  # teaser_dark
    assert not cards["No twin"].pairs and len(cards["No twin"].images) == 1


def test_twins_are_copied_and_pass_check(built):
    """The fixture's build is --strict, which checks the built site as `sitegen check` does."""
    for name in ("net.dark.svg", "spectrum-night.png", "banner-night.svg"):
        assert (built / "site/assets/img" / name).is_file(), name


def test_the_feed_holds_only_the_light_image(built):
    feed = read(built, "feed.xml")
    assert "assets/img/net.svg" in feed and "net.dark.svg" not in feed and "spectrum-night" not in feed


def test_the_sanitiser_keeps_the_pair():
    """[markdown] raw_html = "sanitize" cleans the author's HTML after the pairs are made: they stay."""
    files = frozenset({"assets/img/net.svg", "assets/img/net.dark.svg"})
    paired = pair_images('<p><img src="/assets/img/net.svg" alt="raw" onerror="x()" data-dark=""></p>', "posts/s.md", files)
    found = images(sanitize_content(paired))
    assert_pair(*pair_of(found, "/assets/img/net.svg", "raw"), "/assets/img/net.dark.svg")
    assert "onerror" not in sanitize_content(paired)


def _cards(html: str) -> dict[str, str]:
    """Each card's HTML by its title."""
    cards = re.findall(r'<article class="card">(.*?)</article>', html, re.S)
    return {re.search(r'class="card__title"><a [^>]*>([^<]*)</a>', card).group(1): card for card in cards}
