"""`sitegen deploy`: commit site/ as the whole tree of the gh-pages branch with git plumbing and a
temporary index, so the author's working tree, index and current branch are never touched."""
from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.cache import RenderCache
from sitegen.cache_cmd import last_build
from sitegen.config import SiteConfig


class DeployError(Exception):
    """Why nothing was deployed (or pushed); says what would make it work."""


@dataclass(frozen=True, slots=True)
class DeployOptions:
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str | None = None
    force: bool = False
    push: bool = True


@dataclass(frozen=True, slots=True)
class Deployed:
    commit: str | None  # None when the site was already deployed as it is
    branch: str
    pushed: bool
    files: int


def deploy(config: SiteConfig, cache: RenderCache, options: DeployOptions) -> Deployed:
    repo = _git_root(config.root)
    site = config.output_path.resolve()
    _check_build(config, cache, site)
    ref = f"refs/heads/{options.branch}"
    local = _rev(repo, ref)
    remote = _remote_head(repo, options) if options.push else None
    if remote and local and remote != local and not _is_ancestor(repo, remote, local) and not options.force:
        raise DeployError(f"{options.remote}/{options.branch} has commits that the local {options.branch} does not; "
                          "someone else deployed. Pull them first, or use --force to replace them")
    parent = local or remote
    tree, files = _site_tree(repo, site, _cname(config))
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree and not (remote and remote != parent):
        return Deployed(None, options.branch, False, files)
    commit = _commit(repo, tree, parent, options.message or _message(repo))
    _git(repo, "update-ref", "-m", "sitegen deploy", ref, commit, local or "")
    if not options.push:
        return Deployed(commit, options.branch, False, files)
    push = ["push", options.remote, f"{ref}:{ref}"] + (["--force"] if options.force else [])
    result = subprocess.run(["git", *push], cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        if local:
            _git(repo, "update-ref", "-m", "sitegen deploy: push failed", ref, local, commit)
        else:
            _git(repo, "update-ref", "-d", ref, commit)
        raise DeployError(f"git push to {options.remote} failed; the local {options.branch} was left as it was:\n"
                          + (result.stderr.strip() or result.stdout.strip()))
    return Deployed(commit, options.branch, True, files)


def _check_build(config: SiteConfig, cache: RenderCache, site: Path) -> None:
    if not (site / "index.html").is_file():
        raise DeployError(f"there is no built site in {config.output_dir}/; run 'sitegen build' first")
    record = last_build(cache)
    if record is None or not record.get("ok"):
        raise DeployError("the last build failed (or was never recorded); fix it and run 'sitegen build' first")
    changed = _changed_since(config, record.get("inputs", []), record.get("finished", 0))
    if changed:
        raise DeployError(f"{changed} changed after the last build; run 'sitegen build' first")
    if record.get("output") and Path(record["output"]) != site:
        raise DeployError(f"the last build wrote {record['output']}, not {site}; run 'sitegen build' first")


def _changed_since(config: SiteConfig, inputs: list[str], finished: float) -> str | None:
    """A source (content, templates, config, or a file an animation read) newer than the build, if any."""
    candidates = [config.root / "sitegen.toml", *(config.root / rel for rel in inputs)]
    for folder in (config.content_path, config.templates_path):
        if folder.is_dir():
            candidates += [folder, *folder.rglob("*")]
    for path in candidates:
        try:
            if path.stat().st_mtime > finished:
                return str(path.relative_to(config.root)) if path.is_relative_to(config.root) else str(path)
        except OSError:
            if path.parent.exists() and not path.exists() and str(path.relative_to(config.root)) in inputs:
                return str(path.relative_to(config.root))
    return None


def _site_tree(repo: Path, site: Path, cname: str | None) -> tuple[str, int]:
    """The tree object of site/ (plus CNAME), built in a temporary index."""
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _git(repo, "--work-tree", str(site), "add", "--all", "--force", ".", env=env)
        if not (site / ".nojekyll").exists():
            _add_blob(repo, ".nojekyll", b"", env)
        if cname and not (site / "CNAME").exists():
            _add_blob(repo, "CNAME", (cname + "\n").encode(), env)
        tree = _git(repo, "write-tree", env=env)
        files = len(_git(repo, "ls-files", env=env).splitlines())
    return tree, files


def _add_blob(repo: Path, name: str, data: bytes, env: dict[str, str]) -> None:
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=repo, input=data, capture_output=True,
                          check=True).stdout.decode().strip()
    _git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{name}", env=env)


def _commit(repo: Path, tree: str, parent: str | None, message: str) -> str:
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    return _git(repo, *args)


def _message(repo: Path) -> str:
    head = _rev(repo, "HEAD")
    if head is None:
        return "Deploy site (the source repository has no commits yet)"
    dirty = bool(_git(repo, "status", "--porcelain", "--untracked-files=no"))
    return f"Deploy site from {head[:12]}" + (" with uncommitted changes" if dirty else "")


def _cname(config: SiteConfig) -> str | None:
    """A custom domain from `url` gets a CNAME file; *.github.io needs none."""
    host = urlsplit(config.url).hostname if config.url else None
    return host if host and not host.endswith(".github.io") else None


def _remote_head(repo: Path, options: DeployOptions) -> str | None:
    """The remote branch's commit, fetched so that ancestry can be checked; None when it has none."""
    listed = subprocess.run(["git", "ls-remote", options.remote, f"refs/heads/{options.branch}"], cwd=repo,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        raise DeployError(f"cannot reach the remote '{options.remote}': {listed.stderr.strip()}")
    if not listed.stdout.strip():
        return None
    head = listed.stdout.split()[0]
    if _rev(repo, head) is None:
        fetched = subprocess.run(["git", "fetch", "--quiet", options.remote, f"refs/heads/{options.branch}"], cwd=repo,
                                 capture_output=True, text=True)
        if fetched.returncode != 0:
            raise DeployError(f"cannot fetch {options.remote}/{options.branch}: {fetched.stderr.strip()}")
    return head


def _is_ancestor(repo: Path, older: str, newer: str) -> bool:
    return subprocess.run(["git", "merge-base", "--is-ancestor", older, newer], cwd=repo).returncode == 0


def _rev(repo: Path, name: str) -> str | None:
    result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd=repo,
                            capture_output=True, text=True)
    return result.stdout.strip() or None


def _git_root(folder: Path) -> Path:
    result = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True)
    if result.returncode != 0:
        raise DeployError(f"{folder.resolve()} is not in a git repository; 'git init' it and add a remote first")
    return Path(result.stdout.strip())


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise DeployError(f"git {' '.join(args[:2])} failed: {result.stderr.strip()}")
    return result.stdout.strip()
