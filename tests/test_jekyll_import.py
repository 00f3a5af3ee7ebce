"""`sitegen import jekyll`: Jekyll sites written in the style of Minimal Mistakes', al-folio's and
academicpages' documentation, imported and built through the real CLI with --strict."""
from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, run_cli

SITES = REPO / "tests" / "jekyll_sites"
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_IMG = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"")
_NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
_HREF = re.compile(r'href="([^"]+)"')


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(path.relative_to(root).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Imported:
    def __init__(self, name: str, dest: Path, report: str) -> None:
        self.name, self.dest, self.report = name, dest, report
        self.site = dest / "site"
        self.config = tomllib.loads((dest / "sitegen.toml").read_text())

    def page(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")

    def pages(self) -> dict[str, str]:
        return {p.relative_to(self.site).as_posix(): p.read_text(encoding="utf-8") for p in self.site.rglob("*.html")}


@pytest.fixture(scope="module", params=sorted(p.name for p in SITES.iterdir() if p.is_dir()))
def imported(request, tmp_path_factory) -> Imported:
    source = SITES / request.param
    before = tree_digest(source)
    work = tmp_path_factory.mktemp(request.param)
    result = run_cli("import", "jekyll", str(source), "imported", cwd=work)
    assert result.code == 0, result.text
    assert tree_digest(source) == before, "the Jekyll site was changed"
    built = run_cli("build", "--strict", "--preset", "preview", cwd=work / "imported")
    assert built.code == 0, built.text
    assert "warning" not in built.text, built.text
    return Imported(request.param, work / "imported", result.text)


def test_no_liquid_is_left_outside_code(imported):
    for rel, html in imported.pages().items():
        prose = _CODE.sub("", html)
        assert "{%" not in prose and "{{" not in prose, rel


def test_every_image_resolves_to_a_file_of_the_site(imported):
    seen = 0
    for rel, html in imported.pages().items():
        for src in _IMG.findall(html):
            if urlsplit(src).scheme:
                continue
            seen += 1
            assert ((imported.site / rel).parent / unquote(src.split("#")[0])).resolve().is_file(), f"{rel}: {src}"
    assert seen


def test_every_nav_link_leads_to_a_page(imported):
    nav = _NAV.search(imported.page("index.html")).group(0)
    links = [h for h in _HREF.findall(nav) if not urlsplit(h).scheme]
    assert len(links) >= 3
    for href in links:
        target = imported.site / unquote(href)
        assert (target / "index.html" if href.endswith("/") or href == "./" else target).is_file(), href


def test_collection_listings_list_their_items(imported):
    for collection in imported.config.get("collections", []):
        items = sorted((imported.dest / "content" / collection["name"]).glob("*.md"))
        assert items, collection["name"]
        listing = collection["listing"] or f"{collection['name']}/"  # '' : the site's own page lists them
        html = imported.page(f"{listing}index.html")
        for item in items:
            slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", item.stem).replace("_", "-")
            assert f'/{slug}/"' in html or f'{slug}/"' in html, (collection["name"], slug)


def test_the_report_names_what_has_no_equal_at_its_file_and_line(imported):
    source = str(SITES / imported.name)
    assert re.search(rf"{re.escape(source)}/_config.yml:\d+: warning: plugin '[\w/-]+' has no equal", imported.report)
    assert re.search(rf"{re.escape(source)}/_layouts/\w+\.html:1: warning: not imported: a layout", imported.report)
    assert f"{source}/assets/css/main.scss:1: warning" in imported.report
    assert "mapped: _data/navigation.yml main" in imported.report or "mapped: pages with nav: true" in imported.report


def test_minimal_mistakes_site(imported):
    if imported.name != "minimal_mistakes":
        pytest.skip("the Minimal Mistakes site")
    assert len(list((imported.dest / "content/posts").rglob("*.md"))) == 23  # 22 posts and a draft
    assert imported.config["base_url"] == "/notes" and imported.config["posts_per_page"] == 5
    assert imported.config["author"]["links"][0] == {"title": "GitHub", "url": "https://github.com/adahopper"}
    nav = {link["title"]: link["url"] for link in imported.config["theme"]["nav"]}
    assert nav["Posts"] == "/" and nav["Portfolio"] == "/portfolio/" and "Lab wiki" not in nav
    assert "_data/navigation.yml:15: warning: the link to '/wiki/'" in imported.report
    # permalinks: /:categories/:title/ without its categories; a page's own permalink
    assert (imported.site / "waves-1/index.html").is_file() and (imported.site / "cv/index.html").is_file()
    assert "_pages/cv.md:2: warning: layout 'lab' has no equal" in imported.report
    # defaults: toc for every post unless it says otherwise; the longer path's tags win
    assert 'class="toc"' in imported.page("oscillations-1/index.html")
    assert 'class="toc"' not in imported.page("eeg-1/index.html")  # toc: false in its front matter
    assert 'href="../tags/research-notes/"' in imported.page("waves-1/index.html")
    assert "lab-notes" not in imported.page("waves-1/index.html")
    assert (imported.site / "tags/lab-notes/index.html").is_file()
    # the collection, its listing titled by the archive page, a draft left out, excluded files not copied
    portfolio = imported.page("portfolio/index.html")
    assert "<h1 class=\"page-heading__title\">Portfolio</h1>" in portfolio and portfolio.count('class="card"') == 3
    assert not (imported.site / "posts/unfinished-idea").exists()
    assert "draft: true" in (imported.dest / "content/posts/drafts/unfinished-idea.md").read_text()
    assert not (imported.dest / "content/notes-private").exists() and not (imported.dest / "content/deploy.sh").exists()
    assert (imported.dest / "_includes/lab-note.html").is_file() and (imported.site / "files/poster.pdf").is_file()
    assert '<p class="lab-note">Checked in lab meeting — Ada Hopper</p>' in imported.page("topomaps-1/index.html")


def test_al_folio_site(imported):
    if imported.name != "al_folio":
        pytest.skip("the al-folio site")
    assert imported.config["title"] == "Jane Doe" and imported.config["permalink"] == "blog/{year}/{slug}/"
    assert imported.config["author"]["avatar"] == "/assets/img/prof_pic.jpg"
    assert [link["url"] for link in imported.config["theme"]["nav"]] == ["/projects/", "/cv/", "/teaching/"]
    assert (imported.site / "blog/2022/topomaps/index.html").is_file()
    projects = imported.page("projects/index.html")  # the site's own listing page, in importance order
    assert projects.index("project 1") < projects.index("project 3") < projects.index("project 2")
    assert "sitegen's own 'figure' include" in imported.report and not (imported.dest / "_includes/figure.liquid").exists()
    assert 'class="figure img-fluid rounded z-depth-1"' in imported.page("projects/1-project/index.html")
    assert "A simple inline announcement." in imported.page("news/index.html")
    assert "_pages/about.md (the home page in Jekyll) -> /about/" in imported.report
    assert "_posts/2023-03-20-table.md:2: warning: layout 'distill' has no equal" in imported.report


def test_academicpages_site(imported):
    if imported.name != "academicpages":
        pytest.skip("the academicpages site")
    # a collection item's own permalink; the collection's listing made by sitegen, titled by its page
    assert (imported.site / "publication/2009-10-01-paper-title-number-1/index.html").is_file()
    talks = imported.page("talks/index.html")
    assert "Talks and presentations" in talks and talks.count('class="card"') == 3
    publications = imported.page("publications/index.html")  # the site's own page, its Liquid run
    assert "Paper Title Number 3" in publications and 'href="../publication/2015-10-01-paper-title-number-3/"' in publications
    # defaults: the talks' layout has no equal (reported at its line); the publications' tag is applied
    assert "_config.yml:141: warning: layout 'talk' has no equal in sitegen: left out of the default" in imported.report
    talks_default = next(d for d in imported.config["defaults"] if d["scope"]["type"] == "talks")
    assert talks_default["values"] == {"author_profile": True, "share": True}
    assert imported.config["author"]["avatar"] == "/images/profile.png"
    assert (imported.site / "posts/2012/08/blog-post-1/index.html").is_file()
    assert (imported.site / "year-archive/index.html").is_file()


# ---- the command itself


def test_refuses_a_non_empty_destination_unless_forced(tmp_path):
    source = SITES / "academicpages"
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    refused = run_cli("import", "jekyll", str(source), "taken", cwd=tmp_path)
    assert refused.code == 1 and "Not imported: taken is not empty" in refused.err and "--force" in refused.err
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]
    forced = run_cli("import", "jekyll", str(source), "taken", "--force", cwd=tmp_path)
    assert forced.code == 0, forced.text
    assert (tmp_path / "taken" / "sitegen.toml").is_file() and (tmp_path / "taken" / "notes.txt").is_file()


def test_the_default_destination_is_named_after_the_source(tmp_path):
    result = run_cli("import", "jekyll", str(SITES / "al_folio"), cwd=tmp_path)
    assert result.code == 0, result.text
    assert (tmp_path / "al_folio-sitegen" / "sitegen.toml").is_file()
    assert "cd al_folio-sitegen && sitegen build" in result.out


def test_a_folder_that_is_no_jekyll_site_is_an_error_without_traceback(tmp_path):
    (tmp_path / "notes").mkdir()
    result = run_cli("import", "jekyll", "notes", cwd=tmp_path)
    assert result.code == 1 and "Traceback" not in result.text
    assert "notes: error: not a Jekyll site: there is no _config.yml and no _posts/ folder" in result.err
    assert not (tmp_path / "notes-sitegen").exists()


def test_a_broken_config_is_an_error_at_its_line(tmp_path):
    source = tmp_path / "blog"
    (source / "_posts").mkdir(parents=True)
    (source / "_config.yml").write_text('title: "Blog"\nauthor:\n  name: Ada\n  bio: "unclosed\n')
    result = run_cli("import", "jekyll", "blog", "out", cwd=tmp_path)
    assert result.code == 1 and "Traceback" not in result.text, result.text
    assert re.search(r"blog/_config\.yml:4: error: _config\.yml is not valid YAML", result.err), result.err
    assert not (tmp_path / "out").exists()


def test_the_destination_may_not_be_inside_the_source(tmp_path):
    source = tmp_path / "blog"
    (source / "_posts").mkdir(parents=True)
    result = run_cli("import", "jekyll", "blog", "blog/out", cwd=tmp_path)
    assert result.code == 1 and "the Jekyll site is never changed" in result.err
    assert sorted(p.name for p in source.iterdir()) == ["_posts"]
