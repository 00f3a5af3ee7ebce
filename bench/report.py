"""The benchmark's tables and targets: each section's results as aligned Markdown tables, every target
as PASS/FAIL with the figure it was judged on, and everything as JSON."""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from animated_site import BuildRun, SiteResult
from matplotlib_vs_sitegen import ReferenceResult, total_speedup
from peak_memory import MIB, MemoryRun
from stopwatch import Timing

SPEEDUP_TARGET = 8.0
GIF_BYTES_TARGET = 0.60
GIF_SSIM_TARGET = 0.98
NOOP_SECONDS_TARGET = 1.0
PAGES_PER_SECOND_TARGET = 500.0
MEMORY_RATIO_TARGET = 1.2


@dataclass(frozen=True, slots=True)
class Check:
    """One target: what it asks, what was measured, whether it was met."""

    section: str
    target: str
    measured: str
    passed: bool

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, columns padded to their widest cell (text left, the rest right-aligned)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        padded = [str(c).ljust(w) if k == 0 else str(c).rjust(w) for k, (c, w) in enumerate(zip(cells, widths))]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def size(count: float) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 1e6 else f"{count / 1e3:.0f} KB"


def seconds(timing: Timing) -> str:
    return f"{timing.wall:.2f} s (cpu {timing.cpu:.1f})"


def percent(ratio: float) -> str:
    return f"{100 * ratio:.1f} %"


def psnr_text(value: float) -> str:
    return "inf" if math.isinf(value) else f"{value:.1f}"


# ------------------------------------------------------------------------------------------ section 2


def references_tables(results: Sequence[ReferenceResult]) -> str:
    return "\n\n".join(filter(None, [_speed_table(results), _bytes_table(results), _quality_table(results),
                                     _breakdown_table(results)]))


def _speed_table(results: Sequence[ReferenceResult]) -> str:
    rows = [[r.name, f"{r.frames} @ {r.width}×{r.height}", seconds(r.matplotlib), seconds(r.sitegen),
             f"{r.speedup:.2f}×", f"{r.matplotlib.cpu / r.sitegen.cpu:.2f}×", seconds(r.fast),
             f"{r.fast_speedup:.2f}×"] for r in results]
    wall, cpu = total_speedup(list(results))
    fast_wall, _ = total_speedup(list(results), "fast")
    mpl = Timing(sum(r.matplotlib.wall for r in results), sum(r.matplotlib.cpu for r in results))
    ours = Timing(sum(r.sitegen.wall for r in results), sum(r.sitegen.cpu for r in results))
    fast = Timing(sum(r.fast.wall for r in results), sum(r.fast.cpu for r in results))
    rows.append(["all together", "", seconds(mpl), seconds(ours), f"{wall:.2f}×", f"{cpu:.2f}×", seconds(fast),
                 f"{fast_wall:.2f}×"])
    return table(["animation", "frames", "matplotlib GIF+WebM", "sitegen GIF+WebM", "time ratio mpl/sitegen",
                  "CPU ratio", "--preset fast", "time ratio (fast)"], rows)


def _bytes_table(results: Sequence[ReferenceResult]) -> str:
    rows = [[r.name, size(r.outputs["pillow_gif"].bytes), size(r.outputs["sitegen_gif"].bytes), percent(r.gif_ratio),
             size(r.outputs["ffmpeg_webm"].bytes), size(r.outputs["sitegen_webm"].bytes), percent(r.webm_ratio),
             size(r.outputs["fast_webm"].bytes), percent(r.fast_webm_ratio)]
            for r in results]
    totals = {name: sum(r.outputs[name].bytes for r in results)
              for name in ("pillow_gif", "sitegen_gif", "ffmpeg_webm", "sitegen_webm", "fast_webm")}
    rows.append(["all together", size(totals["pillow_gif"]), size(totals["sitegen_gif"]),
                 percent(totals["sitegen_gif"] / totals["pillow_gif"]), size(totals["ffmpeg_webm"]),
                 size(totals["sitegen_webm"]), percent(totals["sitegen_webm"] / totals["ffmpeg_webm"]),
                 size(totals["fast_webm"]), percent(totals["fast_webm"] / totals["ffmpeg_webm"])])
    return table(["animation", "PillowWriter GIF", "sitegen GIF", "GIF sitegen/Pillow", "FFMpegWriter WebM",
                  "sitegen WebM", "WebM sitegen/FFMpeg", "fast WebM", "fast/FFMpeg"], rows)


