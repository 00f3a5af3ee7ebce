"""The CV page from a JSON Resume file: a corpus of real-shaped files built into /cv/ (sections in the
file's order, dates written out, Markdown made safe, links), cv.yaml and cv.json alike, and bad input
through the real CLI (file:line, every problem at once, no traceback, the previous site kept)."""
from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import post, read, run_cli, write
from sitegen.build import BuildOptions, build
from sitegen.cv.dates import parse_date, span
from sitegen.cv.source import MAX_BYTES
from sitegen.errors import BuildFailed

CORPUS = Path(__file__).parent / "cv_corpus"


def build_cv(root: Path, name: str, text: str, config: str = "") -> str:
    """Build a site holding only content/<name>; the CV page's <main>."""
    write(root, {f"content/{name}": text, "sitegen.toml": config or 'title = "Test"\n'})
    build(BuildOptions(root=root))
    return main_of(read(root, "cv/index.html"))


def main_of(page: str) -> str:
    return re.search(r"<main\b.*?</main>", page, re.S).group(0)


def titles(html: str) -> list[str]:
    return re.findall(r'class="cv-section__title"[^>]*>([^<]+)<', html)


def whens(html: str) -> list[str]:
    return re.findall(r'class="cv-entry__when">(?:<time datetime="[^"]*">)?([^<]*)<', html)


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'class="cv-entry__heading">(.*?)</h3>', html)]


# ---- the corpus


def test_the_schemas_own_sample_shape(tmp_path):
    html = build_cv(tmp_path, "cv.json", (CORPUS / "schema_sample.json").read_text())
    assert titles(html) == ["Experience", "Volunteering", "Education", "Awards", "Certificates", "Publications",
                            "Skills", "Languages", "Interests", "References", "Projects"]
    assert whens(html)[:4] == ["Sep 2019 – present", "Jan 2015 – Aug 2019", "2017 – 2020", "2011 – 2015"]
    assert '<h1 class="cv__name p-name">Jordan Reyes</h1>' in html
    assert '<p class="cv__label p-job-title">Data engineer</p>' in html
    assert "San Francisco, California, US" in html and "1 Main St" not in html and "94110" not in html
    assert '<a class="p-tel" href="tel:(555)010-2024">(555) 010-2024</a>' in html
    assert '<a class="u-email" href="mailto:jordan@example.com">jordan@example.com</a>' in html
    assert '<a href="https://acme.example.com">Senior engineer</a>' in html
    assert '<a href="https://mastodon.example/@jordan" rel="me">Mastodon</a>' in html
    assert "<li>Cut nightly batch time from 6 h to 40 min</li>" in html
    assert "PhD" not in html and "BSc in Computer science" in headings(html)
    assert "<span>3.8</span>" in html and "<li>CS301 - Databases</li>" in html  # score, courses
    assert '<span class="muted">· Master</span>' in html and '<span class="tag">Kafka</span>' in html
    assert "<strong>Spanish</strong> <span class=\"muted\">Fluent</span>" in html
    assert "<blockquote><p>Jordan is the engineer you want on call.</p></blockquote>" in html
    assert "<span>Author</span><span>Maintainer</span>" in html  # a project's roles
    assert "Updated Mar 2024" in html


def test_a_minimal_cv_shows_only_what_it_has(tmp_path):
    html = build_cv(tmp_path, "cv.yaml", (CORPUS / "minimal.yaml").read_text())
    assert titles(html) == ["Experience"]
    assert headings(html) == ["Technician"] and whens(html) == [""]
    assert "cv__contact" in html and "<li" not in html.split('class="cv__contact"')[1].split("</ul>")[0]


def test_basics_only_renders_its_summary_as_markdown(tmp_path):
    html = build_cv(tmp_path, "cv.yaml", (CORPUS / "basics_only.yaml").read_text())
    assert titles(html) == []
    assert ('<p>I work on <em>protein folding</em> with <a href="https://example.org/sims" '
            'rel="noopener noreferrer">simulations</a>.</p>') in html


def test_an_academic_cv_with_talks_and_teaching_in_the_files_order(tmp_path):
    html = build_cv(tmp_path, "cv.yaml", (CORPUS / "academic.yaml").read_text())
    assert titles(html) == ["Education", "Experience", "Talks", "Teaching", "Service", "Languages"]
    assert "Dr. Elif Şahin" in html and "Boğaziçi University" in html and "Français" in html
    assert whens(html) == ["Sep 2012 – 2017", "Jan 2021 – present", "Oct 2017 – Dec 2020", "Nov 2023", "2022",
                           "2021 – present", ""]
    assert headings(html) == ["PhD in Neuroscience", "Assistant professor", "Postdoc", "Grid cells in the dark",
                              "Invited seminar", "Systems neuroscience", "Reviewer"]
    assert '<a href="https://example.org/talks/grid">Grid cells in the dark</a>' in html
    assert "<span>SfN 2023</span>" in html and "<span>Université de Genève</span><span>Lecturer</span>" in html
    assert "<span>eLife</span>" in html and "<li>120 students a year</li>" in html
    assert '<a href="https://github.com/elif-example" rel="me">GitHub</a>' in html


