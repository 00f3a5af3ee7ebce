"""Links between posts by their file names, and permalinks that would write over another file."""
from __future__ import annotations

import re

import pytest

from conftest import post, read, run_cli


def test_links_to_posts_whose_file_names_have_spaces_or_accents_reach_their_pages(site):
    root = site({
        "content/posts/my post.md": post("Spaced", date="2024-01-01"),
        "content/posts/café.md": post("Accented", date="2024-01-02"),
        "content/posts/links.md": post("Links", """
            [a](my%20post.md) [b](<my post.md>) [c](café.md) [d](caf%C3%A9.md#top) [e](./my%20post.md)
            """, date="2024-01-03"),
    })
    result = run_cli("build", "--strict", cwd=root)  # a link that does not resolve is a warning: here an error
    assert result.code == 0, result.text
    hrefs = re.findall(r'<a href="([^"]*)">[a-e]</a>', read(root, "posts/links/index.html"))
    assert hrefs == ["../my-post/", "../my-post/", "../cafe/", "../cafe/#top", "../my-post/"]
    assert "Spaced" in read(root, "posts/my-post/index.html") and "Accented" in read(root, "posts/cafe/index.html")
    assert run_cli("check", "--strict", cwd=root).code == 0


def test_a_link_to_a_missing_post_with_a_space_names_the_file_as_written(site):
    root = site({"content/posts/links.md": post("Links", "[a](no%20such%20post.md)", date="2024-01-03")})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert "link to 'posts/no such post.md': no such post or page" in result.err


CLASHING = {
    "content/posts/other.md": post("Other", date="2024-01-01"),
    "content/assets/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>',
}


@pytest.mark.parametrize("permalink, other", [
    ("/static/js/theme.js", "the default theme's static/js/theme.js"),
    ("/static/css/pygments.css", "the generated static/css/pygments.css"),
    ("/feed.xml", "the generated feed.xml"),
    ("/sitemap.xml", "the generated sitemap.xml"),
    ("/404.html", "the generated 404.html"),
    ("/posts/other/", "content/posts/other.md"),
    ("/assets/pic.svg", "content/assets/pic.svg"),
])
def test_a_permalink_onto_any_other_file_of_the_site_is_an_error_naming_both(site, permalink, other):
    root = site({**CLASHING, "content/posts/mine.md": post("Mine", date="2024-01-02", permalink=permalink)})
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 1, result.text
    output = permalink.lstrip("/") + ("index.html" if permalink.endswith("/") else "")
    assert f"content/posts/mine.md:4: error: two sources write site/{output}: this one and {other}" in result.err
    assert "Traceback" not in result.err and not (root / "site").exists()


def test_a_post_and_an_asset_on_one_file_each_name_the_other_with_its_line(site):
    root = site({**CLASHING, "content/posts/mine.md": post("Mine", date="2024-01-02", permalink="/assets/pic.svg")})
    result = run_cli("build", "-q", cwd=root)
    assert "content/assets/pic.svg: error: two sources write site/assets/pic.svg: this one and content/posts/mine.md:4" in result.err


def test_an_asset_over_a_generated_file_says_how_to_change_that_file(site):
    root = site({**CLASHING, "content/robots.txt": "User-agent: *\n"})
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 1
    assert ("content/robots.txt: error: two sources write site/robots.txt: this one and the generated robots.txt"
            in result.err)
    assert "put your own templates/robots.txt" in result.err
