"""A site built with --base-url /sub/ works when a real HTTP server serves it under /sub/."""
from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from conftest import post, run_cli

URL_ATTRS = {"href", "src", "poster", "data-src"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                self.ids.add(value)
            if tag == "link" and name == "href" and dict(attrs).get("rel") == "canonical":
                continue
            if name in URL_ATTRS or re.fullmatch(r"data-(light|dark)-\w+", name):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [item.strip().split()[0] for item in value.split(",") if item.strip()]
            elif name == "style":
                self.urls += re.findall(r"url\(['\"]?([^'\")]+)", value)


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` only under /sub/, as GitHub Pages serves a project site."""

    def translate_path(self, path: str) -> str:
        if not path.startswith("/sub/"):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path(path[len("/sub"):])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served(site):
    def serve(files: dict[str, str], config: str | None = None) -> tuple[str, Path]:
        root = site(files, config)
        result = run_cli("build", "--base-url", "/sub/", cwd=root)
        assert result.code == 0, result.text
        handler = functools.partial(_SubPathHandler, directory=str(root / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/sub/", root
    servers: list[http.server.ThreadingHTTPServer] = []
    yield serve
    for server in servers:
        server.shutdown()


def crawl(start: str) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Fetch every page and asset reachable from `start`; returns status per URL and (page, url) pairs
    that point outside the sub-path."""
    prefix = urlsplit(start).path
    seen: dict[str, int] = {}
    outside: list[tuple[str, str]] = []
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                seen[url] = response.status
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            seen[url] = exc.code
            continue
        if kind == "text/html":
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            for link in parser.urls:
                target = urldefrag(urljoin(url, link)).url
                parts = urlsplit(target)
                if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(start).netloc:
                    continue
                if not parts.path.startswith(prefix):
                    outside.append((url, link))
                    continue
                queue.append(target)
        elif kind == "text/css":
            for link in re.findall(rb"url\(['\"]?([^'\")]+)", body):
                target = urljoin(url, link.decode())
                if not target.startswith("data:"):
                    queue.append(target)
    return seen, outside


def test_every_link_and_asset_resolves_under_the_sub_path(served):
    start, root = served({
        "content/posts/2024-01-05-first.md": post("First", "See ![fig](../assets/img/t.svg) and [second](2024-02-01-second.md).\n\n"
                                              "<img src=\"/assets/img/t.svg\" alt=\"raw html\">",
                                              tags="[a, b]", categories="science",
                                              header="{overlay_image: /assets/img/t.svg, teaser: /assets/img/t.svg}"),
        "content/posts/2024-02-01-second.md": post("Second", "Body.", tags="a",
                                               gallery="[{url: /assets/img/t.svg, image_path: /assets/img/t.svg, alt: g}]"),
        "content/pages/about.md": post("About", "Me.", permalink="/about/"),
        "content/assets/img/t.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    }, config='[theme]\nnav = [{ title = "About", url = "/about/" }]\n[author]\nname = "A"\navatar = "/assets/img/t.svg"\n')
    seen, outside = crawl(start)
    assert not outside, outside
    broken = {url: status for url, status in seen.items() if status != 200}
    assert not broken
    pages = [u for u in seen if u.endswith("/")]
    assert len(pages) >= 8  # home, two posts, about, tags, two tag pages, category
    assert start + "assets/img/t.svg" in seen and start + "static/css/main.css" in seen


def test_the_404_page_links_through_the_base_url_from_any_depth(served):
    start, root = served({"content/posts/2024-01-05-first.md": post("First")})
    html = (root / "site/404.html").read_text()
    assert 'href="/sub/static/css/main.css"' in html and 'href="/sub/"' in html
    parser = _Links()
    parser.feed(html)
    deep = start + "no/such/page/"
    for link in parser.urls:
        if link.startswith(("http", "mailto:", "#")):
            continue
        with urllib.request.urlopen(urljoin(deep, link), timeout=10) as response:
            assert response.status == 200, link


def test_the_example_site_resolves_under_a_sub_path(example_site):
    handler = functools.partial(_SubPathHandler, directory=str(example_site / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        seen, outside = crawl(f"http://127.0.0.1:{server.server_address[1]}/sub/")
    finally:
        server.shutdown()
    assert not outside, outside
    assert {u: s for u, s in seen.items() if s != 200} == {}
    assert len(seen) > 20
    assert any(u.endswith(".webm") for u in seen) and any(u.endswith(".gif") for u in seen)
