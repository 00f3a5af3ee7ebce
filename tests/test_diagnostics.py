"""Errors a user can cause are diagnostics at the right file and line, none hides another, and the build
goes on to report every one: through the real CLI on real site folders."""
from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def fence(body: str, ticks: str = "```") -> str:
    return f"{ticks}animation\n{body.strip()}\n{ticks}\n"


def post(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n{body}"


def line_of(root: Path, rel: str, text: str, after: int = 0) -> int:
    """The 1-based line of the first line of `rel` (after line `after`) that equals `text`."""
    lines = (root / rel).read_text().splitlines()
    return next(n for n, line in enumerate(lines, start=1) if n > after and line == text)


def assert_no_traceback(output: str) -> None:
    assert "Traceback" not in output and "site-packages" not in output, output


def test_an_unknown_kind_does_not_hide_the_missing_files_of_the_posts_other_directives(site):
    body = ("Two animations.\n\n" + fence("kind: heatmapp\ndata: data/wave.npz\nalt: x") + "\n"
            + fence("kind: heatmap\ndata: data/missing.npz\nalt: x") + "\n"
            + fence("script: nowhere.py\nalt: x"))
    root = site({"content/posts/2024-01-01-a.md": post("A", body)})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    rel = "content/posts/2024-01-01-a.md"
    assert f"{rel}:{line_of(root, rel, 'kind: heatmapp')}: error: unknown kind 'heatmapp'" in result.err
    assert f"{rel}:{line_of(root, rel, 'data: data/missing.npz')}: error: data file 'data/missing.npz' not found" in result.err
    assert f"{rel}:{line_of(root, rel, 'script: nowhere.py')}: error: script file 'nowhere.py' not found" in result.err
    assert "Build failed: 3 errors" in result.err
    assert_no_traceback(result.text)


def test_csv_line_numbers_are_the_files_own_lines_after_blank_lines(site):
    root = site({"content/posts/2024-01-01-r.md": post("R", fence("kind: raster\ndata: spikes.csv\nalt: x"))})
    (root / "content/posts/spikes.csv").write_text("neuron,time\n0,0.1\n\n1,0.2\n\n\n2,soon\n")
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "'spikes.csv' line 7: 'soon' in column 'time' is not a number" in result.err, result.err


def test_a_csv_row_of_the_wrong_length_names_its_own_line(site):
    root = site({"content/posts/2024-01-01-r.md": post("R", fence("kind: raster\ndata: spikes.csv\nalt: x"))})
    (root / "content/posts/spikes.csv").write_text('neuron,time\n\n0,"0.1"\n\n1,0.2,9\n')
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "'spikes.csv' line 5: 3 values, but the header names 2 columns" in result.err, result.err


def test_a_directive_after_a_fence_that_shows_one_is_reported_at_its_own_line(site):
    shown = "````markdown\n" + fence("kind: raster\ndata: shown.csv") + "````\n"
    body = "How to write one:\n\n" + shown + "\nAnd a real one:\n\n" + fence("kind: raster\ndata: real.csv\nalt: x")
    root = site({"content/posts/2024-01-01-b.md": post("B", body)})
    result = run_cli("build", cwd=root)
    assert result.code == 1
    rel = "content/posts/2024-01-01-b.md"
    assert f"{rel}:{line_of(root, rel, 'data: real.csv')}: error: data file 'real.csv' not found" in result.err, result.err
    assert "shown.csv" not in result.err


def test_directive_lines_are_right_in_lists_quotes_and_after_tilde_fences(site):
    body = ("~~~markdown\n```animation\nkind: raster\n```\n~~~\n\n"
            "- a list item\n\n    " + fence("kind: raster\ndata: in-list.csv\nalt: x").replace("\n", "\n    ") + "\n"
            "> " + fence("kind: raster\ndata: in-quote.csv\nalt: x").replace("\n", "\n> ") + "\n")
    root = site({"content/posts/2024-01-01-c.md": post("C", body)})
    result = run_cli("build", cwd=root)
    rel = "content/posts/2024-01-01-c.md"
    assert f"{rel}:{line_of(root, rel, '    data: in-list.csv')}: error: data file 'in-list.csv'" in result.err, result.err
    assert f"{rel}:{line_of(root, rel, '> data: in-quote.csv')}: error: data file 'in-quote.csv'" in result.err, result.err


def test_a_latin1_csv_is_an_error_naming_the_file_and_line_and_the_build_goes_on(site):
    root = site({
        "content/posts/2024-01-01-l.md": post("L", fence("kind: raster\ndata: latin.csv\nalt: x")),
        "content/posts/2024-01-02-m.md": post("M", fence("kind: raster\ndata: missing.csv\nalt: x")),
    })
    (root / "content/posts/latin.csv").write_bytes("neuron,time\n0,0.1\n\n1,0.2 # café\n".encode("latin-1"))
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert_no_traceback(result.text)
    assert ("content/posts/2024-01-01-l.md:6: error: 'latin.csv' line 4: byte 0xe9 is not UTF-8 text"
            in result.err), result.err
    assert "save the file as UTF-8" in result.err
    assert "2024-01-02-m.md:6: error: data file 'missing.csv' not found" in result.err
    assert "Build failed: 2 errors" in result.err


def test_an_npz_holding_something_other_than_arrays_is_an_error_not_a_traceback(site):
    import zipfile

    import numpy as np

    root = site({"content/posts/2024-01-01-z.md": post("Z", fence("kind: heatmap\ndata: odd.npz\nalt: x"))})
    with zipfile.ZipFile(root / "content/posts/odd.npz", "w") as archive:
        with archive.open("frames.npy", "w") as member:
            np.save(member, np.zeros((3, 4, 4)))
        archive.writestr("notes.txt", "not an array")
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert_no_traceback(result.text)
    assert "2024-01-01-z.md:6: error: 'odd.npz': 'notes.txt' in the archive is not a NumPy array" in result.err, result.err
