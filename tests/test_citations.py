"""Citations in posts (sitegen/academic/citations.py): Pandoc's syntax in, the CSL style's HTML out, side
by side; code, URLs and e-mail addresses untouched; unknown keys reported with did-you-mean; the
References list. The last tests run the real CLI."""
from __future__ import annotations

import textwrap

import pytest

from conftest import post, read, run_cli, write
from sitegen.academic.bibliography import Bibliography
from sitegen.academic.bibtex import read_bib
from sitegen.academic.citations import Citer, parse_bracketed
from sitegen.academic.style import CiteItem, default_style_path
from sitegen.markup import MarkdownRenderer

BIB = r"""
@article{brunel2000,
  title = {Dynamics of sparsely connected networks of excitatory and inhibitory spiking neurons},
  author = {Brunel, Nicolas}, journal = {Journal of Computational Neuroscience},
  volume = {8}, number = {3}, pages = {183--208}, year = {2000}, doi = {10.1023/A:1008925309027}}
@article{beer1995,
  title = {On the dynamics of small continuous-time recurrent neural networks},
  author = {Beer, Randall D.}, journal = {Adaptive Behavior}, volume = {3}, pages = {469--509}, year = {1995}}
@article{lindqvist2024,
  title = {Sparse inhibition sets the frequency of population gamma},
  author = {Lindqvist, Mara and Okafor, David A. and Brandt, S{\"o}ren},
  journal = {Journal of Computational Neuroscience}, volume = {52}, pages = {17--39}, year = {2024}}
"""


@pytest.fixture(scope="module")
def bibliography() -> Bibliography:
    entries, problems = read_bib(BIB, "refs.bib")
    assert problems == []
    return Bibliography.of(entries, default_style_path().read_bytes(), ("Mara Lindqvist",), ("refs.bib",))


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer()


def cited(renderer: MarkdownRenderer, bibliography: Bibliography, markdown: str) -> tuple[str, Citer]:
    citer = Citer(bibliography)
    return renderer.render(textwrap.dedent(markdown).strip(), cite=citer).html, citer


def ref(key: str, text: str) -> str:
    return f'<a class="citation__ref" href="#ref-{key}">{text}</a>'


def span(keys: str, inner: str) -> str:
    return f'<span class="citation" data-cites="{keys}">{inner}</span>'


CASES = [
    ("[@brunel2000]", f"<p>{span('brunel2000', '(' + ref('brunel2000', 'Brunel, 2000') + ')')}</p>"),
    ("[@brunel2000, p. 3]", f"<p>{span('brunel2000', '(' + ref('brunel2000', 'Brunel, 2000, p. 3') + ')')}</p>"),
    ("[@brunel2000, pp. 33-35]", f"<p>{span('brunel2000', '(' + ref('brunel2000', 'Brunel, 2000, pp. 33–35') + ')')}</p>"),
    ("[see @beer1995, chap. 2]", f"<p>{span('beer1995', '(' + ref('beer1995', 'see Beer, 1995, chap. 2') + ')')}</p>"),
    ("[@brunel2000; @beer1995]",
     f"<p>{span('brunel2000 beer1995', '(' + ref('brunel2000', 'Brunel, 2000') + '; ' + ref('beer1995', 'Beer, 1995') + ')')}</p>"),
    ("As @beer1995 showed.", f"<p>As {span('beer1995', ref('beer1995', 'Beer (1995)'))} showed.</p>"),
    ("@lindqvist2024 [p. 4] found it.",  # Pandoc's `@key [locator]` is not supported: the bracket stays text
     f"<p>{span('lindqvist2024', ref('lindqvist2024', 'Lindqvist, Okafor and Brandt (2024)'))} [p. 4] found it.</p>"),
    ("Beer said so [-@beer1995].", f"<p>Beer said so {span('beer1995', '(' + ref('beer1995', '1995') + ')')}.</p>"),
    ("Keys match without case: [@BRUNEL2000].", f"<p>Keys match without case: {span('brunel2000', '(' + ref('brunel2000', 'Brunel, 2000') + ')')}.</p>"),
]


@pytest.mark.parametrize("markdown, expected", CASES, ids=[c[0] for c in CASES])
def test_each_syntax_renders_in_the_style(renderer, bibliography, markdown, expected):
    html, citer = cited(renderer, bibliography, markdown)
    assert html == expected
    assert citer.problems == []


UNTOUCHED = [
    ("`[@beer1995]` in code", "<p><code>[@beer1995]</code> in code</p>"),
    ("```\n@beer1995 [@brunel2000]\n```",
     '<div class="language-text highlight"><pre><span></span><code>@beer1995 [@brunel2000]\n</code></pre></div>'),
    ("Write to mara@example.org or beer1995@brunel2000.org.",
     "<p>Write to mara@example.org or beer1995@brunel2000.org.</p>"),
    ("<https://mastodon.example/@beer1995>",
     '<p><a href="https://mastodon.example/@beer1995">https://mastodon.example/@beer1995</a></p>'),
    ("See https://host.example/@beer1995 too.", "<p>See https://host.example/@beer1995 too.</p>"),
    ("[a link](https://host.example/@beer1995)", '<p><a href="https://host.example/@beer1995">a link</a></p>'),
    ('<span title="@beer1995">x</span>', '<p><span title="@beer1995">x</span></p>'),
    (r"A literal \@beer1995.", "<p>A literal @beer1995.</p>"),
    ("[not a citation] and [email me@example.org]", "<p>[not a citation] and [email me@example.org]</p>"),
]


