"""The benchmark's tables and targets: each section's results as aligned Markdown tables, every target
as PASS/FAIL with the figure it was judged on, and everything as JSON."""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from animated_site import BuildRun, SiteResult
from comparison import MATPLOTLIB_WRITERS, Comparison, FileQuality, counterpart
from peak_memory import MIB, MemoryRun
from stopwatch import Timing

# Issue 12's targets for the default preset's files and for the time of the whole default set.
WEBM_BYTES_TARGET = 0.75  # of FFMpegWriter's VP9 bytes: lines, traces, scatter, smooth images
NOISY_WEBM_BYTES_TARGET = 1.00  # the same for an image with white noise in it
WEBM_SSIM_SLACK = 0.002  # at an SSIM no lower than FFMpegWriter's minus this
GIF_BYTES_TARGET = 0.60  # of PillowWriter's bytes
GIF_SSIM_TARGET = 0.98
TIME_RATIO_TARGET = 1.0  # sitegen's whole default set / matplotlib's GIF + WebM saves, wall time
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


# ------------------------------------------------------------------------------------------ sections 2 and 2b


def comparison_tables(results: Sequence[Comparison]) -> str:
    """Time, files and (references only) where the time goes, for animations made both ways."""
    return "\n\n".join(filter(None, [_time_table(results), _files_table(results), _breakdown_table(results)]))


def _time_table(results: Sequence[Comparison]) -> str:
    first = results[0]
    others = [runs.preset for runs in first.sitegen[1:]]
    rows = []
    for r in results:
        rows.append([r.name, f"{r.frames} @ {r.width}×{r.height}", seconds(r.matplotlib), seconds(r.published.timing),
                     f"{r.time_ratio:.2f}× {time_check('', r).verdict}", f"{r.cpu_ratio:.2f}×",
                     *(cell for runs in r.sitegen[1:] for cell in (seconds(runs.timing),
                                                                    f"{runs.timing.wall / r.matplotlib.wall:.2f}×"))])
    mpl = _sum(r.matplotlib for r in results)
    ours = [_sum(r.sitegen[k].timing for r in results) for k in range(len(first.sitegen))]
    rows.append(["all together", "", seconds(mpl), seconds(ours[0]), f"{ours[0].wall / mpl.wall:.2f}×",
                 f"{ours[0].cpu / mpl.cpu:.2f}×",
                 *(cell for timing in ours[1:] for cell in (seconds(timing), f"{timing.wall / mpl.wall:.2f}×"))])
    made = "+".join(first.published.made)
    return table(["animation", "frames", "matplotlib GIF+WebM saves", f"sitegen {first.published.preset} ({made})",
                  f"wall sitegen/mpl (target ≤ {TIME_RATIO_TARGET:g}×)", "CPU sitegen/mpl",
                  *(cell for preset in others for cell in (f"sitegen {preset}", f"{preset}/mpl"))], rows)


def _sum(timings: Iterable[Timing]) -> Timing:
    found = list(timings)
    return Timing(sum(t.wall for t in found), sum(t.cpu for t in found))


def _files_table(results: Sequence[Comparison]) -> str:
    rows = []
    for r in results:
        for runs in r.sitegen:
            for fmt, ours in runs.files.items():
                rows.append(_file_row(r, runs.preset, fmt, ours))
    return table(["animation", "preset", "file", "bytes", "matplotlib's", "bytes ours/mpl", "SSIM ours", "SSIM mpl",
                  "PSNR dB ours / mpl", "target", "result"], rows)


def _file_row(r: Comparison, preset: str, fmt: str, ours: FileQuality) -> list[str]:
    theirs_fmt = counterpart(fmt)
    if theirs_fmt is None:
        return [r.name, preset, fmt, size(ours.bytes), "—", "", "", "", "", "", ""]
    theirs = r.matplotlib_files[theirs_fmt]
    target = file_target(r, fmt) if preset == r.published.preset else None
    return [r.name, preset, fmt, size(ours.bytes), f"{MATPLOTLIB_WRITERS[theirs_fmt]} {size(theirs.bytes)}",
            percent(ours.bytes / theirs.bytes), f"{ours.ssim:.4f}", f"{theirs.ssim:.4f}",
            f"{psnr_text(ours.psnr)} / {psnr_text(theirs.psnr)}", target.asks if target else "",
            target.verdict if target else ""]


