"""The publications page from .bib files written as people write them (tests/bib_corpus/: a Google
Scholar export, a Zotero/Better BibTeX export, JabRef, a hand-kept file with @string, # and crossref,
and one with hostile text), built with the real CLI under a sub-path; and bad input, which fails the
build at the file and line with what would be right, leaving the last good site."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import post, read, run_cli, write

CORPUS = Path(__file__).parent / "bib_corpus"
FILES = ("google_scholar.bib", "zotero_bbt.bib", "jabref.bib", "handwritten.bib")
CONFIG = """title = "Bib corpus"
search = false  # the index is not what these tests are about, and takes a while
[author]
name = "Mara Lindqvist"
[publications]
bib = [{files}]
aliases = ["M Lindqvist"]
{extra}
"""


def config(extra: str = "", files: tuple[str, ...] = FILES) -> str:
    return CONFIG.format(files=", ".join(f'"bib/{f}"' for f in files), extra=extra)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, root / "bib", ignore=shutil.ignore_patterns("generated*"))
    write(root, {
        "sitegen.toml": config(),
        "content/posts/2022-03-01-poster.md": post("Poster project", "About the poster.", publication="lindqvist2022poster"),
        "content/posts/2023-03-01-both.md": post("Two papers", "Both.", publication="[garciaLopez2023Manifold, Brandt2017]"),
        "content/papers/lindqvist-preprint-2024.pdf": "%PDF-1.4 stand-in",
        "content/posters/cosyne2022.pdf": "%PDF-1.4 stand-in",
    })
    result = run_cli("build", "--base-url", "/sub/", cwd=root)
    assert result.code == 0, result.text
    return root, result.text


def entries(page: str) -> dict[str, str]:
    """Each entry's <li> by its id, in page order."""
    blocks = re.findall(r'<li class="pub" id="([^"]+)">(.*?)\n      </li>', page, re.S)
    return {html.unescape(key): block for key, block in blocks}


def text_of(block: str) -> str:
    return re.search(r'<div class="pub__text">(.*?)</div>', block, re.S).group(1)


def test_every_entry_has_an_anchor_and_the_years_run_newest_first(corpus):
    root, _ = corpus
    page = read(root, "publications/index.html")
    years = re.findall(r'<h2 class="pub-group__title" id="year-(\d+)">', page)
    assert years == ["2024", "2023", "2022", "2021", "2019", "2018", "2017", "2001"]
    found = entries(page)
    assert set(found) == {"okafor2021balanced", "nakashima2019theta", "muller2018scalp", "garciaLopez2023Manifold",
                          "lindqvistPreprint2024", "Brandt2017", "Dayan2001", "cosyne2022", "lindqvist2022poster",
                          "script2023"}  # all entries, as only_mine is false
    assert list(found).index("lindqvist2022poster") < list(found).index("okafor2021balanced")
    assert '<a href="#year-2019">2019</a>' in page


def test_names_are_decoded_and_the_author_is_marked(corpus):
    root, _ = corpus
    found = entries(read(root, "publications/index.html"))
    assert text_of(found["garciaLopez2023Manifold"]).startswith(
        "García-López, A.M., de la Fuente, J., Jr, van der Berg, J. and <span class=\"me\">Lindqvist</span>, M. (2023)") \
        or "García-López, A.M." in text_of(found["garciaLopez2023Manifold"])
    assert "Müller, J." in text_of(found["muller2018scalp"])
    assert "α-band" in text_of(found["muller2018scalp"])
    assert "Human Brain Project Consortium" in text_of(found["lindqvistPreprint2024"])
    for key, block in found.items():
        marked = text_of(block).count('<span class="me">Lindqvist</span>')
        assert marked == (1 if "Lindqvist" in text_of(block) else 0), key
    assert "Dayan, P. and Abbott, L.F." in text_of(found["Dayan2001"])


def test_no_latex_is_left_and_text_stays_text(corpus):
    root, _ = corpus
    page = read(root, "publications/index.html")
    for key, block in entries(page).items():
        shown = re.sub(r"<[^>]+>", "", text_of(block))
        assert not re.search(r"[{}\\$]", shown), (key, shown)
    script = text_of(entries(page)["script2023"])
    assert "<script>" not in page.split("<body>", 1)[1].split("publications.js")[0]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends" in script or \
        "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; friends" in script
    assert "&lt;Script&gt;" in script
    assert not re.search(r'href="\s*javascript:', page, re.I)


