"""The images a post names: which content file a URL stands for, whether it is there (and which file
the author may have meant), and an image's dark twin.

A dark twin is the version of a figure drawn for the dark theme: `fig.dark.svg` next to `fig.svg`
(found by name, any image suffix), or named by the author (`{: data-dark="…"}` on a Markdown image,
`header.teaser_dark`). The page holds both as two <img>s in a <span class="dark-twin">; the theme's
CSS shows the one that matches <html data-theme>, and both are lazy, so the hidden one is never fetched
(docs/theming.md, "Dark mode for figures")."""
from __future__ import annotations

import difflib
import html
import posixpath
import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

from sitegen.urls import is_external, resolve_relative

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")
DARK_SUFFIX = ".dark"  # fig.svg -> fig.dark.svg
DARK_ATTRIBUTE = "data-dark"
TWIN, LIGHT, DARK = "dark-twin", "dark-twin__light", "dark-twin__dark"
_PAGE_SUFFIXES = ("", ".html", ".htm", ".xml")  # what a root path names when it is a page sitegen writes
_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_DARK_IMG = re.compile(r'<img\b[^<>]*\sclass="{}[\s"][^<>]*>'.format(DARK))


def content_path(site_path: str) -> str:
    """'/assets/a%20b.png?v=2#x' -> 'assets/a b.png': the content-relative file a site-root path names."""
    return unquote(site_path.split("#", 1)[0].split("?", 1)[0]).strip("/")


def names_content_file(site_path: str, files: frozenset[str]) -> bool:
    """Whether a root path written by the author must be a file of content/: one with a file suffix
    (not a page) in one of content/'s folders. Other root paths are pages, the theme's static files
    or rendered animations, which are not in content/."""
    target = content_path(site_path)
    suffix = posixpath.splitext(target)[1].lower()
    return "/" in target and suffix not in _PAGE_SUFFIXES and target.split("/", 1)[0] in _folders(files)


@lru_cache(maxsize=4)
def _folders(files: frozenset[str]) -> frozenset[str]:
    return frozenset(rel.split("/", 1)[0] for rel in files if "/" in rel)


def missing_hint(target: str, files: frozenset[str], content_dir: str) -> str:
    """What to tell the author about the missing content file `target`: where sitegen looked, and the
    closest file in the same folder."""
    folder = posixpath.dirname(target)
    siblings = sorted(posixpath.basename(rel) for rel in files if posixpath.dirname(rel) == folder)
    # Stricter than did_you_mean's 0.6: file names share suffixes and dashes, short ones look alike.
    close = difflib.get_close_matches(posixpath.basename(target), siblings, n=1, cutoff=0.8)
    hint = f"looked for {content_dir}/{target}"
    return f"{hint}; did you mean '{close[0]}'?" if close else hint


def twin_name(url: str) -> str:
    """'fig.svg' -> 'fig.dark.svg', 'a/b.png?v=1' -> 'a/b.dark.png?v=1': where an image's twin is looked for."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    stem, suffix = posixpath.splitext(url[:cut])
    return f"{stem}{DARK_SUFFIX}{suffix}{url[cut:]}"


def found_twin(url: str, source_rel: str, files: frozenset[str]) -> str:
    """The dark twin of the image at `url` (as written in content/`source_rel`), in the same form as
    `url`, when such a file is in content/; else ''. External images and twins themselves have none."""
    stem, suffix = posixpath.splitext(content_path(url))
    if not url or is_external(url) or suffix.lower() not in IMAGE_SUFFIXES or stem.endswith(DARK_SUFFIX):
        return ""
    twin = twin_name(url)
    resolved = resolve_relative(html.unescape(twin), source_rel)
    return twin if resolved is not None and content_path(resolved) in files else ""


def pair_images(markup: str, source_rel: str, files: frozenset[str]) -> str:
    """Every <img> of a post's HTML that has a dark twin (its `data-dark`, else `name.dark.suffix` next
    to it) as the twin pair; the others as they were. URLs stay as written: links are resolved (and
    checked) after this."""
    if "<img" not in markup.lower():
        return markup

    def pair(match: re.Match[str]) -> str:
        attrs = _attributes(match.group(0))
        dark = (attrs.pop(DARK_ATTRIBUTE, None) or "").strip() or found_twin(attrs.get("src", ""), source_rel, files)
        return twin_pair(attrs, dark) if dark and attrs.get("src") else match.group(0)

    return _IMG.sub(pair, markup)


def twin_pair(attrs: dict[str, str], dark: str) -> str:
    """An image and its dark twin as the page holds them: both lazy (the hidden one is never fetched),
    the twin without the light one's id and srcset."""
    shared = {**attrs, "loading": "lazy", "decoding": attrs.get("decoding", "async")}
    light = {**shared, "class": _classes(attrs.get("class", ""), LIGHT)}
    twin = {**{k: v for k, v in shared.items() if k not in ("id", "srcset", "sizes")},
            "src": dark, "class": _classes(attrs.get("class", ""), DARK)}
    return f'<span class="{TWIN}">{_tag(light)}{_tag(twin)}</span>'


def light_only(markup: str) -> str:
    """`markup` with the dark image of each pair left out: for feeds, where no stylesheet hides one."""
    return _DARK_IMG.sub("", markup) if DARK in markup else markup


def _classes(existing: str, added: str) -> str:
    return " ".join([added, *existing.split()])


def _tag(attrs: dict[str, str]) -> str:
    return "<img" + "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in attrs.items()) + ">"


class _FirstTag(HTMLParser):
    """The attributes of the first tag fed to it, character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.attrs:
            self.attrs = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str]:
    parser = _FirstTag()
    parser.feed(tag)
    parser.close()
    return parser.attrs
