"""init, new, deploy and serve through the real CLI."""
from __future__ import annotations

import os
import re
from html import unescape
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import REPO, post, run_cli, write
from test_animations import fence
from test_cache import counts, wave


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout.strip()


# ---- init and new -------------------------------------------------------------------------------

def test_init_then_build_makes_a_working_site(tmp_path):
    result = run_cli("init", "portfolio", "--title", "Lab", cwd=tmp_path)
    assert result.code == 0, result.text
    root = tmp_path / "portfolio"
    for rel in ["sitegen.toml", "content/pages/about.md", ".gitignore", ".github/workflows/pages.yml", "data/wave.npz"]:
        assert (root / rel).is_file(), rel
    assert "site/" in (root / ".gitignore").read_text() and ".sitegen-cache/" in (root / ".gitignore").read_text()
    built = run_cli("build", "--strict", cwd=root)
    assert built.code == 0, built.text
    assert "Animations: 2 rendered" in built.err
    html = next((root / "site/posts").rglob("index.html")).read_text()
    assert '<figure class="animation"' in html
    assert "card__video" in (root / "site/index.html").read_text()  # the teaser plays the animation


def test_init_refuses_to_overwrite_a_site(tmp_path):
    assert run_cli("init", cwd=tmp_path).code == 0
    (tmp_path / "sitegen.toml").write_text('title = "mine"\n')
    again = run_cli("init", cwd=tmp_path)
    assert again.code == 1 and "already holds a site" in again.err
    assert (tmp_path / "sitegen.toml").read_text() == 'title = "mine"\n'
    assert run_cli("init", "--force", cwd=tmp_path).code == 0


DISTRIBUTION = "sitegen-portfolio"  # the name on the package index; "sitegen" there is someone else's


def test_the_generated_workflow_is_valid_and_least_privileged(tmp_path):
    run_cli("init", cwd=tmp_path)
    text = (tmp_path / ".github/workflows/pages.yml").read_text()
    workflow = yaml.safe_load(text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request_target" not in triggers and "push" in triggers
    assert workflow.get("permissions") == {}  # nothing for the workflow as a whole; each job asks for its own
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/checkout@") for u in uses)
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".sitegen-cache"
    assert "hashFiles('content/**'" in cache["with"]["key"] and "env.SITEGEN" in cache["with"]["key"]
    assert cache["with"]["restore-keys"].strip() == "sitegen-${{ env.SITEGEN }}-"
    build = next(s for s in steps if s.get("name") == "Build")
    assert "steps.pages.outputs.base_path" in build["run"]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])


def test_the_generated_workflow_pins_every_action_and_installs_this_version(tmp_path):
    from importlib.metadata import version

    run_cli("init", cwd=tmp_path)
    text = (tmp_path / ".github/workflows/pages.yml").read_text()
    workflow = yaml.safe_load(text)
    lines = [line for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert len(lines) == len([s for s in steps if "uses" in s]) == 6
    for line in lines:  # a tag can be moved; a commit cannot
        assert re.fullmatch(r"\s*(- )?uses: actions/[a-z-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line
    installed = f"{DISTRIBUTION}=={version(DISTRIBUTION)}"
    assert workflow["env"]["SITEGEN"] == installed
    install = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("name") == "Install sitegen")
    assert install["run"] == 'python -m pip install "$SITEGEN"'
    assert re.search(r"#.*SITEGEN.*git\+https://", text)  # the documented override: install from git instead


def test_new_makes_a_dated_post_and_refuses_to_overwrite(tmp_path):
    result = run_cli("new", "Spiking network: dynamics!", cwd=tmp_path)
    assert result.code == 0
    path = tmp_path / result.out.strip()
    assert re.fullmatch(r"content/posts/\d{4}-\d{2}-\d{2}-spiking-network-dynamics\.md", result.out.strip())
    assert 'title: "Spiking network: dynamics!"' in path.read_text()
    again = run_cli("new", "Spiking network: dynamics!", cwd=tmp_path)
    assert again.code == 1 and "already exists" in again.err
    assert run_cli("build", "--drafts", cwd=tmp_path).code == 0


# ---- deploy ---------------------------------------------------------------------------------------

def make_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    """A source repository of `files` with a bare 'origin', and a successful build."""
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    root = tmp_path / "src"
    root.mkdir()
    git("init", "-q", "-b", "main", cwd=root)
    git("config", "user.email", "a@example.org", cwd=root)
    git("config", "user.name", "A", cwd=root)
    write(root, {".gitignore": "site/\n.sitegen-cache/\n", **files})
    git("add", "-A", cwd=root)
    git("commit", "-qm", "source", cwd=root)
    git("remote", "add", "origin", str(remote), cwd=root)
    built = run_cli("build", cwd=root)
    assert built.code == 0, built.text
    return root


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path, {"content/posts/2024-01-01-a.md": post("A"), "content/pages/about.md": post("About"),
                                "sitegen.toml": 'title = "T"\nurl = "https://lab.example.org"\n'})


