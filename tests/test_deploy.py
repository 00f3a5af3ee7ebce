"""`sitegen deploy` publishes exactly what the last `sitegen build` wrote, with real git and a bare remote."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import post, run_cli, write
from test_animations import fence
from test_publish import Server, git, tree_of
from test_publish import make_repo as make_source_repo


def make_repo(tmp_path: Path, config: str) -> Path:
    """A source repository with a bare 'origin', one post, `config`, and a successful build."""
    return make_source_repo(tmp_path, {"content/posts/2024-01-01-a.md": post("A"), "sitegen.toml": config})


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path, 'title = "T"\n')


def remote_of(root: Path) -> Path:
    return root.parent / "remote.git"


def commit_on_remote_branch(root: Path, name: str, text: str) -> None:
    """What GitHub does when you set a custom domain in the repository's settings: a commit on gh-pages."""
    other = root.parent / "other"
    git("clone", "-q", "-b", "gh-pages", str(remote_of(root)), str(other), cwd=root.parent)
    git("config", "user.email", "b@example.org", cwd=other)
    git("config", "user.name", "B", cwd=other)
    (other / name).write_text(text)
    git("add", name, cwd=other)
    git("commit", "-qm", f"Create {name}", cwd=other)
    git("push", "-q", "origin", "gh-pages", cwd=other)


def edit_and_build(root: Path, title: str) -> None:
    time.sleep(0.01)
    (root / "content/posts/2024-01-02-b.md").write_text(post(title))
    assert run_cli("build", cwd=root).code == 0


# ---- CNAME ----------------------------------------------------------------------------------------

def test_a_cname_set_on_the_branch_is_kept(repo):
    assert run_cli("deploy", cwd=repo).code == 0
    commit_on_remote_branch(repo, "CNAME", "blog.example.org\n")
    git("fetch", "-q", "origin", "gh-pages:gh-pages", cwd=repo)  # "pull them first"
    edit_and_build(repo, "B")
    result = run_cli("deploy", cwd=repo)
    assert result.code == 0, result.text
    assert git("show", "gh-pages:CNAME", cwd=remote_of(repo)) == "blog.example.org"
    assert "posts/b/index.html" in tree_of(remote_of(repo), "gh-pages")
    assert "CNAME" in result.out  # said, not done silently


def test_a_forced_deploy_keeps_the_cname_of_the_branch_it_replaces(repo):
    assert run_cli("deploy", cwd=repo).code == 0
    commit_on_remote_branch(repo, "CNAME", "blog.example.org\n")
    edit_and_build(repo, "B")
    assert run_cli("deploy", cwd=repo).code == 1  # someone else deployed
    assert run_cli("deploy", "--force", cwd=repo).code == 0
    assert git("show", "gh-pages:CNAME", cwd=remote_of(repo)) == "blog.example.org"


def test_the_config_naming_another_domain_replaces_the_branch_cname(tmp_path):
    root = make_repo(tmp_path, 'title = "T"\nurl = "https://lab.example.org"\n')
    assert run_cli("deploy", cwd=root).code == 0
    assert git("show", "gh-pages:CNAME", cwd=remote_of(root)) == "lab.example.org"
    commit_on_remote_branch(root, "CNAME", "blog.example.org\n")
    git("fetch", "-q", "origin", "gh-pages:gh-pages", cwd=root)
    edit_and_build(root, "B")
    assert run_cli("deploy", cwd=root).code == 0
    assert git("show", "gh-pages:CNAME", cwd=remote_of(root)) == "lab.example.org"


# ---- exactly the files the build wrote ------------------------------------------------------------------

def test_files_dropped_into_site_after_the_build_are_not_published(repo):
    (repo / "site/stray.html").write_text("not from the build")
    (repo / "site/posts/secret").mkdir(parents=True)
    (repo / "site/posts/secret/index.html").write_text("draft notes")
    result = run_cli("deploy", cwd=repo)
    assert result.code == 0, result.text
    published = tree_of(remote_of(repo), "gh-pages")
    assert "stray.html" not in published and "posts/secret/index.html" not in published
    assert "posts/a/index.html" in published and "index.html" in published
    assert "stray.html" in result.out and "posts/secret/index.html" in result.out  # it says what it left out


def test_a_file_changed_in_site_after_the_build_is_refused(repo):
    time.sleep(0.01)
    page = repo / "site/posts/a/index.html"
    page.write_text(page.read_text().replace("Some text.", "Edited by hand."))
    refused = run_cli("deploy", cwd=repo)
    assert refused.code == 1 and "site/posts/a/index.html" in refused.err and "run 'sitegen build'" in refused.err
    page.write_text(page.read_text().replace("Edited by hand.", "Some text."))  # same size, but written later
    refused = run_cli("deploy", cwd=repo)
    assert refused.code == 1 and "site/posts/a/index.html changed" in refused.err
    (repo / "site/feed.xml").unlink()
    refused = run_cli("deploy", cwd=repo)
    assert refused.code == 1 and "site/feed.xml was removed" in refused.err
    assert "gh-pages" not in git("branch", "--list", cwd=repo)


# ---- drafts -------------------------------------------------------------------------------------------

def test_a_build_with_drafts_is_deployed_only_with_drafts(repo):
    (repo / "content/posts/2024-01-03-wip.md").write_text(post("Work in progress", draft="true"))
    assert run_cli("build", "--drafts", cwd=repo).code == 0
    refused = run_cli("deploy", cwd=repo)
    assert refused.code == 1 and "--drafts" in refused.err and "Traceback" not in refused.err
    assert "gh-pages" not in git("branch", "--list", cwd=repo)
    result = run_cli("deploy", "--drafts", cwd=repo)
    assert result.code == 0, result.text
    assert "posts/wip/index.html" in tree_of(remote_of(repo), "gh-pages")
    assert run_cli("build", cwd=repo).code == 0  # without drafts: deployable as ever
    assert run_cli("deploy", cwd=repo).code == 0
    assert "posts/wip/index.html" not in tree_of(remote_of(repo), "gh-pages")


# ---- serve keeps its own record -------------------------------------------------------------------------

def test_a_fresh_build_deploys_while_serve_runs(repo):
    edit_and_build(repo, "B")
    server = Server(repo)  # its first build (into a folder of its own) comes after ours
    try:
        assert server.get("/posts/b/")[0] == 200
        result = run_cli("deploy", cwd=repo)
        assert result.code == 0, result.text
    finally:
        assert server.stop() == 0
    assert "posts/b/index.html" in tree_of(remote_of(repo), "gh-pages")


def test_a_failed_serve_build_does_not_block_the_deploy_of_a_good_build(repo):
    broken = fence("kind: heatmap\ndata: data/missing.npy\nalt: x")
    (repo / "content/posts/2024-01-03-wip.md").write_text("---\ntitle: WIP\ndraft: true\n---\n" + broken)
    assert run_cli("build", cwd=repo).code == 0  # drafts are not built, so the broken one does not count
    server = Server(repo, "--drafts")  # serve builds the drafts too, and fails
    try:
        assert "The last build failed" in server.get("/")[1]
        result = run_cli("deploy", cwd=repo)
        assert result.code == 0, result.text
    finally:
        assert server.stop() == 0