def test_cv_json_and_cv_yaml_make_the_same_page(tmp_path):
    yaml_text = (CORPUS / "academic.yaml").read_text()
    import yaml

    data = yaml.safe_load(yaml_text)
    as_json = json.dumps(data, default=str, indent=2, ensure_ascii=False)
    assert main_of_both(tmp_path, yaml_text, as_json)


def main_of_both(tmp_path: Path, yaml_text: str, json_text: str) -> bool:
    first = build_cv(tmp_path / "y", "cv.yaml", yaml_text)
    second = build_cv(tmp_path / "j", "cv.json", json_text)
    assert first == second
    return True


def test_html_in_the_cv_is_escaped_or_cleaned(tmp_path):
    html = build_cv(tmp_path, "cv.yaml", textwrap.dedent("""\
        basics:
          name: "<b>Mallory</b>"
          summary: "Hello <script>alert('x')</script> <img src=x onerror=alert(1)> **world**"
        work:
          - position: "<i>Chief</i> & co"
            url: "https://example.org/?a=1&b=<2>"
            highlights: ["<script>alert(2)</script>done [x](javascript:alert(3))"]
        """))
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in html and "<strong>world</strong>" in html
    assert "&lt;i&gt;Chief&lt;/i&gt; &amp; co" in html
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in html


BIB = """\
@article{quist2023grid, title = {Grid cells in the dark}, author = {Quist, Ada and Berg, Jon},
  journal = {Hippocampus}, year = {2023}, month = may}
@article{quist2021old, title = {An older paper}, author = {Quist, A.}, journal = {Neuron}, year = {2021}}
@book{other1999, title = {Someone else's book}, author = {Other, Olga}, publisher = {Press}, year = {1999}}
"""


def test_the_authors_entries_of_the_bib_are_listed_where_publications_stands(tmp_path):
    write(tmp_path, {"content/publications.bib": BIB})
    html = build_cv(tmp_path, "cv.yaml", "basics: {name: Ada Quist}\npublications: []\ntalks:\n  - title: A talk\n",
                    config='[author]\nname = "Ada Quist"\n')
    assert titles(html) == ["Publications", "Talks"]
    entries = re.findall(r'<li class="cv-bibliography__entry">(.*?)</li>', html, re.S)
    assert len(entries) == 2 and "Grid cells in the dark" in entries[0] and "An older paper" in entries[1]
    assert '<span class="me">Quist</span>' in entries[0] and "Someone else" not in html


def test_without_a_publications_key_the_bib_gets_a_section_after_the_others(tmp_path):
    write(tmp_path, {"content/publications.bib": BIB})
    html = build_cv(tmp_path, "cv.yaml", "basics: {name: Ada Quist}\ntalks:\n  - title: A talk\n",
                    config='[author]\nname = "Ada Quist"\n')
    assert titles(html) == ["Talks", "Publications"] and html.count("cv-bibliography__entry") == 2


def test_cv_file_title_and_permalink_from_sitegen_toml(tmp_path):
    write(tmp_path, {"data/resume.yaml": "basics: {name: Kim}\n", "content/pages/about.md": post("About"),
                     "sitegen.toml": '[cv]\nfile = "data/resume.yaml"\npermalink = "/resume"\ntitle = "Résumé"\n'})
    build(BuildOptions(root=tmp_path))
    page = read(tmp_path, "resume/index.html")
    assert "<title>Résumé — My portfolio</title>" in page and '<h1 class="cv__name p-name">Kim</h1>' in page
    assert not (tmp_path / "site" / "cv").exists()
    assert "/resume/" in read(tmp_path, "sitemap.xml")


def test_two_cv_files_are_an_error(tmp_path):
    write(tmp_path, {"content/cv.yaml": "basics: {name: A}\n", "content/cv.json": '{"basics": {"name": "B"}}'})
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(root=tmp_path))
    assert [d.format() for d in failed.value.errors] == [
        "content/cv.json: error: two CV files: content/cv.yaml and content/cv.json (keep one, or choose with "
        '[cv] file = "..." in sitegen.toml)']


def test_the_schemas_old_name_for_a_work_place_still_works(tmp_path):
    write(tmp_path, {"content/cv.yaml": "work:\n  - company: Globex\n    position: Engineer\n"})
    report = build(BuildOptions(root=tmp_path))
    assert [d.format() for d in report.diagnostics] == [
        "content/cv.yaml:2: warning: 'work[0].company' is now called 'name' (rename it to 'name')"]
    assert "<span>Globex</span>" in read(tmp_path, "cv/index.html")


