"""The search index: Pagefind run over the staging folder once every page is in it (write_site's `extend`
step), its bundle in site/pagefind/.

Runs before the swap, so a failed index is a build error and the last good site/ stays. Only pages that
mark their text with `data-pagefind-body` (the theme's post.html and page.html) are indexed: the home page,
tag pages and the index's later pages are never results. The binary comes from the `pagefind_bin` wheel
(or $PAGEFIND_BINARY_PATH); nothing is fetched."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Sequence

from sitegen.errors import Diagnostic, error, warning
from sitegen.model import OutputFile
from sitegen.write import Extend

FOLDER = "pagefind"
MARKER = b"data-pagefind-body"
# Inside a post's article but not its text: the contents list, the date and reading-time line, the headings'
# links. The title stays: it weighs most, and a post of pictures alone still has words (Pagefind fails on an
# index without any); search.js leaves it out of the excerpt, under the result's title.
EXCLUDED = (".toc", ".entry-meta", ".headerlink")
# Pagefind's own search interfaces; the theme's search.js uses only pagefind.js (and its worker).
UNUSED = frozenset({"pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
                    "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js"})
TIMEOUT = 600  # seconds; 1,000 posts take one or two
_HINT = "set search = false in sitegen.toml to build without the search index"


def search_step(pages: Sequence[OutputFile], enabled: bool, entries: int) -> tuple[Extend | None, list[Diagnostic]]:
    """The step that indexes the staging folder, or None: search is off, or none of `pages` (the rendered
    HTML) is marked. `entries`: the site's posts and pages; when there are some but no page is marked (a
    site's own post.html without the attribute), a warning."""
    if not enabled:
        return None, []
    # A page that only mentions the attribute in its text counts too; Pagefind reads the real one.
    if not any(p.rel.endswith(".html") and p.data is not None and MARKER in p.data for p in pages):
        return None, [_unmarked()] if entries else []
    return index_site, []


def index_site(site: Path) -> tuple[list[str], list[Diagnostic]]:
    """Index the HTML under `site` into site/pagefind/: the files written (relative to `site`), or the error."""
    bundle = site / FOLDER
    problem = run_pagefind(site, bundle)
    if problem:
        return [], [problem]
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return sorted(p.relative_to(site).as_posix() for p in bundle.rglob("*") if p.is_file()), []


def _unmarked() -> Diagnostic:
    return warning("templates", None, "search: no page marks its text with data-pagefind-body, so there is "
                                      "nothing to index",
                   f"add data-pagefind-body to the <article> of your post.html and page.html, or {_HINT}")


def run_pagefind(source: Path, bundle: Path) -> Diagnostic | None:
    """Index the HTML under `source` into `bundle`; a Diagnostic when Pagefind cannot run or fails."""
    binary = _executable()
    if binary is None:
        return _cannot_run("the pagefind package finds no binary")
    command = [str(binary), "--site", str(source), "--output-path", str(bundle), "--quiet",
               *(arg for selector in EXCLUDED for arg in ("--exclude-selectors", selector))]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except OSError as exc:
        return _cannot_run(f"{binary}: {exc.strerror or exc}")
    except subprocess.TimeoutExpired:
        return error("sitegen.toml", None, f"search: Pagefind did not finish within {TIMEOUT} s", _HINT)
    if done.returncode != 0:
        said = " ".join(line.strip() for line in (done.stderr or done.stdout).splitlines()[-4:] if line.strip())
        return error("sitegen.toml", None, f"search: Pagefind failed (exit status {done.returncode}): "
                                           f"{said or 'it printed nothing'}", _HINT)
    return None


def _cannot_run(reason: str) -> Diagnostic:
    return error("sitegen.toml", None, f"search: the Pagefind indexer cannot run: {reason}",
                 f"install it with pip install 'pagefind[bin]' (or set PAGEFIND_BINARY_PATH), or {_HINT}")


def _executable() -> Path | None:
    """The binary Pagefind's Python package would use: $PAGEFIND_BINARY_PATH, else the pagefind_bin wheel's."""
    try:
        from pagefind.service import get_executable  # the package's own lookup; imported only when search runs
    except ImportError:
        return None
    return get_executable()