def _breakdown_table(results: Sequence[Comparison]) -> str:
    found = [r for r in results if r.breakdown is not None]
    if not found:
        return ""
    formats = list(found[0].breakdown.encoders)
    rows = [[r.name, seconds(r.matplotlib_gif), seconds(r.matplotlib_webm), seconds(r.breakdown.draw),
             *(seconds(r.breakdown.encoders[fmt]) for fmt in formats), seconds(r.published.timing)] for r in found]
    return table(["where the time goes", "mpl PillowWriter save", "mpl FFMpegWriter save", "sitegen draw (blit)",
                  *(f"sitegen {fmt} alone" for fmt in formats), "sitegen whole set"], rows)


@dataclass(frozen=True, slots=True)
class FileTarget:
    """The target for one of the default preset's files: at most `limit` of matplotlib's bytes, at an
    SSIM of at least `ssim_floor` (`floor_rule` says how that was set), and whether both were met."""

    limit: float
    ssim_floor: float
    floor_rule: str
    passed: bool

    @property
    def asks(self) -> str:
        return f"≤ {100 * self.limit:.0f} % at SSIM ≥ {self.ssim_floor:.4f}"

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"


def file_target(r: Comparison, fmt: str) -> FileTarget | None:
    """Issue 12's target for the default preset's `fmt` file of `r`, or None if it has none."""
    ours = r.published.files[fmt]
    if fmt == "webm":
        theirs = r.matplotlib_files["webm"]
        limit, floor = (NOISY_WEBM_BYTES_TARGET if r.noisy else WEBM_BYTES_TARGET), theirs.ssim - WEBM_SSIM_SLACK
        rule = f"its SSIM {theirs.ssim:.4f} − {WEBM_SSIM_SLACK:g}"
    elif fmt == "gif":
        theirs, limit, floor, rule = r.matplotlib_files["gif"], GIF_BYTES_TARGET, GIF_SSIM_TARGET, f"{GIF_SSIM_TARGET}"
    else:
        return None
    return FileTarget(limit, floor, rule, ours.bytes <= limit * theirs.bytes and ours.ssim >= floor)


def time_check(section: str, r: Comparison) -> Check:
    ours, mpl = r.published.timing, r.matplotlib
    return Check(section, f"{r.name}: sitegen's default set ({'+'.join(r.published.made)}) in ≤ "
                          f"{TIME_RATIO_TARGET:g}× the wall time of matplotlib's GIF + WebM saves",
                 f"{r.time_ratio:.2f}× ({ours.wall:.1f} vs {mpl.wall:.1f} s; CPU {r.cpu_ratio:.2f}×)",
                 r.time_ratio <= TIME_RATIO_TARGET)


def _file_check(section: str, r: Comparison, fmt: str) -> Check | None:
    target = file_target(r, fmt)
    if target is None:
        return None
    ours, writer = r.published.files[fmt], counterpart(fmt)
    theirs = r.matplotlib_files[writer]
    noisy = " (noisy)" if r.noisy and fmt == "webm" else ""
    return Check(section, f"{r.name}{noisy}: {fmt} ≤ {100 * target.limit:.0f} % of "
                          f"{MATPLOTLIB_WRITERS[writer]}'s bytes at SSIM ≥ {target.floor_rule}",
                 f"{percent(ours.bytes / theirs.bytes)}, SSIM {ours.ssim:.4f} vs {theirs.ssim:.4f}", target.passed)


def comparison_checks(section: str, results: Sequence[Comparison]) -> list[Check]:
    """Every target of section 2 (or 2b) for `results`: the time of each, then each file's."""
    checks = [time_check(section, r) for r in results]
    for fmt in ("webm", "gif"):  # the formats issue 12 sets targets for, where the build made them
        checks += [check for r in results if fmt in r.published.files
                   if (check := _file_check(section, r, fmt)) is not None]
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
