"""The render cache through the real CLI: exactly what changed is rendered again, never more or less."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from conftest import REPO, run_cli
from animation_checks import decode_video
from test_animations import fence

SMALL = "size: [2, 1.5]\ndpi: 40\nfps: 10\nalt: x"


def counts(result) -> tuple[int, int]:
    match = re.search(r"Animations: (\d+) rendered, (\d+) from the cache", result.err)
    assert match, result.text
    return int(match.group(1)), int(match.group(2))


def wave(path: Path, shift: float = 0.0, frames: int = 4) -> None:
    t = np.arange(frames)[:, None, None]
    y, x = np.mgrid[0:12, 0:12]
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, np.exp(-((x - 2 * t - shift) ** 2 + (y - 6) ** 2) / 6.0))


def two_posts(site) -> Path:
    root = site({
        "content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + fence(f"kind: heatmap\ndata: data/a.npy\n{SMALL}"),
        "content/posts/2024-01-02-b.md": "---\ntitle: B\n---\n" + fence(f"kind: heatmap\ndata: data/b.npy\n{SMALL}"),
    })
    wave(root / "data/a.npy")
    wave(root / "data/b.npy", 1.0)
    return root


def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_a_second_build_renders_nothing_and_rewrites_no_file(site):
    root = two_posts(site)
    assert counts(run_cli("build", cwd=root)) == (4, 0)
    before = mtimes(root / "site")
    again = run_cli("build", cwd=root)
    assert counts(again) == (0, 4)
    assert "0 files written" in again.err
    assert mtimes(root / "site") == before


def test_changing_one_data_file_renders_only_its_animations(site):
    root = two_posts(site)
    run_cli("build", cwd=root)
    wave(root / "data/a.npy", 2.0)
    assert counts(run_cli("build", cwd=root)) == (2, 2)


def test_a_kind_parameter_renders_that_animation_again_but_page_only_keys_do_not(site):
    root = two_posts(site)
    run_cli("build", cwd=root)
    post = root / "content/posts/2024-01-01-a.md"
    post.write_text(post.read_text().replace("alt: x", "alt: something else\ncaption: new caption") + "\nMore text.\n")
    assert counts(run_cli("build", cwd=root)) == (0, 4)
    post.write_text(post.read_text().replace("kind: heatmap", "kind: heatmap\ncmap: magma"))
    assert counts(run_cli("build", cwd=root)) == (2, 2)


def test_theme_colours_render_only_the_variants_whose_style_changed(site):
    root = two_posts(site)
    run_cli("build", cwd=root)
    (root / "sitegen.toml").write_text('[theme]\nbackground_dark = "#000000"\n')
    assert counts(run_cli("build", cwd=root)) == (2, 2)  # the dark variant of each animation


def test_a_new_matplotlib_version_renders_everything(site):
    root = two_posts(site)
    run_cli("build", cwd=root)
    code = ("import sys, matplotlib; matplotlib.__version__ = '99.0'; from sitegen.cli import main; "
            "sys.exit(main(['build']))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr
    assert "Animations: 4 rendered, 0 from the cache" in proc.stderr


def test_keys_do_not_depend_on_where_the_site_is(site, tmp_path):
    root = two_posts(site)
    cache = tmp_path / "shared-cache"
    assert counts(run_cli("build", "--cache-dir", str(cache), cwd=root)) == (4, 0)
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(root, moved, ignore=shutil.ignore_patterns("site", ".sitegen-cache"))
    assert counts(run_cli("build", cwd=moved, env={"SITEGEN_CACHE_DIR": str(cache)})) == (0, 4)


def test_a_damaged_entry_is_a_warning_and_is_rendered_again(site):
    root = two_posts(site)
    run_cli("build", cwd=root)
    webm = next((root / ".sitegen-cache/entries").rglob("animation.webm"))
    webm.write_bytes(webm.read_bytes()[:50])
    result = run_cli("build", cwd=root)
    assert result.code == 0
    assert "is damaged" in result.err and counts(result) == (1, 3)
    assert counts(run_cli("build", cwd=root)) == (0, 4)


def test_two_builds_sharing_one_cache_at_once_both_succeed(site, tmp_path):
    root = two_posts(site)
    other = tmp_path / "other"
    shutil.copytree(root, other)
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(REPO), "SITEGEN_CACHE_DIR": str(cache)}
    procs = [subprocess.Popen([sys.executable, "-m", "sitegen", "build"], cwd=folder, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in (root, other)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    entries = [e for e in (cache / "entries").glob("*/*") if e.is_dir()]
    assert len(entries) == 4
    for entry in entries:
        manifest = json.loads((entry / "manifest.json").read_text())
        for name, (size, _) in manifest["checksums"].items():
            assert (entry / name).stat().st_size == size
    assert counts(run_cli("build", cwd=root, env={"SITEGEN_CACHE_DIR": str(cache)})) == (0, 4)


CHANGES_ITS_DATA = """
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

def make_animation(data, params):
    with open("data.csv", "a") as handle:  # the input changes while the animation renders
        handle.write("3,4\\n")
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    line, = ax.plot([0, 1], [0, 1])
    return FuncAnimation(fig, lambda i: line.set_ydata([0, i]), frames=3)