def _quality_table(results: Sequence[ReferenceResult]) -> str:
    names = ("pillow_gif", "sitegen_gif", "ffmpeg_webm", "sitegen_webm", "fast_webm")
    rows = [[r.name, *(f"{r.outputs[n].ssim:.4f} / {psnr_text(r.outputs[n].psnr)}" for n in names)] for r in results]
    return table(["SSIM / PSNR dB vs exact frames", "PillowWriter GIF", "sitegen GIF", "FFMpegWriter WebM",
                  "sitegen WebM", "fast WebM"], rows)


def _breakdown_table(results: Sequence[ReferenceResult]) -> str:
    rows = [[r.name, seconds(r.matplotlib_gif), seconds(r.matplotlib_webm), seconds(r.breakdown.draw),
             seconds(r.breakdown.gif), seconds(r.breakdown.webm), seconds(r.sitegen)]
            for r in results if r.breakdown is not None]
    if not rows:
        return ""
    return table(["where the time goes", "mpl PillowWriter save", "mpl FFMpegWriter save", "sitegen draw (blit)",
                  "sitegen GIF alone", "sitegen VP9 alone", "sitegen GIF+WebM"], rows)


def references_checks(results: Sequence[ReferenceResult]) -> list[Check]:
    wall, cpu = total_speedup(list(results))
    names = "+".join(r.name for r in results)
    fast_wall, fast_cpu = total_speedup(list(results), "fast")
    fast_bytes = sum(r.outputs["fast_webm"].bytes for r in results) / sum(r.outputs["ffmpeg_webm"].bytes for r in results)
    checks = [Check("2", f"GIF+WebM of {names} ≥ {SPEEDUP_TARGET:g}× faster than matplotlib",
                    f"{wall:.2f}× (CPU time {cpu:.2f}×)", wall >= SPEEDUP_TARGET),
              Check("2", f"the same with --preset fast (its WebM is larger: not the publishing default)",
                    f"{fast_wall:.2f}× (CPU time {fast_cpu:.2f}×), WebM {percent(fast_bytes)} of FFMpegWriter's",
                    fast_wall >= SPEEDUP_TARGET)]
    for r in results:
        gif = r.outputs["sitegen_gif"]
        checks.append(Check("2", f"{r.name}: GIF ≤ {GIF_BYTES_TARGET:.0%} of PillowWriter's bytes, SSIM ≥ {GIF_SSIM_TARGET}",
                            f"{percent(r.gif_ratio)}, SSIM {gif.ssim:.4f}",
                            r.gif_ratio <= GIF_BYTES_TARGET and gif.ssim >= GIF_SSIM_TARGET))
    for r in results:
        ours, theirs = r.outputs["sitegen_webm"], r.outputs["ffmpeg_webm"]
        checks.append(Check("2", f"{r.name}: WebM ≤ FFMpegWriter VP9's bytes at ≥ its SSIM",
                            f"{percent(r.webm_ratio)}, SSIM {ours.ssim:.4f} vs {theirs.ssim:.4f}",
                            ours.bytes <= theirs.bytes and ours.ssim >= theirs.ssim))
    return checks


# ------------------------------------------------------------------------------------------ section 3


def site_table(result: SiteResult) -> str:
    def row(name: str, run: BuildRun) -> list[str]:
        animate = run.stages.get("animate", 0.0)
        return [name, f"{run.timing.wall:.2f} s", f"{run.timing.cpu:.1f} s", f"{animate:.2f} s", str(run.rendered),
                str(run.cached), str(run.failed), str(run.pages)]

    return table(["build", "wall", "CPU", "of which animate", "rendered", "cached", "failed", "pages"],
                 [row("cold (fresh cache)", result.cold), row("no-op rebuild", result.noop),
                  row("one data file changed", result.one_changed)])


