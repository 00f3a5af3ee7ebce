"""Dark twins in a real headless Chromium, on a small site built with the real CLI and served under /sub/:
the twin shows after the theme toggle and the light image after toggling back; a dark system with no
stored choice starts on the twin; the hidden image of a pair is never fetched; the card's teaser uses
its twin; line art is inverted and other figures sit on a light backdrop in the dark theme; no broken
images, no console errors. Screenshots of the post and the home page in dark at 390 and 1280 px go to
tests/artifacts/screenshots/dark-*.png."""
from __future__ import annotations

import pytest

from browser_support import device, save_screenshot, serve
from conftest import post, run_cli, write
from test_browser import browser, open_page, theme  # noqa: F401 (fixtures)

POST = "posts/figures/"


def diagram(background: str, ink: str, accent: str) -> str:
    """A small network diagram, drawn for one background."""
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 160" width="640" height="320">
<rect width="320" height="160" rx="8" fill="{background}"/>
<g stroke="{ink}" stroke-width="2.5" fill="none"><path d="M70 80 L160 40 L250 80 L160 120 Z"/><path d="M70 80 L250 80"/></g>
<g fill="{accent}"><circle cx="70" cy="80" r="14"/><circle cx="160" cy="40" r="14"/><circle cx="250" cy="80" r="14"/><circle cx="160" cy="120" r="14"/></g>
<text x="160" y="152" font-family="sans-serif" font-size="12" text-anchor="middle" fill="{ink}">four units, five connections</text>
</svg>"""


LINE_ART = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 120" width="640" height="240">
<path d="M10 100 C 60 10, 110 10, 160 60 S 260 110, 310 20" stroke="#1d2125" stroke-width="3" fill="none"/>
<path d="M10 110 H 310 M10 110 V 10" stroke="#5f6872" stroke-width="1.5"/>
<text x="300" y="104" font-family="sans-serif" font-size="12" text-anchor="end" fill="#1d2125">time</text>
</svg>"""

BODY = """
The wiring, drawn once for each theme (`net.dark.svg` next to `net.svg`):

![Four units and five connections](/assets/img/net.svg)

A line drawing, inverted in the dark theme:

![A smooth curve over time](/assets/img/curve.svg){: .invert-dark}

A figure with neither, on a light backdrop in the dark theme:

![The same wiring, light only](/assets/img/plain.svg)
"""


