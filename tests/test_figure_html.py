"""An animation's HTML is written in one place, the theme's partials/animation.html, while the post's
Markdown is converted: in the body, in lists and quotes, in the excerpt and on the card. Through the
real CLI on tiny animations."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from conftest import post, read, run_cli

TINY = "kind: heatmap\nsize: [1, 1]\ndpi: 32\nfps: 10\nformats: [webm, poster]\nvariants: [light]"
# What a figure could leave behind if it went into the page through a placeholder: ours as it was,
# and Python-Markdown's own stash markers.
PLACEHOLDER_TRACES = ("data-sitegen-animation", "wzxhzdk", "\x02", "\x03")

OWN_PARTIAL = """{% if teaser %}<span class="my-teaser" data-mode="{{ teaser }}">{{ animation.alt }}</span>
{%- else %}<figure class="my-figure" id="{{ animation.id }}" data-from-theme="yes" style="max-width: {{ animation.width }}px">
<img src="{{ url(animation.variants[0].urls.poster) }}" alt="{{ animation.alt }}">
<figcaption>{{ animation.caption_html|safe }}</figcaption></figure>{% endif %}
"""
# A card that shows the excerpt as well, so the index carries figures in excerpts and teasers.
OWN_CARD = """<article class="card">{% include "partials/card_media.html" %}
<div class="card__excerpt">{{ post.excerpt_html|safe }}</div></article>
"""


def fence(extra: str = "", indent: str = "", data: str = "wave.npz") -> str:
    lines = ["```animation", f"data: {data}", *TINY.splitlines(), *extra.splitlines(), "```"]
    return "".join(f"{indent}{line}".rstrip() + "\n" for line in lines)


def wave(root: Path) -> None:
    t = np.arange(3)[:, None, None]
    y, x = np.mgrid[0:6, 0:6]
    np.savez(root / "content/posts/wave.npz", frames=np.exp(-((x - t) ** 2 + (y - 3) ** 2) / 4.0))


def nested_body() -> str:
    """One figure before the excerpt marker, one in a list item, one in a quote."""
    return ("Intro words.\n\n" + fence("caption: First") + "\n<!--more-->\n\n- an item\n\n"
            + fence("caption: In a list", indent="    ") + "\n> quoted\n>\n" + fence("caption: In a quote", indent="> "))


def animated_site(site, extra: dict[str, str] | None = None, config: str | None = None) -> Path:
    root = site({
        "content/posts/2024-01-02-a.md": post("A", nested_body(), header="{teaser: animation}"),
        "content/posts/2024-01-01-b.md": post("B", "Text of b.\n\n" + fence("alt: The b wave.")),
        **(extra or {}),
    }, config=config)
    wave(root)
    return root


def built_html(root: Path) -> dict[str, str]:
    return {p.relative_to(root / "site").as_posix(): p.read_text(encoding="utf-8")
            for p in (root / "site").rglob("*.html")}


def prose(page: str) -> str:
    return page.split('<div class="e-content prose">', 1)[1].split("<footer", 1)[0]


def test_the_sites_own_partial_writes_every_figure_teaser_and_excerpt(site):
    root = animated_site(site, {"templates/partials/animation.html": OWN_PARTIAL,
                                "templates/partials/card.html": OWN_CARD})
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    pages = built_html(root)
    for rel, page in pages.items():  # the default partial wrote nothing anywhere
        assert 'class="animation"' not in page and "<video" not in page and "animation__" not in page, rel
    body = prose(pages["posts/a/index.html"])
    assert [m.group(1) for m in re.finditer(r'<figure class="my-figure" id="([^"]+)"', body)] == \
        ["animation-a-1", "animation-a-2", "animation-a-3"]
    assert '<img src="../../animations/' in body  # the partial's url() is made relative like the page's
    assert prose(pages["posts/b/index.html"]).count('class="my-figure"') == 1
    home = pages["index.html"]
    excerpt_a = home.split('<div class="card__excerpt">', 2)[1]
    assert excerpt_a.count('class="my-figure"') == 1 and "<figcaption>First</figcaption>" in excerpt_a
    assert "In a list" not in excerpt_a
    assert '<span class="my-teaser" data-mode="play">First</span>' in home  # `teaser: animation` plays it
    assert '<span class="my-teaser" data-mode="still">The b wave.</span>' in home  # the first one's poster


def test_the_default_theme_writes_figures_and_card_teasers_from_one_partial(site):
    root = animated_site(site)
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    body = prose(read(root, "posts/a/index.html"))
    assert body.count('<figure class="animation"') == 3 and body.count("<video") == 3
    home = read(root, "index.html")
    assert '<video class="card__video"' in home and "data-card" in home
    assert '<img class="animation__poster"' in home and 'alt="The b wave."' in home
    assert '<meta name="description" content="Intro words.">' in read(root, "posts/a/index.html")


def test_figures_inside_a_list_and_a_blockquote_stay_there(site):
    root = animated_site(site, {"templates/partials/animation.html": OWN_PARTIAL})
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    body = prose(read(root, "posts/a/index.html"))
    assert re.search(r"<li>\s*<p>an item</p>\s*<figure class=\"my-figure\" id=\"animation-a-2\".*?</figure>\s*</li>", body, re.S)
    assert re.search(r"<blockquote>\s*<p>quoted</p>\s*<figure class=\"my-figure\" id=\"animation-a-3\".*?</figure>\s*"
                     r"</blockquote>", body, re.S)
    assert "<p><figure" not in body and "```" not in body


def test_captions_are_markdown_made_safe_and_alt_text_is_escaped(site):
    caption = "caption: '*Emphasis*, [a link](https://a.org) <script>alert(1)</script><img src=x onerror=alert(2)>'"
    root = site({"content/posts/2024-01-01-a.md": post("A", "Text.\n\n" + fence(caption + "\nalt: '\"><b>bold'"))})
    wave(root)
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    page = read(root, "posts/a/index.html")
    assert "<em>Emphasis</em>" in page
    assert '<a href="https://a.org" rel="noopener noreferrer">a link</a>' in page
    assert "alert(" not in page and "onerror" not in page
    assert 'aria-label="&#34;&gt;&lt;b&gt;bold"' in page and "<b>bold" not in page


def assert_no_placeholder_traces(root: Path) -> None:
    pages = built_html(root)
    assert len(pages) >= 5
    for rel, page in pages.items():
        for trace in PLACEHOLDER_TRACES:
            assert trace not in page, (rel, trace)


def test_no_placeholder_text_reaches_the_site(site):
    root = animated_site(site, {"content/pages/about.md": post("About", "Text.\n\n" + fence("caption: On a page", data="../posts/wave.npz"))})
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    assert 'class="animation"' in read(root, "about/index.html")
    assert_no_placeholder_traces(root)


def test_sanitised_posts_keep_the_theme_figure_as_it_was_written(site):
    root = animated_site(site, {"templates/partials/animation.html": OWN_PARTIAL,
                                "content/posts/2024-01-04-d.md": post("D", "<script>window.x = 1</script>\n\n" + fence())},
                         config='[markdown]\nraw_html = "sanitize"\n')
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    body = prose(read(root, "posts/d/index.html"))
    assert "window.x" not in body  # the author's HTML is cleaned ...
    assert 'data-from-theme="yes" style="max-width: 32px"' in body  # ... the theme's is not
    assert_no_placeholder_traces(root)


def test_figures_are_written_in_parse_workers_for_a_large_site(site):
    """Enough posts that phase 2 runs in worker processes; each still gets its own figure."""
    many = {f"content/posts/2023-01-01-p{n}.md": post(f"P{n}", f"Post {n}.") for n in range(220)}
    root = animated_site(site, {"templates/partials/animation.html": OWN_PARTIAL, **many})
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    assert prose(read(root, "posts/a/index.html")).count('class="my-figure"') == 3
    assert "Post 219." in read(root, "posts/p219/index.html")


def test_a_broken_partial_is_an_error_that_names_it(site):
    root = animated_site(site, {"templates/partials/animation.html": "{{ animation.id | nosuchfilter }}\n"})
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 1
    assert ("templates/partials/animation.html:1: error: template error while writing an animation's figure: "
            "No filter named 'nosuchfilter'") in result.err
    assert "Traceback" not in result.err
