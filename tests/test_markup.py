"""Markdown as scientists' Jekyll posts write it: input and expected HTML side by side."""
from __future__ import annotations

import pytest

from sitegen.markup import MarkdownRenderer, plain_text


@pytest.fixture(scope="module")
def md() -> MarkdownRenderer:
    return MarkdownRenderer()


def test_kramdown_attribute_lists(md):
    html = md.render("A notice.\n{: .notice--info}\n\nAnother.\n\n{: .notice}\n\n"
                     "[paper](https://doi.org/x){:target=\"_blank\"} and [c](https://a.b){:id=\"cite\" target=\"_blank\"}").html
    assert '<p class="notice--info">A notice.</p>' in html
    assert '<p class="notice">Another.</p>' in html
    assert '<a href="https://doi.org/x" target="_blank">paper</a>' in html
    assert '<a href="https://a.b" id="cite" target="_blank">c</a>' in html
    assert "{:" not in html


def test_ial_before_a_paragraph_applies_to_it(md):
    assert '<p class="align-center">Centred.</p>' in md.render("{: .align-center}\nCentred.").html


def test_tables_footnotes_abbreviations_and_definition_lists(md):
    html = md.render("| a | b |\n|---|---|\n| 1 | 2 |\n\nEEG data[^n].\n\n[^n]: A note.\n\n"
                     "*[EEG]: Electroencephalography\n\nTerm\n:   Meaning\n").html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref" href="#fn:n"' in html and 'id="fn:n"' in html
    assert '<abbr title="Electroencephalography">EEG</abbr>' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Meaning</dd>" in html


def test_fenced_code_is_highlighted_with_classes(md):
    html = md.render("```python\nimport numpy as np\n```").html
    assert '<div class="language-python highlight">' in html
    assert '<span class="kn">import</span>' in html


def test_heading_anchors_and_table_of_contents(md):
    rendered = md.render("## Methods\n\n### Data\n\ntext")
    assert '<h2 id="methods">Methods<a class="headerlink" href="#methods"' in rendered.html
    assert '<a href="#data">Data</a>' in rendered.toc_html
    assert md.render("no headings").toc_html == ""


def test_raw_html_passes_through_and_markdown_inside_html_blocks(md):
    html = md.render('<figure><img src="a.png" alt="x"><figcaption>Cap</figcaption></figure>\n\n'
                     'Line<br>break\n\n<div markdown="1">*inside*</div>').html
    assert '<figure><img src="a.png" alt="x"><figcaption>Cap</figcaption></figure>' in html
    assert "Line<br>break" in html
    assert "<em>inside</em>" in html


def test_more_marker_splits_the_excerpt(md):
    rendered = md.render("First part.\n\n<!--more-->\n\nSecond part.")
    assert "First part" in rendered.excerpt_html and "Second part" not in rendered.excerpt_html
    assert md.render("No marker.").excerpt_html == ""


def test_maths_becomes_mathml_without_scripts(md):
    html = md.render("Inline $\\tau \\dot{x} = -x$ costs $5 or $10.\n\n$$\n\\frac{a}{b}\n$$").html
    assert '<span class="math math-inline"><math' in html and "<mfrac>" in html
    assert '<div class="math math-display"><math' in html and 'display="block"' in html
    assert "costs $5 or $10" in html
    assert "<script" not in html


def test_a_formula_that_cannot_be_converted_is_reported(md):
    rendered = md.render("Bad $\\left( x$ here.")
    assert rendered.problems and "cannot render the formula" in rendered.problems[0][1]


def test_word_count_and_plain_text(md):
    assert md.render("one two three").word_count == 3
    assert plain_text("<p>a &amp; <b>b</b></p>") == "a & b"
