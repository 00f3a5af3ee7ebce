"""Script animations: the author's own matplotlib script runs in a child process of its own (Agg
backend, its own matplotlib config folder, a time limit, a memory limit, its own process group), and
the frames it draws are handed back to the worker, which encodes them (see child). A script that raises, hangs, crashes, uses too
much memory or makes no animation becomes a message with the end of what it printed; the build goes on.
However the child ends, its whole process group is ended with it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import numpy as np

from sitegen.animation.jobs import RenderJob
from sitegen.animation.executors.processes import die_with_parent
from sitegen.errors import RenderProblem
from sitegen.sizes import format_bytes

_TAIL_LINES = 15
_TAIL_BYTES = 8000
_GRACE_SECONDS = 10  # the child's start-up, on top of the script's own time limit
_RUNNING: set[int] = set()  # process groups of the scripts running now (each led by its child's pid)
DRAWN_MARKER = "drawn"  # the child creates it in its scratch folder once the script's frames are drawn


def draw_script(job: RenderJob, root: Path, scratch: Path) -> tuple[np.ndarray, dict[str, Any]]:
    """Run the child (python -m sitegen.animation.scripts.child) on the script under `root`: the
    frames it drew (a read-only array in `scratch`) and what it reports about them."""
    script = root / (job.script or "")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        request, report = scratch / "job.json", scratch / "result.json"
        request.write_text(json.dumps({"job": asdict(job), "root": str(root), "scratch": str(scratch / "frames"),
                                       "report": str(report), "drawn": str(scratch / DRAWN_MARKER)}, default=str))
        (scratch / "frames").mkdir()
        env = {**os.environ, "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(scratch / "mplconfig"),
               "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": _pythonpath(script)}
        returncode = _run_contained([sys.executable, "-m", "sitegen.animation.scripts.child", str(request)],
                                    script.parent, env, out, err, job, scratch / DRAWN_MARKER)
        printed = _tail(err) or _tail(out)
        if report.is_file():
            result = json.loads(report.read_text())
            if result.get("problem"):
                raise RenderProblem(result["problem"] + _printed(printed, _tail(out)), result.get("hint", ""))
            return _frames_drawn(scratch / "frames", result["frames"]), result["meta"]
        if _ran_out_of_memory(returncode, printed):
            raise RenderProblem(f"the script {script.name} used more than {format_bytes(job.memory)} of memory "
                                "and was stopped", "use less memory, or raise 'memory:' in the animation block "
                                                   "([render] script_memory in sitegen.toml)")
        raise RenderProblem(f"the script {script.name} stopped without making an animation "
                            f"({_how_it_ended(returncode)})" + _printed(printed, ""))


def _frames_drawn(folder: Path, found: dict[str, Any]) -> np.ndarray:
    """The child's frame file, checked to be what it says (a file in its folder of exactly that size)."""
    path = folder / Path(str(found.get("file", ""))).name
    shape = tuple(int(n) for n in found.get("shape", ()))
    if len(shape) != 4 or min(shape) < 1 or not path.is_file() or path.stat().st_size != int(np.prod(shape)):
        raise RenderProblem("the script's child process reported frames it did not write")
    return np.memmap(path, dtype=np.uint8, mode="r", shape=shape)


def _run_contained(command: list[str], cwd: Path, env: dict[str, str], out: IO[bytes], err: IO[bytes],
                   job: RenderJob, drawn: Path) -> int:
    """Run the child in a session of its own under the memory limit; end its whole process group when
    it finishes, times out, or this process is interrupted. The child stops the script itself at
    job.timeout; this is the backstop for a script stuck where Python cannot interrupt it, until the
    child says its frames are drawn (`drawn` exists) and only encoding is left."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                               start_new_session=True, preexec_fn=lambda: _limit_child(job.memory))
    deadline = time.monotonic() + job.timeout + _GRACE_SECONDS
    _RUNNING.add(process.pid)
    try:
        while True:
            try:
                return process.wait(timeout=0.25)
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline and not drawn.exists():
                    break
        raise RenderProblem(f"the script {Path(job.script or '').name} ran longer than {job.timeout:g} s and was "
                            "stopped", "make it faster, render fewer frames, or raise 'timeout:' in the animation "
                                       "block")
    finally:
        _end_group(process)


def _limit_child(memory: int) -> None:
    """In the child before it starts: a memory limit, and death when its parent (the worker) dies."""
    import resource

    if memory > 0:
        # RLIMIT_DATA counts the heap and private mappings (numpy's large arrays), not shared libraries.
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    die_with_parent()


def _end_group(process: subprocess.Popen[bytes]) -> None:
    _kill_group(process.pid)
    _RUNNING.discard(process.pid)
    process.wait()


def end_running_scripts() -> None:
    """End the process group of every script this process is running (a worker told to stop)."""
    for pid in list(_RUNNING):
        _kill_group(pid)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _tail(stream: IO[bytes]) -> str:
    """The last lines a stream received (bounded: a script may print without end)."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(max(0, size - _TAIL_BYTES))
    text = stream.read().decode("utf-8", "replace")
    return "\n".join(text.strip().splitlines()[-_TAIL_LINES:])


def _printed(stderr_or_out: str, stdout: str) -> str:
    shown = stdout or stderr_or_out
    return f"\nwhat the script printed last:\n{shown}" if shown else ""


def _ran_out_of_memory(returncode: int, printed: str) -> bool:
    return "MemoryError" in printed or "bad_alloc" in printed or "Cannot allocate memory" in printed \
        or "out of memory" in printed.lower()


def _how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


def _pythonpath(script: Path) -> str:
    """sitegen itself must be importable by the child; the script's folder comes first for its own modules."""
    here = str(Path(__file__).resolve().parents[3])  # the folder holding the sitegen package
    parts = [str(script.parent), here, os.environ.get("PYTHONPATH", "")]
    return os.pathsep.join(p for p in parts if p)
