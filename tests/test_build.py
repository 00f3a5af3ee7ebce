"""End-to-end: the real `sitegen build` on site folders made in tmp_path."""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import post, read, run_cli

TWO_POSTS = {
    "content/posts/2024-01-05-first-project.md": post("First project", "Intro.\n\n## Part one\n\nText.", tags="[neuro, ml]"),
    "content/posts/2024-02-01-second.md": post("Second", "Second body.", tags="neuro"),
    "content/pages/about.md": post("About", "About me.", permalink="/about/"),
    "content/assets/img/t.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>',
}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_with_only_content_builds_with_defaults(site):
    root = site(TWO_POSTS)
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    for rel in ["index.html", "posts/first-project/index.html", "posts/second/index.html", "about/index.html",
                "tags/index.html", "tags/neuro/index.html", "tags/ml/index.html", "404.html", "feed.xml",
                "sitemap.xml", "robots.txt", ".nojekyll", "assets/img/t.svg", "static/css/main.css",
                "static/css/pygments.css", "static/js/theme.js", "static/favicon.svg"]:
        assert (root / "site" / rel).is_file(), rel
    assert "Built" in result.err and "error" not in result.err.lower()


def test_summary_and_exit_code_on_success_and_failure(site):
    root = site({**TWO_POSTS, "content/posts/bad.md": "---\ntitle: [unclosed\n---\nx\n"})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "content/posts/bad.md:2: error: front matter is not valid YAML" in result.err
    assert "Build failed: 1 error" in result.err


def test_every_error_of_a_build_is_reported_together(site):
    root = site({
        **TWO_POSTS,
        "content/posts/bad-yaml.md": "---\ntitle: x\ntags: [a\n---\nx\n",
        "content/posts/2024-03-01-same.md": post("One"),
        "content/posts/sub/2024-03-02-same.md": post("Two"),
        "content/posts/2024-03-03-layout.md": post("L", layout="singel"),
    })
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "content/posts/bad-yaml.md:" in result.err
    assert "content/posts/2024-03-01-same.md" in result.err and "content/posts/sub/2024-03-02-same.md" in result.err
    assert "two sources write site/posts/same/index.html" in result.err
    assert "content/posts/2024-03-03-layout.md:3: error: unknown layout 'singel'" in result.err
    assert "did you mean 'single'?" in result.err
    assert "Build failed: 4 errors" in result.err


def test_a_failed_build_leaves_the_previous_site_byte_identical(site):
    root = site(TWO_POSTS)
    assert run_cli("build", cwd=root).code == 0
    before = snapshot(root / "site")
    (root / "content/posts/2024-02-01-second.md").write_text("---\ntitle: 'oops\n---\n")
    (root / "content/posts/2024-04-01-new.md").write_text(post("New post"))
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert snapshot(root / "site") == before
    assert not any(p.name.startswith((".sitegen-staging", ".sitegen-old")) for p in root.iterdir())


def test_unchanged_files_keep_their_timestamps_and_deleted_posts_disappear(site):
    root = site(TWO_POSTS)
    assert run_cli("build", cwd=root).code == 0
    first = snapshot(root / "site")
    os.utime(root / "content/assets/img/t.svg")  # touched, same bytes
    assert run_cli("build", cwd=root).code == 0
    assert snapshot(root / "site") == first

    (root / "content/posts/2024-02-01-second.md").unlink()
    result = run_cli("build", cwd=root)
    assert result.code == 0
    after = snapshot(root / "site")
    assert "posts/second/index.html" not in after
    assert "second" not in read(root, "index.html").lower()
    assert after["about/index.html"] == first["about/index.html"]  # untouched page kept its mtime
    assert after["index.html"][0] != first["index.html"][0]


def test_drafts_are_left_out_unless_asked_for(site):
    root = site({
        **TWO_POSTS,
        "content/posts/2024-05-01-wip.md": post("Work in progress", draft="true"),
        "content/posts/2024-05-02-hidden.md": post("Hidden one", published="false"),
    })
    assert run_cli("build", cwd=root).code == 0
    assert not (root / "site/posts/wip").exists() and not (root / "site/posts/hidden").exists()
    assert "Work in progress" not in read(root, "index.html") and "Hidden one" not in read(root, "feed.xml")
    assert run_cli("build", "--drafts", cwd=root).code == 0
    assert (root / "site/posts/wip/index.html").is_file() and (root / "site/posts/hidden/index.html").is_file()
    assert "Work in progress" in read(root, "index.html")


