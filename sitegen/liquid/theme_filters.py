"""Filters the default theme's includes use: embed URLs for the video providers Jekyll themes name
(checked, so an id cannot carry markup or another host), and the click-to-load facade, which is an
iframe's `srcdoc`: nothing is fetched until the reader clicks, and no script is needed."""
from __future__ import annotations

import html
import re
from typing import Callable

from liquid import Markup
from liquid.exceptions import FilterArgumentError

_PROVIDERS: dict[str, tuple[re.Pattern[str], str]] = {
    "youtube": (re.compile(r"^[A-Za-z0-9_-]{6,20}$"), "https://www.youtube-nocookie.com/embed/{id}?autoplay=1"),
    "vimeo": (re.compile(r"^\d{3,12}$"), "https://player.vimeo.com/video/{id}?autoplay=1&dnt=1"),
    "google-drive": (re.compile(r"^[A-Za-z0-9_-]{10,80}$"), "https://drive.google.com/file/d/{id}/preview"),
    "bilibili": (re.compile(r"^(?:BV|bv)[A-Za-z0-9]{8,12}$"), "https://player.bilibili.com/player.html?bvid={id}&autoplay=1"),
}
_PROVIDER_URLS = (
    ("youtube", re.compile(r"^https?://(?:www\.)?(?:youtube(?:-nocookie)?\.com/(?:embed/|watch\?v=)|youtu\.be/)([A-Za-z0-9_-]+)")),
    ("vimeo", re.compile(r"^https?://(?:player\.)?vimeo\.com/(?:video/)?(\d+)")),
    ("bilibili", re.compile(r"^https?://(?:player\.)?bilibili\.com/(?:video/|player\.html\?bvid=)((?:BV|bv)[A-Za-z0-9]+)")),
)
_FACADE_STYLE = ("html,body{height:100%;margin:0}a{display:flex;height:100%;align-items:center;justify-content:center;"
                 "gap:.5em;background:#111;color:#fff;font:600 1.1rem system-ui,sans-serif;text-decoration:none}"
                 "span.p{font-size:2.5rem}")


def video_embed_url(video_id: object, provider: object = "youtube") -> str:
    """The player URL of `video_id` at `provider` (youtube via youtube-nocookie.com)."""
    name, text = str(provider or "youtube").lower(), str(video_id or "").strip()
    if name not in _PROVIDERS:
        raise FilterArgumentError(f"video: unknown provider '{name}' (expected one of: {', '.join(_PROVIDERS)})",
                                  token=None)
    pattern, url = _PROVIDERS[name]
    if not pattern.match(text):
        raise FilterArgumentError(f"video: '{text}' is not a {name} video id", token=None)
    return url.format(id=text)


def video_provider(url: object) -> str:
    """'youtube', 'vimeo' or 'bilibili' for a player or watch URL of one, else ''."""
    return next((name for name, pattern in _PROVIDER_URLS if pattern.match(str(url or ""))), "")


def video_url_embed(url: object) -> str:
    """A youtube, vimeo or bilibili URL as the player URL this theme embeds."""
    for name, pattern in _PROVIDER_URLS:
        match = pattern.match(str(url or ""))
        if match:
            return video_embed_url(match.group(1), name)
    return ""


def video_facade(embed_url: object, title: object = "") -> Markup:
    """The iframe's `srcdoc` (escaped for the attribute): a play link to `embed_url`, nothing fetched."""
    label = html.escape(str(title or "Play video"))
    document = (f"<style>{_FACADE_STYLE}</style><a href=\"{html.escape(str(embed_url))}\">"
                f"<span class=p aria-hidden=true>&#9654;</span><span>{label}</span></a>")
    return Markup(html.escape(document, quote=True))


THEME_FILTERS: dict[str, Callable[..., object]] = {
    "video_embed_url": video_embed_url, "video_provider": video_provider, "video_url_embed": video_url_embed,
    "video_facade": video_facade,
}
