"""Liquid that cannot be used: a warning at the post's own line (front matter counted) with a hint,
the tag's output left out, never a traceback or raw Liquid in the page; with --strict, a failed build."""
from __future__ import annotations

import pytest

from conftest import read, run_cli, write
from test_liquid import render

POST = "content/posts/2024-03-02-a-post.md"  # front matter: lines 1-5, the body from line 6
ERRORS = {
    "unknown tag": ("Text.\n\n{% inclde figure %}", 8, "Liquid: unknown tag 'inclde'; its output is left out",
                    "did you mean 'include'?"),
    "unknown filter": ("{{ page.title | upcasee }}", 6, "Liquid: unknown filter 'upcasee'; its output is left out",
                       "did you mean 'upcase'?"),
    "syntax error": ("One.\n\n{% if page.title == %}x{% endif %}", 8, None, "{% raw %}"),
    "unclosed output": ("One.\n{{ page.title\nTwo.", 7, "Liquid: expected '}}', found end of file; its output is left out",
                        "{% raw %}"),
    "missing include": ("{% include vidoe id='x' %}", 6, "Liquid: no include 'vidoe'", "did you mean 'video'?"),
    "missing post": ("{% post_url 2024-04-01-secnd %}", 6, "Liquid: post_url: no post '2024-04-01-secnd'; its output is left out",
                     "did you mean '2024-04-01-second'?"),
    "include_relative outside the site": ("{% include_relative ../../../../etc/passwd %}", 6, "Liquid: no file", ""),
    "include name climbing out": ("{% include ../sitegen.toml %}", 6, "Liquid: '../sitegen.toml' is not a name", ""),
    "error inside a theme include": ("A\n\n{% include video id='bad<id' %}", 8,
                                     "Liquid: in sitegen's templates/includes/video.html line 9: video: 'bad<id' is not a "
                                     "youtube video id; its output is left out", "{% raw %}"),
    "endless loop": ("{% for i in (1..200000) %}x{% endfor %}", 6, "Liquid: loop iteration limit reached", "limit"),
}


@pytest.mark.parametrize("body, line, message, hint", ERRORS.values(), ids=ERRORS.keys())
def test_each_error_is_a_warning_at_the_posts_line(body, line, message, hint):
    html, problems = render(body)
    [problem] = problems
    assert (problem.severity.value, problem.path, problem.line) == ("warning", POST, line)
    if message:
        assert problem.message.startswith(message)
    assert hint in problem.hint
    assert "{%" not in html and "{{" not in html


def test_a_bad_tag_leaves_out_only_its_own_output():
    html, _ = render("Before {{ page.title | nope }} after.\n\n{% bogus %}\n\nEnd {{ page.title }}.")
    assert html == "<p>Before  after.</p>\n<p>End A post.</p>"


def test_the_line_counts_what_liquid_wrote_above_it():
    """An include above writes many lines; a broken link below is still reported at its source line."""
    body = "{% include figure image_path='/a.png' caption='x' %}\n\n{% for i in (1..5) %}\n{{ i }}\n{% endfor %}\n\n[gone](missing.md)"
    _, problems = render(body)
    assert [(p.line, p.message) for p in problems] == [(12, "link 'missing.md' points to a file that does not exist")]


def test_strict_fails_the_build_with_file_line_and_no_traceback(site):
    root = site({POST: "---\ntitle: A\ndate: 2024-03-02\n---\nText {{ page.title | nope }}\n"})
    plain = run_cli("build", "--preset", "preview", cwd=root)
    assert plain.code == 0 and f"{POST}:5: warning: Liquid: unknown filter 'nope'" in plain.text
    assert "{{" not in read(root, "posts/a-post/index.html").split('class="e-content')[1].split("</div>")[0]
    strict = run_cli("build", "--strict", "--preset", "preview", cwd=root)
    assert strict.code != 0
    assert f"{POST}:5: error: Liquid: unknown filter 'nope'" in strict.text and "Traceback" not in strict.text


def test_bad_data_file_is_reported_at_its_line(site):
    _, problems = render("{{ site.data.x }}", files={"_data/x.yml": "a: 1\nb: [\n"})
    assert [(p.path, p.line) for p in problems] == [("_data/x.yml", 3)]
