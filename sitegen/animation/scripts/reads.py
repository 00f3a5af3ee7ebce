"""Which files inside the site folder a script read while it ran: the files it opened (an audit hook
sees open(), numpy, pandas and PIL alike) and the modules it imported, in any import form. They become
inputs of its cache key at the next build, as a compiler's dependency file does."""
from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

from sitegen.animation.scripts.capture import Capture


def files_read(capture: Capture, root: Path, job: dict[str, Any]) -> list[str]:
    """Site-relative paths (sorted) of the files the script read, leaving out what it wrote, the
    interpreter's own files, sitegen, hidden folders (.venv, .git, the cache) and sitegen's output."""
    root = root.resolve()
    # A place that holds the whole site folder (Python installed above it) would hide every read.
    private = [p for p in [(root / p).resolve() for p in job.get("private_dirs", ())] + _installation()
               if not root.is_relative_to(p)]
    modules = {os.path.abspath(m.__file__) for m in list(sys.modules.values())
               if isinstance(getattr(m, "__file__", None), str)}
    found = set()
    for name in (capture.opened | modules) - capture.written:
        path = Path(name)
        try:
            resolved = path.resolve()
        except OSError:
            continue
        if not resolved.is_relative_to(root) or any(resolved.is_relative_to(p) for p in private):
            continue
        rel = resolved.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts) or not resolved.is_file():
            continue
        found.add(rel.as_posix())
    return sorted(found)


def _installation() -> list[Path]:
    """Where Python, its packages and sitegen live (a virtual environment may sit in the site folder)."""
    places = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(__file__).resolve().parents[2])}  # the sitegen package
    places |= {v for k, v in sysconfig.get_paths().items() if k in ("stdlib", "platstdlib", "purelib", "platlib")}
    resolved = [Path(p).resolve() for p in places if p]
    return resolved
