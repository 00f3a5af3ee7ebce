"""`sitegen deploy`: commit site/ as the whole tree of the gh-pages branch with git plumbing and a
temporary index, so the author's working tree, index and current branch are never touched."""
from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.cache import RenderCache
from sitegen.cache_cmd import BuildRecord, build_record, files_in, last_build
from sitegen.config import SiteConfig
from sitegen.errors import CommandFailed


class DeployError(CommandFailed):
    """Why nothing was deployed (or pushed); says what would make it work."""


@dataclass(frozen=True, slots=True)
class DeployOptions:
    remote: str = "origin"
    branch: str = "gh-pages"
    message: str | None = None
    force: bool = False
    push: bool = True
    drafts: bool = False  # publish a build made with --drafts


@dataclass(frozen=True, slots=True)
class Deployed:
    commit: str | None  # None when the site was already deployed as it is
    branch: str
    pushed: bool
    files: int
    left_out: tuple[str, ...] = ()  # files in site/ that the last build did not write: never published
    notes: tuple[str, ...] = ()  # what deploy decided for you (which CNAME)


def deploy(config: SiteConfig, cache: RenderCache, options: DeployOptions) -> Deployed:
    """Commit exactly the files the last build wrote into site/ as the branch's tree, and push it."""
    repo = _git_root(config.root)
    site = config.output_path.resolve()
    now = files_in(site) if site.is_dir() else {}
    record = _check_build(config, cache, site, now, options)
    left_out = tuple(sorted(set(now) - set(record.files)))
    ref = f"refs/heads/{options.branch}"
    local = _rev(repo, ref)
    remote = _remote_head(repo, options) if options.push else None
    if remote and local and remote != local and not _is_ancestor(repo, remote, local) and not options.force:
        raise DeployError(f"{options.remote}/{options.branch} has commits that the local {options.branch} does not; "
                          "someone else deployed. Pull them first, or use --force to replace them")
    parent = local or remote
    extra, notes = _extra_files(repo, config, record, remote or local, options.branch)
    tree, files = _site_tree(repo, site, sorted(record.files), extra)
    done = Deployed(None, options.branch, False, files, left_out, notes)
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree and not (remote and remote != parent):
        return done
    commit = _commit(repo, tree, parent, options.message or _message(repo))
    _git(repo, "update-ref", "-m", "sitegen deploy", ref, commit, local or "")
    done = replace(done, commit=commit)
    if not options.push:
        return done
    push = ["push", options.remote, f"{ref}:{ref}"] + (["--force"] if options.force else [])
    result = subprocess.run(["git", *push], cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        if local:
            _git(repo, "update-ref", "-m", "sitegen deploy: push failed", ref, local, commit)
        else:
            _git(repo, "update-ref", "-d", ref, commit)
        raise DeployError(f"git push to {options.remote} failed; the local {options.branch} was left as it was:\n"
                          + (result.stderr.strip() or result.stdout.strip()))
    return replace(done, pushed=True)


def _check_build(config: SiteConfig, cache: RenderCache, site: Path, now: dict[str, tuple[int, int]],
                 options: DeployOptions) -> BuildRecord:
    """The record of the last build into site/ (whose files are `now`), once it is known to be what should
    be published: a good build, without drafts unless asked, of today's sources, and site/ as it left it."""
    if not (site / "index.html").is_file():
        raise DeployError(f"there is no built site in {config.output_dir}/; run 'sitegen build' first")
    record = build_record(cache, site)
    if record is None or not record.ok or _failed_since(cache, record):
        raise DeployError("the last build failed (or was never recorded); fix it and run 'sitegen build' first")
    if record.drafts and not options.drafts:
        raise DeployError("the last build included drafts (sitegen build --drafts); run 'sitegen build' without "
                          "--drafts, or deploy with --drafts to publish them")
    changed = _changed_since(config, list(record.inputs), record.finished)
    if changed:
        raise DeployError(f"{changed} changed after the last build; run 'sitegen build' first")
    altered = next((rel for rel, seen in sorted(record.files.items()) if now.get(rel) != seen), None)
    if altered is not None:
        what = "was removed" if altered not in now else "changed"
        raise DeployError(f"{config.output_dir}/{altered} {what} after the last build; run 'sitegen build' first")
    return record


def _failed_since(cache: RenderCache, record: BuildRecord) -> bool:
    """A later build that failed without saying which folder it was for counts against every folder."""
    latest = last_build(cache) or {}
    return latest.get("ok") is False and latest.get("output") is None and latest.get("finished", 0) > record.finished


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


def _site_tree(repo: Path, site: Path, files: list[str], extra: dict[str, str]) -> tuple[str, int]:
    """The tree object of these files of site/ (plus `extra`: name -> blob), built in a temporary index."""
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index"), "GIT_LITERAL_PATHSPECS": "1"}
        _git(repo, "--work-tree", str(site), "add", "--force", "--pathspec-from-file=-", "--pathspec-file-nul",
             env=env, stdin="\0".join(files))
        for name, blob in extra.items():
            _git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{name}", env=env)
        tree = _git(repo, "write-tree", env=env)
        count = len(_git(repo, "ls-files", env=env).splitlines())
    return tree, count


def _extra_files(repo: Path, config: SiteConfig, record: BuildRecord, tip: str | None,
                 branch: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """.nojekyll, and the CNAME: the site's own; else the custom domain `url` names; else the one the branch
    has (GitHub commits one there when you set a domain in the repository's settings)."""
    extra = {} if ".nojekyll" in record.files else {".nojekyll": _blob(repo, "")}
    if "CNAME" in record.files:
        return extra, ()
    named = _cname(config)
    kept = _git(repo, "rev-parse", "--verify", "--quiet", f"{tip}:CNAME", check=False) if tip else ""
    kept_name = _git(repo, "cat-file", "blob", kept).strip() if kept else ""
    if named:
        extra["CNAME"] = _blob(repo, named + "\n")
        replaced = kept_name and kept_name != named
        return extra, ((f"CNAME: {named}, as url in sitegen.toml says (the branch had {kept_name})",) if replaced else ())
    if kept:
        extra["CNAME"] = kept
        return extra, (f"CNAME: kept {kept_name} from {branch} (url in sitegen.toml names no custom domain)",)
    return extra, ()


def _blob(repo: Path, text: str) -> str:
    return _git(repo, "hash-object", "-w", "--stdin", stdin=text)


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


def _git(repo: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
         check: bool = True) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, input=stdin)
    if result.returncode != 0 and check:
        raise DeployError(f"git {' '.join(args[:2])} failed: {result.stderr.strip()}")
    return result.stdout.strip()