@pytest.mark.parametrize("markdown, expected", UNTOUCHED, ids=[c[0] for c in UNTOUCHED])
def test_code_urls_and_addresses_are_not_citations(renderer, bibliography, markdown, expected):
    html, citer = cited(renderer, bibliography, markdown)
    assert html == expected
    assert citer.problems == [] and citer.references_html() == ""


def test_without_a_bibliography_nothing_is_a_citation(renderer):
    assert renderer.render("[@beer1995] and @beer1995").html == "<p>[@beer1995] and @beer1995</p>"


def test_an_unknown_key_is_a_problem_with_did_you_mean(renderer, bibliography):
    html, citer = cited(renderer, bibliography, "As [@brunel200, p. 2] and @beer1995 said.")
    assert "[@brunel200, p. 2]" in html  # left as written
    assert citer.problems == [("[@brunel200, p. 2]", "no entry 'brunel200' in refs.bib", "did you mean 'brunel2000'?")]


def test_the_references_list_holds_each_cited_entry_once_in_the_styles_order(renderer, bibliography):
    _, citer = cited(renderer, bibliography, "[@lindqvist2024] and [@beer1995; @lindqvist2024, p. 2]")
    references = citer.references_html()
    rows = references.split('<li class="references__entry" id="ref-')[1:]
    assert [r.split('"', 1)[0] for r in rows] == ["beer1995", "lindqvist2024"]  # by author, as Harvard sorts
    assert "Beer, R.D. (1995) “On the dynamics of small continuous-time recurrent neural networks”, " \
           "<i>Adaptive Behavior</i>, 3, pp. 469–509." in rows[0]
    assert "Lindqvist, M., Okafor, D.A. and Brandt, S. (2024)" in rows[1]
    assert 'href="/publications/#lindqvist2024">Publications</a>' in rows[1]  # every entry is listed by default
    assert references.startswith('<section class="references" id="references"')
    assert "<h2" in references and "References</h2>" in references


def test_bracketed_citations_split_into_items():
    assert parse_bracketed("see @a, p. 3; -@b; @c, and more") == [
        CiteItem("a", "see ", ("page", "3"), ""), CiteItem("b", "", None, "", True), CiteItem("c", "", None, ", and more")]
    assert parse_bracketed("just words") is None


# ------------------------------------------------------------------------------------------ the CLI


def test_a_post_cites_through_the_cli_and_an_unknown_key_fails_at_its_line(site):
    root = site({
        "content/refs.bib": BIB,
        "content/posts/2024-01-02-cites.md": post("Cites", "As [@lindqvist2024] showed,\n\n<!--more-->\n\nand @beer1995 too."),
    }, config='search = false\n[author]\nname = "Mara Lindqvist"\n[publications]\nbib = ["content/refs.bib"]\n')
    result = run_cli("build", "--strict", cwd=root)  # --strict checks every link and #anchor of the site
    assert result.code == 0, result.text
    card = read(root, "index.html")
    assert "(Lindqvist, Okafor and Brandt, 2024)" in card and "#ref-" not in card  # a card's citation is text
    page = read(root, "posts/cites/index.html")
    assert 'href="#ref-lindqvist2024">Lindqvist, Okafor and Brandt, 2024</a>' in page
    assert 'id="ref-beer1995"' in page and 'href="../../publications/#beer1995"' in page
    assert not (root / "site" / "content").exists() and not (root / "site" / "refs.bib").exists()

    write(root, {"content/posts/2024-01-02-cites.md": post("Cites", "Intro.\n\nAs [@lindqvist2042] showed.")})
    failed = run_cli("build", cwd=root)
    assert failed.code == 1 and "Traceback" not in failed.text
    assert ("content/posts/2024-01-02-cites.md:6: error: no entry 'lindqvist2042' in content/refs.bib "
            "(did you mean 'lindqvist2024'?)") in failed.text
    assert 'href="#ref-lindqvist2024"' in read(root, "posts/cites/index.html")  # the last good site stays


def test_the_bibliography_crosses_to_a_worker_process(bibliography):
    """Posts are converted in worker processes on large sites: what they get must pickle, and cite alike."""
    import pickle

    copy = pickle.loads(pickle.dumps(bibliography))
    assert copy == bibliography and copy.get("BEER1995").key == "beer1995"
    citer = Citer(copy)
    assert citer("[@beer1995]", parse_bracketed("@beer1995"), False) == span("beer1995", "(" + ref("beer1995", "Beer, 1995") + ")")
