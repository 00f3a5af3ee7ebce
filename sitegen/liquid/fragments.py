"""HTML the theme's includes write (the video facade, figures, the table of contents) goes into the
post as a one-character token, not as markup, so the author's sanitiser never sees it and Markdown
cannot rewrap it; `restore` puts it back in the finished HTML. Author text inside it was escaped or
sanitised by the include's own filters. Tokens are private-use characters: no word, no markup."""
from __future__ import annotations

import re

from sitegen.liquid.state import MAX_FRAGMENTS, current

_OPEN, _CLOSE, _BASE = "\ue000", "\ue001", 0xE100
TOC = "\ue002"  # inside a fragment: the page's table of contents goes here
_TOKEN = re.compile(f"<p>{_OPEN}([\ue100-\uefff]){_CLOSE}</p>|{_OPEN}([\ue100-\uefff]){_CLOSE}")


def keep(html: str) -> str | None:
    """The token that stands for `html` in the render in progress; None when there is none (or too many)."""
    state = current()
    if state is None or len(state.fragments) >= MAX_FRAGMENTS:
        return None
    state.fragments.append(html)
    return f"{_OPEN}{chr(_BASE + len(state.fragments) - 1)}{_CLOSE}"


def restore(html: str, fragments: tuple[str, ...], toc_html: str = "", drop: bool = False) -> str:
    """`html` with each token replaced by its fragment (a paragraph holding only a token becomes the
    fragment itself); `drop` leaves them out (for word counts and descriptions)."""
    if _OPEN not in html and TOC not in html:
        return html

    def put_back(match: re.Match[str]) -> str:
        index = ord(match.group(1) or match.group(2)) - _BASE
        if drop or index >= len(fragments):
            return ""
        return fragments[index].replace(TOC, toc_html)

    return _TOKEN.sub(put_back, html).replace(TOC, "" if drop else toc_html)
