"""The header's search box (search.js on Pagefind's index) in a real headless Chromium: a small site built
with the real CLI under /sub/ and served over HTTP as GitHub Pages serves a project site.

Every page a test opens is watched: a console error, an uncaught exception, a failed request or an
HTTP status of 400 or more fails the test (see browser_support.Watch)."""
from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import save_screenshot, serve
from conftest import post, run_cli, write
from test_browser import DESKTOP, PHONE, browser, open_page  # noqa: F401 (fixtures)

UNIQUE = "quokkalith"  # in one post only
BOX = ".site-search__input"
RESULT = ".site-search__result"
CONFIG = '''title = "Ada Quist — Neural Dynamics and Brain Signals"
[theme]
nav = [{ title = "Projects", url = "/" }, { title = "About", url = "/about/" }, { title = "Tags", url = "/tags/" }]
'''


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search")
    write(root, {
        "sitegen.toml": CONFIG,
        "content/posts/2024-01-01-alpha.md": post("Alpha rhythms", "Occipital alpha at rest, recorded with EEG.",
                                                  tags="[eeg]"),
        "content/posts/2024-02-01-beta.md": post(
            "Beta bursts", f"Motor beta bursts. In the sensorimotor strip a {UNIQUE} appears, then fades; "
                           "its timing follows the movement.", tags="[motor]"),
        "content/posts/2024-03-01-gamma.md": post("Gamma in the hippocampus", "Fast gamma, seen in EEG too.",
                                                  tags="[eeg]"),
        "content/pages/about.md": post("About", "About me."),
    })
    result = run_cli("build", "--base-url", "/sub/", cwd=root)
    assert result.code == 0, result.text
    return root


@pytest.fixture(scope="module")
def site_url(browser, built):  # noqa: F811
    """This module's site; test_browser.open_page opens its pages."""
    with serve(built / "site") as url:
        yield url


def search(page, term: str, count: int):
    """Type `term` into the box (which has the focus) and wait for `count` results."""
    page.keyboard.type(term)
    page.wait_for_function("n => document.querySelectorAll('.site-search__result').length === n && "
                           "document.querySelector('.site-search__status').textContent !== ''", arg=count)
    return page.locator(RESULT)


def focused(page) -> str:
    return page.evaluate("document.activeElement.className")


def test_a_word_only_one_post_has_finds_that_post_and_its_link_opens_it(open_page, site_url):
    page, watch = open_page("")
    page.keyboard.press("/")
    assert "site-search__input" in focused(page)
    results = search(page, UNIQUE, 1)
    assert page.locator(".site-search__status").inner_text() == "1 result"
    assert results.locator(".site-search__title").inner_text() == "Beta bursts"
    assert results.locator("mark").inner_text().lower() == UNIQUE
    excerpt = results.locator(".site-search__excerpt").inner_text()
    assert excerpt.startswith("Motor beta bursts. In the sensorimotor strip")  # the title is not said twice
    assert results.locator("a").get_attribute("href") == "/sub/posts/beta/"  # under the sub-path
    with page.expect_navigation():
        results.locator("a").click()
    assert page.url == site_url + "posts/beta/" and "Beta bursts" in page.title()
    watch.assert_clean()


def test_the_keyboard_chooses_a_result_and_enter_opens_it(open_page, site_url):
    page, watch = open_page("about/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('afterbegin', '<input id=other>')")
    page.focus("#other")
    page.keyboard.press("/")  # typed into another field: not a shortcut
    assert page.input_value("#other") == "/" and not page.locator(BOX).is_visible()
    page.locator("#other").blur()
    page.keyboard.press("/")
    results = search(page, "eeg", 2)
    box = page.locator(BOX)
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert results.nth(1).get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == results.nth(1).get_attribute("id")
    page.keyboard.press("ArrowDown")  # round to the first
    assert results.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("Tab")  # on past the box: it closes
    assert not box.is_visible() and "theme-toggle" in focused(page)
    page.keyboard.press("/")
    assert box.is_visible() and results.count() == 2
    page.keyboard.press("Escape")  # the box closes, and the focus goes back to its button
    assert not box.is_visible() and box.get_attribute("aria-expanded") == "false"
    assert "search-toggle" in focused(page)
    page.keyboard.press("Enter")  # the button opens the box again, with the term and its results
    assert box.is_visible() and box.input_value() == "eeg" and results.nth(0).is_visible()
    target = results.nth(0).locator("a").get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # nothing chosen: the first result
    assert page.url == site_url.rsplit("/sub/", 1)[0] + target
    watch.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wide_screen_results_look_right(open_page, scheme):
    page, watch = open_page("", color_scheme=scheme)
    header = page.locator(".site-header").bounding_box()["height"]
    assert header < 70  # the button keeps a header that fits on one row on one row
    page.keyboard.press("/")
    search(page, "bursts", 1)
    page.keyboard.press("ArrowDown")
    box = page.locator(".site-search__box").bounding_box()
    column = page.locator(".site-header__inner").bounding_box()
    assert box["x"] >= column["x"] and box["x"] + box["width"] <= column["x"] + column["width"]
    assert page.locator(".site-header").bounding_box()["height"] == header  # it drops over the page
    save_screenshot(page, f"search-{scheme}-1280", full_page=False)
    page.mouse.click(10, DESKTOP["height"] - 10)  # a click elsewhere closes it
    assert not page.locator(BOX).is_visible()
    watch.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_box_opens_below_a_one_row_header(open_page, scheme):
    page, watch = open_page("", viewport=PHONE, is_mobile=True, has_touch=True, color_scheme=scheme)
    header = page.locator(".site-header").bounding_box()["height"]
    toggle, box = page.locator(".search-toggle"), page.locator(BOX)
    assert header <= 120 and toggle.is_visible() and not box.is_visible()
    toggle.tap()
    assert box.is_visible() and "site-search__input" in focused(page)
    assert toggle.get_attribute("aria-expanded") == "true"
    results = search(page, UNIQUE, 1)
    card = results.first.bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]
    assert page.locator(".site-header").bounding_box()["height"] == header
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    save_screenshot(page, f"search-{scheme}-390", full_page=False)
    with page.expect_navigation():
        results.first.locator("a").tap()
    assert page.url.endswith("/sub/posts/beta/")
    watch.assert_clean()


def test_without_javascript_there_is_no_dead_box(open_page):
    page, watch = open_page("", java_script_enabled=False)
    assert not page.locator(".site-search").is_visible()
    watch.assert_clean()


def test_a_page_opened_from_disk_says_search_needs_a_server(browser, built):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((built / "site" / "index.html").as_uri(), wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("beta")
        status = page.locator(".site-search__status")
        status.wait_for()
        assert "served" in status.inner_text() and page.locator(RESULT).count() == 0 and not errors
    finally:
        context.close()
