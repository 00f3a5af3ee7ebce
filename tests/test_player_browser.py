"""The player, the cards, the phone header and code blocks in a real headless Chromium, on a small site
(two short animations, a teaser image, code, a wide table and equation) built with the real CLI and
served over HTTP under /sub/.

Every page a test opens is watched: a console error, an uncaught exception, a failed request or an
HTTP status of 400 or more fails the test (see browser_support.Watch).
"""
from __future__ import annotations


import numpy as np
import pytest
from PIL import Image

from browser_support import device, save_screenshot, serve
from conftest import post, run_cli, write
from test_browser import (DESKTOP, NO_VIDEO, PHONE, browser, open_page, theme,  # noqa: F401 (fixtures)
                          wait_playing)

FPS, FRAMES = 10, 30
TITLE = "Ada Quist — Neural Dynamics and Brain Signals"  # 45 characters
assert len(TITLE) == 45
FIGURE = "figure.animation"
VIDEO = "figure.animation video"
POST = "posts/player/"

CODE = "import numpy as np\nprint(np.arange(3))"
BODY = f"""
Text before the figure.

```animation
kind: heatmap
data: data/wave.npy
size: [5, 3]
dpi: 48
fps: {FPS}
caption: A bump moving right.
alt: A bright bump moves from left to right.
```

```python
{CODE}
```

| a | b | c | d | e | f | g | h |
|---|---|---|---|---|---|---|---|
| {" | ".join(["a long table cell"] * 8)} |

$$
x_1 + x_2 + x_3 + x_4 + x_5 + x_6 + x_7 + x_8 + x_9 + x_{{10}} + x_{{11}} + x_{{12}} + x_{{13}} + x_{{14}} + x_{{15}} = y
$$
"""
CONFIG = f'''title = "{TITLE}"
[theme]
nav = [{{ title = "Projects", url = "/" }}, {{ title = "About", url = "/about/" }}, {{ title = "Tags", url = "/tags/" }}]
'''


