"""Images and links named in front matter (header, sidebar, gallery): as site paths, refused when they
would run script, left out with a warning at their key's line when the file is missing, and paired
with their dark twins (sitegen/media.py)."""
from __future__ import annotations

import re
from typing import Any

from sitegen.fields import Fields
from sitegen.html_policy import refused_scheme
from sitegen.media import content_path, found_twin, missing_hint, names_content_file
from sitegen.urls import is_external, resolve_relative


class FrontImages:
    """Reads one post's front-matter images against the files of content/ (`files`), recording each
    problem in `fields`."""

    def __init__(self, fields: Fields, files: frozenset[str], content_dir: str) -> None:
        self.fields, self.files, self.content_dir = fields, files, content_dir

    def image(self, dotted: str, value: Any, dark: Any = None) -> tuple[str, str]:
        """The image at key `dotted` and its dark twin (`dark`, the `<key>_dark` value, else
        `name.dark.suffix` next to it), as site paths; '' for one that is unset or missing."""
        url = self.present(dotted, value)
        if dark:
            return url, self.present(f"{dotted}_dark", dark) if url else ""
        return url, found_twin(url, self.fields.rel, self.files)

    def present(self, dotted: str, value: Any) -> str:
        """`value` as a site path, or '' (with a warning) when it names a file of content/ that is not there."""
        url = front_url(self.fields, dotted, value)
        target = content_path(url)
        if not url or is_external(url) or not names_content_file(url, self.files) or target in self.files:
            return url
        front = self.fields.front
        self.fields.warn(front.line(dotted) or front.line(_top_key(dotted)),
                         f"'{dotted}' names a file that does not exist: '{url}'",
                         missing_hint(target, self.files, self.content_dir))
        return ""


def front_url(fields: Fields, dotted: str, value: Any) -> str:
    """A link or image path from front matter: external and root paths as written, relative ones
    resolved. One that would run script is an error in every raw_html mode, and left out."""
    text = str(value or "").strip()
    if not text:
        return ""
    scheme = refused_scheme(text)
    if scheme:
        fields.fail(_top_key(dotted), f"'{dotted}' is a {scheme}: URL, which sitegen never puts in a page",
                    "link to a page or a file instead, e.g. /assets/img/figure.png or https://…")
        return ""
    return resolve_relative(text, fields.rel) or text


def _top_key(dotted: str) -> str:
    return re.split(r"[.\[]", dotted, maxsplit=1)[0]
