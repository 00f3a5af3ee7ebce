"""The one URL helper. Inside sitegen every internal URL is a site-root path ('/posts/a/', '/static/x.css');
`localize` turns the root paths in a finished page into links relative to that page, so a site works at a
domain root, under a GitHub project sub-path (`base_url`) and opened from disk alike."""
from __future__ import annotations

import posixpath
import re
from typing import Callable
from urllib.parse import quote, unquote

# Attributes that hold URLs, inside real tags only (escaped code samples have no '<').
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_ATTR = re.compile(r"(\s(?:href|src|poster|srcset|action|data-[\w-]*?(?:src|webm|gif|poster|mp4|href))\s*=\s*)"
                   r"(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(&#39;|&#34;|&quot;|['\"]|)(/[^'\")\s]*?)\1\s*\)")


def is_external(url: str) -> bool:
    """True for URLs with a scheme (https:, mailto:, data:) or a host (//cdn...)."""
    return url.startswith("//") or bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url))


def site_path(path: str) -> str:
    """Any internal path ('posts/a/', '/assets/x.png', '') as a site-root path; external URLs unchanged."""
    if not path:
        return "/"
    if is_external(path) or path.startswith("#"):
        return path
    return "/" + path.lstrip("/")


def absolute_url(site_url: str, base_url: str, path: str) -> str:
    """A full URL for canonical links, feeds and Open Graph tags."""
    if is_external(path):
        return path
    return site_url.rstrip("/") + base_url + quote(path.lstrip("/"), safe="/#?=&%:@+,;~")


def relative_to_page(target: str, page_file: str, for_disk: bool = False) -> str:
    """'/static/a.css' seen from 'posts/x/index.html' -> '../../static/a.css'. With `for_disk`, a folder
    ('/posts/y/') becomes its index.html, since a browser shows a file:// folder as a listing."""
    path, sep, rest = _split_suffix(target)
    page_dir = posixpath.dirname(page_file)
    rel = posixpath.relpath(path or "/", "/" + page_dir)
    folder = path.endswith("/") or not path
    if for_disk and folder:
        return ("index.html" if rel == "." else rel + "/index.html") + sep + rest
    if path.endswith("/") and rel != ".":
        rel += "/"
    if rel == ".":
        rel = "./"
    return rel + sep + rest


def _split_suffix(url: str) -> tuple[str, str, str]:
    for sep in ("#", "?"):
        if sep in url:
            path, rest = url.split(sep, 1)
            return path, sep, rest
    return url, "", ""


def localize(html: str, page_file: str, base_url: str, absolute: bool = False, for_disk: bool = False) -> str:
    """Rewrite every root path in tags (and CSS url()) of a finished page for where the page lives
    (`for_disk`: folders as their index.html)."""
    def fix(url: str) -> str:
        if not url.startswith("/") or url.startswith("//"):
            return url
        return base_url + url[1:] if absolute else relative_to_page(url, page_file, for_disk)

    def fix_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        if "/" not in tag:  # most tags (<span class="n">) hold no path at all
            return tag
        tag = _ATTR.sub(lambda m: _fix_attr(m, fix), tag)
        return _CSS_URL.sub(lambda m: f"url({m.group(1)}{fix(m.group(2))}{m.group(1)})", tag)

    return _TAG.sub(fix_tag, html)


def _fix_srcset_item(item: str, fix: Callable[[str], str]) -> str:
    parts = item.strip().split(None, 1)
    if not parts:
        return item
    return " ".join([fix(parts[0]), *parts[1:]])


def rewrite_urls(html: str, rewrite: Callable[[str], str]) -> str:
    """Apply `rewrite` to every URL attribute value in the tags of `html`."""
    return _TAG.sub(lambda m: _ATTR.sub(lambda a: _fix_attr(a, rewrite), m.group(0)), html)


def _fix_attr(match: re.Match[str], fix: Callable[[str], str]) -> str:
    quote_char = match.group(2)[0]
    value = match.group(2)[1:-1]
    if match.group(1).strip().lower().startswith("srcset"):
        value = ", ".join(_fix_srcset_item(item, fix) for item in value.split(","))
    else:
        value = fix(value)
    return f"{match.group(1)}{quote_char}{value}{quote_char}"


def resolve_relative(url: str, source_rel: str) -> str | None:
    """A relative URL in content/<source_rel> as a site-root path, or None when it leaves content/.
    Root paths, external URLs and fragments come back unchanged."""
    if not url or url.startswith(("/", "#")) or is_external(url):
        return url
    path, sep, rest = _split_suffix(url)
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(source_rel), unquote(path)))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    trailing = "/" if path.endswith("/") and not joined.endswith("/") else ""
    return "/" + ("" if joined == "." else quote(joined)) + trailing + sep + rest
