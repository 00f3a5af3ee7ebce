"""Script animations: the author's own matplotlib script runs in a child process of its own (Agg
backend, its own matplotlib config folder, a time limit), and whatever Animation it makes is encoded.
A script that raises, hangs, crashes or makes no animation becomes a message; the build goes on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sitegen.plan import RenderJob
from sitegen.render import OUTPUT_NAMES, RenderProblem

_TAIL = 2000


def render_script(job: RenderJob, staging: Path) -> dict[str, Any]:
    """Run the child (python -m sitegen.script_child) and read what it reports."""
    script = Path(job.script or "")
    with tempfile.TemporaryDirectory(prefix="sitegen-script-") as scratch:
        request = Path(scratch) / "job.json"
        report = Path(scratch) / "result.json"
        request.write_text(json.dumps({"job": asdict(job), "staging": str(staging), "report": str(report),
                                       "outputs": OUTPUT_NAMES}, default=str))
        env = {**os.environ, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(Path(scratch) / "mplconfig"),
               "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": _pythonpath(script)}
        try:
            proc = subprocess.run([sys.executable, "-m", "sitegen.script_child", str(request)], cwd=script.parent,
                                  env=env, capture_output=True, text=True, timeout=job.timeout)
        except subprocess.TimeoutExpired:
            raise RenderProblem(f"the script {script.name} ran longer than {job.timeout:g} s and was stopped",
                                "make it faster, render fewer frames, or raise 'timeout:' in the animation block") from None
        if report.is_file():
            result = json.loads(report.read_text())
            if result.get("problem"):
                raise RenderProblem(result["problem"], result.get("hint", ""))
            return result["meta"]
        tail = (proc.stderr or proc.stdout or "")[-_TAIL:].strip()
        raise RenderProblem(f"the script {script.name} stopped without making an animation "
                            f"(exit status {proc.returncode})" + (f":\n{tail}" if tail else ""))


def _pythonpath(script: Path) -> str:
    """sitegen itself must be importable by the child; the script's folder comes first for its own modules."""
    here = str(Path(__file__).resolve().parent.parent)
    parts = [str(script.parent), here, os.environ.get("PYTHONPATH", "")]
    return os.pathsep.join(p for p in parts if p)
