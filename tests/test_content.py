"""Posts and pages: front matter people already write for Jekyll and Minimal Mistakes."""
from __future__ import annotations

from conftest import post, read, run_cli


def test_dates_slugs_and_titles_from_front_matter_or_file_name(site):
    root = site({
        "content/posts/2023-07-14-balanced_network.md": post(None, "No title here."),
        "content/posts/projects/eeg.md": post("EEG decoding", date="2022-03-01"),
        "content/posts/2024-01-01-anything.md": post("Custom", permalink="/projects/custom-one/"),
        "content/posts/2024-01-02-slugged.md": post("Slugged", slug="my-own-slug"),
        "content/pages/cv.md": post("CV"),
    })
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert "<h1" in read(root, "posts/balanced-network/index.html")
    assert "Balanced network" in read(root, "posts/balanced-network/index.html")
    assert 'datetime="2023-07-14' in read(root, "posts/balanced-network/index.html")
    assert 'datetime="2022-03-01' in read(root, "posts/eeg/index.html")
    assert (root / "site/projects/custom-one/index.html").is_file()
    assert (root / "site/posts/my-own-slug/index.html").is_file()
    assert (root / "site/cv/index.html").is_file()
    home = read(root, "index.html")
    assert home.index("Slugged") < home.index("Balanced network") < home.index("EEG decoding")


def test_a_post_with_no_title_and_no_usable_file_name_is_an_error(site):
    root = site({"content/posts/2024-01-01-.md": post(None, "Body"), "content/posts/2024-01-02-ok.md": post("Ok")})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "content/posts/2024-01-01-.md:1: error: no title, and none can be made from the file name" in result.err


def test_bad_front_matter_values_name_their_line(site):
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\ndate: next tuesday\ntoc: maybe\nsidebar: 3\n---\nx\n"})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "content/posts/2024-01-01-a.md:3: error: 'date' is not a date: 'next tuesday'" in result.err
    assert "content/posts/2024-01-01-a.md:4: error: 'toc' must be true or false" in result.err
    assert "content/posts/2024-01-01-a.md:5: error: 'sidebar' must be a list of mappings" in result.err


def test_tags_and_categories_as_strings_or_lists(site):
    root = site({
        "content/posts/2024-01-01-a.md": post("A", tags="neuroscience dynamics", categories="[Research, Teaching]"),
        "content/posts/2024-01-02-b.md": post("B", tags="'machine learning, EEG'", category="Research"),
    })
    assert run_cli("build", cwd=root).code == 0
    for rel in ["tags/neuroscience/", "tags/dynamics/", "tags/machine-learning/", "tags/eeg/",
                "categories/research/", "categories/teaching/"]:
        assert (root / "site" / rel / "index.html").is_file(), rel
    research = read(root, "categories/research/index.html")
    assert ">A<" in research and ">B<" in research
    assert "machine learning" in read(root, "tags/index.html")


def test_minimal_mistakes_front_matter_is_shown(site):
    root = site({
        "content/posts/2024-01-01-a.md": """
            ---
            title: Neural activity
            teaser: >-
              Animated visualisation of neural activity.
            last_modified_at: 2024-02-03
            toc: true
            header:
              overlay_image: /assets/h.svg
              overlay_filter: 0.5
              caption: "Photo: [lab](https://lab.example.org)"
            sidebar:
              - title: Learnings
                image: /assets/h.svg
                image_alt: "a logo"
                text: "&#8226; FuncAnimation<br>&#8226; <b>CTRNNs</b>"
            gallery:
              - url: /assets/h.svg
                image_path: /assets/h.svg
                alt: "placeholder image 1"
                title: "First"
            venue: Cosyne 2024
            ---
            ## Background

            Body text.
            """,
        "content/assets/h.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    assert run_cli("build", "--strict", cwd=root).code == 0
    html = read(root, "posts/a/index.html")
    assert "Learnings" in html and "<b>CTRNNs</b>" in html and 'alt="a logo"' in html
    assert 'alt="placeholder image 1"' in html
    assert "rgba(0, 0, 0, 0.5)" in html and "../../assets/h.svg" in html
    assert 'href="https://lab.example.org"' in html
    assert 'href="#background"' in html  # the table of contents
    assert 'datetime="2024-02-03' in html
    assert "Animated visualisation of neural activity." in read(root, "index.html")


def test_unknown_keys_reach_templates_and_site_templates_override_file_by_file(site):
    root = site({
        "content/posts/2024-01-01-a.md": post("A", venue="'Cosyne 2024'"),
        "templates/post.html": '{% extends "base.html" %}{% block content %}<p id="venue">{{ post.extra.venue }}'
                               '</p>{{ post.content_html|safe }}{% endblock %}',
        "templates/static/css/extra.css": "body { color: red }",
    })
    assert run_cli("build", cwd=root).code == 0
    html = read(root, "posts/a/index.html")
    assert '<p id="venue">Cosyne 2024</p>' in html
    assert "site-header" in html  # base.html still from the default theme
    assert (root / "site/static/css/extra.css").is_file() and (root / "site/static/css/main.css").is_file()


def test_layout_picks_a_template_and_jekyll_names_still_work(site):
    root = site({
        "content/posts/2024-01-01-a.md": post("A", layout="wide"),
        "content/posts/2024-01-02-b.md": post("B", layout="single"),
        "templates/wide.html": '{% extends "base.html" %}{% block content %}<div id="wide">{{ post.title }}</div>{% endblock %}',
    })
    assert run_cli("build", cwd=root).code == 0
    assert '<div id="wide">A</div>' in read(root, "posts/a/index.html")
    assert "B" in read(root, "posts/b/index.html")


def test_a_template_error_names_the_template_and_line(site):
    root = site({
        "content/posts/2024-01-01-a.md": post("A"),
        "templates/post.html": '{% extends "base.html" %}\n{% block content %}\n{{ post.title | nosuchfilter }}\n{% endblock %}',
    })
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "post.html:3: error:" in result.err and "nosuchfilter" in result.err


def test_excerpt_from_more_marker_or_first_paragraph(site):
    root = site({
        "content/posts/2024-01-01-a.md": post("A", "Opening **claim**.\n\n<!--more-->\n\nHidden detail."),
        "content/posts/2024-01-02-b.md": post("B", "First paragraph only.\n\nSecond paragraph."),
    })
    assert run_cli("build", cwd=root).code == 0
    home = read(root, "index.html")
    assert "Opening claim." in home and "Hidden detail" not in home
    assert "First paragraph only." in home and "Second paragraph" not in home


def test_a_drafts_animations_are_planned_only_when_drafts_are_built(site):
    """Whether a post is a draft is read before its animations are planned (and its Markdown converted)."""
    missing = "```animation\nkind: heatmap\ndata: missing.npz\n```"
    root = site({"content/posts/2024-01-01-d.md": post("D", missing, draft="true"),
                 "content/posts/2024-01-02-u.md": post("U", missing, published="false"),
                 "content/posts/2024-01-03-ok.md": post("Ok")})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert "missing.npz" not in result.err and not (root / "site/posts/d").exists()
    result = run_cli("build", "--drafts", cwd=root)
    assert result.code == 1
    for source in ("2024-01-01-d.md", "2024-01-02-u.md"):  # line 7: the fence's 'data:'
        assert f"content/posts/{source}:7: error: data file 'missing.npz' not found" in result.err, result.err