def test_dates(tmp_path):
    assert parse_date("2019-09-01").shown == "Sep 2019" and parse_date(2019).shown == "2019"
    assert span(parse_date("2019-09"), None, ongoing=True) == "Sep 2019 – present"
    assert span(parse_date("2019-09"), parse_date("2019-09-30"), ongoing=False) == "Sep 2019"
    for bad in ("last year", "2019-13", "2019-02-30", "19-09", True):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_a_cv_file_is_bounded(tmp_path):
    write(tmp_path, {"content/cv.json": json.dumps({"basics": {"summary": "x" * (MAX_BYTES + 10)}})})
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(root=tmp_path))
    assert any("the CV file is" in d.message and "at most" in d.message for d in failed.value.diagnostics)


# ---- bad input through the CLI

GOOD = """\
basics:
  name: Ada Quist
work:
  - name: Lab
    position: Postdoc
    startDate: "2021-01"
"""

BAD = """\
basics:
  name: Ada Quist
  url: javascript:alert(1)
work:
  name: Lab
education:
  - institution: Uni
    startDate: last year
    startdate: 2019
  - Vesterby
awards:
  - title: Prize
    date: 2020-02-30
    title: Again
eduction:
  - name: typo
"""


@pytest.fixture(scope="module")
def cli_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("cv-cli")
    write(root, {"content/cv.yaml": GOOD, "content/posts/2024-01-01-a.md": post("A")})
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.text
    assert not (root / "site" / "cv.yaml").exists()  # read, not published
    return root


def failed_build(root: Path, files: dict[str, str]) -> str:
    """Write `files`, build through the CLI: it fails with every problem, and site/ is left as it was."""
    before = read(root, "cv/index.html")
    write(root, files)
    result = run_cli("build", cwd=root)
    assert result.code == 1, result.text
    assert "Traceback" not in result.text
    assert read(root, "cv/index.html") == before
    return result.err


def test_wrong_types_values_and_a_clash_are_reported_at_once_at_their_lines(cli_site):
    err = failed_build(cli_site, {"content/cv.yaml": BAD, "content/pages/cv.md": post("CV", permalink="/cv/")})
    expected = [
        "content/cv.yaml:3: error: 'basics.url' is a javascript: URL, which sitegen never puts in a page",
        "content/cv.yaml:4: error: 'work' must be a list of entries ('- …' lines, or [ … ] in JSON), not dict",
        "content/cv.yaml:8: error: 'education[0].startDate' is not a date: 'last year' (write it as YYYY-MM-DD, "
        "YYYY-MM or YYYY, e.g. 2019-09)",
        "content/cv.yaml:9: warning: unknown key 'education[0].startdate' is not shown (did you mean 'startDate'?)",
        "content/cv.yaml:10: error: 'education[1]' must be a mapping of keys (name, date, summary …), not str",
        "content/cv.yaml:13: error: 'awards[0].date' is not a date: '2020-02-30' (day is out of range for month)",
        "content/cv.yaml:14: error: 'awards[0].title' is given twice (first on line 12) (keep one)",
        "content/cv.yaml:15: warning: unknown section 'eduction' is shown as a section of its own "
        "(did you mean 'education'?)",
        "content/pages/cv.md:3: error: two sources write site/cv/index.html: this one and content/cv.yaml",
        "content/cv.yaml: error: two sources write site/cv/index.html: this one and content/pages/cv.md:3 "
        '(set [cv] permalink = "…" in sitegen.toml)',
        "Build failed: 8 errors, 2 warnings. The previous site was left as it was.",
    ]
    for line in expected:
        assert line in err, f"{line}\n---\n{err}"
    shutil.rmtree(cli_site / "content" / "pages")
    write(cli_site, {"content/cv.yaml": GOOD})


def test_malformed_yaml_names_its_line_and_column(cli_site):
    err = failed_build(cli_site, {"content/cv.yaml": "basics:\n  name: Ada\n  label: [unclosed\nwork: []\n"})
    assert re.search(r"content/cv\.yaml:4: error: the CV is not valid YAML \(line 4, column \d+\)", err), err
    write(cli_site, {"content/cv.yaml": GOOD})


def test_malformed_json_names_its_line_and_column(cli_site):
    (cli_site / "content" / "cv.yaml").unlink()
    err = failed_build(cli_site, {"content/cv.json": '{\n  "basics": {"name": "Ada"},\n  "work": [\n}\n'})
    assert "content/cv.json:4: error: the CV is not valid JSON (line 4, column 1): Expecting value" in err, err
    (cli_site / "content" / "cv.json").unlink()
    write(cli_site, {"content/cv.yaml": GOOD})


def test_json_type_errors_name_the_keys_line(tmp_path):
    write(tmp_path, {"content/cv.json": '{\n\t"basics": {"name": "Ada"},\n\t"work": [{\n\t\t"name": "Lab",'
                                        '\n\t\t"endDate": "soon",\n\t\t"highlights": "one"\n\t}]\n}\n'})
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(root=tmp_path))
    assert [d.format() for d in failed.value.errors] == [
        "content/cv.json:5: error: 'work[0].endDate' is not a date: 'soon' (write it as YYYY-MM-DD, YYYY-MM or "
        "YYYY, e.g. 2019-09)",
        "content/cv.json:6: error: 'work[0].highlights' must be a list, not str"]
