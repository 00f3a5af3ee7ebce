"""Helpers for the headless-browser tests: a static server under a sub-path (with the Content-Types and
HTTP Range requests a browser's media stack expects), the Chromium launcher, and a watcher that
collects console errors, page errors and failed requests."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"  # for a person to look at
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
]


def device(phone: bool) -> dict:
    """Context options for a phone (390 px, touch, a mobile viewport) or a desktop (1280 px)."""
    return {"viewport": PHONE if phone else DESKTOP, "is_mobile": phone, "has_touch": phone}


def save_screenshot(page, name: str, *, full_page: bool = True, min_bytes: int = 10_000) -> Path:
    """tests/artifacts/screenshots/<name>.png, written afresh (an old file never passes for a new one)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"{name}.png"
    out.unlink(missing_ok=True)
    page.screenshot(path=str(out), full_page=full_page)
    assert out.is_file() and out.stat().st_size > min_bytes, out
    return out


def missing(reason: str) -> None:
    """In CI a missing browser is a failure; on a developer's machine the browser tests are skipped."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    path = CHROMIUM if os.path.isfile(CHROMIUM) else shutil.which("chromium")
    if not path:
        missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return path


# ---------------------------------------------------------------------------------------------------
# The server


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` only under `prefix` (as GitHub Pages serves a project site), with single-range
    `Range: bytes=a-b` support (206), which <video> uses to seek and to loop."""

    prefix = "/sub/"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webm": "video/webm", ".mp4": "video/mp4", ".gif": "image/gif", ".png": "image/png",
        ".webp": "image/webp", ".svg": "image/svg+xml", ".js": "text/javascript", ".css": "text/css",
        ".json": "application/json", ".xml": "application/xml", ".npz": "application/octet-stream",
    }

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path(path[len(self.prefix) - 1:])

    def send_head(self):
        self._range = None
        header = self.headers.get("Range")
        match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
        path = self.translate_path(self.path)
        if not match or os.path.isdir(path) or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        elif last:  # bytes=-N: the last N bytes
            start, end = max(size - int(last), 0), size - 1
        else:
            return super().send_head()
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = open(path, "rb")
        handle.seek(start)
        self._range = end - start + 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._range))
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if self._range is None:  # a 206 response has already said so
            self.send_header("Accept-Ranges", "bytes")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        if self._range is None:
            return super().copyfile(source, outputfile)
        remaining = self._range
        with contextlib.suppress(ConnectionError):
            while remaining > 0:
                chunk = source.read(min(64 * 1024, remaining))
                if not chunk:
                    break
                outputfile.write(chunk)
                remaining -= len(chunk)

    def handle_one_request(self) -> None:
        self._range = None
        # The browser drops media connections it no longer needs; that is not an error.
        with contextlib.suppress(ConnectionError):
            super().handle_one_request()

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/sub/") -> Iterator[str]:
    """Serve `directory` under `prefix` on 127.0.0.1; yields the base URL, e.g. http://127.0.0.1:PORT/sub/."""
    handler = functools.partial(type("Handler", (SubPathHandler,), {"prefix": prefix}), directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------------------------------
# What went wrong on a page


@dataclass
class Watch:
    """Everything a page reported that a reader would count as broken."""

    problems: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    # net::ERR_ABORTED is Chromium cancelling a request it no longer needs: a media fetch of a paused
    # video or of a source replaced by the theme, or whatever a page still loads (images, the favicon)
    # when the test moves on to the next page. A file that is really missing answers with a status >= 400,
    # which is checked on every response, so aborted requests of any type are not failures.
    ignore_aborted: bool = True

    def attach(self, page) -> "Watch":
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("framenavigated", lambda frame: frame.parent_frame is None and self.visited.append(frame.url))
        return self

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def _failed(self, request) -> None:
        error = request.failure or ""
        if self.ignore_aborted and "ERR_ABORTED" in error:
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {error}")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def assert_clean(self) -> None:
        assert not self.problems, "on " + ", ".join(dict.fromkeys(self.visited)) + ":\n" + "\n".join(self.problems)
