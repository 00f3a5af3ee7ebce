"""[[defaults]] and [[collections]] in sitegen.toml, through the real CLI on small sites."""
from __future__ import annotations

from conftest import post, read, run_cli

CONFIG = '''
title = "Lab"

[[collections]]
name = "portfolio"
title = "Our tools"
sort_by = "importance"

[[collections]]
name = "news"
output = false

[[defaults]]
scope = { path = "" }
values = { tags = ["everything"] }

[[defaults]]
scope = { path = "posts", type = "posts" }
values = { toc = true, tags = ["notes"], header = { teaser = "/t.png" } }

[[defaults]]
scope = { path = "posts/deep" }
values = { tags = ["deep"] }

[[defaults]]
scope = { type = "portfolio" }
values = { excerpt = "A tool of ours." }
'''


def build(root):
    result = run_cli("build", "--strict", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    return result


def test_defaults_apply_front_matter_wins_and_the_longer_path_wins(site):
    root = site({
        "content/posts/2024-01-01-plain.md": post("Plain", "## A\n\ntext"),
        "content/posts/2024-01-02-own.md": post("Own", "## B\n\ntext", toc="false", tags="[mine]"),
        "content/posts/deep/2024-01-03-deep.md": post("Deep", "text"),
        "content/pages/about.md": post("About", "me"),
        "content/t.png": "png",
    }, CONFIG)
    build(root)
    plain = read(root, "posts/plain/index.html")
    assert 'class="toc"' in plain and 'href="../../tags/notes/"' in plain and "everything" not in plain
    own = read(root, "posts/own/index.html")
    assert 'class="toc"' not in own and 'href="../../tags/mine/"' in own and "tags/notes/" not in own
    assert 'href="../../tags/deep/"' in read(root, "posts/deep/index.html")  # longer path than 'posts'
    assert 't.png' in read(root, "index.html")  # header.teaser from the default, on the cards


def test_collections_get_pages_and_a_listing_in_their_order(site):
    root = site({
        "content/portfolio/dashboard.md": post("Dashboard", "A dashboard. In {{ page.collection }}: "
                                                            "{{ site.portfolio | size }} tools.", importance="2"),
        "content/portfolio/sorter.md": post("Sorter", "Sorts spikes.", importance="1"),
        "content/news/grant.md": post("Grant", "We got a **grant**.", date="2024-02-01"),
        "content/posts/2024-01-01-a.md": post("A post"),
        "content/t.png": "png",
    }, CONFIG)
    build(root)
    dashboard = read(root, "portfolio/dashboard/index.html")
    assert "In portfolio: 2 tools." in dashboard
    listing = read(root, "portfolio/index.html")
    assert "Our tools" in listing and listing.index("Sorter") < listing.index("Dashboard")
    assert "A tool of ours." in listing  # the collection's default excerpt
    news = read(root, "news/index.html")
    assert "<strong>grant</strong>" in news and not (root / "site/news/grant").exists()  # output = false
    assert "Dashboard" not in read(root, "index.html")  # not a post


def test_a_collection_permalink_and_no_listing(site):
    root = site({"content/talks/2023-05-01-keynote.md": post("Keynote", "Slides.")}, '''
[[collections]]
name = "talks"
permalink = "speaking/{year}/{slug}/"
listing = ""
''')
    build(root)
    assert "Slides." in read(root, "speaking/2023/keynote/index.html")
    assert not (root / "site/talks").exists()


def test_mistakes_in_the_tables_are_errors_at_their_line(site):
    root = site({"content/posts/2024-01-01-a.md": post("A")}, '''title = "x"

[[collections]]
name = "Posts"

[[defaults]]
scope = { type = "portfolo" }
values = { toc = true }

[[defaults]]
scope = { path = "posts" }
''')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "sitegen.toml:3: error: 'collections.name' must be a folder name under content/" in result.err
    assert "sitegen.toml:6: error: 'defaults.scope.type' names no type of file: 'portfolo'" in result.err
    assert "sitegen.toml:10: error: each [[defaults]] needs 'values'" in result.err