"""


def test_an_input_that_changes_during_the_render_is_not_cached(site):
    root = site({
        "content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + fence("script: anim.py\ndata: data.csv\nalt: x"),
        "content/posts/anim.py": CHANGES_ITS_DATA,
        "content/posts/data.csv": "a,b\n1,2\n",
    })
    result = run_cli("build", cwd=root)
    assert result.code == 0
    assert "changed while this animation was rendering" in result.err
    assert not list((root / ".sitegen-cache/entries").rglob("manifest.json"))
    assert (root / "site/posts/a/index.html").is_file()


def test_a_local_module_the_script_imports_is_part_of_the_key(site):
    root = site({
        "content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + fence("script: anim.py\nalt: x"),
        "content/posts/anim.py": "import matplotlib.pyplot as plt\nfrom matplotlib.animation import FuncAnimation\n"
                                 "from helpers.shapes import ys\n"
                                 "fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)\nline, = ax.plot([0, 1], [0, 1])\n"
                                 "anim = FuncAnimation(fig, lambda i: line.set_ydata(ys(i)), frames=3)\n",
        "content/posts/helpers/__init__.py": "",
        "content/posts/helpers/shapes.py": "def ys(i):\n    return [0, i]\n",
    })
    assert counts(run_cli("build", cwd=root)) == (2, 0)
    assert counts(run_cli("build", cwd=root)) == (0, 2)
    (root / "content/posts/helpers/shapes.py").write_text("def ys(i):\n    return [i, 0]\n")
    assert counts(run_cli("build", cwd=root)) == (2, 0)


def test_an_unchanged_file_is_not_read_again(site):
    """The digest is remembered against size, mtime and inode: same size, same mtime, same inode is trusted."""
    root = two_posts(site)
    run_cli("build", cwd=root)
    data = root / "data/a.npy"
    stat = data.stat()
    raw = bytearray(data.read_bytes())
    raw[-1] ^= 0xFF  # same size, different bytes, written in place (same inode)
    with open(data, "r+b") as handle:
        handle.write(raw)
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert counts(run_cli("build", cwd=root)) == (0, 4)
    os.utime(data)  # now the mtime says it changed
    assert counts(run_cli("build", cwd=root)) == (2, 2)


def test_cache_info_prune_and_clear(site):
    root = two_posts(site)
    run_cli("build", cwd=root)
    info = run_cli("cache", "info", cwd=root)
    assert info.code == 0 and "entries: 4" in info.out and "hit rate 0 %" in info.out
    run_cli("build", cwd=root)
    assert "hit rate 100 %" in run_cli("cache", "info", cwd=root).out
    (root / "content/posts/2024-01-02-b.md").unlink()
    pruned = run_cli("cache", "prune", cwd=root)
    assert pruned.code == 0 and "removed 2 entries" in pruned.out
    assert "entries: 2" in run_cli("cache", "info", cwd=root).out
    assert "removed 0 entries" in run_cli("cache", "prune", "--older-than", "30", cwd=root).out
    assert "removed 2 entries" in run_cli("cache", "clear", cwd=root).out
    assert "entries: 0" in run_cli("cache", "info", cwd=root).out


def test_each_preset_has_its_own_entries_and_prune_keeps_both(site):
    root = two_posts(site)
    assert counts(run_cli("build", cwd=root)) == (4, 0)
    published = {p.name: p.read_bytes() for p in (root / "site/animations").glob("*.webm")}
    for name in published:
        assert decode_video(root / "site/animations" / name).codec == "av1"
    preview_build = run_cli("build", "--preset", "preview", "--cache-dir", str(root / "preview-only"), cwd=root)
    assert counts(preview_build) == (4, 0)  # other encoder settings: other keys
    preview = {p.name: p.read_bytes() for p in (root / "site/animations").glob("*.webm")}
    assert len(preview) == len(published) == 4 and not set(preview) & set(published)  # two posts, light and dark
    for name in preview:
        video = decode_video(root / "site/animations" / name)
        assert video.codec == "vp9" and len(video.frames) == 4
    preview_cache = ("--cache-dir", str(root / "preview-only"))
    (root / "sitegen.toml").write_text('[render]\npreset = "preview"\n', encoding="utf-8")
    assert counts(run_cli("build", *preview_cache, cwd=root)) == (0, 4)
    assert counts(run_cli("build", "--preset", "publish", *preview_cache, cwd=root)) == (4, 0)
    assert "removed 0 entries" in run_cli("cache", "prune", *preview_cache, cwd=root).out  # both presets' are current
    assert "entries: 8" in run_cli("cache", "info", *preview_cache, cwd=root).out


def test_an_unknown_preset_is_an_error_with_its_line(site):
    root = two_posts(site)
    (root / "sitegen.toml").write_text('title = "x"\n\n[render]\npreset = "publsh"\n', encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.code == 1
    assert "sitegen.toml:4" in result.err and "'render.preset' must be 'publish' or 'preview'" in result.err
    assert "did you mean 'publish'?" in result.err
    assert run_cli("build", "--preset", "tiny", cwd=root).code == 2


def test_the_old_preset_names_still_work_with_a_warning(site):
    root = two_posts(site)
    (root / "sitegen.toml").write_text('title = "x"\n\n[render]\npreset = "fast"\n', encoding="utf-8")
    result = run_cli("build", cwd=root)
    assert result.code == 0, result.err
    assert "sitegen.toml:4" in result.err and "'render.preset' = 'fast' is now called 'preview'" in result.err
    old = run_cli("build", "--preset", "fast", cwd=root)
    assert old.code == 0 and "--preset fast is now called --preset preview" in old.err
    assert counts(old) == (0, 4)  # the same preset, so the same keys


def test_a_preview_takes_the_published_files_before_rendering_anything(site):
    root = two_posts(site)
    assert counts(run_cli("build", cwd=root)) == (4, 0)
    published = sorted(p.name for p in (root / "site/animations").iterdir())
    preview = run_cli("build", "--preset", "preview", cwd=root)
    assert counts(preview) == (0, 4)  # nothing rendered: the publish preset's entries serve
    assert sorted(p.name for p in (root / "site/animations").iterdir()) == published
    assert "entries: 4" in run_cli("cache", "info", cwd=root).out