def test_links_come_from_the_fields(corpus):
    root, text = corpus
    found = entries(read(root, "publications/index.html"))

    def links(key: str) -> dict[str, str]:
        return {kind: html.unescape(url) for url, kind in
                re.findall(r'<a class="pub__link pub__link--\w+" href="([^"]+)">([^<]+)</a>', found[key])}

    assert links("garciaLopez2023Manifold") == {"DOI": "https://doi.org/10.1038/s41593-022-01234-5",
                                                "Web": "https://www.nature.com/articles/s41593-022-01234-5",
                                                "Project post": "../posts/both/"}
    assert links("Brandt2017")["DOI"] == "https://doi.org/10.1007/s00422-017-0731-2"  # JabRef's whole URL
    assert "Slides" not in links("Brandt2017")  # talks/brandt2017.pdf is not there: a warning, no link
    assert "bib/jabref.bib:15: warning: 'slides' of 'Brandt2017' names 'talks/brandt2017.pdf', which is not in the " \
           "content folder; the link is left out" in text
    assert links("lindqvistPreprint2024") == {"arXiv": "https://arxiv.org/abs/2405.00123",
                                              "PDF": "../papers/lindqvist-preprint-2024.pdf"}
    assert links("lindqvist2022poster") == {"Poster": "../posters/cosyne2022.pdf", "Project post": "../posts/poster/"}
    assert links("script2023") == {"Code": "https://example.org/code?a=1&b=2"}
    assert (root / "site/papers/lindqvist-preprint-2024.pdf").is_file()


def test_crossref_and_string_macros_fill_in_the_entry(corpus):
    root, _ = corpus
    found = entries(read(root, "publications/index.html"))
    poster = text_of(found["lindqvist2022poster"])
    assert "<i>Proceedings of Computational and Systems Neuroscience (Cosyne)</i>" in poster
    assert "“Rotational dynamics in center-crossing RNNs”" in poster


def test_the_abstract_and_the_bibtex_as_written(corpus):
    root, _ = corpus
    block = entries(read(root, "publications/index.html"))["garciaLopez2023Manifold"]
    assert '<details class="pub__details pub__abstract">' in block
    assert "Working memory is held in a low-dimensional manifold" in block
    bibtex = html.unescape(re.search(r'<code id="bibtex-garciaLopez2023Manifold">(.*?)</code>', block, re.S).group(1))
    assert bibtex.startswith("@article{garciaLopez2023Manifold,\n  title = {Manifold {{Dynamics}} of")
    assert "journaltitle = {Nature Neuroscience}" in bibtex and bibtex.endswith("\n}")
    assert "abstract" not in bibtex and "Zotero" not in bibtex
    assert 'data-copy="bibtex-garciaLopez2023Manifold" hidden>Copy BibTeX</button>' in block


def test_a_post_names_its_paper_and_the_bib_files_are_not_published(corpus):
    root, _ = corpus
    page = read(root, "posts/both/index.html")
    assert '<p class="publication-note"><span class="publication-note__label">Papers:</span> ' \
           '<a href="../../publications/#garciaLopez2023Manifold">Manifold Dynamics of Working Memory in Prefrontal ' \
           'Cortex</a> (Nature Neuroscience, 2023); <a href="../../publications/#Brandt2017">' in page
    assert "publications.js" not in page and "publications.js" in read(root, "publications/index.html")
    assert not list((root / "site").rglob("*.bib"))
    assert "publications/" in read(root, "sitemap.xml")


def test_only_mine_and_group_by_type(site):
    root = site({"bib/" + name: (CORPUS / name).read_text() for name in FILES}
                | {"content/posters/cosyne2022.pdf": "x", "content/papers/lindqvist-preprint-2024.pdf": "x"},
                config=config('only_mine = true\ngroup_by = "type"\ntitle = "Papers"\npermalink = "papers/"'))
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    page = read(root, "papers/index.html")
    assert re.findall(r'<h2 class="pub-group__title" id="type-[\w-]+">([^<]+)</h2>', page) == [
        "Journal articles", "Conference papers", "Web pages"]
    assert set(entries(page)) == {"okafor2021balanced", "nakashima2019theta", "muller2018scalp",
                                  "garciaLopez2023Manifold", "lindqvistPreprint2024", "Brandt2017",
                                  "lindqvist2022poster"}
    assert "<title>Papers — Bib corpus</title>" in page


# ----------------------------------------------------------------------------------------- bad input

BAD_BIB = """@article{good2020,
  title = {Good},
  author = {Lindqvist, Mara},
  journal = undefinedmacro,
  year = 2020
}

@article{broken2021,
  title = {Missing its closing brace,
  year = 2021

@article{good2020,
  title = {Twice},
  year = 2022
}

@misc{notitle2023,
  author = {Lindqvist, Mara},
  year = 2023
}
"""


