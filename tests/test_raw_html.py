"""What HTML is trusted: raw HTML in posts is the author's ([markdown] raw_html = "allow", the default)
or sanitised ("sanitize"); in every mode a front-matter or sitegen.toml URL that would run script
(javascript:, data:, vbscript:, however disguised) is an error at its line. Through the real CLI."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import REPO, read, run_cli

PAGE = "posts/a/index.html"
RAW = """Intro.

<div class="notice"><iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe></div>

<script>window.fromTheAuthor = 1;</script>

<img src="/assets/x.png" alt="x" onerror="alert('img')">
<a href="javascript:alert('a')">a link</a> <a href="JaVaScRiPt&#58;alert('b')">another</a>
<p style="position: fixed; inset: 0">a veil</p>
<form action="https://example.org/steal"><input name="pw"></form>
"""
FEATURES = """
## Methods {#methods}

A footnote[^n], an abbreviation EEG, ~~struck~~, $\\frac{a}{b}$ and `code`.

*[EEG]: Electroencephalography

| left | right |
|:-----|------:|
| 1    | 2     |

```python
import numpy as np
```

!!! note "A note"
    Inside.

A notice.
{: .notice--info}

<figure class="align-center"><img src="/assets/x.png" alt="A figure"><figcaption>The caption</figcaption></figure>

<details><summary>More</summary>Hidden text.</details>

```animation
kind: heatmap
data: wave.npz
size: [1, 1]
dpi: 32
fps: 10
formats: [webm, poster]
variants: [light]
alt: A wave.
```

[^n]: The note.
"""


def a_post(body: str, front: str = "") -> str:
    return f"---\ntitle: A\n{front}---\n{body}"


def wave(root) -> None:
    t = np.arange(3)[:, None, None]
    y, x = np.mgrid[0:6, 0:6]
    np.savez(root / "content/posts/wave.npz", frames=np.exp(-((x - t) ** 2 + (y - 3) ** 2) / 4.0))


def test_raw_html_is_the_authors_by_default(site):
    root = site({"content/posts/a.md": a_post(RAW)})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    page = read(root, PAGE)
    assert "<script>window.fromTheAuthor = 1;</script>" in page
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe>' in page


def test_the_theming_docs_say_what_content_html_is():
    docs = (REPO / "docs/theming.md").read_text()
    assert "already made safe" not in docs
    assert "raw_html" in docs and "sanitize" in docs


def test_sanitize_removes_what_runs_script_and_keeps_what_the_theme_and_figures_need(site):
    root = site({"content/posts/a.md": a_post(RAW + FEATURES), "content/assets/x.png": ""},
                config='[markdown]\nraw_html = "sanitize"\n')
    wave(root)
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    page = read(root, PAGE)
    body = page.split('<div class="e-content prose">', 1)[1].split('<footer', 1)[0]
    for gone in ("fromTheAuthor", "<iframe", "onerror", "javascript", "alert(", "position: fixed", "<form", "<input"):
        assert gone not in body, gone
    for kept in ('id="methods"', 'class="headerlink"', 'class="footnote-ref"', 'class="footnote"',
                 '<abbr title="Electroencephalography">EEG</abbr>', "<del>struck</del>", "<math", "<mfrac>",
                 'style="text-align:right"', '<span class="kn">import</span>', 'class="admonition note"',
                 '<p class="notice--info">A notice.</p>', '<figure class="align-center">', 'alt="A figure"',
                 "<figcaption>The caption</figcaption>", "<details><summary>More</summary>",
                 '<figure class="animation"', "<video", "data-light-webm=", "a link", "a veil"):
        assert kept in page, kept
    assert "<script" in page  # the theme's own scripts stay


def test_an_unknown_raw_html_mode_is_a_config_error(site):
    root = site({"content/posts/a.md": a_post("Text.")}, config='title = "x"\n[markdown]\nraw_html = "strip"\n')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "sitegen.toml:3: error: 'markdown.raw_html' must be 'allow' or 'sanitize'" in result.err, result.err


@pytest.mark.parametrize("front, line, key, scheme", [
    ("gallery:\n  - url: javascript:alert(1)\n    image_path: /assets/x.png\n", 3, "gallery[0].url", "javascript"),
    ("gallery:\n  - url: /a/\n    image_path: 'data:image/svg+xml,<svg onload=alert(1)>'\n", 3,
     "gallery[0].image_path", "data"),
    ("header:\n  image: JaVaScRiPt:alert(1)\n", 3, "header.image", "javascript"),
    ("header:\n  overlay_image: \"data:text/html;base64,PHNjcmlwdD4=\"\n", 3, "header.overlay_image", "data"),
    ("header:\n  teaser: \"java\\tscript:alert(1)\"\n", 3, "header.teaser", "javascript"),
    ("header:\n  og_image: \" &#106;avascript&#x3A;alert(1)\"\n", 3, "header.og_image", "javascript"),
    ("sidebar:\n  - title: Me\n    image: \"\\x01\\nvbscript:msgbox(1)\"\n", 3, "sidebar[0].image", "vbscript"),
    ("teaser: javascript:alert(1)//.png\n", 3, "teaser", "javascript"),
])
@pytest.mark.parametrize("mode", ["allow", "sanitize"])
def test_script_urls_in_front_matter_are_errors_in_every_mode(site, front, line, key, scheme, mode):
    root = site({"content/posts/a.md": a_post("Text.", front), "content/posts/b.md": a_post("Fine.")},
                config=f'[markdown]\nraw_html = "{mode}"\n' if mode == "sanitize" else None)
    result = run_cli("build", cwd=root)
    assert result.code == 1, result.text
    assert (f"content/posts/a.md:{line}: error: '{key}' is a {scheme}: URL, which sitegen never puts in a page"
            in result.err), result.err
    assert "Traceback" not in result.text


def test_script_urls_in_sitegen_toml_links_are_errors(site):
    root = site({"content/posts/a.md": a_post("Text.")},
                config='[author]\navatar = "data:image/svg+xml,<svg onload=alert(1)>"\n'
                       'links = [{ title = "Me", url = " javascript:alert(1)" }]\n'
                       '[theme]\nnav = [{ title = "About", url = "/about/" }, { title = "X", url = "jav&#x09;ascript:x" }]\n')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "sitegen.toml:2: error: 'author.avatar' is a data: URL, which sitegen never puts in a page" in result.err, result.err
    assert "sitegen.toml:3: error: 'author.links' url is a javascript: URL" in result.err, result.err
    assert "sitegen.toml:5: error: 'theme.nav' url is a javascript: URL" in result.err, result.err
