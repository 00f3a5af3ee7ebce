"""Peak memory of rendering one heatmap animation to the default formats (those a directive makes
when it names none) through sitegen's path, at two lengths.

Each length runs in a fresh Python process (this file, run with --job), so one peak does not hide the
other. The child loads the RenderJob the parent pickled, notes its peak after its imports, runs
`sitegen.animation.worker.run_task`, and prints one JSON line with its peaks and its ffmpeg children's.

Which number: on Linux, `getrusage(...).ru_maxrss` is carried across fork and exec: a process started
by a large one reports at least its parent's peak (here, the benchmark's, which holds hundreds of MB of
decoded frames), and so does every ffmpeg it starts under RUSAGE_CHILDREN. Both are recorded, but the
target is judged on VmHWM from /proc, the peak of the process's own memory since it started; ffmpeg's
VmHWM is read by polling the child processes while they run.

    python bench/peak_memory.py --job JOB.pickle --staging DIR     (the child; the parent runs it)
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import pickle
import re
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

KIB = 1024
MIB = 1024 * 1024
POLL_SECONDS = 0.02
RUN_JOB_IMPORTS = ("sitegen.animation.datafiles", "sitegen.animation.frames", "sitegen.animation.kinds", "sitegen.progress")


@dataclass(frozen=True, slots=True)
class MemoryRun:
    frames: int
    width: int
    height: int
    data_bytes: int  # the animation's arrays in memory (they grow with the length)
    baseline: int  # bytes: the child's peak after its imports, before rendering (VmHWM)
    peak: int  # bytes: the child's peak (VmHWM): loading, drawing, GIF encoding, piping to ffmpeg
    ffmpeg_peak: int  # bytes: the largest ffmpeg child's VmHWM (a video encoder)
    ru_maxrss_self: int  # bytes, as getrusage says (includes what was inherited; see the module's doc)
    ru_maxrss_children: int
    seconds: float


def measure(lengths: tuple[int, ...], width: int, height: int, folder: Path) -> list[MemoryRun]:
    """One fresh process per length, one after the other (never at once: they would share the cores)."""
    from reference_animations import heatmap_reference, render_job, save_data

    runs = []
    for frames in lengths:
        reference = heatmap_reference(frames, width, height, grid=(50, 50))
        job_folder = folder / f"memory-{frames}"
        job_folder.mkdir(parents=True, exist_ok=True)
        job_file = job_folder / "job.pickle"
        job_file.write_bytes(pickle.dumps(render_job(reference, save_data(reference, job_folder))))
        child = _run_child(job_file, job_folder)
        runs.append(MemoryRun(frames, width, height, reference.data_bytes, **child))
    return runs


def _run_child(job_file: Path, staging: Path) -> dict[str, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--job", str(job_file), "--staging", str(staging)]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"the memory child failed ({finished.returncode}):\n{finished.stderr[-3000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ the child


def high_water_mark(pid: int | str = "self") -> int:
    """VmHWM of a process in bytes (0 if it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) * KIB if found else 0


def _ru_maxrss(who: int) -> int:
    return resource.getrusage(who).ru_maxrss * KIB  # Linux reports kibibytes


class ChildPeaks:
    """Polls this process's children (ffmpeg) for their VmHWM while the block runs; `largest` after it."""

    def __init__(self) -> None:
        self.largest = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ChildPeaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        children = Path(f"/proc/self/task/{os.getpid()}/children")  # processes the main thread started
        while not self._stop.wait(POLL_SECONDS):
            for pid in children.read_text().split():
                self.largest = max(self.largest, high_water_mark(pid))


def child(job_file: Path, staging: Path) -> dict[str, float]:
    import matplotlib

    matplotlib.use("Agg")
    from sitegen.animation.encoders import probe_ffmpeg
    from sitegen.animation.jobs import OUTPUT_NAMES, Task
    from sitegen.animation.worker import run_task

    for module in RUN_JOB_IMPORTS:  # what run_task imports, and the ffmpeg probe, come before the baseline
        importlib.import_module(module)
    probe_ffmpeg()
    job = pickle.loads(job_file.read_bytes())
    baseline = high_water_mark()
    start = time.perf_counter()
    with ChildPeaks() as ffmpeg:
        outcome = run_task(Task(job, formats=job.formats), job_file.parent)  # the data file sits beside the job
    if outcome.problem is not None:
        raise RuntimeError(outcome.problem)
    for fmt, data in outcome.files.items():
        (staging / OUTPUT_NAMES[fmt]).write_bytes(data)
    return {"baseline": baseline, "peak": high_water_mark(), "ffmpeg_peak": ffmpeg.largest,
            "ru_maxrss_self": _ru_maxrss(resource.RUSAGE_SELF),
            "ru_maxrss_children": _ru_maxrss(resource.RUSAGE_CHILDREN), "seconds": time.perf_counter() - start}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--job", type=Path, required=True, help="a pickled RenderJob")
    parser.add_argument("--staging", type=Path, required=True, help="where the files go")
    args = parser.parse_args()
    print(json.dumps(child(args.job, args.staging)))


if __name__ == "__main__":
    main()