def test_bad_input_fails_at_its_line_and_keeps_the_last_site(site):
    root = site({"content/publications.bib": "@article{ok, title = {Fine}, year = 2020}\n",
                 "content/posts/2024-01-01-a.md": post("A", "Text.")}, config="search = false\n")
    assert run_cli("build", cwd=root).code == 0
    before = read(root, "publications/index.html")
    write(root, {
        "content/publications.bib": BAD_BIB,
        "more.bib": "@article{GOOD2020, title = {Case differs}, year = 2020}\n",
        "styles/bad.csl": '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n  <info>\n</style>\n',
        "content/posts/2024-01-01-a.md": post("A", "Cites [@good202].", publication="notitle2032"),
        "sitegen.toml": 'search = false\n[publications]\nbib = ["content/publications.bib", "more.bib", "gone.bib"]\n'
                        'style = "styles/bad.csl"\n',
    })
    result = run_cli("build", cwd=root)
    text = result.text
    assert result.code == 1 and "Traceback" not in text
    expected = [
        "content/publications.bib:4: warning: 'journal' uses the @string 'undefinedmacro', which is not defined",
        "content/publications.bib:8: error: this BibTeX block cannot be read: ",
        "content/publications.bib:12: error: duplicate key 'good2020': the same key as the entry at line 1",
        "content/publications.bib:17: error: entry 'notitle2023' has no title (add title = {…})",
        "more.bib:1: error: duplicate key 'GOOD2020': the same key as the entry at content/publications.bib:1",
        "sitegen.toml:3: error: [publications] bib names 'gone.bib', which does not exist",
        "styles/bad.csl:4: error: not a usable CSL style: invalid XML: ",
        "content/posts/2024-01-01-a.md:3: error: no entry 'notitle2032' in content/publications.bib, more.bib, "
        "gone.bib (did you mean 'notitle2023'?)",
        "content/posts/2024-01-01-a.md:5: error: no entry 'good202' in content/publications.bib, more.bib, gone.bib "
        "(did you mean 'good2020'?)",
    ]
    for line in expected:
        assert line in text, line
    assert read(root, "publications/index.html") == before


def test_a_style_outside_the_site_and_too_large_a_file_are_refused(site, tmp_path):
    root = site({"content/publications.bib": "@article{ok, title = {Fine}, year = 2020}\n" + "%" * (9 * 2**20)},
                config='search = false\n[publications]\nstyle = "../elsewhere.csl"\n')
    result = run_cli("build", cwd=root)
    assert result.code == 1 and "Traceback" not in result.text
    assert "sitegen.toml:3: error: 'publications.style' must be a path inside the site folder" in result.text
    assert "content/publications.bib: error: 9.0 MiB: larger than 8 MiB, the most one .bib file may be" in result.text


def test_a_csl_file_in_the_site_folder_is_used(site):
    from sitegen.academic.style import default_style_path

    numeric = default_style_path().read_text().replace('<layout prefix="(" suffix=")" delimiter="; ">',
                                                       '<layout prefix="[" suffix="]" delimiter="; ">')
    root = site({"content/publications.bib": "@article{ok, title = {Fine}, author = {Beer, R.}, year = 2020}\n",
                 "styles/brackets.csl": numeric,
                 "content/posts/2024-01-01-a.md": post("A", "Cites [@ok, p. 2].")},
                config='search = false\n[publications]\nstyle = "styles/brackets.csl"\n')
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert '[<a class="citation__ref" href="#ref-ok">Beer, 2020, p. 2</a>]' in read(root, "posts/a/index.html")


def test_the_generated_300_entries_read_and_format_with_the_author_marked():
    """The benchmark's .bib (bench/bib_build.py's generated_bib(300)), formatted as the page formats it."""
    from sitegen.academic.bibliography import Bibliography
    from sitegen.academic.bibtex import read_bib
    from sitegen.academic.csl import mark_me
    from sitegen.academic.style import default_style_path

    entries, problems = read_bib((CORPUS / "generated_300.bib").read_text(encoding="utf-8"), "generated_300.bib")
    assert len(entries) == 300 and problems == []
    bibliography = Bibliography.of(entries, default_style_path().read_bytes(), ("Mara Lindqvist",), ("generated_300.bib",))
    formatted = {k: mark_me(v) for k, v in bibliography.marked_engine().entries([e.key for e in entries]).items()}
    marked = {k for k, text in formatted.items() if '<span class="me">Lindqvist</span>, M.' in text}
    assert marked == {e.key for e in entries if bibliography.is_mine(e)} and len(marked) >= 100
    for key, text in formatted.items():
        assert not re.search(r"[{}\\$\ue000-\ue0ff]", re.sub(r"<[^>]+>", "", text)), (key, text)
        assert " et al." not in text  # the page names every author
