"""The site's publications on the CV: the entries of its .bib files that name the site author
(`[author] name` or a `[publications] aliases` spelling), newest first, as the CSL style formats
them, with the author's name marked as on /publications/."""
from __future__ import annotations

from sitegen.academic.bibliography import Bibliography
from sitegen.academic.csl import mark_me


def publications_html(bibliography: Bibliography) -> tuple[str, ...]:
    """Each of the author's entries as HTML (every listed entry when the site names no author)."""
    mine = [e for e in bibliography.entries if bibliography.is_mine(e)] if bibliography.me else list(bibliography.listed)
    if not mine:
        return ()
    formatted = bibliography.marked_engine().entries([e.key for e in mine])
    mine.sort(key=lambda e: (-(e.year or 0), -(e.month or 0), e.key.lower()))
    return tuple(mark_me(formatted[e.key]) for e in mine)