def test_feed_and_sitemap_are_xml_and_list_the_posts(site):
    root = site(TWO_POSTS, config='title = "Lab"\nurl = "https://lab.example.org"\nbase_url = "/proj/"\n')
    assert run_cli("build", cwd=root).code == 0
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(root / "site/feed.xml").getroot()
    entries = feed.findall(f"{atom}entry")
    assert [e.find(f"{atom}title").text for e in entries] == ["Second", "First project"]
    assert entries[0].find(f"{atom}id").text == "https://lab.example.org/proj/posts/second/"
    sitemap = ET.parse(root / "site/sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://lab.example.org/proj/posts/first-project/" in locs
    assert "https://lab.example.org/proj/about/" in locs
    assert "https://lab.example.org/proj/sitemap.xml" in read(root, "robots.txt")


def test_open_graph_and_canonical_tags_use_the_site_url(site):
    files = {**TWO_POSTS, "content/posts/2024-01-05-first-project.md":
             post("First project", "Intro.", header="{teaser: /assets/img/t.svg}")}
    root = site(files, config='url = "https://lab.example.org"\nbase_url = "/proj/"\n')
    assert run_cli("build", cwd=root).code == 0
    html = read(root, "posts/first-project/index.html")
    assert '<link rel="canonical" href="https://lab.example.org/proj/posts/first-project/">' in html
    assert 'property="og:image" content="https://lab.example.org/proj/assets/img/t.svg"' in html
    assert 'name="twitter:card"' in html


def test_title_with_markup_appears_only_escaped(site):
    root = site({"content/posts/2024-01-01-x.md": """
        ---
        title: '"><script>alert(1)</script>'
        tags: ['"><script>alert(4)</script>']
        excerpt: '<script>alert(5)</script>'
        header:
          image: /assets/img/t.svg
          caption: '<script>alert(2)</script>[credit](https://a.org)'
        sidebar:
          - title: '"><script>alert(6)</script>'
            text: '<b>ok</b><script>alert(3)</script>'
        ---
        Body.
        """, "content/assets/img/t.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    assert run_cli("build", cwd=root).code == 0
    for page in root.joinpath("site").rglob("*.html"):
        text = page.read_text()
        assert "<script>alert" not in text, page
    html = read(root, "posts/x/index.html")
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&quot;&gt;&lt;script&gt;alert(1)" in html
    assert "<b>ok</b>" in html and 'href="https://a.org"' in html
    feed = read(root, "feed.xml")
    assert "<script>" not in feed


def test_assets_are_copied_with_their_paths_and_relative_images_resolve(site):
    root = site({
        "content/posts/2024-01-01-x.md": post("X", "![plot](../assets/img/t.svg)\n\n![root](/assets/img/t.svg)"),
        "content/assets/img/t.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "content/files/paper.pdf": "%PDF-1.4 tiny",
    })
    assert run_cli("build", cwd=root).code == 0
    assert (root / "site/files/paper.pdf").read_text() == "%PDF-1.4 tiny"
    html = read(root, "posts/x/index.html")
    assert html.count('src="../../assets/img/t.svg"') == 2


def test_a_missing_link_target_is_a_warning_with_its_line(site):
    root = site({"content/posts/2024-01-01-x.md": post("X", "Line one.\n\n![gone](img/missing.png)")})
    result = run_cli("build", cwd=root)
    assert result.code == 0
    assert "content/posts/2024-01-01-x.md:6: warning: link 'img/missing.png' points to a file that does not exist" in result.err
    assert run_cli("build", "--strict", cwd=root).code == 1


def test_pagination_splits_the_home_page(site):
    files = {f"content/posts/2024-01-{d:02d}-p{d}.md": post(f"Post {d}") for d in range(1, 6)}
    root = site(files, config="posts_per_page = 2\n")
    assert run_cli("build", cwd=root).code == 0
    assert "Post 5" in read(root, "index.html") and "Post 4" in read(root, "index.html")
    assert "Post 3" in read(root, "page/2/index.html")
    assert "Post 1" in read(root, "page/3/index.html")
    assert not (root / "site/page/4").exists()
    assert 'href="page/2/"' in read(root, "index.html")


def test_help_for_every_command():
    from conftest import REPO
    result = run_cli("--help", cwd=REPO)
    assert result.code == 0 and "build" in result.out
    result = run_cli("build", "--help", cwd=REPO)
    for flag in ("--drafts", "--base-url", "--strict", "--quiet", "--verbose"):
        assert flag in result.out


def test_output_folder_that_holds_the_sources_is_refused(site):
    root = site(TWO_POSTS, config='output_dir = "."\n')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "output_dir '.'" in result.err
    assert (root / "content/posts/2024-02-01-second.md").exists()


def test_strict_build_checks_the_links_of_the_new_site_before_replacing_the_old(site):
    root = site(TWO_POSTS)
    assert run_cli("build", "--strict", cwd=root).code == 0
    before = snapshot(root / "site")
    (root / "content/posts/2024-02-01-second.md").write_text(post("Second", '<a href="/nowhere/">gone</a>'))
    result = run_cli("build", "--strict", cwd=root)
    assert result.code == 1
    assert "site/posts/second/index.html:" in result.err and "nowhere" in result.err
    assert snapshot(root / "site") == before
    assert run_cli("build", cwd=root).code == 0  # without --strict the links are not checked
