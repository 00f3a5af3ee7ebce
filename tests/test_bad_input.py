"""Input a user can get wrong: each is a diagnostic with file:line, the build goes on, reports every
problem, exits non-zero and leaves the last good site/ as it was. Never a traceback."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import post, run_cli
from test_build import snapshot

GOOD = {"content/posts/good.md": post("Good", "Fine.", date="2024-01-05"),
        "content/assets/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'}


def _built(site) -> Path:  # type: ignore[no-untyped-def]
    root = site(GOOD)
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 0, result.text
    return root


def _failed_build(root: Path) -> str:
    before = snapshot(root / "site")
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 1, result.text
    assert "Traceback" not in result.err, result.err
    assert "Build failed" in result.err and "The previous site was left as it was" in result.err
    assert snapshot(root / "site") == before
    return result.err


@pytest.mark.parametrize("value, problem", [
    ("2024-13-45", "month must be in 1..12"),
    ("2024-02-30", "day is out of range for month"),
    ("2024-01-01 25:61:00", "hour must be in 0..23"),
])
def test_a_date_that_is_no_date_names_its_line(site, value, problem):
    root = _built(site)
    (root / "content/posts/when.md").write_text(f"---\ntitle: When\n\ndate: {value}\n---\nText.\n")
    err = _failed_build(root)
    assert f"content/posts/when.md:4: error: 'date' is not a valid date: {value} ({problem})" in err
    assert "YYYY-MM-DD" in err


def test_a_date_deeper_in_the_front_matter_names_its_line_and_key(site):
    root = _built(site)
    (root / "content/posts/talk.md").write_text("---\ntitle: Talk\nevent:\n  venue: Hall\n  held: 2024-00-10\n---\nx\n")
    err = _failed_build(root)
    assert "content/posts/talk.md:5: error: 'event.held' is not a valid date: 2024-00-10" in err


def test_a_dangling_symlink_in_content_is_an_error_naming_where_it_points(site):
    root = _built(site)
    os.symlink("gone.png", root / "content/assets/chart.png")
    err = _failed_build(root)
    assert "content/assets/chart.png: error: a symlink to 'gone.png', which does not exist" in err


def test_a_permalink_inside_a_generated_file_is_an_error(site):
    root = _built(site)
    (root / "content/posts/map.md").write_text("---\ntitle: Map\npermalink: /sitemap.xml/\n---\nx\n")
    err = _failed_build(root)
    assert "content/posts/map.md:3: error: " in err and "site/sitemap.xml/index.html" in err
    assert "the generated sitemap.xml" in err


def test_every_bad_input_is_reported_in_one_build_and_the_good_posts_still_checked(site):
    root = _built(site)
    (root / "content/posts/month.md").write_text("---\ntitle: M\ndate: 2024-13-45\n---\nx\n")
    (root / "content/posts/hour.md").write_text("---\ntitle: H\ndate: 2024-01-01 25:61:00\n---\nx\n")
    (root / "content/posts/map.md").write_text("---\ntitle: Map\npermalink: /sitemap.xml/\n---\nx\n")
    (root / "content/posts/layout.md").write_text("---\ntitle: L\nlayout: singel\n---\nx\n")
    os.symlink("gone.png", root / "content/assets/chart.png")
    err = _failed_build(root)
    for where in ("content/posts/month.md:3", "content/posts/hour.md:3", "content/posts/map.md:3",
                  "content/posts/layout.md:3", "content/assets/chart.png"):
        assert f"{where}: error:" in err, where
    assert "Build failed: 5 errors" in err


def test_a_file_gone_before_it_is_written_is_an_error_naming_it_and_the_site_stays(tmp_path):
    """A file deleted (or made unreadable) while the build runs: too quick to time through the CLI, so
    write_site is given one that is already gone."""
    from sitegen.errors import BuildFailed
    from sitegen.model import OutputFile
    from sitegen.write import write_site

    output = tmp_path / "site"
    write_site([OutputFile(rel="index.html", data=b"<p>good</p>")], output)
    with pytest.raises(BuildFailed) as failed:
        write_site([OutputFile(rel="index.html", data=b"<p>new</p>"),
                    OutputFile(rel="a.png", copy_from=tmp_path / "content/a.png")], output)
    assert [d.format() for d in failed.value.diagnostics] == [
        f"{tmp_path}/content/a.png: error: cannot be read: No such file or directory (was it moved or deleted "
        "during the build? Check it is there and readable, then build again)"]
    assert (output / "index.html").read_bytes() == b"<p>good</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder, no lock file left


def test_an_output_folder_that_cannot_be_made_is_an_error(site):
    root = site({**GOOD, "notes.txt": "mine\n"}, config='output_dir = "notes.txt/site"\n')
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "notes.txt/site: error: cannot make the output folder here: File exists" in result.err
    assert (root / "notes.txt").read_text() == "mine\n"


def test_a_pipe_in_content_is_skipped_with_a_warning(site):
    root = site(GOOD)
    os.mkfifo(root / "content/assets/pipe")
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 0, result.text
    assert "content/assets/pipe: warning: skipped: not a regular file" in result.err
    assert not (root / "site/assets/pipe").exists()
