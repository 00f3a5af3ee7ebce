"""Shared helpers: real site folders in tmp_path, and the real CLI run in a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> Result:
    """`sitegen ARGS` as a user runs it, from `cwd`."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=timeout)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def post(title: str | None = None, body: str = "Some text.", **front: object) -> str:
    """A post file: front matter from keyword arguments (YAML flow values), then the body."""
    lines = ["---"]
    if title is not None:
        lines.append(f"title: {title!r}" if not title.startswith('"') else f"title: {title}")
    lines += [f"{key}: {value}" for key, value in front.items()]
    lines += ["---", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


@pytest.fixture
def site(tmp_path: Path):
    """A factory: site({'content/posts/x.md': ...}) -> the site folder."""
    def make(files: dict[str, str], config: str | None = None) -> Path:
        root = tmp_path / "mysite"
        root.mkdir(exist_ok=True)
        write(root, files)
        if config is not None:
            (root / "sitegen.toml").write_text(textwrap.dedent(config), encoding="utf-8")
        return root
    return make


def read(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


EXAMPLE_PARTS = ("content", "data", "scripts", "sitegen.toml")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The repository's example portfolio, copied and built once with --base-url /sub/ --strict. Under
    pytest-xdist the workers share one build: the first to ask builds it under a lock, the others wait
    for it (the tests only read it)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root, outcome = shared / "example-site", shared / "example-site.outcome"
    with open(shared / "example-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not outcome.exists():
            outcome.write_text(_build_example(root), encoding="utf-8")
    failure = outcome.read_text(encoding="utf-8")
    assert not failure, failure
    return root


def _build_example(root: Path) -> str:
    """Copy and build the example at `root`; '' when it built, else what the build printed."""
    import shutil

    for part in EXAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, root / part)
    # The preview preset: what the pages and the player do is the same under both, and publish's AV1
    # takes minutes more (test_published_media.py builds with it).
    result = run_cli("build", "--base-url", "/sub/", "--strict", "--preset", "preview", cwd=root, timeout=900)
    return "" if result.code == 0 else f"the example site did not build (exit {result.code}):\n{result.text}"
