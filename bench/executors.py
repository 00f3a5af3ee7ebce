"""Executors compared on the generated 100-animation site (bench/animated_site.py: 100 posts, 200
renders of 30 frames at 320×240, heatmap/traces/scatter): a cold build with 1 local process (the
baseline), with 2 local processes, and on a 2-worker Dask LocalCluster (worker processes, one
thread each). Prints the times, the scaling ratios against the 1-process build of the same run, what
crossed to the cluster (input bytes shipped, output bytes returned), the mean cost per task, and
whether every build made the same bytes.

    python bench/executors.py [--posts N] [--json PATH]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import animated_site  # noqa: E402
from sitegen.build import BuildOptions, build  # noqa: E402


def cold_build(root: Path, cache: Path, jobs: int = 0, scheduler: str | None = None) -> tuple[float, float, dict[str, str]]:
    """Wall and CPU seconds of this process and its children, and the digest of every animation file."""
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(root / "site", ignore_errors=True)
    cpu_before = _cpu()
    start = time.perf_counter()
    report = build(BuildOptions(root=root, cache_dir=cache, jobs=jobs, scheduler=scheduler),
                   progress=animated_site.SilentProgress())
    wall = time.perf_counter() - start
    assert report.renders.failed == 0 and report.renders.cached == 0, report.renders
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "site/animations").iterdir())}
    return wall, _cpu() - cpu_before, files


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    import distributed

    spec = animated_site.SiteSpec(posts=args.posts)
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-executors-"))
    try:
        root = work / "site-folder"
        root.mkdir()
        animated_site.make_site(root, spec)
        inputs = sum(p.stat().st_size for p in (root / "content/posts/data").iterdir())
        print(f"site: {spec.posts} posts, {2 * spec.posts} renders of {spec.frames} frames; "
              f"{inputs / 1e6:.2f} MB of data files", file=sys.stderr)
        one, one_cpu, reference = cold_build(root, work / "cache", jobs=1)
        print(f"1 local process: {one:.1f} s", file=sys.stderr)
        two, two_cpu, files_two = cold_build(root, work / "cache", jobs=2)
        print(f"2 local processes: {two:.1f} s", file=sys.stderr)
        outputs = sum(p.stat().st_size for p in (root / "site/animations").iterdir())
        os.chdir(work)
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, local_directory=str(work / "dask"))
        try:
            dask, dask_cpu, files_dask = cold_build(root, work / "cache", scheduler=cluster.scheduler_address)
            # the workers' CPU is theirs, not this process's: ask them
            worker_cpu = sum(distributed.Client(cluster).run(lambda: sum(os.times()[:4])).values())
        finally:
            cluster.close()
        print(f"2-worker LocalCluster: {dask:.1f} s", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    tasks = 2 * spec.posts
    result = {
        "posts": spec.posts, "renders": tasks,
        "seconds": {"local_1": round(one, 2), "local_2": round(two, 2), "dask_2": round(dask, 2)},
        "speedup_vs_1_process": {"local_2": round(one / two, 2), "dask_2": round(one / dask, 2)},
        "dask_vs_local_2": round(dask / two, 2),
        "cpu_seconds_per_task_local_1": round(one_cpu / tasks, 3),
        "bytes_shipped_to_workers": inputs, "bytes_returned": outputs,
        "same_bytes": files_two == reference and files_dask == reference,
        "dask_worker_cpu_seconds": round(worker_cpu, 1),
    }
    print(f"\n| executor | cold build | vs 1 process |\n|---|---|---|\n"
          f"| 1 local process | {one:.1f} s | 1.00× |\n| 2 local processes | {two:.1f} s | {one / two:.2f}× |\n"
          f"| 2-worker LocalCluster | {dask:.1f} s | {one / dask:.2f}× |")
    print(f"\nper task (1 process): {one / tasks:.3f} s wall, {one_cpu / tasks:.3f} s CPU; "
          f"shipped {inputs / 1e6:.2f} MB of inputs, returned {outputs / 1e6:.2f} MB of files "
          f"({outputs / tasks / 1e3:.1f} KB per task); same bytes from every executor: {result['same_bytes']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0 if result["same_bytes"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
