"""End-to-end: the real `sitegen check` on built sites and on hand-written broken ones in tmp_path."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import post, run_cli, write

MB = 1024 * 1024

# A hand-written site served under /sub/. Every broken reference is on its own line, named in BROKEN.
PAGE_LINES = [
    "<!doctype html>",                                                       # 1
    "<html><head>",                                                          # 2
    '<link rel="stylesheet" href="static/main.css">',                        # 3  fine
    '<link rel="stylesheet" href="static/gone.css">',                        # 4  missing stylesheet
    '<link rel="canonical" href="/not/checked/">',                           # 5  canonical: not checked
    '<meta property="og:image" content="/not/checked.png">',                 # 6  og: not checked
    '<script src="/sub/static/app.js"></script>',                            # 7  fine: under base_url
    "</head><body>",                                                         # 8
    '<h1 id="top-title">Title</h1><a name="old-anchor"></a>',                # 9
    '<img src="img/ok.png" alt="">',                                         # 10 fine: decorative
    '<img src="img/missing.png" alt="a plot">',                              # 11 missing image
    '<img src="img/ok.png"',                                                 # 12 no alt (tag starts here)
    '     width="10">',                                                      # 13
    '<img srcset="img/ok.png 1x, img/big%20one.png 2x, img/absent.png 3x" alt="x">',  # 14 srcset candidate
    '<video poster="img/ok.png" data-light-webm="anim/a-light.webm"',        # 15
    '       data-dark-webm="anim/a-dark.webm"></video>',                     # 16 dark variant missing
    '<div style="background: url(\'img/nope.png\')"></div>',                 # 17 style url()
    '<a href="#top-title">ok</a> <a href="#old-anchor">ok</a>',              # 18
    '<a href="#missing">same page</a>',                                      # 19 missing anchor
    '<a href="other/#present">ok</a> <a href="other/">ok</a>',               # 20
    '<a href="other/#missing">cross page</a>',                               # 21 missing cross-page anchor
    '<a href="/elsewhere/page.html">outside</a>',                            # 22 root URL outside base_url
    '<a href="https://example.org/x.png">external</a> <a href="mailto:a@b.c">m</a>',
    '<a href="//cdn.example.org/x.js">host</a> <img src="data:image/png;base64,AAAA" alt="d">',
    '<a href="img/ok.png?v=2#frag">query</a> <a href="other">redirects to other/</a>',
    "</body></html>",
]
BROKEN = {
    ("index.html", 4): "'static/gone.css' does not exist",
    ("index.html", 11): "'img/missing.png' does not exist",
    ("index.html", 14): "'img/absent.png' does not exist",
    ("index.html", 15): "'anim/a-dark.webm' does not exist",
    ("index.html", 17): "'img/nope.png' does not exist",
    ("index.html", 19): "no element with id 'missing' in index.html",
    ("index.html", 21): "no element with id 'missing' in other/index.html",
    ("index.html", 22): "'/elsewhere/page.html' points at the domain root, outside base_url /sub/",
    ("static/main.css", 3): "'../img/gone.svg' does not exist",
}
SITE_FILES = {
    "site/index.html": "\n".join(PAGE_LINES) + "\n",
    "site/other/index.html": '<!doctype html>\n<p id="present">hi</p>\n<a href="../#top-title">back</a>\n',
    "site/static/main.css": ("body { background: url(../img/ok.png); }\n/* url(not-checked.png) */\n"
                             ".x { background-image: url(\"../img/gone.svg\"); }\n"
                             "@font-face { src: url(data:font/woff2;base64,AAAA); }\n"),
    "site/static/app.js": "",
    "site/img/ok.png": "png",
    "site/img/big one.png": "png",
    "site/anim/a-light.webm": "webm",
}


def hand_written(site, files: dict[str, str] | None = None) -> Path:
    return site(files if files is not None else SITE_FILES, config='base_url = "/sub/"\n')


def test_a_freshly_built_site_passes(site):
    root = site({
        "content/posts/2024-01-05-first.md": post("First", "See ![fig](../assets/img/t.svg).\n\n## Part one\n\n"
                                                  "[second](2024-02-01-second.md)", tags="[a, b]", toc="true"),
        "content/posts/2024-02-01-second.md": post("Second", "Body.", tags="a"),
        "content/pages/about.md": post("About", "Me.", permalink="/about/"),
        "content/assets/img/t.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    }, config='base_url = "/sub/"\n[theme]\nnav = [{ title = "About", url = "/about/" }]\n')
    assert run_cli("build", cwd=root).code == 0
    result = run_cli("check", "--strict", cwd=root)
    assert result.code == 0, result.text
    assert "0 errors, 0 warnings" in result.err and "Checked" in result.err


def test_the_example_site_under_a_sub_path_passes(example_site):
    result = run_cli("check", "--strict", "--base-url", "/sub/", cwd=example_site)
    assert result.code == 0, result.text
    assert "0 errors, 0 warnings" in result.err


def test_the_example_site_checked_for_the_wrong_base_url_fails_on_the_404_page(example_site):
    result = run_cli("check", "--base-url", "/other/", cwd=example_site)
    assert result.code == 1
    assert "site/404.html:" in result.err and "outside base_url /other/" in result.err


def test_every_broken_reference_is_reported_with_its_file_and_line(site):
    result = run_cli("check", cwd=hand_written(site))
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    for (rel, line), message in BROKEN.items():
        assert any(e.startswith(f"site/{rel}:{line}: error: ") and message in e for e in errors), (rel, line, errors)
    assert len(errors) == len(BROKEN), errors
    assert f"{len(BROKEN)} errors, 1 warning" in result.err


def test_an_image_without_alt_is_a_warning_that_fails_only_with_strict(site):
    root = hand_written(site, {
        "site/index.html": '<p>x</p>\n<img src="a.png"\n  width="3">\n<img src="a.png" alt>\n',
        "site/a.png": "png",
    })
    result = run_cli("check", cwd=root)
    assert result.code == 0, result.text
    assert "site/index.html:2: warning: <img> has no alt attribute" in result.err
    assert "0 errors, 1 warning" in result.err
    assert run_cli("check", "--strict", cwd=root).code == 1


def test_large_files_are_warned_about_and_too_large_ones_are_errors(site):
    root = hand_written(site, {"site/index.html": "<p>x</p>\n"})
    for name, size in (("big.webm", 51 * MB), ("huge.webm", 101 * MB)):
        with open(root / "site" / name, "wb") as f:
            f.truncate(size)  # sparse: no disk space used
    result = run_cli("check", cwd=root)
    assert result.code == 1
    assert "site/big.webm: warning: file is 51 MB" in result.err
    assert "site/huge.webm: error: file is 101 MB" in result.err
    assert "1 error, 1 warning" in result.err


def test_a_site_over_one_gigabyte_is_an_error(site):
    root = hand_written(site, {"site/index.html": "<p>x</p>\n"})
    for index in range(11):
        with open(root / "site" / f"part{index}.bin", "wb") as f:
            f.truncate(99 * MB)
    result = run_cli("check", cwd=root)
    assert result.code == 1
    assert "site: error: the site is 1.06 GB" in result.err


def test_a_missing_site_folder_says_to_build_first(site):
    root = site({"content/posts/a.md": post("A")})
    result = run_cli("check", cwd=root)
    assert result.code == 1
    assert "site: error: no built site here (run sitegen build first)" in result.err


def test_check_site_returns_the_diagnostics(tmp_path):
    from sitegen.check import check_site

    write(tmp_path, {"site/index.html": '<a href="#nowhere">x</a>\n<img src="a.png" alt="a">\n', "site/a.png": ""})
    problems = check_site(tmp_path / "site", "/")
    assert [(d.path, d.line, d.severity.value) for d in problems] == [("site/index.html", 1, "error")]


@pytest.mark.parametrize("url", ["/sub", "/sub/", "/sub/other/", "/sub/other/index.html", "./", "../other/", "../../other/"])
def test_urls_that_reach_a_page_by_other_spellings_resolve(tmp_path, url):
    from sitegen.check import check_site

    write(tmp_path, {"site/index.html": "<p>home</p>\n", "site/other/index.html": "<p>other</p>\n",
                     "site/deeper/index.html": f'<a href="{url}">x</a>\n'})
    problems = check_site(tmp_path / "site", "/sub/")
    leaves = url.startswith("../..")
    assert [d.message for d in problems] == (["'../../other/' leads outside the site folder"] if leaves else [])
