"""Promises of docs/reliability.md about the render cache and signals, through the real CLI: a tampered
cache entry is never published, cache files are read-only, Ctrl-C stops at once and leaves nothing
half-made, and no process outlives a killed build."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, run_cli, write

HEATMAP = ("---\ntitle: Heat\n---\nText.\n\n```animation\nkind: heatmap\ndata: data/wave.npz\nsize: [2, 1.5]\ndpi: 48\n"
           "formats: [gif, poster]\nvariants: [light]\nalt: x\n```\n")


def slow_post(name: str, pid_dir: Path) -> dict[str, str]:
    return {
        f"content/posts/2024-02-0{name}-slow.md": f"---\ntitle: Slow {name}\n---\nText.\n\n```animation\n"
                                                  f"script: slow{name}.py\ntimeout: 600\nformats: [poster]\n"
                                                  "variants: [light]\nalt: x\n```\n",
        f"content/posts/slow{name}.py": f"import os, time\nopen({str(pid_dir / name)!r}, 'w').write(str(os.getpid()))\n"
                                        "time.sleep(600)\n",
    }


@pytest.fixture
def heat_site(tmp_path: Path) -> Path:
    root = tmp_path / "s"
    write(root, {"content/posts/2024-01-01-heat.md": HEATMAP})
    t = np.arange(5)[:, None, None]
    y, x = np.mgrid[0:12, 0:12]
    (root / "content/posts/data").mkdir()
    np.savez(root / "content/posts/data/wave.npz", frames=np.exp(-((x - 2 * t) ** 2 + (y - 6) ** 2) / 6.0))
    result = run_cli("build", "--preset", "preview", cwd=root)
    assert result.code == 0, result.err
    return root


def _manifest(root: Path) -> Path:
    (manifest,) = (root / ".sitegen-cache" / "entries").glob("*/*/manifest.json")
    return manifest


def _site_gif(root: Path) -> bytes:
    (gif,) = (root / "site" / "animations").glob("*.gif")
    return gif.read_bytes()


def test_a_manifest_pointing_outside_its_entry_is_dropped_not_published(heat_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"GIF89a not really: a private key")
    manifest = _manifest(heat_site)
    data = json.loads(manifest.read_text())
    rel = os.path.relpath(secret, manifest.parent)
    data["files"]["gif"] = rel
    data["checksums"][rel] = [secret.stat().st_size, hashlib.sha256(secret.read_bytes()).hexdigest()]
    manifest.write_text(json.dumps(data))
    result = run_cli("build", "--preset", "preview", cwd=heat_site)
    assert result.code == 0, result.err
    assert "damaged" in result.err and "rendered again" in result.err
    assert b"private key" not in _site_gif(heat_site)
    assert "1 rendered" in result.err


def test_an_entry_file_swapped_for_a_link_or_edited_is_rendered_again(heat_site, tmp_path):
    before = _site_gif(heat_site)
    secret = tmp_path / "secret.txt"
    secret.write_bytes(before)  # the same bytes, so only the link itself is wrong
    gif = _manifest(heat_site).parent / "animation.gif"
    gif.unlink()
    gif.symlink_to(secret)
    result = run_cli("build", "--preset", "preview", cwd=heat_site)
    assert result.code == 0 and "not a regular file" in result.err, result.err

    poster = _manifest(heat_site).parent / "poster.png"
    os.chmod(poster, 0o644)
    poster.write_bytes(b"edited in place")
    result = run_cli("build", "--preset", "preview", cwd=heat_site)
    assert result.code == 0 and "does not match its checksum" in result.err, result.err
    assert _site_gif(heat_site) == before


def test_cache_files_and_the_site_files_linked_to_them_are_read_only(heat_site):
    files = [*(_manifest(heat_site).parent).glob("*.gif"), *(_manifest(heat_site).parent).glob("*.png"),
             *(heat_site / "site" / "animations").iterdir()]
    assert len(files) == 4
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0, path


def test_temporary_folders_of_a_dead_build_are_removed_by_the_next(heat_site):
    orphan = heat_site / ".sitegen-cache" / "tmp" / "999999999-0123abcd"
    orphan.mkdir(parents=True)
    (orphan / "animation.webm").write_bytes(b"half")
    (heat_site / "content/posts/2024-01-01-heat.md").write_text(HEATMAP.replace("dpi: 48", "dpi: 40"))
    result = run_cli("build", "--preset", "preview", cwd=heat_site)
    assert result.code == 0, result.err
    assert not orphan.exists()


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--preset", "preview", *args], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for(paths: list[Path], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not all(p.exists() and p.read_text() for p in paths):
        assert time.monotonic() < deadline, "the scripts never started"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except OSError:
        return False


def _gone(pids: list[int], seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _building_slow_posts(root: Path, pids: Path, names: str) -> tuple[subprocess.Popen[str], list[int]]:
    """A build with -j 2 of slow script posts, once the first two scripts run; their process IDs."""
    pids.mkdir()
    for name in names:
        write(root, slow_post(name, pids))
    build = _start(root, "-j", "2")
    _wait_for([pids / "1", pids / "2"])
    return build, [int((pids / n).read_text()) for n in "12"]


def test_ctrl_c_stops_at_once_and_leaves_nothing_behind(heat_site, tmp_path):
    index = (heat_site / "site" / "index.html").read_bytes()
    build, scripts = _building_slow_posts(heat_site, tmp_path / "pids", "123")
    started = time.monotonic()
    os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole foreground group
    out, err = build.communicate(timeout=30)
    assert time.monotonic() - started < 4, "Ctrl-C took too long"
    assert build.returncode == 130 and "interrupted" in err
    assert "Traceback" not in err, err
    assert _gone(scripts), "a script outlived Ctrl-C"
    assert not any((heat_site / ".sitegen-cache" / "tmp").iterdir())
    assert (heat_site / "site" / "index.html").read_bytes() == index


def test_kill_9_of_the_build_takes_its_workers_and_scripts_with_it(heat_site, tmp_path):
    build, scripts = _building_slow_posts(heat_site, tmp_path / "pids", "12")
    workers = _children(build.pid)
    assert workers
    build.kill()
    build.communicate(timeout=30)
    assert _gone(workers), "pool workers outlived a kill -9 of the build"
    assert _gone(scripts), "scripts outlived a kill -9 of the build"


def test_cache_prune_removes_temporary_folders_older_than_an_hour(heat_site):
    tmp = heat_site / ".sitegen-cache" / "tmp"
    old, recent = tmp / "0123456789abcdef", tmp / f"{os.getpid()}-fedcba9876543210"  # no owner / a live owner
    for folder in (old, recent):
        folder.mkdir(parents=True)
        (folder / "animation.gif").write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    result = run_cli("cache", "prune", cwd=heat_site)
    assert result.code == 0, result.err
    assert not old.exists() and recent.exists()
    assert len(list((heat_site / ".sitegen-cache" / "entries").glob("*/*"))) == 1  # the current entry stays