@pytest.fixture(scope="module")
def site_url(browser, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("dark-browser")
    write(root, {
        "sitegen.toml": 'title = "Dark figures"\n',
        "content/posts/2024-03-01-figures.md": post("Figures", BODY, header="{teaser: /assets/img/net.svg}",
                                                    tags="[figures]"),
        "content/posts/2024-02-01-plain.md": post("Plain teaser", "A teaser without a twin.",
                                                  header="{teaser: /assets/img/plain.svg}"),
        "content/posts/2024-01-01-gone.md": post("Teaser gone", "Its teaser is missing.",
                                                 header="{teaser: /assets/img/gone.svg}"),
        "content/posts/2023-12-01-hero.md": post("Hero", "A post under an overlay image.",
                                                 header="{overlay_image: /assets/img/plain.svg, "
                                                        "overlay_image_dark: /assets/img/net.dark.svg}"),
        "content/assets/img/net.svg": diagram("#ffffff", "#343a40", "#0b7285"),
        "content/assets/img/net.dark.svg": diagram("#151a1f", "#ced4da", "#66d9e8"),
        "content/assets/img/plain.svg": diagram("#ffffff", "#343a40", "#e8590c"),
        "content/assets/img/curve.svg": LINE_ART,
    })
    result = run_cli("build", "--base-url", "/sub/", cwd=root)
    assert result.code == 0, result.text
    assert "gone.svg" in result.err  # the missing teaser is a warning, the build goes on
    with serve(root / "site") as url:
        yield url


VISIBLE_TWIN = """pair => { const img = [...pair.querySelectorAll('img')].find(i => i.getClientRects().length > 0);
    return img && img.complete && img.naturalWidth > 0 ? img.currentSrc : null; }"""


def shown_twin(page, selector: str) -> str:
    """The currentSrc of the image of the pair at `selector` that is shown, once it has loaded."""
    pair = page.locator(selector).first.element_handle()
    page.wait_for_function(VISIBLE_TWIN, arg=pair)
    return page.evaluate(VISIBLE_TWIN, pair)


def fetched_files(page) -> list[str]:
    """Every URL the page has fetched so far (Resource Timing)."""
    return page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")


def assert_no_broken_images(page) -> None:
    page.evaluate("document.querySelectorAll('img').forEach(i => { if (i.getClientRects().length) i.loading = 'eager'; })")
    page.wait_for_function("[...document.images].filter(i => i.getClientRects().length).every(i => i.complete)")
    broken = page.evaluate("[...document.images].filter(i => i.getClientRects().length && !i.naturalWidth).map(i => i.src)")
    assert not broken, broken


def test_the_toggle_switches_a_figure_to_its_twin_and_back(open_page):
    page, watch = open_page(POST)
    body = ".prose .dark-twin"
    assert shown_twin(page, body).endswith("/assets/img/net.svg")
    assert not [url for url in fetched_files(page) if url.endswith("net.dark.svg")]  # not before it shows
    page.locator("#theme-toggle").click()
    assert theme(page) == "dark"
    assert shown_twin(page, body).endswith("/assets/img/net.dark.svg")
    page.locator("#theme-toggle").click()
    assert theme(page) == "light"
    assert shown_twin(page, body).endswith("/assets/img/net.svg")
    assert_no_broken_images(page)
    watch.assert_clean()


def test_a_dark_system_starts_on_the_twin_and_never_fetches_the_light_one(open_page):
    page, watch = open_page(POST, color_scheme="dark")  # and no stored choice
    assert theme(page) == "dark"
    assert shown_twin(page, ".prose .dark-twin").endswith("/assets/img/net.dark.svg")
    page.wait_for_timeout(300)
    fetched = fetched_files(page)
    assert not [url for url in fetched if url.endswith("/assets/img/net.svg")], fetched
    watch.assert_clean()


def test_the_cards_teaser_uses_its_twin_and_a_missing_one_shows_no_media(open_page):
    page, watch = open_page("", color_scheme="dark")
    card = page.locator(".card", has=page.locator(".card__title", has_text="Figures"))
    assert shown_twin(page, ".card .dark-twin").endswith("/assets/img/net.dark.svg")
    assert card.locator(".dark-twin").count() == 1
    gone = page.locator(".card", has=page.locator(".card__title", has_text="Teaser gone"))
    assert gone.locator("img").count() == 0 and gone.locator(".card__media").count() == 0
    page.locator("#theme-toggle").click()
    assert shown_twin(page, ".card .dark-twin").endswith("/assets/img/net.svg")
    assert_no_broken_images(page)
    watch.assert_clean()


def test_line_art_is_inverted_and_other_figures_get_a_backdrop_in_the_dark(open_page):
    page, watch = open_page(POST, color_scheme="dark")
    style = "sel => (s => ({filter: s.filter, padding: s.paddingTop, background: s.backgroundColor}))(getComputedStyle(document.querySelector(sel)))"
    inverted = page.evaluate(style, ".prose img.invert-dark")
    assert "invert(1)" in inverted["filter"] and inverted["padding"] == "0px"
    plain = page.evaluate(style, ".prose img[src$='plain.svg']")
    assert plain["filter"] == "none" and plain["padding"] != "0px" and plain["background"] == "rgb(241, 243, 245)"
    twin = page.evaluate(style, ".prose .dark-twin__dark")
    assert twin["filter"] == "none" and twin["padding"] == "0px"  # drawn for the dark page already
    page.locator("#theme-toggle").click()
    assert page.evaluate(style, ".prose img[src$='plain.svg']")["padding"] == "0px"  # light: as it is
    assert page.evaluate(style, ".prose img.invert-dark")["filter"] == "none"
    watch.assert_clean()


def test_the_heros_overlay_image_has_its_twin(open_page):
    page, watch = open_page("posts/hero/")
    layer = "getComputedStyle(document.querySelector('.hero__dark')).display"
    assert page.evaluate(layer) == "none"
    page.wait_for_timeout(200)
    assert not [url for url in fetched_files(page) if url.endswith("net.dark.svg")]  # hidden: not fetched
    page.locator("#theme-toggle").click()
    assert page.evaluate(layer) == "block"
    page.wait_for_function("performance.getEntriesByType('resource').some(e => e.name.endsWith('net.dark.svg'))")
    watch.assert_clean()


@pytest.mark.parametrize("width_name", ["desktop", "phone"])
@pytest.mark.parametrize("name, path", [("post", POST), ("home", "")])
def test_dark_screenshots(open_page, name, path, width_name):
    """dark-post-desktop.png …: what a reader of the dark theme sees, whole page."""
    page, watch = open_page(path, color_scheme="dark", **device(width_name == "phone"))
    assert theme(page) == "dark"
    assert_no_broken_images(page)
    save_screenshot(page, f"dark-{name}-{width_name}")
    watch.assert_clean()