def tree_of(root: Path, ref: str) -> set[str]:
    return set(git("ls-tree", "-r", "--name-only", ref, cwd=root).splitlines())


def site_files(root: Path) -> set[str]:
    return {p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*") if p.is_file()}


def test_deploy_commits_the_site_as_the_branch_tree_and_leaves_the_work_tree_alone(repo):
    status = git("status", "--porcelain", "--ignored", cwd=repo)
    head = git("rev-parse", "HEAD", cwd=repo)
    branch = git("symbolic-ref", "HEAD", cwd=repo)
    result = run_cli("deploy", cwd=repo)
    assert result.code == 0, result.text
    remote = repo.parent / "remote.git"
    assert tree_of(remote, "gh-pages") == site_files(repo) | {"CNAME"}
    assert ".nojekyll" in tree_of(remote, "gh-pages")
    assert git("show", "gh-pages:CNAME", cwd=remote) == "lab.example.org"
    assert git("log", "-1", "--format=%s", "gh-pages", cwd=remote) == f"Deploy site from {head[:12]}"
    assert git("status", "--porcelain", "--ignored", cwd=repo) == status
    assert git("rev-parse", "HEAD", cwd=repo) == head and git("symbolic-ref", "HEAD", cwd=repo) == branch
    # a second deploy of a changed site has the first as its parent
    (repo / "content/posts/2024-01-02-b.md").write_text(post("B"))
    assert run_cli("build", cwd=repo).code == 0
    first = git("rev-parse", "gh-pages", cwd=remote)
    assert run_cli("deploy", "-m", "second", cwd=repo).code == 0
    assert git("rev-parse", "gh-pages^", cwd=remote) == first
    assert "posts/b/index.html" in tree_of(remote, "gh-pages")


def test_deploy_refuses_a_remote_that_moved_on_unless_forced(repo, tmp_path):
    assert run_cli("deploy", cwd=repo).code == 0
    other = tmp_path / "other"
    git("clone", "-q", "-b", "gh-pages", str(repo.parent / "remote.git"), str(other), cwd=tmp_path)
    git("config", "user.email", "b@example.org", cwd=other)
    git("config", "user.name", "B", cwd=other)
    (other / "extra.html").write_text("someone else")
    git("add", "extra.html", cwd=other)
    git("commit", "-qm", "someone else's deploy", cwd=other)
    git("push", "-q", "origin", "gh-pages", cwd=other)
    (repo / "content/posts/2024-01-02-b.md").write_text(post("B"))
    assert run_cli("build", cwd=repo).code == 0
    local = git("rev-parse", "gh-pages", cwd=repo)
    refused = run_cli("deploy", cwd=repo)
    assert refused.code == 1 and "someone else deployed" in refused.err
    assert git("rev-parse", "gh-pages", cwd=repo) == local
    forced = run_cli("deploy", "--force", cwd=repo)
    assert forced.code == 0, forced.text
    assert "extra.html" not in tree_of(repo.parent / "remote.git", "gh-pages")


def test_deploy_refuses_a_failed_or_stale_build(repo):
    (repo / "content/posts/2024-01-03-bad.md").write_text("---\ntitle: [broken\n---\n")
    assert run_cli("build", cwd=repo).code == 1
    refused = run_cli("deploy", cwd=repo)
    assert refused.code == 1 and "the last build failed" in refused.err
    (repo / "content/posts/2024-01-03-bad.md").unlink()
    assert run_cli("build", cwd=repo).code == 0
    time.sleep(0.05)
    (repo / "content/posts/2024-01-01-a.md").write_text(post("A edited"))
    stale = run_cli("deploy", cwd=repo)
    assert stale.code == 1 and "changed after the last build" in stale.err
    assert "gh-pages" not in git("branch", "--list", cwd=repo)


def test_a_failed_push_leaves_local_refs_as_they_were(repo):
    git("remote", "set-url", "origin", str(repo.parent / "missing.git"), cwd=repo)
    result = run_cli("deploy", cwd=repo)
    assert result.code == 1
    assert git("branch", "--list", "gh-pages", cwd=repo) == ""
    assert run_cli("deploy", "--no-push", cwd=repo).code == 0
    local = git("rev-parse", "gh-pages", cwd=repo)
    (repo / "content/posts/2024-01-02-b.md").write_text(post("B"))
    assert run_cli("build", cwd=repo).code == 0
    failed = run_cli("deploy", cwd=repo)
    assert failed.code == 1
    assert git("rev-parse", "gh-pages", cwd=repo) == local


# ---- serve ----------------------------------------------------------------------------------------

class Server:
    def __init__(self, root: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--port", "0", *args], cwd=root,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = ""
        deadline = time.time() + 60
        while time.time() < deadline and "Serving on" not in line:
            line = self.proc.stdout.readline()
        match = re.search(r"(http://[\d.]+:\d+)(/\S*)", line)
        assert match, line + self.proc.stderr.read() if self.proc.poll() is not None else line
        self.origin, self.base = match.group(1), match.group(2).rstrip(".")
        self.line = line

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.origin + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=10)


def wait_for(check, seconds: float = 15.0) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_serve_answers_on_loopback_under_the_base_path_and_refuses_traversal(site):
    root = site({"content/posts/2024-01-01-a.md": post("A", "First text."), "sitegen.toml": 'base_url = "/sub/"\n'})
    (root.parent / "secret.txt").write_text("secret")
    server = Server(root)
    try:
        assert server.origin.startswith("http://127.0.0.1:") and server.base == "/sub/"
        status, html = server.get("/sub/posts/a/")
        assert status == 200 and "First text." in html and "/__sitegen/reload.js" in html
        assert server.get("/sub/static/css/main.css")[0] == 200
        status, html = server.get("/sub")  # redirected to the base path
        assert status == 200 and "First text." in html
        for path in ["/sub/../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "/sub/..%2f..%2fsecret.txt",
                     "/sub//etc/passwd", "/etc/passwd", "/posts/a/", "/sub/posts/a/%00"]:
            status, body = server.get(path)
            assert status == 404 and "secret" not in body, path
    finally:
        assert server.stop() == 0


def test_serve_rebuilds_on_edit_signals_reload_and_shows_build_errors(site):
    root = site({"content/posts/2024-01-01-a.md": post("A", "First text.")})
    server = Server(root)
    try:
        events = urllib.request.urlopen(server.origin + "/__sitegen/events", timeout=20)
        assert events.readline().startswith(b": connected")
        (root / "content/posts/2024-01-01-a.md").write_text(post("A", "Second text."))
        line = b""
        deadline = time.time() + 20
        while time.time() < deadline and not line.startswith(b"event: reload"):
            line = events.readline()
        assert line.startswith(b"event: reload")
        assert "Second text." in server.get("/posts/a/")[1]
        (root / "content/posts/2024-01-01-a.md").write_text("---\ntitle: [broken\n---\n")
        assert wait_for(lambda: "The last build failed" in server.get("/posts/a/")[1])
        page = server.get("/posts/a/")[1]
        assert "content/posts/2024-01-01-a.md:2: error" in page and "Second text." in page
        (root / "content/posts/2024-01-01-a.md").write_text(post("A", "Third text."))
        # the new site is in place a moment before the server hears that its build succeeded
        assert wait_for(lambda: "Third text." in (page := server.get("/posts/a/")[1])
                        and "The last build failed" not in page)
    finally:
        assert server.stop() == 0


def test_serve_renders_with_the_preview_preset_and_build_with_the_publish_one(site):
    body = fence("kind: heatmap\ndata: data/a.npy\nsize: [2, 1.5]\ndpi: 40\nfps: 10\nalt: x")
    root = site({"content/posts/2024-01-01-a.md": "---\ntitle: A\n---\n" + body})
    wave(root / "data/a.npy")
    assert counts(run_cli("build", cwd=root)) == (2, 0)  # post A, light and dark, for publishing
    (root / "content/posts/2024-01-02-b.md").write_text("---\ntitle: B\n---\n" + body.replace("a.npy", "b.npy"))
    wave(root / "data/b.npy", 1.0)
    server = Server(root)
    try:
        assert "preview preset" in server.line
        status, html = server.get("/posts/a/")
        assert status == 200 and 'codecs="av01.' in unescape(html)  # A's published files, taken from the cache
        status, html = server.get("/posts/b/")
        assert status == 200 and 'codecs="vp9"' in unescape(html) and "av01" not in html  # B rendered for the preview
    finally:
        assert server.stop() == 0
    assert counts(run_cli("build", "--preset", "preview", cwd=root)) == (0, 4)  # what serve rendered or reused
    assert counts(run_cli("build", cwd=root)) == (2, 2)  # B's files to publish: the publish preset
