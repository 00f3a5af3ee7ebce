"""Jekyll's URL, text and date filters, on top of python-liquid's standard ones.

URLs: inside sitegen every internal URL is a site-root path and the theme applies `base_url` when a
page is written (urls.localize), so `relative_url` gives the site-root path and `site.baseurl` is ''.
A URL that would run script is refused (''), as everywhere sitegen puts URLs into pages."""
from __future__ import annotations

import html
import re
from datetime import date, datetime, timezone
from typing import Any, Callable
from urllib.parse import quote, quote_plus

from liquid import Markup
from liquid.filter import string_filter, with_environment

from sitegen.html_policy import refused_scheme, sanitize_content
from sitegen.liquid.state import current
from sitegen.slugs import slugify as sitegen_slugify, to_datetime
from sitegen.urls import absolute_url as full_url, is_external, site_path

_WHITESPACE = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")


@string_filter
def relative_url(value: str) -> str:
    if refused_scheme(value):
        return ""
    return value if is_external(value) else site_path(value)


@with_environment
@string_filter
def absolute_url(value: str, *, environment: Any) -> str:
    if refused_scheme(value):
        return ""
    return full_url(environment.site_url, environment.base_url, site_path(value))


@with_environment
def markdownify(value: object, *, environment: Any) -> Markup:
    """Markdown as HTML. Text the post's own template wrote (a capture) is the author's and is cleaned
    with the rest of the post; any other value (front matter, data, include parameters), and anything
    inside a theme include, is sanitised here."""
    text = "" if value is None else str(value)
    converted = environment.markdownify(text)
    state = current()
    trusted = isinstance(value, Markup) and not (state and state.trusted_depth)
    return Markup(converted if trusted else sanitize_content(converted))


@string_filter
def slugify(value: str, mode: str = "default") -> str:
    if mode == "none":
        return value
    if mode == "raw":
        return _WHITESPACE.sub("-", value.strip()).lower()
    return sitegen_slugify(value)


def _when(value: object) -> datetime | None:
    if value in ("now", "today"):
        return datetime.now(timezone.utc)
    if isinstance(value, (datetime, date)) or isinstance(value, str):
        try:
            return to_datetime(value)
        except ValueError:
            return None
    return None


def _date_filter(render: Callable[[datetime], str]) -> Callable[[object], str]:
    def apply(value: object, *args: object) -> str:
        when = _when(value)
        return "" if when is None else render(when, *args)  # type: ignore[call-arg]
    return apply


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _jekyll_date(month: str) -> Callable[..., str]:
    """date_to_string ('%b') and date_to_long_string ('%B'), with Jekyll's 'ordinal' and 'US' styles."""
    def render(when: datetime, kind: object = None, style: object = None) -> str:
        name = when.strftime(month)
        if kind != "ordinal":
            return f"{when:%d} {name} {when:%Y}"
        day = _ordinal(when.day)
        return f"{name} {day}, {when:%Y}" if style == "US" else f"{day} {name} {when:%Y}"
    return render


def _xmlschema(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _rfc822(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M:%S %z")


@string_filter
def number_of_words(value: str, mode: str = "") -> int:
    return len(value.split())


@string_filter
def xml_escape(value: str) -> Markup:
    return Markup(html.escape("".join([value]), quote=True))  # join: as plain text, even from a capture


@string_filter
def cgi_escape(value: str) -> str:
    return quote_plus(value)


@string_filter
def uri_escape(value: str) -> str:
    return quote(value, safe="!#$&'()*+,/:;=?@[]~%")


@string_filter
def normalize_whitespace(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip()


@string_filter
def strip_html(value: str) -> str:
    return html.unescape(_TAGS.sub("", value))


FILTERS: dict[str, Callable[..., Any]] = {
    "relative_url": relative_url, "absolute_url": absolute_url, "markdownify": markdownify,
    "slugify": slugify, "date_to_xmlschema": _date_filter(_xmlschema), "date_to_rfc822": _date_filter(_rfc822),
    "date_to_string": _date_filter(_jekyll_date("%b")), "date_to_long_string": _date_filter(_jekyll_date("%B")),
    "number_of_words": number_of_words, "xml_escape": xml_escape, "cgi_escape": cgi_escape,
    "uri_escape": uri_escape, "normalize_whitespace": normalize_whitespace, "strip_html": strip_html,
}
