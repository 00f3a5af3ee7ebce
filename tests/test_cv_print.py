"""The CV page in a real headless Chromium under /sub/: printed (print media emulated, and page.pdf())
it is black on white without the site's chrome, its external links show their address and its entries
do not break across pages; on screen it fits a phone. Screenshots of /cv/ light and dark at 390 and 1280
px and of its print emulation go to tests/artifacts/screenshots/."""
from __future__ import annotations

import re

import pytest

from browser_support import Watch, save_screenshot, serve
from conftest import REPO, post, run_cli, write
from test_browser import DESKTOP, PHONE, browser  # noqa: F401 (fixture)

CORPUS = REPO / "tests" / "cv_corpus"
A4 = {"width": 794, "height": 1123}  # CSS pixels at 96 dpi
CONFIG = '''title = "Elif Şahin"
[theme]
nav = [{ title = "Projects", url = "/" }, { title = "CV", url = "/cv/" }]
'''


@pytest.fixture(scope="module")
def site_url(browser, tmp_path_factory):  # noqa: F811
    root = tmp_path_factory.mktemp("cv-print")
    write(root, {"sitegen.toml": CONFIG, "content/cv.yaml": (CORPUS / "academic.yaml").read_text(encoding="utf-8"),
                 "content/posts/2024-01-01-a.md": post("A post")})
    result = run_cli("build", "--base-url", "/sub/", cwd=root)
    assert result.code == 0, result.text
    with serve(root / "site") as url:
        yield url


@pytest.fixture
def open_cv(browser, site_url):  # noqa: F811
    contexts = []

    def open_(viewport=DESKTOP, color_scheme="light"):
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        watch = Watch().attach(page)
        response = page.goto(site_url + "cv/", wait_until="load")
        assert response is not None and response.status == 200
        return page, watch

    yield open_
    for context in contexts:
        context.close()


def shown(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_printed_it_is_black_on_white_without_the_sites_chrome(open_cv):
    page, watch = open_cv(viewport=A4, color_scheme="dark")  # a dark screen still prints light
    assert shown(page, ".site-header") and shown(page, "#theme-toggle")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-nav", "#theme-toggle", ".site-footer"):
        assert not shown(page, chrome), chrome
    printed = page.evaluate("document.body.innerText")  # what is rendered: display:none is left out
    for text in ("Projects", "Skip to content", "Atom feed", "Built with sitegen"):
        assert text not in printed, text
    assert printed.split()[:4] == ["CURRICULUM", "VITAE", "Dr.", "Elif"], printed[:80]  # the page starts with the CV
    colours = page.evaluate("""() => ({body: getComputedStyle(document.body).backgroundColor,
        name: getComputedStyle(document.querySelector('.cv__name')).color,
        heading: getComputedStyle(document.querySelector('.cv-entry__heading')).color,
        title: getComputedStyle(document.querySelector('.cv-section__title')).color})""")
    assert colours == {"body": "rgb(255, 255, 255)", "name": "rgb(0, 0, 0)", "heading": "rgb(0, 0, 0)",
                       "title": "rgb(0, 0, 0)"}
    save_screenshot(page, "cv-print")
    watch.assert_clean()


def test_printed_links_show_their_address_and_entries_keep_together(open_cv):
    page, _ = open_cv(viewport=A4)
    page.emulate_media(media="print")
    after = page.evaluate("""() => [...document.querySelectorAll('.cv a')].map(a =>
        [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
    talk = dict(after)["https://example.org/talks/grid"]
    assert talk == '" (" attr(href) ")"' or "https://example.org/talks/grid" in talk, after
    assert dict(after)["https://github.com/elif-example"] != "none"
    breaks = page.evaluate("""() => [...document.querySelectorAll('.cv-entry')].map(e =>
        getComputedStyle(e).breakInside)""")
    assert breaks and set(breaks) == {"avoid"}


def test_the_name_is_on_the_first_printed_page(open_cv):
    page, _ = open_cv(viewport=A4)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 1
    page.emulate_media(media="print")
    top = page.locator(".cv__name").bounding_box()
    assert top["y"] + top["height"] < A4["height"] - 2 * 60, top  # within the first page, margins aside
    assert page.locator(".cv__name").inner_text() == "Dr. Elif Şahin"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_screenshots_and_no_sideways_scrolling(open_cv, scheme, viewport):
    page, watch = open_cv(viewport=viewport, color_scheme=scheme)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    save_screenshot(page, f"cv-{scheme}-{viewport['width']}")
    watch.assert_clean()
