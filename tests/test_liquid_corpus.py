"""Posts written in the styles of Minimal Mistakes' and al-folio's documentation, built through the
real CLI with --strict: no Liquid left in any page outside code, every image there, the markup each
include promises."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, run_cli

CORPUS = REPO / "tests" / "jekyll_corpus"
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_IMG = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"")


@pytest.fixture(scope="module", params=sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def built(request, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp(request.param) / "site-folder"
    shutil.copytree(CORPUS / request.param, root)
    result = run_cli("build", "--strict", "--preset", "preview", cwd=root)
    assert result.code == 0, result.text
    assert "warning" not in result.text, result.text
    return root / "site"


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_no_liquid_is_left_outside_code(built):
    for rel, html in pages(built).items():
        prose = _CODE.sub("", html)
        assert "{%" not in prose and "{{" not in prose, rel


def test_every_image_resolves(built):
    for rel, html in pages(built).items():
        for src in _IMG.findall(html):
            if urlsplit(src).scheme:
                continue
            target = (built / rel).parent / unquote(src.split("#")[0])
            assert target.resolve().is_file(), f"{rel}: {src}"


def test_the_includes_markup_is_there(built):
    html = "\n".join(pages(built).values())
    if (built / "posts" / "travelling-waves").is_dir():  # the Minimal Mistakes site
        waves = (built / "posts/travelling-waves/index.html").read_text()
        assert '<aside class="toc-include">' in waves and '<a href="#the-model">The model</a>' in waves
        assert 'class="gallery-include gallery-include--half"' in waves and 'class="hll"' not in waves
        assert '<td class="linenos">' in waves and '<div class="notice--info"><h4 id="reproducing-this">' in waves
        assert '<p class="lab-note">Checked in lab meeting — Ada Hopper</p>' in waves
        assert "<code>{{ page.title }}</code>" in waves and 'src="../../assets/images/wave.png"' in waves
        talks = (built / "posts/video-notes/index.html").read_text()
        assert talks.count('srcdoc="') == 2 and "youtube-nocookie.com/embed/dQw4w9WgXcQ" in talks
        assert 'href="../travelling-waves/"' in talks and '<p class="notice--warning">' in talks
        archive = (built / "posts/archive/index.html").read_text()
        assert 'class="feature-row"' in archive and "Tagged <em>waves</em>: 1. Navigation: Posts, About." in archive
    else:  # the al-folio site
        assert 'class="figure img-fluid rounded z-depth-1"' in html and "data-zoomable" in html
        assert '<video class="video__file" src="../../assets/video/sweep.mp4"' in html and " autoplay" in html
        assert "youtube-nocookie.com/embed/jNQXAC9IVRw" in html and "Co-author: John." in html
        assert "Filed under videos." in html and 'class="language-c++ highlight"' in html
