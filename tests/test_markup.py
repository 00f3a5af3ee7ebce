"""Markdown as scientists' Jekyll posts write it: input and expected HTML side by side."""
from __future__ import annotations

import re

import pytest

from sitegen.html_policy import sanitize_content
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


ANIMATED = """Intro words.

```animation
kind: heatmap
```

<!--more-->

- an item

    ```animation
    kind: traces
    ```

> quoted
>
> ```animation
> kind: raster
> ```

````markdown
```animation
kind: only-shown
```
````
"""


def figure_of(fence) -> str:
    return f'<figure class="fig" data-index="{fence.index}"><figcaption>caption words {fence.index}</figcaption></figure>'


def test_fences_finds_what_render_finds_without_converting(md):
    found = md.fences(ANIMATED)
    assert [f.source for f in found] == ["kind: heatmap", "kind: traces", "kind: raster"]
    assert [f.index for f in found] == [0, 1, 2]
    assert [f.line_index for f in found] == [2, 10, 16]
    assert md.render(ANIMATED).animations == found
    assert md.fences("No fences, not even ```python\nx\n```") == ()


def test_fences_does_not_highlight_code(md, monkeypatch):
    """Phase 1 is quick because only ```animation fences are formatted."""
    entry = md.markdown.preprocessors["fenced_code_block"].extension.superfences[0]

    def refuse(*args, **kwargs):
        raise AssertionError("highlighted while scanning")

    monkeypatch.setitem(entry, "formatter", refuse)
    assert len(md.fences("```python\nx = 1\n```\n\n```animation\nkind: heatmap\n```\n")) == 1


def test_each_fence_becomes_the_writers_html_where_it_was(md):
    rendered = md.render(ANIMATED, figure=figure_of)
    html = rendered.html
    assert html.index('data-index="0"') < html.index("<!--more-->")
    assert re.search(r'<li>\s*<p>an item</p>\s*<figure class="fig" data-index="1">.*?</figure>\s*</li>', html, re.S)
    assert re.search(r'<blockquote>\s*<p>quoted</p>\s*<figure class="fig" data-index="2">.*?</figure>\s*</blockquote>',
                     html, re.S)
    assert "<p><figure" not in html and "only-shown" in html  # a fence shown in code is not one
    assert rendered.excerpt_html.count("<figure") == 1
    assert rendered.word_count == md.render(ANIMATED).word_count  # captions are not the author's words
    assert "caption" not in rendered.summary_html and "Intro words." in rendered.summary_html


def test_without_a_figure_a_fence_leaves_nothing(md):
    html = md.render(ANIMATED, figure=lambda fence: "" if fence.index == 1 else figure_of(fence)).html
    assert 'data-index="0"' in html and 'data-index="1"' not in html and 'data-index="2"' in html
    assert "<p></p>" not in html and "kind: traces" not in html
    assert "<p></p>" not in md.render(ANIMATED).html


def test_clean_applies_to_the_authors_html_and_not_to_figures(md):
    text = "Hi <span onclick=\"x()\">there</span>.\n\n<script>evil()</script>\n\n<!--more-->\n\n" \
           "```animation\nkind: heatmap\n```\n"
    theme = '<figure data-from-theme="1" onclick="play()"><video data-light-webm="/a.webm"></video></figure>'
    rendered = md.render(text, figure=lambda fence: theme, clean=sanitize_content)
    assert "evil()" not in rendered.html and 'onclick="x()"' not in rendered.html
    assert theme in rendered.html
    assert "Hi <span>there</span>." in rendered.excerpt_html  # the marker is found before cleaning drops it


def test_a_failing_figure_writer_is_not_swallowed(md):
    def broken(fence):
        raise RuntimeError("no partial")

    with pytest.raises(RuntimeError, match="no partial"):
        md.render("```animation\nkind: heatmap\n```\n", figure=broken)
    assert "<p>after</p>" in md.render("after").html  # and the renderer is usable again
