"""Every file a script reads is an input of its animation: the modules of a local package in each import
form, and the files it opens itself. Editing one re-renders exactly that animation; anything else is a
cache hit. Through the real CLI, on a real site folder."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run_cli, write

READER = '''
import importlib

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

import helpers.shapes                         # import pkg.mod
from helpers import colors                    # from pkg import mod (which imports .palette relatively)
dynamic = importlib.import_module("helpers.dynamic")

with open("amp.txt") as handle:               # a file it opens itself
    amp = float(handle.read())
series = np.loadtxt("series.txt")             # and one numpy opens for it

fig, ax = plt.subplots(figsize=(2, 1.5))
x = np.linspace(0, 6, 50)
line, = ax.plot(x, amp * np.sin(x), color=colors.LINE)
ax.set_ylim(-5, 5)

def update(i):
    line.set_ydata(amp * np.sin(x + i) * helpers.shapes.SCALE * dynamic.FACTOR + series[i % len(series)])
    return line,

ani = FuncAnimation(fig, update, frames=4, blit=True)
'''

OTHER = '''
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

fig, ax = plt.subplots(figsize=(2, 1.5))
dot, = ax.plot([0], [0], "o")
ax.set_xlim(0, 4)
ani = FuncAnimation(fig, lambda i: dot.set_data([i], [0]) or (dot,), frames=4)
'''

FILES = {
    "content/posts/scripts/reader.py": READER,
    "content/posts/scripts/other.py": OTHER,
    "content/posts/scripts/helpers/__init__.py": "",
    "content/posts/scripts/helpers/shapes.py": "SCALE = 1.0\n",
    "content/posts/scripts/helpers/colors.py": "from .palette import BLUE\nLINE = BLUE\n",
    "content/posts/scripts/helpers/palette.py": "BLUE = '#1f77b4'\n",
    "content/posts/scripts/helpers/dynamic.py": "FACTOR = 1.0\n",
    "content/posts/scripts/helpers/unused.py": "NOTHING = 0\n",
    "content/posts/scripts/amp.txt": "2.0\n",
    "content/posts/scripts/series.txt": "0\n0.5\n1\n",
    "content/posts/scripts/notes.txt": "not read by any script\n",
    "content/posts/2024-01-01-reader.md": "---\ntitle: Reader\n---\nText.\n\n```animation\nscript: scripts/reader.py\n"
                                         "formats: [poster]\nvariants: [light]\nalt: x\n```\n",
    "content/posts/2024-01-02-other.md": "---\ntitle: Other\n---\nText.\n\n```animation\nscript: scripts/other.py\n"
                                        "formats: [poster]\nvariants: [light]\nalt: x\n```\n",
}


def build(root: Path) -> tuple[int, int, str]:
    result = run_cli("build", "--preset", "preview", "-j", "1", cwd=root)
    assert result.code == 0, result.text
    counts = re.search(r"Animations: (\d+) rendered, (\d+) from the cache", result.text)
    assert counts, result.text
    return int(counts.group(1)), int(counts.group(2)), result.text


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inputs")
    write(root, FILES)
    assert build(root)[:2] == (2, 0)
    assert build(root)[:2] == (0, 2)  # the second build knows the reads before rendering
    return root


@pytest.mark.parametrize("rel, edit", [
    ("helpers/shapes.py", "SCALE = 0.5\n"),
    ("helpers/colors.py", "from .palette import BLUE\nLINE = 'red'\n"),
    ("helpers/palette.py", "BLUE = '#2060c0'\n"),
    ("helpers/dynamic.py", "FACTOR = 0.25\n"),
    ("amp.txt", "3.0\n"),
    ("series.txt", "1\n0\n-1\n"),
])
def test_editing_a_file_the_script_read_re_renders_exactly_that_animation(built, rel, edit):
    (built / "content/posts/scripts" / rel).write_text(edit, encoding="utf-8")
    rendered, cached, text = build(built)
    assert (rendered, cached) == (1, 1), text
    assert "rendered content/posts/2024-01-01-reader.md" in text and "2024-01-02-other.md:" not in text.split("Built")[0]
    assert build(built)[:2] == (0, 2)  # and the new reads are remembered


@pytest.mark.parametrize("rel, edit", [
    ("notes.txt", "edited, but nobody reads it\n"),
    ("helpers/unused.py", "NOTHING = 1\n"),
    ("2024-01-01-reader.md", "---\ntitle: Reader, retitled\n---\nNew text.\n\n```animation\nscript: scripts/reader.py\n"
                             "formats: [poster]\nvariants: [light]\nalt: x\n```\n"),
])
def test_an_edit_to_anything_else_is_a_cache_hit(built, rel, edit):
    folder = built / "content/posts" if rel.endswith(".md") else built / "content/posts/scripts"
    (folder / rel).write_text(edit, encoding="utf-8")
    assert build(built)[:2] == (0, 2)


def test_a_tampered_dependency_record_is_dropped_and_the_script_runs_again(built):
    for record in (built / ".sitegen-cache" / "reads").rglob("*.json"):
        record.write_text('{"key": "x", "reads": ["../../etc/passwd"]}', encoding="utf-8")
    rendered, cached, text = build(built)
    assert (rendered, cached) == (2, 0) and "damaged" in text
    assert build(built)[:2] == (0, 2)
