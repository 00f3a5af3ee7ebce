"""`sitegen serve`: build into a temporary folder, serve it under the base path on 127.0.0.1, rebuild
when a source changes (through the render cache), and reload open pages with server-sent events.

The server only gets a `builder()` callable; it never serves a half-built site (each build is swapped
into place whole), and after a failed build every page shows the errors until the next good build."""
from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, Callable
from urllib.parse import unquote, urlsplit

from sitegen.errors import Diagnostic

log = logging.getLogger("sitegen")

EVENTS = "/__sitegen/events"
RELOAD_JS = "/__sitegen/reload.js"
_IGNORED_DIRS = {".git", "__pycache__", "node_modules", ".venv", "venv"}
_RELOAD_SCRIPT = b"""(function () {
  if (!window.EventSource) return;
  var source = new EventSource("%s");
  source.addEventListener("reload", function () { window.location.reload(); });
})();
"""


@dataclass
class BuildState:
    """What the server knows of the last build; replaced whole by the watcher thread."""

    generation: int = 0
    errors: tuple[Diagnostic, ...] = ()


class LiveSite:
    """Builds on demand and tells waiting browsers when a new build (good or failed) is ready."""

    def __init__(self, builder: Callable[[], tuple[Diagnostic, ...]]) -> None:
        self._builder = builder
        self._changed = threading.Condition()
        self.state = BuildState()

    def rebuild(self) -> None:
        errors = self._builder()
        with self._changed:
            self.state = BuildState(self.state.generation + 1, errors)
            self._changed.notify_all()

    def wait_for_change(self, generation: int, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.state.generation != generation, timeout)


def snapshot(root: Path, skip: tuple[Path, ...]) -> dict[str, int]:
    """mtime and size of every source file under the site folder (not the output, the cache or .git)."""
    found: dict[str, int] = {}
    skipped = {p.resolve() for p in skip}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if d not in _IGNORED_DIRS and not d.startswith(".sitegen")
                       and (here / d).resolve() not in skipped]
        for name in filenames:
            if name.startswith(".sitegen"):  # a build's lock beside its output folder is not a source
                continue
            try:
                st = (here / name).stat()
            except OSError:
                continue
            found[str(here / name)] = st.st_mtime_ns ^ st.st_size
    return found


def watch(site: LiveSite, root: Path, skip: tuple[Path, ...], stop: threading.Event,
          last: dict[str, int], interval: float = 0.4) -> None:
    """Poll the sources against `last` (taken before the first build); rebuild once they settle after a change."""
    while not stop.wait(interval):
        now = snapshot(root, skip)
        if now != last:
            time.sleep(0.15)  # editors write in several steps
            last = snapshot(root, skip)
            log.info("Change detected; rebuilding…")
            site.rebuild()