def site_checks(result: SiteResult) -> list[Check]:
    noop, changed, cold = result.noop, result.one_changed, result.cold
    renders = 2 * result.animations
    return [
        Check("3", f"cold build renders all {renders} animations without failure",
              f"{cold.rendered} rendered, {cold.failed} failed in {cold.timing.wall:.1f} s",
              cold.rendered == renders and cold.failed == 0),
        Check("3", f"no-op rebuild ≤ {NOOP_SECONDS_TARGET:g} s and 0 renders",
              f"{noop.timing.wall:.2f} s, {noop.rendered} rendered", noop.timing.wall <= NOOP_SECONDS_TARGET
              and noop.rendered == 0),
        Check("3", "one data file changed: exactly its 2 variants re-render",
              f"{changed.rendered} rendered, {changed.cached} cached in {changed.timing.wall:.2f} s",
              changed.rendered == 2 and changed.cached == renders - 2 and changed.failed == 0),
    ]


# ------------------------------------------------------------------------------------------ section 4


def plain_table(result: dict[str, Any]) -> str:
    times = ", ".join(f"{t:.2f}" for t in result["times"])
    stages = ", ".join(f"{name} {secs:.2f}" for name, secs in result.get("last_build_stages", {}).items())
    return table(["plain posts", "pages", "median build", "pages/s (median)", "pages/s (best)", "builds (s)",
                  "last build by stage (s)"],
                 [[str(result["posts"]), str(result["pages"]), f"{result['median_seconds']:.2f} s",
                   f"{result['median_pages_per_second']:.0f}", f"{result['pages_per_second']:.0f}", times, stages]])


def plain_checks(result: dict[str, Any]) -> list[Check]:
    rate = result["median_pages_per_second"]
    return [Check("4", f"{result['posts']} plain posts: ≥ {PAGES_PER_SECOND_TARGET:g} pages/s",
                  f"{rate:.0f} pages/s (median; best {result['pages_per_second']:.0f})", rate >= PAGES_PER_SECOND_TARGET)]


# ------------------------------------------------------------------------------------------ section 5


def memory_table(runs: Sequence[MemoryRun]) -> str:
    def mib(count: int) -> str:
        return f"{count / MIB:.1f} MiB"

    return table(["heatmap frames", "size", "data", "Python after imports", "Python peak", "ffmpeg peak",
                  "ru_maxrss self / children", "render"],
                 [[str(r.frames), f"{r.width}×{r.height}", mib(r.data_bytes), mib(r.baseline), mib(r.peak),
                   mib(r.ffmpeg_peak), f"{mib(r.ru_maxrss_self)} / {mib(r.ru_maxrss_children)}", f"{r.seconds:.1f} s"]
                  for r in runs]) + ("\n\n(peaks are VmHWM, the process's own; ru_maxrss also counts what a process "
                                     "inherits from the one that started it, here the benchmark's own peak)")


def memory_checks(runs: Sequence[MemoryRun]) -> list[Check]:
    short, long = runs[0], runs[-1]
    ratio = long.peak / short.peak
    ffmpeg = long.ffmpeg_peak / short.ffmpeg_peak
    return [Check("5", f"peak memory at {long.frames} frames ≤ {MEMORY_RATIO_TARGET:g}× the peak at {short.frames}",
                  f"{ratio:.3f}× ({long.peak / MIB:.1f} vs {short.peak / MIB:.1f} MiB; ffmpeg {ffmpeg:.3f}×)",
                  ratio <= MEMORY_RATIO_TARGET)]


# ------------------------------------------------------------------------------------------ all


def checks_table(checks: Sequence[Check]) -> str:
    return table(["§", "target", "measured", "result"], [[c.section, c.target, c.measured, c.verdict] for c in checks])


def as_json(value: Any) -> Any:
    """Dataclasses (with their derived ratios), dicts, lists and floats as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = {field.name: as_json(getattr(value, field.name)) for field in dataclasses.fields(value)}
        derived = {name: as_json(getattr(value, name)) for name, attr in vars(type(value)).items()
                   if isinstance(attr, property)}
        return {**found, **derived}
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(as_json(document), indent=1, ensure_ascii=False) + "\n")
