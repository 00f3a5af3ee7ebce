"""The built example site in a real headless Chromium, served over HTTP under /sub/.

Every page a test opens is watched: a console error, an uncaught exception, a failed request or an
HTTP status of 400 or more fails the test (see browser_support.Watch).

Needs Chromium (/usr/bin/chromium, or $SITEGEN_CHROMIUM) and Playwright for Python; without them these
tests are skipped, except under CI=true, where they fail.
"""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from browser_support import (CHROMIUM_ARGS, DESKTOP, PHONE, Watch, chromium_path, device,  # noqa: F401 (PHONE: for other modules)
                             missing, save_screenshot, serve)
from conftest import REPO, post, write

POST = "posts/lfp-position-decoding/"  # two autoplaying, looping trace animations, light and dark
VIDEO = "figure.animation video"


# ---------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as error:
            missing(f"Chromium at {executable} does not start: {error}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_url(browser, request):
    """The example portfolio (built with --base-url /sub/) on a real HTTP server under /sub/.
    The example is asked for only once the browser is there, so that a missing browser skips at once."""
    example_site: Path = request.getfixturevalue("example_site")
    with serve(example_site / "site") as url:
        yield url


@pytest.fixture
def open_page(browser, site_url):
    """open_page(path, **context options) -> (page, watch): a fresh browser context (own storage)."""
    contexts = []

    def open_(path: str = "", *, init_script: str | None = None, **options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("color_scheme", "light")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        watch = Watch().attach(page)
        response = page.goto(site_url + path, wait_until="load")
        assert response is not None and response.status == 200, path
        return page, watch

    yield open_
    for context in contexts:
        context.close()


# ---------------------------------------------------------------------------------------------------
# Helpers run in the page


def state(video) -> dict:
    return video.evaluate("""v => ({
        paused: v.paused, time: v.currentTime, frames: v.getVideoPlaybackQuality().totalVideoFrames,
        src: v.currentSrc, poster: v.poster, controls: v.controls, readyState: v.readyState,
        source: v.querySelector("source") && v.querySelector("source").src,
        // the variant's file of the format the first <source> holds (the smallest the browser plays)
        lightVideo: (f => new URL(v.getAttribute("data-light-" + f), document.baseURI).href)(
            v.querySelector("source").dataset.format),
        darkVideo: (f => new URL(v.getAttribute("data-dark-" + f), document.baseURI).href)(
            v.querySelector("source").dataset.format),
        lightPoster: new URL(v.dataset.lightPoster, document.baseURI).href,
        darkPoster: new URL(v.dataset.darkPoster, document.baseURI).href,
        inView: (r => r.bottom > 0 && r.top < innerHeight)(v.getBoundingClientRect()),
    })""")


def theme(page) -> str:
    return page.evaluate("document.documentElement.dataset.theme")


def wait_playing(page, video, src: str | None = None) -> None:
    """Wait until `video` plays (from `src`, if given)."""
    page.wait_for_function(
        "([v, src]) => !v.paused && v.currentTime > 0 && v.readyState >= 2 && (!src || v.currentSrc === src)",
        arg=[video.element_handle(), src], timeout=8_000)


def assert_advances(page, video) -> None:
    """Frames are presented and currentTime moves over a second and a bit."""
    before = state(video)
    page.wait_for_timeout(1_200)
    after = state(video)
    assert not after["paused"]
    assert after["frames"] >= before["frames"] + 10, (before, after)  # ~1.2 s of a 20+ fps animation
    assert after["time"] != before["time"], (before, after)


def scroll_away(page, video) -> None:
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("v => (r => r.bottom < 0 || r.top > innerHeight)(v.getBoundingClientRect())",
                           arg=video.element_handle())


# ---------------------------------------------------------------------------------------------------
# The test server itself (no browser needed)


def test_the_test_server_sends_media_types_and_byte_ranges(tmp_path):
    (tmp_path / "a.webm").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "i.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with serve(tmp_path) as url:
        with urllib.request.urlopen(url + "a.webm") as response:
            assert response.status == 200 and response.headers["Content-Type"] == "video/webm"
            assert response.headers["Accept-Ranges"] == "bytes" and len(response.read()) == 1024
        request = urllib.request.Request(url + "a.webm", headers={"Range": "bytes=1000-"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 206 and response.headers["Content-Range"] == "bytes 1000-1023/1024"
            assert response.read() == bytes(range(232, 256))
        request = urllib.request.Request(url + "a.webm", headers={"Range": "bytes=2-3"})
        with urllib.request.urlopen(request) as response:
            assert response.read() == bytes([2, 3])
        with urllib.request.urlopen(url + "i.svg") as response:
            assert response.headers["Content-Type"] == "image/svg+xml"
        with pytest.raises(urllib.error.HTTPError) as outside:
            urllib.request.urlopen(url.replace("/sub/", "/") + "a.webm")
        assert outside.value.code == 404


# ---------------------------------------------------------------------------------------------------
# Pages


def test_home_page_shows_the_project_cards(open_page, site_url):
    page, watch = open_page("")
    assert page.title().startswith("Mara Lindqvist")
    cards = page.locator(".card-grid .card")
    assert cards.count() >= 5
    for i in range(cards.count()):
        card = cards.nth(i)
        title = card.locator(".card__title a")
        assert title.inner_text().strip()
        href = title.evaluate("a => a.href")
        assert href.startswith(site_url + "posts/"), href
        media = card.locator(".card__media")
        assert media.is_visible()
        box = media.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 50, box
        media.scroll_into_view_if_needed()
        # The card's picture (lazy) has loaded, or it is a video/CSS placeholder.
        page.wait_for_function("""m => {
            const img = m.querySelector("img");
            return img ? img.complete && img.naturalWidth > 0 : Boolean(m.querySelector("video, .card__placeholder"));
        }""", arg=media.element_handle())
    watch.assert_clean()


def test_every_post_page_loads_cleanly(open_page, site_url):
    """Follow each card to its post: a title, and every animation is a <video> or a GIF."""
    page, watch = open_page("")
    links = page.eval_on_selector_all(".card-grid .card__title a", "as => as.map(a => a.href)")
    assert len(links) >= 5
    animations = 0
    for link in links:
        page.goto(link, wait_until="load")
        assert page.locator("h1").first.inner_text().strip(), link
        for figure in page.locator("figure.animation").all():
            assert figure.locator("video[data-animation], img[data-animation]").count() == 1, link
            animations += 1
    assert animations >= 5
    watch.assert_clean()


# ---------------------------------------------------------------------------------------------------
# The animation player


def test_animation_plays_in_view_and_pauses_out_of_view(open_page):
    page, watch = open_page(POST)
    video = page.locator(VIDEO).first
    before = state(video)
    assert before["paused"] and before["time"] == 0 and not before["inView"]
    assert not before["controls"]  # the player's bar under the figure, not the browser's controls over it

    video.scroll_into_view_if_needed()
    wait_playing(page, video)
    assert_advances(page, video)
    assert state(video)["src"].endswith((".webm", ".mp4"))

    scroll_away(page, video)
    page.wait_for_function("v => v.paused", arg=video.element_handle(), timeout=3_000)
    paused_at = state(video)["time"]
    page.wait_for_timeout(400)
    assert state(video)["time"] == paused_at

    video.scroll_into_view_if_needed()  # and back: it resumes
    wait_playing(page, video)
    watch.assert_clean()


NO_VIDEO = "HTMLMediaElement.prototype.canPlayType = function () { return ''; };"


def test_gif_fallback_where_video_cannot_play(open_page):
    page, watch = open_page(POST, init_script=NO_VIDEO)
    assert page.locator(VIDEO).count() == 0
    gifs = page.locator("figure.animation img.animation__gif")
    assert gifs.count() == page.locator("figure.animation").count() >= 1
    gif = gifs.first
    gif.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=gif.element_handle())
    info = gif.evaluate("i => ({src: i.src, w: i.naturalWidth, alt: i.alt, dark: i.dataset.darkGif})")
    assert info["src"].endswith(".gif") and info["w"] > 0 and info["alt"]

    # The GIF follows the theme too.
    page.locator("#theme-toggle").click()
    assert theme(page) == "dark"
    gif.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0 && i.getAttribute('src') === i.dataset.darkGif",
                           arg=gif.element_handle())
    watch.assert_clean()


NO_WEBM = """(() => {
  const can = HTMLMediaElement.prototype.canPlayType;
  HTMLMediaElement.prototype.canPlayType = function (type) { return /webm/.test(type) ? "" : can.call(this, type); };
})();"""


def test_the_sources_come_smallest_first_with_their_exact_codecs(open_page):
    page, watch = open_page(POST)
    video = page.locator(VIDEO).first
    sources = video.evaluate("""v => [...v.querySelectorAll("source")].map(s => ({type: s.type, src: s.src,
        format: s.dataset.format, playable: v.canPlayType(s.type)}))""")
    assert [s["format"] for s in sources] and {s["format"] for s in sources} == {"webm", "mp4"}, sources
    for s in sources:
        assert re.fullmatch(r'video/webm; codecs="(av01\.0\.\d\dM\.08|vp9)"|video/mp4; codecs="avc1\.[0-9a-f]{6}"',
                            s["type"]), s
        assert s["playable"], s  # this Chromium plays both: AV1 (dav1d) and H.264
    sizes = [int(page.evaluate("url => fetch(url, {method: 'HEAD'}).then(r => r.headers.get('content-length'))",
                               s["src"])) for s in sources]
    assert sizes == sorted(sizes), (sources, sizes)
    video.scroll_into_view_if_needed()
    wait_playing(page, video, sources[0]["src"])  # the browser plays the first, the smallest
    watch.assert_clean()


def test_a_browser_without_webm_plays_the_mp4(open_page):
    page, watch = open_page(POST, init_script=NO_WEBM)
    video = page.locator(VIDEO).first
    assert video.evaluate("v => [...v.querySelectorAll('source')].map(s => s.dataset.format)") == ["mp4"]
    video.scroll_into_view_if_needed()
    wait_playing(page, video)
    assert state(video)["src"].endswith(".mp4")
    assert_advances(page, video)
    assert page.locator("figure.animation img.animation__gif").count() == 0  # the GIF only where no video plays
    page.locator("#theme-toggle").click()  # and the dark variant's MP4 after the toggle
    page.wait_for_function("v => v.currentSrc.endsWith('.mp4') && v.currentSrc === "
                           "new URL(v.dataset.darkMp4, document.baseURI).href", arg=video.element_handle())
    watch.assert_clean()


def test_reduced_motion_does_not_autoplay(open_page):
    page, watch = open_page(POST, reduced_motion="reduce")
    video = page.locator(VIDEO).first
    video.scroll_into_view_if_needed()
    page.wait_for_timeout(1_500)
    now = state(video)
    assert now["inView"] and now["paused"] and now["time"] == 0, now
    # without autoplay the reader needs a way to start it: the player's bar (the browser's controls without it)
    assert page.locator("figure.animation .player__play").first.get_attribute("aria-label") == "Play"
    watch.assert_clean()


def test_reduced_motion_gif_fallback_shows_the_still_poster(open_page):
    page, watch = open_page(POST, reduced_motion="reduce", init_script=NO_VIDEO)
    img = page.locator("figure.animation img.animation__gif").first
    img.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    assert img.evaluate("i => i.src").endswith("-poster.png")
    watch.assert_clean()


# ---------------------------------------------------------------------------------------------------
# Light and dark


def test_theme_toggle_switches_page_and_animation_and_is_remembered(open_page):
    page, watch = open_page(POST, color_scheme="light")
    toggle = page.locator("#theme-toggle")
    video = page.locator(VIDEO).first
    assert theme(page) == "light" and toggle.get_attribute("aria-pressed") == "false"
    light = state(video)
    assert light["poster"] == light["lightPoster"] and light["source"] == light["lightVideo"]
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")

    video.scroll_into_view_if_needed()
    wait_playing(page, video, light["lightVideo"])

    toggle.click()
    assert theme(page) == "dark" and toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('sitegen-theme')") == "dark"
    # the background fades over 0.2 s: wait for it to differ
    page.wait_for_function("b => getComputedStyle(document.body).backgroundColor !== b", arg=background,
                           timeout=3000)
    dark = state(video)
    assert dark["poster"] == dark["darkPoster"] and dark["source"] == dark["darkVideo"], dark
    video.scroll_into_view_if_needed()
    wait_playing(page, video, dark["darkVideo"])
    assert_advances(page, video)

    page.reload(wait_until="load")
    assert theme(page) == "dark" and toggle.get_attribute("aria-pressed") == "true"
    after = state(video)
    assert after["poster"] == after["darkPoster"] and after["source"] == after["darkVideo"], after

    toggle.click()  # and back
    assert theme(page) == "light" and page.evaluate("localStorage.getItem('sitegen-theme')") == "light"
    assert state(video)["poster"] == light["lightPoster"]
    watch.assert_clean()


def test_system_theme_change_swaps_a_playing_video(open_page):
    """With no remembered choice the page follows prefers-color-scheme live; a playing animation switches
    to the other variant and keeps playing."""
    page, watch = open_page(POST, color_scheme="light")
    video = page.locator(VIDEO).first
    video.scroll_into_view_if_needed()
    wait_playing(page, video)
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    wait_playing(page, video, state(video)["darkVideo"])
    assert state(video)["poster"] == state(video)["darkPoster"]
    assert_advances(page, video)
    watch.assert_clean()


@pytest.mark.parametrize("how", ["system dark", "remembered dark", "toggled before scrolling"])
def test_a_dark_page_plays_the_dark_variant(open_page, site_url, how):
    if how == "system dark":
        page, watch = open_page(POST, color_scheme="dark")
    elif how == "remembered dark":
        page, watch = open_page(POST, color_scheme="light",
                                init_script="localStorage.setItem('sitegen-theme', 'dark');")
    else:
        page, watch = open_page(POST, color_scheme="light")
        page.locator("#theme-toggle").click()
    assert theme(page) == "dark"
    video = page.locator(VIDEO).first
    video.scroll_into_view_if_needed()
    wait_playing(page, video)
    now = state(video)
    assert now["poster"] == now["darkPoster"]
    assert now["src"] == now["darkVideo"], f"plays {now['src']} under the dark poster {now['poster']}"
    watch.assert_clean()


def test_a_playable_video_does_not_download_its_gif(browser, site_url):
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(site_url + POST, wait_until="load")
        video = page.locator(VIDEO).first
        video.scroll_into_view_if_needed()
        wait_playing(page, video)
        gifs = [url for url in requested if url.endswith(".gif")]
        assert not gifs, gifs
    finally:
        context.close()


def test_animation_box_fits_its_video(open_page):
    page, watch = open_page(POST)
    for figure in page.locator("figure.animation").all():
        media, video = figure.locator(".animation__media").bounding_box(), figure.locator("video").bounding_box()
        assert abs(media["height"] - video["height"]) <= 2, (media, video)
    watch.assert_clean()


# ---------------------------------------------------------------------------------------------------
# Screenshots for a person to look at: tests/artifacts/screenshots/


@pytest.mark.parametrize("width_name", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(open_page, width_name, scheme):
    """home-light-desktop.png … post-dark-phone.png: two pages, two themes, two widths."""
    phone = width_name == "phone"
    for name, path in (("home", ""), ("post", POST)):
        page, watch = open_page(path, color_scheme=scheme, **device(phone))
        assert theme(page) == scheme
        # Nothing sticks out sideways on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than a {width_name} screen"
        # Lazy images below the fold would be blank in a full-page screenshot: load them all now.
        page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
        save_screenshot(page, f"{name}-{scheme}-{width_name}", min_bytes=20_000)
        watch.assert_clean()


# ---------------------------------------------------------------------------------------------------
# `sitegen serve`: live reload


def _serve_available() -> bool:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        proc = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--help"], capture_output=True,
                              env=env, timeout=60, cwd=REPO)
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0


def test_serve_reloads_the_page_when_a_post_changes(browser, tmp_path):
    if not _serve_available():
        pytest.skip("serve not implemented")
    root = tmp_path / "live"
    write(root, {
        "content/posts/2024-01-05-hello.md": post("Hello", "The first version of this post."),
        "sitegen.toml": 'title = "Live"\n',
    })
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", "0", "--root", str(root)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=root)
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump(stream) -> None:
        for line in stream:
            output.append(line)
            lines.put(line)

    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=pump, args=(stream,), daemon=True).start()
    context = None
    try:
        deadline = time.monotonic() + 60  # the first build
        url = None
        while url is None and time.monotonic() < deadline and proc.poll() is None:
            try:
                match = re.search(r"http://127\.0\.0\.1:(\d+)/\S*", lines.get(timeout=0.5))
            except queue.Empty:
                continue
            url = match.group(0) if match else None
        assert url, "no http://127.0.0.1:PORT/ line from sitegen serve:\n" + "".join(output)

        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        watch = Watch().attach(page)
        page.goto(urljoin(url, "posts/hello/"), wait_until="load")
        assert "The first version" in page.inner_text("main")
        page.wait_for_timeout(500)  # let the page connect to the reload channel

        (root / "content/posts/2024-01-05-hello.md").write_text(post("Hello", "The second version, edited."),
                                                                  encoding="utf-8")
        page.wait_for_function("document.querySelector('main') && "
                               "document.querySelector('main').innerText.includes('The second version')",
                               timeout=10_000)
        assert "The first version" not in page.inner_text("main")
        watch.assert_clean()
        context.close()
        context = None

        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail("sitegen serve did not exit within 5 s of SIGINT")
        time.sleep(0.2)
        assert "Traceback" not in "".join(output), "".join(output)
    finally:
        if context is not None:
            context.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
