"""Build a generated site of N plain posts (no animations) and print pages per second.

    python bench/plain_posts.py [--posts 1000] [--repeat 3] [--search on|off|both]

--search both builds the site with the search index and without it (sitegen.toml's `search`), and
prints what the index costs: seconds per build (best of --repeat each) and bytes in site/pagefind/.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sitegen.build import BuildOptions, build

BODY = """Spontaneous activity in a balanced network of {n} neurons settles into an asynchronous irregular
state. Below we show the population rate and a raster of a subset of units.

<!--more-->

## Model

Each neuron follows $\\tau \\dot{{v}} = -(v - E_L) + R I(t)$ with a threshold at $v_\\theta$.

| population | N | rate (Hz) |
|------------|---|-----------|
| E | {e} | {rate:.1f} |
| I | {i} | {irate:.1f} |

```python
import numpy as np
rates = np.random.default_rng({n}).poisson(5.0, size={n})
print(rates.mean())
```

## Results

The coefficient of variation stays near one[^cv], as expected for irregular firing.

[^cv]: Computed over 10 s of simulated time.
"""


def make_site(root: Path, count: int, search: bool = True) -> None:
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    for n in range(count):
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 2000 + n // 336
        text = (f"---\ntitle: Simulation {n}\ntags: [tag{n % 17}, tag{n % 5}]\ncategories: research\n---\n"
                + BODY.format(n=n + 100, e=80 * (n + 1), i=20 * (n + 1), rate=4 + n % 7, irate=11 + n % 5))
        (posts / f"{year}-{month:02d}-{day:02d}-simulation-{n}.md").write_text(text)
    (root / "sitegen.toml").write_text('title = "Bench"\nurl = "https://bench.example.org"\n'
                                       f'search = {str(search).lower()}\n')


def measure(count: int, repeat: int, search: bool = True) -> dict[str, Any]:
    """Build a site of `count` plain posts `repeat` times in this process (the first build also pays for
    setting up the Markdown renderer); "seconds" is the best build, "median_seconds" the median,
    "last_build_stages" the seconds of each build stage in the last build, "index_bytes" the size of
    the search index (site/pagefind/), "cpu_seconds" the least CPU time of a build (this process and
    the processes it waited for: Markdown workers, the indexer), a figure a busy machine disturbs less."""
    work = Path(tempfile.mkdtemp(prefix="sitegen-bench-"))
    try:
        make_site(work, count, search)
        times, cpu, pages, stages = [], [], 0, {}
        for _ in range(repeat):
            shutil.rmtree(work / "site", ignore_errors=True)
            start, start_cpu = time.perf_counter(), _cpu()
            report = build(BuildOptions(root=work))
            times.append(time.perf_counter() - start)
            cpu.append(_cpu() - start_cpu)
            pages, stages = report.pages, dict(report.stage_seconds)
        best, median = min(times), statistics.median(times)
        return {"posts": count, "pages": pages, "seconds": best, "pages_per_second": pages / best,
                "posts_per_second": count / best, "median_seconds": median,
                "median_pages_per_second": pages / median, "times": times,
                "last_build_stages": stages, "search": search, "index_bytes": _size(work / "site" / "pagefind"),
                "cpu_seconds": min(cpu)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cpu() -> float:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def compare_search(count: int, repeat: int) -> dict[str, Any]:
    """The same site built with and without the search index: what indexing costs."""
    on, off = measure(count, repeat, search=True), measure(count, repeat, search=False)
    return {"posts": count, "on_seconds": on["seconds"], "off_seconds": off["seconds"],
            "search_seconds": on["seconds"] - off["seconds"],
            "on_cpu_seconds": on["cpu_seconds"], "off_cpu_seconds": off["cpu_seconds"],
            "index_bytes": on["index_bytes"], "on": on, "off": off}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--search", choices=("on", "off", "both"), default="on")
    args = parser.parse_args()
    if args.search == "both":
        cost = compare_search(args.posts, args.repeat)
        print(f"{cost['posts']} plain posts, best of {args.repeat}: {cost['on_seconds']:.2f} s with search, "
              f"{cost['off_seconds']:.2f} s without (+{cost['search_seconds']:.2f} s); CPU {cost['on_cpu_seconds']:.2f} s against "
              f"{cost['off_cpu_seconds']:.2f} s; index {cost['index_bytes'] / 1024:.0f} KiB")
        print(json.dumps(cost))
        return
    result = measure(args.posts, args.repeat, search=args.search == "on")
    print(f"{result['posts']} plain posts -> {result['pages']} pages in {result['seconds']:.2f} s: "
          f"{result['pages_per_second']:.0f} pages/s ({result['posts_per_second']:.0f} posts/s)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
