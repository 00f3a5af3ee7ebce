"""Check a built site: every internal link and asset resolves, every #anchor exists, images have alt text,
and no file is too large for GitHub Pages. Reads only site/; each file is read and parsed once."""
from __future__ import annotations

import os
import posixpath
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from sitegen.errors import Diagnostic, Severity, error, warning
from sitegen.urls import is_external

MB = 1024 * 1024
FILE_WARN, FILE_LIMIT, SITE_LIMIT = 50 * MB, 100 * MB, 1024 * MB  # GitHub Pages' limits

HTML_SUFFIXES = (".html", ".htm")
_URL_ATTRS = frozenset({"href", "src", "poster", "xlink:href"})
_DATA_URL_ATTR = re.compile(r"data-[\w-]*?(?:webm|gif|poster|mp4|src|href)")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)|@import\s+(['\"])(.*?)\3", re.IGNORECASE | re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Reference:
    """One URL in a file, and the line of the tag (or CSS rule) that holds it."""

    url: str
    line: int


@dataclass(frozen=True, slots=True)
class FileScan:
    """What one HTML or CSS file holds: the ids it defines, the URLs it uses, and its <img>s without alt."""

    ids: frozenset[str]
    references: tuple[Reference, ...]
    images_without_alt: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `sitegen check` prints: the problems, and how much was checked (links: internal ones)."""

    pages: int
    links: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float

    @property
    def error_count(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def warning_count(self) -> int:
        return len(self.diagnostics) - self.error_count


def check_site(site_dir: Path, base_url: str, label: str | None = None) -> list[Diagnostic]:
    """Every problem in the built site at `site_dir`, served under `base_url` ('/' or '/repo/').
    Messages name files as `label/<file>` (default: the folder's name)."""
    return list(scan_site(site_dir, base_url, label).diagnostics)


def scan_site(site_dir: Path, base_url: str, label: str | None = None) -> CheckReport:
    """check_site, with the counts for a summary."""
    start = time.perf_counter()
    label = label or site_dir.name
    sizes = _file_sizes(site_dir)
    scans = {rel: scan_file(site_dir / rel, rel) for rel in sizes if rel.endswith((*HTML_SUFFIXES, ".css"))}
    resolver = Resolver(frozenset(sizes), {rel: s.ids for rel, s in scans.items() if _is_html(rel)}, base_url)
    diagnostics = _size_problems(sizes, label)
    for rel, scan in scans.items():
        diagnostics += _reference_problems(rel, scan, resolver, label)
        diagnostics += [warning(f"{label}/{rel}", line, "<img> has no alt attribute",
                                'describe the image in alt="…", or write alt="" if it is decorative')
                        for line in scan.images_without_alt]
    links = sum(not is_external(ref.url) for scan in scans.values() for ref in scan.references)
    return CheckReport(pages=sum(map(_is_html, scans)), links=links, diagnostics=tuple(diagnostics),
                       seconds=time.perf_counter() - start)


def _is_html(rel: str) -> bool:
    return rel.endswith(HTML_SUFFIXES)


def _file_sizes(site_dir: Path) -> dict[str, int]:
    """Every file below site_dir (hidden ones too) as a '/'-separated relative path, with its size."""
    sizes: dict[str, int] = {}
    for folder, _, names in os.walk(site_dir):
        prefix = Path(folder).relative_to(site_dir).as_posix()
        for name in names:
            rel = name if prefix == "." else f"{prefix}/{name}"
            sizes[rel] = os.stat(os.path.join(folder, name)).st_size
    return sizes


def _size_problems(sizes: dict[str, int], label: str) -> list[Diagnostic]:
    problems = []
    for rel, size in sorted(sizes.items()):
        if size > FILE_LIMIT:
            problems.append(error(f"{label}/{rel}", None, f"file is {size / MB:.0f} MB",
                                  "GitHub Pages refuses files over 100 MB"))
        elif size > FILE_WARN:
            problems.append(warning(f"{label}/{rel}", None, f"file is {size / MB:.0f} MB",
                                    "GitHub warns about files over 50 MB and refuses them over 100 MB"))
    total = sum(sizes.values())
    if total > SITE_LIMIT:
        problems.append(error(label, None, f"the site is {total / SITE_LIMIT:.2f} GB",
                              "GitHub Pages sites must stay under 1 GB"))
    return problems


def _reference_problems(rel: str, scan: FileScan, resolver: Resolver, label: str) -> list[Diagnostic]:
    problems = []
    for ref in scan.references:
        problem = resolver.problem(ref.url, rel)
        if problem:
            problems.append(error(f"{label}/{rel}", ref.line, *problem))
    return problems


# ---- reading one file ----

def scan_file(path: Path, rel: str) -> FileScan:
    """Read and parse one HTML or CSS file of the site (`rel`: its path in the site)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not _is_html(rel):
        return FileScan(frozenset(), tuple(css_references(text, 1)))
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return FileScan(frozenset(parser.ids), tuple(parser.references), tuple(parser.images_without_alt))


def css_references(css: str, first_line: int) -> list[Reference]:
    """The url(…) and @import targets in CSS text that starts on `first_line`."""
    css = _CSS_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), css)
    found = []
    for match in _CSS_URL.finditer(css):
        url = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        found.append(Reference(url, first_line + css.count("\n", 0, match.start())))
    return found


class _PageParser(HTMLParser):
    """Collects, in one pass, the ids a page defines and the URLs its tags and styles use."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[Reference] = []
        self.images_without_alt: list[int] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        if tag == "img" and "alt" not in dict(attrs):
            self.images_without_alt.append(line)
        self._in_style = tag == "style"
        if tag == "meta" or (tag == "link" and "canonical" in values.get("rel", "").lower().split()):
            return  # og:* and canonical URLs are absolute by design
        self.references += [Reference(url, line) for url in tag_urls(values)]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.references += css_references(data, self.getpos()[0])


def tag_urls(values: dict[str, str]) -> list[str]:
    """The URLs in one tag's attributes: links, sources, srcset candidates, player data-*, style url()."""
    urls = []
    for name, value in values.items():
        if name in _URL_ATTRS or _DATA_URL_ATTR.fullmatch(name):
            urls.append(value.strip())
        elif name in ("srcset", "imagesrcset"):
            urls += [item.split()[0] for item in value.split(",") if item.strip()]
        elif name == "style" and "url(" in value.lower():
            urls += [ref.url for ref in css_references(value, 1)]
    return urls


# ---- resolving URLs against the site's files ----

class Resolver:
    """Resolves URLs the way a browser does when the site is served under `base_url`,
    against the files that exist; remembers each (folder, URL) it has resolved."""

    def __init__(self, files: frozenset[str], ids: dict[str, frozenset[str]], base_url: str) -> None:
        self.files = files
        self.ids = ids
        self.base_url = base_url
        self._targets: dict[tuple[str, str], tuple[str | None, tuple[str, str] | None]] = {}

    def problem(self, url: str, page: str) -> tuple[str, str] | None:
        """(message, hint) when `url`, used in site file `page`, leads nowhere; None when it is fine."""
        if not url or is_external(url):
            return None
        path, _, fragment = url.partition("#")
        path = path.split("?", 1)[0]
        if not path:
            target: str | None = page
        else:
            key = (posixpath.dirname(page), path)
            if key not in self._targets:
                self._targets[key] = self._resolve(path, key[0])
            target, problem = self._targets[key]
            if problem:
                return problem
        return self._anchor_problem(target, unquote(fragment), url) if fragment and target else None

    def _resolve(self, path: str, folder: str) -> tuple[str | None, tuple[str, str] | None]:
        decoded = unquote(path)
        if decoded.startswith("/"):
            if not (decoded + "/").startswith(self.base_url):
                return None, (f"'{path}' points at the domain root, outside base_url {self.base_url}",
                              f"write it relative to the page, or start it with {self.base_url}")
            decoded, folder = decoded[len(self.base_url):], ""
        joined = posixpath.normpath(posixpath.join(folder, decoded))
        if joined == ".." or joined.startswith("../"):
            return None, (f"'{path}' leads outside the site folder", "")
        index = "index.html" if joined == "." else f"{joined}/index.html"
        if joined in self.files and not decoded.endswith("/"):
            return joined, None
        if index in self.files:  # 'x/' serves x/index.html; GitHub Pages redirects 'x' to 'x/'
            return index, None
        expected = index if decoded.endswith("/") or joined == "." else joined
        return None, (f"'{path}' does not exist", f"no {expected} in the site")

    def _anchor_problem(self, target: str, fragment: str, url: str) -> tuple[str, str] | None:
        ids = self.ids.get(target)
        if ids is None or fragment in ids or fragment.lower() == "top":  # '#top' scrolls to the top anyway
            return None
        return f"'{url}': no element with id '{fragment}' in {target}", ""
