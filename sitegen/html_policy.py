"""What HTML sitegen trusts. Raw HTML in a post is the author's: passed through as written
(`[markdown] raw_html = "allow"`, the default) or sanitised to what the theme and our own Markdown
output need (`"sanitize"`). In every mode, a URL that would run script when clicked or loaded is
refused where sitegen itself puts URLs into pages (front matter, sitegen.toml links)."""
from __future__ import annotations

import html
import re
import unicodedata

import nh3

RAW_HTML_MODES = ("allow", "sanitize")
_SCRIPT_SCHEMES = ("javascript", "data", "vbscript")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def refused_scheme(url: str) -> str | None:
    """'javascript', 'data' or 'vbscript' when `url` would be read as one by a browser — after
    character references are decoded (however often) and the whitespace and control characters a
    URL parser drops, in any case — else None."""
    text, previous = url, None
    while text != previous:
        previous, text = text, html.unescape(text)
    kept = "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")))
    match = _SCHEME.match(kept.lower())
    return match.group(1) if match and match.group(1) in _SCRIPT_SCHEMES else None


# What Markdown, our extensions and the theme's CSS emit, on top of nh3's defaults (which already
# drop <script>, <style>, <iframe>, <form>, event handlers and javascript:/data: URLs).
_MATHML = {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
           "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "menclose",
           "mpadded", "mphantom", "merror", "semantics", "annotation"}
_MATHML_ATTRIBUTES = {"display", "xmlns", "mathvariant", "stretchy", "fence", "form", "separator", "lspace",
                      "rspace", "accent", "accentunder", "columnalign", "columnlines", "columnspacing",
                      "rowalign", "rowlines", "rowspacing", "displaystyle", "scriptlevel", "linethickness",
                      "width", "height", "depth", "notation", "movablelimits", "largeop", "symmetric",
                      "minsize", "maxsize", "encoding"}
_MEDIA = {"video", "audio", "source", "picture", "track"}
_TAGS = set(nh3.ALLOWED_TAGS) | _MATHML | _MEDIA
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "target"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"},
    "td": nh3.ALLOWED_ATTRIBUTES["td"] | {"style"},  # Markdown tables align cells with text-align
    "th": nh3.ALLOWED_ATTRIBUTES["th"] | {"style"},
    "div": {"data-sitegen-animation"},  # where an animation's figure goes, filled in after this
    "video": {"src", "poster", "controls", "autoplay", "loop", "muted", "playsinline", "preload", "width", "height"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "ol": {"start", "type", "reversed"},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML},
}


def sanitize_content(markup: str) -> str:
    """A post's HTML with only what cannot run script kept: formatting, links, images, media, tables,
    code colours, footnotes, heading anchors, MathML, the theme's classes and the animation placeholders."""
    return nh3.clean(markup, tags=_TAGS, attributes=_ATTRIBUTES, filter_style_properties={"text-align"},
                     link_rel="noopener noreferrer")
