"""A site opened from disk (file://): `sitegen build --for-disk` (or base_url = '.') ends every link to a
folder in index.html, since a browser shows a file:// folder as a directory listing. Checked in the HTML
and by clicking through the built site in a real Chromium with no server at all."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from browser_support import Watch
from conftest import post, read, run_cli, write
from test_browser import DESKTOP, browser, wait_playing  # noqa: F401 (fixtures)
from sitegen.urls import relative_to_page

CONFIG = '''title = "On disk"
[theme]
nav = [{ title = "Projects", url = "/" }, { title = "About", url = "/about/" }]
'''
BODY = """
See [the other project](/posts/second/) and [a heading](/posts/second/#results).

```animation
kind: heatmap
data: data/wave.npy
size: [4, 3]
dpi: 40
fps: 10
alt: A bump moves right.
```
"""


def _site(root: Path, config: str = CONFIG) -> Path:
    write(root, {
        "sitegen.toml": config,
        "content/posts/2024-02-01-first.md": post("First", BODY, tags="[waves]", header="{teaser: animation}"),
        "content/posts/2024-01-01-second.md": post("Second", "## Results\n\nSee [the first](/posts/first/)."),
        "content/pages/about.md": post("About", "About me.", permalink="/about/"),
    })
    (root / "data").mkdir(exist_ok=True)
    t = np.arange(12)[:, None, None]
    y, x = np.mgrid[0:8, 0:12]
    np.save(root / "data/wave.npy", np.exp(-((x - 2 - t * 0.5) ** 2 + (y - 4) ** 2) / 4.0))
    return root


def _folder_links(html: str) -> list[str]:
    """Internal href values that end at a folder (what a file:// page cannot open)."""
    paths = [re.split(r"[#?]", h)[0] for h in re.findall(r'<a\b[^>]*\shref="([^"]*)"', html) if not h.startswith("#")]
    return [p for p in paths if not re.match(r"^[a-z]+:", p) and (p == "" or p.endswith("/") or p in (".", ".."))]


@pytest.mark.parametrize("target, page, expected", [
    ("/posts/a/", "index.html", "posts/a/index.html"),
    ("/", "posts/a/index.html", "../../index.html"),
    ("/posts/a/", "posts/a/index.html", "index.html"),
    ("/posts/b/#results", "posts/a/index.html", "../b/index.html#results"),
    ("/static/css/main.css", "posts/a/index.html", "../../static/css/main.css"),
    ("/feed.xml", "index.html", "feed.xml"),
])
def test_folders_become_their_index_file(target, page, expected):
    assert relative_to_page(target, page, for_disk=True) == expected


def test_served_sites_keep_their_folder_links():
    assert relative_to_page("/posts/a/", "index.html") == "posts/a/"
    assert relative_to_page("/", "posts/a/index.html") == "../../"


@pytest.fixture(scope="module")
def disk_site(tmp_path_factory) -> Path:
    root = _site(tmp_path_factory.mktemp("disk"))
    result = run_cli("build", "--for-disk", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    return root


def test_every_page_links_to_files_not_folders(disk_site: Path):
    pages = sorted((disk_site / "site").rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _folder_links(html) == [], page
    home = read(disk_site, "index.html")
    assert 'href="posts/first/index.html"' in home
    assert 'href="about/index.html"' in home
    first = read(disk_site, "posts/first/index.html")
    assert 'href="../second/index.html#results"' in first
    assert 'href="../../index.html"' in first  # the site title and the "Projects" nav link
    # the links `sitegen check` follows all resolve
    checked = run_cli("check", cwd=disk_site)
    assert checked.code == 0, checked.text


def test_base_url_dot_means_the_same(tmp_path: Path):
    root = _site(tmp_path / "dot", CONFIG.replace('title = "On disk"', 'title = "On disk"\nbase_url = "."'))
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    assert 'href="posts/first/index.html"' in read(root, "index.html")
    assert _folder_links(read(root, "tags/waves/index.html")) == []


def test_without_the_option_links_end_at_folders(tmp_path: Path):
    root = _site(tmp_path / "served")
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    assert 'href="posts/first/"' in read(root, "index.html")


def test_clicking_through_the_site_from_disk(browser, disk_site: Path):  # noqa: F811
    """No server: the home page from file://, a card to its post (whose animation plays), the nav back home
    and on to About; every page is the page, not a directory listing."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    context.set_default_timeout(10_000)
    page = context.new_page()
    watch = Watch().attach(page)
    try:
        page.goto((disk_site / "site" / "index.html").as_uri(), wait_until="load")
        page.locator("a[href='posts/first/index.html']").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/site/posts/first/index.html")
        assert page.locator("h1").first.inner_text() == "First"
        wait_playing(page, page.locator("figure.animation video"))
        page.locator(".site-nav a", has_text="About").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/site/about/index.html")
        assert "Index of" not in page.content()
        assert page.locator("h1").first.inner_text() == "About"
        page.locator("a.site-title").click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/site/index.html")
        watch.assert_clean()
    finally:
        context.close()
