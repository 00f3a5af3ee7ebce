"""The search index (sitegen/search.py, Pagefind) through the real CLI: what it holds, what it leaves out,
`search = false`, an indexer that fails, and `sitegen serve`."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from conftest import post, read, run_cli, write
from test_publish import Server

POSTS = {
    "content/posts/2024-01-01-alpha.md": post("Alpha rhythms", "Occipital alpha at rest.\n\n## Methods\n\nEEG.",
                                              tags="[eeg, rhythms]"),
    "content/posts/2024-02-01-beta.md": post("Beta bursts", "Motor beta bursts: a quokkalith appears.",
                                             tags="[motor]"),
    "content/posts/2024-03-01-gamma.md": post("Gamma", "Fast gamma in the hippocampus.", tags="[eeg]"),
    "content/pages/about.md": post("About", "Who writes here.", permalink="/about/"),
}
CONFIG = 'title = "Search test"\nbase_url = "/repo/"\nposts_per_page = 1\n'
INDEXED = {"/posts/alpha/", "/posts/beta/", "/posts/gamma/", "/about/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The site above, built once with --strict (the tests below that build it again leave it as it was)."""
    root = tmp_path_factory.mktemp("search")
    write(root, {**POSTS, "sitegen.toml": CONFIG})
    result = run_cli("build", "--strict", cwd=root)
    assert result.code == 0, result.text
    return root


def fragments(root: Path) -> dict[str, dict]:
    """Every page Pagefind indexed: its URL and its record (content, meta, filters)."""
    records = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
               for f in (root / "site/pagefind/fragment").iterdir()]
    return {record["url"]: record for record in records}


def test_the_index_holds_the_posts_and_pages_and_no_listing(built):
    root = built
    entry = json.loads(read(root, "pagefind/pagefind-entry.json"))
    assert [language["page_count"] for language in entry["languages"].values()] == [4]
    records = fragments(root)
    assert set(records) == INDEXED  # not the home page, its page 2, the tag pages or the 404 page
    assert (root / "site/page/2/index.html").is_file() and (root / "site/tags/eeg/index.html").is_file()
    beta = records["/posts/beta/"]
    assert "quokkalith" in beta["content"] and beta["meta"]["title"] == "Beta bursts"
    assert beta["meta"]["date"] == "1 February 2024" and "motor" in beta["content"]  # its tags are text too
    assert not beta["filters"]  # Pagefind writes filters in a different order each run: none, so reruns agree
    assert "min read" not in records["/posts/alpha/"]["content"]  # the meta line is not text
    assert beta["content"].startswith("Beta bursts. Motor")  # the title, then the text (search.js skips it)
    # Only the parts search.js uses; Pagefind's own interfaces are left out.
    names = {p.name for p in (root / "site/pagefind").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "fragment", "index"} <= names
    assert not names & {"pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-highlight.js"}
    home = read(root, "index.html")
    assert 'class="site-search" role="search"' in home and 'data-index-src="pagefind/pagefind.js"' in home
    assert 'href="static/css/search.css"' in home and 'src="static/js/search.js"' in home
    # Publishable as it is: the checker finds nothing, GitHub Pages serves the folder (no underscore).
    assert (root / "site/.nojekyll").is_file()
    checked = run_cli("check", "--strict", "--base-url", "/repo/", cwd=root)
    assert checked.code == 0, checked.text


def test_an_unchanged_rebuild_keeps_the_index_files_and_their_times(built):
    root = built
    entry = root / "site/pagefind/pagefind-entry.json"
    before = {p: p.stat().st_mtime_ns for p in (root / "site/pagefind").rglob("*") if p.is_file()}
    os.utime(entry, ns=(1, 1))  # a time no build would give it
    assert run_cli("build", cwd=root).code == 0
    after = {p: p.stat().st_mtime_ns for p in (root / "site/pagefind").rglob("*") if p.is_file()}
    assert set(after) == set(before) and entry.stat().st_mtime_ns == 1


def test_search_false_builds_no_index_and_no_box(site):
    root = site(POSTS, CONFIG + "search = false\n")
    result = run_cli("build", "--strict", cwd=root)
    assert result.code == 0, result.text
    assert not (root / "site/pagefind").exists()
    page = read(root, "posts/beta/index.html")
    assert "site-search" not in page and "search.js" not in page and "search.css" not in page


def test_an_indexer_that_fails_is_an_error_and_the_last_site_stays(built, tmp_path):
    root = built
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    added = root / "content/posts/2024-04-01-delta.md"
    added.write_text(post("Delta", "Slow delta waves."))
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the index cannot be written' >&2\nexit 3\n")
    broken.chmod(0o755)
    try:
        for binary, said in ((broken, "Pagefind failed (exit status 3): Error: the index cannot be written"),
                             (tmp_path / "missing", "the Pagefind indexer cannot run")):
            result = run_cli("build", cwd=root, env={"PAGEFIND_BINARY_PATH": str(binary)})
            assert result.code == 1 and said in result.text, result.text
            assert "set search = false" in result.text and "Traceback" not in result.text
            after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
            assert after == before  # the delta post is not there: nothing was swapped in
    finally:
        added.unlink()


def test_own_templates_without_the_marker_get_a_warning_and_no_index(site):
    root = site({**POSTS, "templates/post.html": '{% extends "base.html" %}{% block content %}'
                                                 '<article>{{ post.content_html|safe }}</article>{% endblock %}',
                 "templates/page.html": '{% extends "base.html" %}{% block content %}{% endblock %}'}, CONFIG)
    result = run_cli("build", cwd=root)
    assert result.code == 0 and "no page marks its text with data-pagefind-body" in result.text, result.text
    assert not (root / "site/pagefind").exists()


def test_sitegen_serve_serves_the_index_under_the_base_path(built):
    server = Server(built)
    try:
        status, text = server.get("/repo/pagefind/pagefind-entry.json")
        assert status == 200 and '"page_count":4' in text, text
        status, page = server.get("/repo/posts/beta/")
        assert status == 200 and 'data-index-src="../../pagefind/pagefind.js"' in page
    finally:
        assert server.stop() == 0


def test_a_site_of_pictures_without_words_is_indexed_by_its_titles(site):
    root = site({"content/posts/2024-01-01-x.md": post("Raster", "![spikes](/assets/r.svg)"),
                 "content/assets/r.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert set(fragments(root)) == {"/posts/x/"}