def make_handler(directory: Path, base_url: str, site: LiveSite, stop: threading.Event) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".webm": "video/webm", ".webp": "image/webp",
                          ".svg": "image/svg+xml", ".xml": "application/xml", ".js": "text/javascript",
                          ".mp4": "video/mp4"}

        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(directory), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            log.debug("%s - %s", self.address_string(), format % args)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = urlsplit(self.path).path
            if path == EVENTS:
                return self._events()
            if path == RELOAD_JS:
                return self._send(200, "text/javascript", _RELOAD_SCRIPT % EVENTS.encode())
            if base_url != "/" and path in ("/", base_url.rstrip("/")):
                return self._redirect(base_url)
            target = self._target(path)
            if target is not None and target.is_dir():
                if not path.endswith("/"):  # a folder's index.html is at its URL with the slash, as static hosts do
                    query = urlsplit(self.path).query
                    found = (target / "index.html").is_file()
                    return self._redirect(path + "/" + (f"?{query}" if query else "")) if found else self._not_found()
                target = target / "index.html"
            file = target if target is not None and target.is_file() else None
            if file is None:
                return self._not_found()
            if file.suffix == ".html":
                return self._send(200, "text/html; charset=utf-8", self._inject(file.read_bytes()))
            return self._send_file(file)

        def do_HEAD(self) -> None:  # noqa: N802
            self.do_GET()

        def _target(self, path: str) -> Path | None:
            """The file or folder for a URL path, or None: outside the base path, or '..' (also encoded)."""
            if not path.startswith(base_url):
                return None
            rel = unquote(path[len(base_url):])
            if "\x00" in rel or "\\" in rel or any(part == ".." for part in rel.split("/")) or rel.startswith("/"):
                return None
            target = (directory / posixpath.normpath(rel or ".")).resolve()
            return target if target.is_relative_to(directory.resolve()) else None

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.FOUND)  # not 301: browsers keep those, and the site changes as you edit
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

        def _not_found(self) -> None:
            page = directory / "404.html"
            body = self._inject(page.read_bytes() if page.is_file() else b"<h1>Not found</h1>")
            self._send(404, "text/html; charset=utf-8", body)

        def _inject(self, body: bytes) -> bytes:
            """The live-reload script, and the errors of a failed build, in every page."""
            extra = f'<script src="{RELOAD_JS}"></script>'
            if site.state.errors:
                items = "".join(f"<li><code>{html.escape(d.format())}</code></li>" for d in site.state.errors)
                extra += ('<div role="alert" style="position:fixed;inset:auto 0 0 0;z-index:9999;max-height:60vh;'
                          'overflow:auto;background:#2b0b0e;color:#ffd7d9;font:14px/1.5 monospace;padding:1rem 1.5rem;'
                          'border-top:3px solid #ff6b6b"><strong>The last build failed</strong> — the page shows the '
                          f'last good build.<ul>{items}</ul></div>')
            marker = b"</body>"
            index = body.rfind(marker)
            encoded = extra.encode()
            return body[:index] + encoded + body[index:] if index >= 0 else body + encoded

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _send_file(self, file: Path) -> None:
            """A static file, with byte ranges (RFC 9110) so browsers can seek in videos."""
            size = file.stat().st_size
            kind = self.guess_type(str(file))
            header = self.headers.get("Range")
            # Without validators (no ETag, no Last-Modified) an If-Range can never be known to match.
            ranges = None if header is None or "If-Range" in self.headers else byte_ranges(header, size)
            if ranges == []:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif ranges is None:
                self.send_response(HTTPStatus.OK)
                self._file_headers(kind, size)
                self._send_parts(file, [(b"", 0, size - 1)], b"")
            elif len(ranges) == 1:
                (first, last), = ranges
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
                self._file_headers(kind, last - first + 1)
                self._send_parts(file, [(b"", first, last)], b"")
            else:
                boundary = uuid.uuid4().hex
                parts = [(f"--{boundary}\r\nContent-Type: {kind}\r\nContent-Range: bytes {a}-{b}/{size}\r\n\r\n"
                          .encode(), a, b) for a, b in ranges]
                end = f"--{boundary}--\r\n".encode()
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self._file_headers(f"multipart/byteranges; boundary={boundary}",
                                   sum(len(head) + last - first + 1 + 2 for head, first, last in parts) + len(end))
                self._send_parts(file, parts, end)

        def _send_parts(self, file: Path, parts: list[tuple[bytes, int, int]], end: bytes) -> None:
            """Each part's header, then its bytes; a multipart answer (one with an `end`) has CRLF after each."""
            if self.command == "HEAD":
                return
            try:
                with open(file, "rb") as handle:
                    for head, first, last in parts:
                        self.wfile.write(head)
                        _copy_bytes(handle, first, last, self.wfile)
                        self.wfile.write(b"\r\n" if end else b"")
                    self.wfile.write(end)
            except (BrokenPipeError, ConnectionResetError):
                return

        def _file_headers(self, kind: str, length: int) -> None:
            self.send_header("Content-Type", kind)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

        def _events(self) -> None:
            """Server-sent events: 'reload' after every build, a comment now and then to keep it open."""
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            generation = site.state.generation
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while not stop.is_set():
                    if site.wait_for_change(generation, timeout=1.0):
                        generation = site.state.generation
                        self.wfile.write(f"event: reload\ndata: {generation}\n\n".encode())
                    else:
                        self.wfile.write(b": ping\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


MAX_RANGES = 16  # more parts than a video player asks for: answered with the whole file instead
_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


def byte_ranges(header: str, size: int) -> list[tuple[int, int]] | None:
    """The (first, last) byte positions a Range header asks for, of a file of `size` bytes (RFC 9110 §14):
    None when the header is to be ignored (it does not parse, is not in bytes, or asks for too many parts),
    [] when no range is satisfiable (416). Unsatisfiable ranges are dropped and overlapping ones joined."""
    unit, equals, spec = header.partition("=")
    items = [item.strip() for item in spec.split(",")]
    specs = [_RANGE_SPEC.fullmatch(item) for item in items if item]
    if not equals or unit.lower() != "bytes" or not specs or len(specs) > MAX_RANGES or size == 0:
        return None
    if any(m is None or not (m[1] or m[2]) for m in specs):
        return None
    wanted = []
    for m in specs:
        if m[1]:  # first-last, or first- (to the end)
            first, last = int(m[1]), int(m[2]) if m[2] else size - 1
            if first <= last and first < size:
                wanted.append((first, min(last, size - 1)))
        elif int(m[2]) > 0:  # -suffix: the last bytes
            wanted.append((max(0, size - int(m[2])), size - 1))
    return _coalesce(wanted)


def _coalesce(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join ranges that overlap or touch, keeping the order they were asked in (RFC 9110 §14.6)."""
    kept: list[tuple[int, int]] = []
    for first, last in ranges:
        for i, (a, b) in enumerate(kept):
            if first <= b + 1 and a <= last + 1:
                kept[i] = (min(a, first), max(b, last))
                break
        else:
            kept.append((first, last))
    return kept


def _copy_bytes(handle: BinaryIO, first: int, last: int, out: BinaryIO) -> None:
    handle.seek(first)
    remaining = last - first + 1
    while remaining > 0 and (chunk := handle.read(min(remaining, 1 << 16))):
        out.write(chunk)
        remaining -= len(chunk)


class DevServer:
    """The server, its watcher and its temporary output folder; `close()` undoes all of it."""

    def __init__(self, root: Path, host: str, port: int, base_url: str,
                 builder_for: Callable[[Path], Callable[[], tuple[Diagnostic, ...]]], skip: tuple[Path, ...]) -> None:
        self.output = Path(tempfile.mkdtemp(prefix="sitegen-serve-")) / "site"
        self.site = LiveSite(builder_for(self.output))
        self.stop = threading.Event()
        self.root, self.skip, self.base_url = root, skip, base_url
        # the baseline is taken before the first build: an edit made while it runs, or just after the
        # server starts answering, is a change the watcher sees
        self.baseline = snapshot(root, skip)
        self.server = ThreadingHTTPServer((host, port), make_handler(self.output, base_url, self.site, self.stop))
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.base_url}"

    def run(self) -> None:
        """Serve until interrupted (call after the first `site.rebuild()`)."""
        watcher = threading.Thread(target=watch, args=(self.site, self.root, self.skip, self.stop, self.baseline), daemon=True)
        watcher.start()
        self.server.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.output.parent, ignore_errors=True)