@pytest.fixture(scope="module")
def site_url(browser, tmp_path_factory):  # noqa: F811
    """This module's small site; test_browser.open_page opens its pages."""
    root = tmp_path_factory.mktemp("player")
    write(root, {
        "sitegen.toml": CONFIG,
        "content/posts/2024-02-01-player.md": post("Player", BODY, header="{teaser: animation}",
                                                   tags="[maths, code]", categories="[Methods, Analysis]"),
        "content/posts/2024-01-01-picture.md": post("Picture", "A post with a teaser picture.",
                                                    header="{teaser: /assets/wide.png}"),
        "content/pages/about.md": post("About", "About me."),
    })
    (root / "data").mkdir()
    t = np.arange(FRAMES)[:, None, None]
    y, x = np.mgrid[0:12, 0:20]
    np.save(root / "data/wave.npy", np.exp(-((x - 2 - t * 0.5) ** 2 + (y - 6) ** 2) / 6.0))
    (root / "content/assets").mkdir(parents=True)
    Image.new("RGB", (300, 100), (40, 120, 160)).save(root / "content/assets/wide.png")
    result = run_cli("build", "--base-url", "/sub/", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    with serve(root / "site") as url:
        yield url


def control(page, label: str):
    return page.locator(f"{FIGURE} .player [aria-label='{label}']")


def video_state(video) -> dict:
    return video.evaluate("""v => ({paused: v.paused, time: v.currentTime, rate: v.playbackRate, loop: v.loop,
        src: v.currentSrc, controls: v.controls,
        readout: v.closest('figure').querySelector('.player__readout').textContent,
        dark: new URL(v.getAttribute('data-dark-' + v.querySelector('source').dataset.format), document.baseURI).href})""")


def paused_at(page, video, frame: int) -> dict:
    """Pause, then wait until the video shows `frame` (0-based) of the player's readout."""
    page.wait_for_function("([v, text]) => v.paused && !v.seeking && v.readyState >= 2 && "
                           "v.closest('figure').querySelector('.player__readout').textContent.startsWith(text)",
                           arg=[video.element_handle(), f"frame {frame}/{FRAMES} "])
    return video_state(video)


def wait_paused(page, video) -> None:
    """Wait until `video` is paused with its bar showing Play (events land late on a busy machine),
    then check that it stays paused."""
    page.wait_for_function(
        """v => v.paused && v.closest('figure').querySelector(".player [aria-label='Play']") !== null""",
        arg=video.element_handle(), timeout=5_000)
    page.wait_for_timeout(300)
    assert video_state(video)["paused"]


def start(page):
    video = page.locator(VIDEO)
    video.scroll_into_view_if_needed()
    wait_playing(page, video)
    return video


# ---------------------------------------------------------------------------------------------------
# The player


def test_the_bar_sits_under_the_figure_with_labelled_controls(open_page):
    page, watch = open_page(POST)
    video = page.locator(VIDEO)
    assert not video_state(video)["controls"]  # the bar replaces the browser's own controls
    media, bar = page.locator(".animation__media").bounding_box(), page.locator(".player").bounding_box()
    assert bar["y"] >= media["y"] + media["height"] - 1, (media, bar)  # below, never over the figure
    labels = ["Previous frame", "Next frame", "Frame", "Speed", "Loop", "Full screen"]
    for label in labels:
        assert control(page, label).count() == 1, label
    # Every control is reached with Tab and shows where the focus is.
    page.locator(".player__play").focus()
    seen = []
    for _ in range(7):
        seen.append(page.evaluate("""() => { const e = document.activeElement;
            return [e.getAttribute('aria-label'), getComputedStyle(e).outlineStyle]; }"""))
        page.keyboard.press("Tab")
    assert seen[0][0] in ("Play", "Pause") and [label for label, _ in seen[1:]] == labels, seen
    assert all(style != "none" for label, style in seen if label != "Speed"), seen
    watch.assert_clean()


def test_pause_and_play_by_button_click_and_keyboard(open_page):
    page, watch = open_page(POST)
    video = start(page)
    control(page, "Pause").click()
    wait_paused(page, video)
    assert control(page, "Play").count() == 1
    control(page, "Play").click()
    wait_playing(page, video)
    video.click()  # the figure itself
    wait_paused(page, video)
    video.click()
    wait_playing(page, video)
    control(page, "Pause").focus()
    page.keyboard.press("k")
    wait_paused(page, video)
    page.keyboard.press("Enter")  # the focused play button
    wait_playing(page, video)
    page.locator(".player__scrub").focus()
    page.keyboard.press(" ")
    wait_paused(page, video)
    # A reader's pause outlasts scrolling away and back.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    video.scroll_into_view_if_needed()
    page.wait_for_timeout(600)
    assert video_state(video)["paused"]
    watch.assert_clean()


def test_the_scrubber_seeks_and_arrows_step_one_frame(open_page):
    page, watch = open_page(POST)
    video = start(page)
    control(page, "Pause").click()
    page.locator(".player__scrub").fill("10")  # sets the value and fires input, as dragging does
    at = paused_at(page, video, 10)
    assert at["readout"] == f"frame 10/{FRAMES} · 1.00 s"
    assert int(page.locator(".player__scrub").get_attribute("max")) == FRAMES - 1

    frame = 10
    for key, by in (("ArrowRight", 1), ("ArrowRight", 1), (".", 1), ("ArrowLeft", -1), (",", -1)):
        before = video_state(video)["time"]
        page.keyboard.press(key)
        frame += by
        after = paused_at(page, video, frame)
        assert after["time"] - before == pytest.approx(by / FPS, abs=1e-3), (key, before, after)
        assert after["readout"] == f"frame {frame}/{FRAMES} · {frame / FPS:.2f} s"
    control(page, "Next frame").click()
    assert paused_at(page, video, 12)["time"] == pytest.approx(12.5 / FPS, abs=1e-3)
    control(page, "Previous frame").click()
    control(page, "Previous frame").click()
    paused_at(page, video, 10)
    page.locator(".player__scrub").focus()
    page.keyboard.press("Home")  # the scrubber's own keys
    assert paused_at(page, video, 0)["readout"] == f"frame 0/{FRAMES} · 0.00 s"
    page.keyboard.press("ArrowLeft")  # no frame before the first
    assert paused_at(page, video, 0)["time"] == pytest.approx(0.5 / FPS, abs=1e-3)
    watch.assert_clean()


def test_speed_loop_and_full_screen(open_page):
    page, watch = open_page(POST)
    video = start(page)
    options = page.locator(".player__speed option").all_inner_texts()
    assert options[0] == "0.25×" and options[-1] == "2×" and "1×" in options
    page.locator(".player__speed").select_option("0.5")
    assert video_state(video)["rate"] == 0.5
    page.locator(".player__speed").select_option("2")
    assert video_state(video)["rate"] == 2
    loop = control(page, "Loop")
    assert loop.get_attribute("aria-pressed") == "true" and video_state(video)["loop"]
    loop.click()
    assert loop.get_attribute("aria-pressed") == "false" and not video_state(video)["loop"]
    control(page, "Full screen").click()
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.matches('figure.animation')")
    assert control(page, "Exit full screen").count() == 1
    page.keyboard.press("f")
    page.wait_for_function("!document.fullscreenElement")
    watch.assert_clean()


def test_switching_the_theme_keeps_the_frame_the_pause_and_the_speed(open_page):
    page, watch = open_page(POST)
    video = start(page)
    page.locator(".player__speed").select_option("0.5")
    control(page, "Pause").click()
    page.locator(".player__scrub").fill("15")
    before = paused_at(page, video, 15)
    page.locator("#theme-toggle").click()
    assert theme(page) == "dark"
    page.wait_for_function("v => v.currentSrc === new URL(v.getAttribute('data-dark-' + "
                           "v.querySelector('source').dataset.format), document.baseURI).href",
                           arg=video.element_handle())
    after = paused_at(page, video, 15)
    assert after["time"] == pytest.approx(before["time"], abs=1e-3) and after["rate"] == 0.5, (before, after)
    control(page, "Play").click()
    wait_playing(page, video, after["dark"])
    watch.assert_clean()


def test_reduced_motion_starts_paused_on_the_poster(open_page):
    page, watch = open_page(POST, reduced_motion="reduce")
    video = page.locator(VIDEO)
    video.scroll_into_view_if_needed()
    page.wait_for_timeout(1_000)
    now = video_state(video)
    assert now["paused"] and now["time"] == 0, now
    assert video.evaluate("v => v.poster").endswith("-poster.png")
    control(page, "Play").click()  # the reader can still start it
    wait_playing(page, video)
    watch.assert_clean()


def test_the_gif_fallback_plays_and_pauses(open_page):
    page, watch = open_page(POST, init_script=NO_VIDEO)
    gif = page.locator(f"{FIGURE} img.animation__gif")
    gif.scroll_into_view_if_needed()
    assert gif.evaluate("i => i.getAttribute('src')").endswith(".gif")
    assert page.locator(".player [aria-label]").count() == 1  # a GIF has play/pause only
    control(page, "Pause").click()
    page.wait_for_function("i => i.getAttribute('src').endsWith('-poster.png') && i.complete && i.naturalWidth",
                           arg=gif.element_handle())
    control(page, "Play").click()
    assert gif.evaluate("i => i.getAttribute('src')").endswith(".gif")
    gif.click()
    assert gif.evaluate("i => i.getAttribute('src')").endswith("-poster.png")
    page.locator("#theme-toggle").click()  # paused stays paused, in the dark variant's poster
    assert gif.evaluate("i => i.getAttribute('src') === i.dataset.darkPoster")
    watch.assert_clean()


def test_a_card_plays_its_teaser_without_controls(open_page):
    page, watch = open_page("")
    video = page.locator(".card video")
    video.scroll_into_view_if_needed()
    wait_playing(page, video)
    assert page.locator(".card .player").count() == 0 and not video.evaluate("v => v.controls")
    watch.assert_clean()


# ---------------------------------------------------------------------------------------------------
# Cards, phone layout, code blocks


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_card_media_take_the_aspect_ratio_of_their_file(open_page, viewport):
    page, watch = open_page("", viewport=viewport)
    boxes = page.locator(".card__media")
    assert boxes.count() == 2
    for box in boxes.all():
        box.scroll_into_view_if_needed()
        page.wait_for_function("""m => { const e = m.querySelector('img, video');
            return e.tagName === 'IMG' ? e.complete && e.naturalWidth > 0 : e.readyState >= 1; }""",
                               arg=box.element_handle())
        ratios = box.evaluate("""m => { const e = m.querySelector('img, video'), r = m.getBoundingClientRect();
            const w = e.naturalWidth || e.videoWidth, h = e.naturalHeight || e.videoHeight;
            return [r.width / (r.height - 1), w / h]; }""")  # the box's 1 px bottom border
        assert ratios[0] == pytest.approx(ratios[1], rel=0.02), ratios
    assert page.evaluate("[...document.querySelectorAll('.card__media img')].every("
                         "i => getComputedStyle(i).objectFit !== 'cover')")
    watch.assert_clean()


@pytest.mark.parametrize("javascript", [True, False], ids=["menu", "no-js"])
def test_the_phone_header_is_at_most_two_short_rows(open_page, javascript):
    page, watch = open_page("", viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript)
    height = page.locator(".site-header").bounding_box()["height"]
    assert height <= 120, height
    links = page.locator(".site-nav a")
    if not javascript:
        assert links.first.is_visible()
        return
    menu = page.locator(".nav-toggle")
    assert menu.is_visible() and menu.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true" and links.nth(2).is_visible()
    assert page.locator(".site-header").bounding_box()["height"] == height  # the menu drops over the page
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not links.first.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    watch.assert_clean()


def test_phone_post_scrolls_wide_maths_and_tables_inside_their_box(open_page):
    page, watch = open_page(POST, viewport=PHONE, is_mobile=True, has_touch=True)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 1
    for selector in (".prose .math-display", ".prose table"):
        box = page.locator(selector).first
        assert box.evaluate("e => e.scrollWidth > e.clientWidth + 20 && getComputedStyle(e).overflowX === 'auto'"), \
            selector
    # Meta line items wrap without a "·" at the start of a line: each line's first separator is clipped.
    for item in page.locator(".entry-meta > *").all():
        first_on_line = item.evaluate("e => e.getBoundingClientRect().left < e.parentElement.getBoundingClientRect().left")
        assert first_on_line == item.evaluate("e => e === e.parentElement.firstElementChild || "
                                              "e.getBoundingClientRect().top > e.previousElementSibling.getBoundingClientRect().top + 2")
    watch.assert_clean()


def test_a_code_block_has_its_language_and_a_copy_button(open_page):
    page, watch = open_page(POST, permissions=["clipboard-read", "clipboard-write"])
    bar = page.locator(".highlight .code-bar")
    assert bar.count() == 1
    assert bar.locator(".code-bar__lang").inner_text().lower() == "python"
    button = bar.locator("button")
    assert button.get_attribute("aria-label") == "Copy the python code"
    button.click()
    page.wait_for_function("document.querySelector('.code-bar__status').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == CODE
    watch.assert_clean()


@pytest.mark.parametrize("width_name", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_player_screenshots(open_page, scheme, width_name):
    """player-light-desktop.png …: the post with its figure paused on a frame, the bar and a code block."""
    page, watch = open_page(POST, color_scheme=scheme, **device(width_name == "phone"))
    video = start(page)
    control(page, "Pause").click()
    page.locator(".player__scrub").fill("12")
    paused_at(page, video, 12)
    page.evaluate("window.scrollTo(0, 0)")
    save_screenshot(page, f"player-{scheme}-{width_name}")
    watch.assert_clean()
