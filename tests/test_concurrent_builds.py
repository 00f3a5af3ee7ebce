"""Several `sitegen build`s of one site at once: each waits its turn for site/, none loses it."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO, post, read, run_cli

ASSETS = 3000  # enough files that staging and swapping take long enough for builds to overlap
BUILDS = 3


def _cli(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", "-q"], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})


def _project(title: str) -> str:
    return post(title, "The project's text.", date="2024-01-05")


def _busy_site(site) -> Path:  # type: ignore[no-untyped-def]
    root = site({"content/posts/project.md": _project("Round 0"), "content/pages/about.md": post("About")})
    many = root / "content/assets/many"
    many.mkdir(parents=True)
    for number in range(ASSETS):
        (many / f"file-{number}.txt").write_text(f"{number}\n")
    assert run_cli("build", "-q", cwd=root).code == 0
    return root


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".sitegen-") and p.name != ".sitegen-cache")


def test_concurrent_builds_each_succeed_and_the_site_is_always_one_of_theirs(site):
    root = _busy_site(site)
    for round_number in range(1, 5):
        titles = [f"Round {round_number} build {n}" for n in range(BUILDS)]
        builds = []
        for title in titles:  # each build may read the post as edited for it or for a later one
            (root / "content/posts/project.md").write_text(_project(title))
            builds.append(_cli(root))
            time.sleep(0.05)
        results = [(b.wait(timeout=300), *b.communicate()) for b in builds]
        for code, out, err in results:
            assert code == 0 and "Traceback" not in err, f"round {round_number}: {err}"
        assert (root / "site").is_dir(), f"no site/ after round {round_number}"
        shown = [t for t in titles if t in read(root, "posts/project/index.html")]
        assert len(shown) == 1, shown
        assert shown[0] in read(root, "index.html") and shown[0] in read(root, "feed.xml")  # one build's, whole
        assert len(list((root / "site/assets/many").iterdir())) == ASSETS
        assert _leftovers(root) == []


HOLD_LOCK = """
import fcntl, sys
with open(sys.argv[1], "a") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    print("locked", flush=True)
    sys.stdin.readline()  # held until the test says so
"""


def test_a_build_waits_for_the_build_that_holds_site_and_says_so(site):
    """The lock is held until the build says it waits (however long a busy machine takes to get there),
    then released: the build goes on and finishes."""
    root = site({"content/posts/project.md": _project("Waiting")})
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(root / ".sitegen-site.lock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None and holder.stdout.readline() == "locked\n"
    build = _cli(root)
    assert build.stderr is not None
    said = ""
    while "waiting for another build" not in said and (line := build.stderr.readline()):
        said += line  # the lines before it, if any, are kept for the message
    try:
        assert "waiting for another build of site/" in said, said
        time.sleep(0.5)
        assert build.poll() is None, "the build went on while site/ was locked"
    finally:
        holder.stdin.write("release\n")
        holder.stdin.close()
        holder.wait(timeout=60)
    out, err = build.communicate(timeout=300)
    assert build.returncode == 0, said + err
    assert (said + err).count("waiting for another build of site/") == 1, said + err
    assert "Waiting" in read(root, "posts/project/index.html")
    assert not (root / ".sitegen-site.lock").exists()  # no lock file is left in the site folder


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_build_removes_what_dead_builds_left_and_nothing_a_live_build_owns(site):
    root = site({"content/posts/project.md": _project("Leftovers")})
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead_staging = root / f".sitegen-staging-site-{_dead_pid()}-0a1b2c3d"
        live_staging = root / f".sitegen-staging-site-{live.pid}-0a1b2c3d"
        for folder in (dead_staging, live_staging):
            (folder / "posts").mkdir(parents=True)
            (folder / "posts/half-written.html").write_text("…")
        result = run_cli("build", "-q", cwd=root)
        assert result.code == 0, result.text
        assert not dead_staging.exists()
        assert (live_staging / "posts/half-written.html").is_file()
    finally:
        live.kill()
        live.wait()


def test_an_interrupted_swap_of_a_dead_build_is_finished(site):
    """The machine stopped between the two renames: site/ is gone, the previous site sits in the old folder."""
    root = site({"content/posts/project.md": _project("Swap")})
    assert run_cli("build", "-q", cwd=root).code == 0
    old = root / f".sitegen-old-site-{_dead_pid()}-0a1b2c3d"
    (root / "site").rename(old)
    result = run_cli("build", "-q", cwd=root)
    assert result.code == 0, result.text
    assert "Swap" in read(root, "posts/project/index.html") and not old.exists()
    assert " 0 files written" in result.err  # every file reused from the restored site
