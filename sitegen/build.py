"""build(options) -> BuildReport: one line per stage. Nothing is written unless every stage succeeded."""
from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterable

import jinja2

import shutil

from sitegen.academic.bibliography import Bibliography, load_bibliography
from sitegen.academic.publications import publications_page
from sitegen.animation import Executor, executor_for, plan_animations, realise
from sitegen.animation.executors.processes import pool_context
from sitegen.animation.plan import AnimationPlan
from sitegen.animation.engine import Animations, RenderStats, download_files, downloads, inputs_of
from sitegen.assemble import Site, assemble
from sitegen.cache import RenderCache
from sitegen.cache_cmd import record_build
from sitegen.check import check_site
from sitegen.cv import CV, cv_page, read_cv
from sitegen.cv.bibliography import publications_html
from sitegen.figures import Figures
from sitegen.hashing import DigestMemo
from sitegen.progress import Progress
from sitegen.config import SiteConfig, load_config
from sitegen.discover import discover
from sitegen.errors import BuildFailed, Diagnostic, ExecutorUnavailable, Severity, error, has_errors
from sitegen.markup import MarkdownRenderer
from sitegen.model import OutputFile, Post, SourceFile
from sitegen.liquid.render import has_liquid, render_body
from sitegen.liquid.site import LiquidSite
from sitegen.parse import Outline, ParseContext, convert_post, page_info, read_source, with_liquid
from sitegen.search import search_step
from sitegen.theme import Theme, default_theme_dir, template_error_line
from sitegen.write import WriteReport, check_output_folder, write_site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    root: Path = Path(".")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False
    cache_dir: Path | None = None  # default: config's cache_dir, or $SITEGEN_CACHE_DIR
    jobs: int = 0  # render processes; 0 = every core
    output_dir: Path | None = None  # default: config's output_dir (the dev server builds into a temporary folder)
    preset: str | None = None  # encoder preset; default: config's [render] preset
    scheduler: str | None = None  # a Dask scheduler to render on; default: $SITEGEN_SCHEDULER, then [render] scheduler
    for_disk: bool = False  # links to folders end in index.html, so site/ can be opened from disk


@dataclass(frozen=True, slots=True)
class BuildReport:
    config: SiteConfig
    pages: int
    posts: int
    written: WriteReport
    renders: RenderStats
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    stage_seconds: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Planned:
    """The front half of every command that renders: the site read, parsed and its animations planned."""

    config: SiteConfig
    sources: tuple[SourceFile, ...]
    posts: tuple[Post, ...]
    plans: tuple[AnimationPlan, ...]
    memo: DigestMemo
    cache: RenderCache
    preset: str
    diagnostics: tuple[Diagnostic, ...]


def plan_site(options: BuildOptions, only: Iterable[SourceFile] | None = None, clock: "_Clock | None" = None,
              presets: Iterable[str] | None = None) -> list[Planned]:
    """Read the config, find and parse the posts (or only `only`), and plan their animations under
    the build's preset (or each of `presets`). Nothing is rendered or written."""
    clock = clock or _Clock()
    config, problems = load_config(options.root, base_url=options.base_url, drafts=options.drafts)
    if options.output_dir is not None:
        config = replace(config, output_dir=str(options.output_dir.resolve()))
    if options.for_disk:
        config = replace(config, for_disk=True)
    problems += _output_problems(config)
    if only is None:
        sources, found = discover(config.content_path, config.root, (c.name for c in config.collections))
    else:
        sources, found = list(only), []
    posts, parsed = clock.lap("parse", parse_all(sources, config))
    posts = [p for p in posts if config.drafts or not p.draft]
    memo, cache = DigestMemo(cache_root(config, options) / "hashes.json"), RenderCache(cache_root(config, options))
    result = []
    for preset in presets or [options.preset or config.render.preset]:
        plans, planned = clock.lap("plan", plan_animations(posts, config, memo, preset, reads=cache.reads))
        result.append(Planned(config, tuple(sources), tuple(posts), tuple(plans), memo, cache, preset,
                              (*problems, *found, *parsed, *planned)))
    return result


def executor(options: BuildOptions, config: SiteConfig) -> Executor:
    """The build's executor: --scheduler, else $SITEGEN_SCHEDULER, else [render] scheduler, else local processes."""
    for origin, address in (("--scheduler", options.scheduler), ("SITEGEN_SCHEDULER", os.environ.get("SITEGEN_SCHEDULER")),
                            ("sitegen.toml", config.render.scheduler)):
        if address:
            return executor_for(address, options.jobs, origin)
    return executor_for(None, options.jobs)


def render_planned(planned: Planned, options: BuildOptions,
                   progress: Progress | None = None) -> tuple[Animations, list[Diagnostic]]:
    """Realise the plans through the build's executor (which starts or connects only if something must render)."""
    runner = executor(options, planned.config)
    try:
        return realise(list(planned.plans), planned.cache, runner, planned.config.root.resolve(), planned.memo,
                       progress)
    except ExecutorUnavailable as exc:
        raise BuildFailed([*planned.diagnostics, exc.diagnostic()]) from None
    finally:
        runner.close()


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build the site at options.root. Raises BuildFailed (site/ untouched) when any error was found."""
    clock = _Clock()
    [planned] = plan_site(options, clock=clock)
    config, memo, cache, plans = planned.config, planned.memo, planned.cache, list(planned.plans)
    theme = Theme.for_site(config)
    animations, animated = clock.lap("animate", render_planned(planned, options, progress))
    root = config.root.resolve()
    figures = Figures.for_theme(theme, animations.variants, downloads(plans))
    bibliography, cited = clock.lap("bibliography", load_bibliography(config))
    posts, converted = clock.lap("markdown", convert_all(planned.posts, planned.sources, config, figures, bibliography))
    cv, read = clock.lap("cv", read_cv(config, _renderer()))
    others = [*site_files(planned.sources, theme, inputs_of(plans, root) | _bib_files(bibliography, root) | _cv_file(cv)),
              *animations.outputs, *download_files(plans, root)]
    made, listed = clock.lap("publications", publications_page(
        bibliography, posts, frozenset(s.rel for s in planned.sources), config.publications))
    made += [cv_page(cv, config, publications_html(bibliography))] if cv else []
    site, assembled = clock.lap("assemble", assemble(posts, config, theme, others, made))
    pages, rendered = clock.lap("render", render_pages(site, theme))
    found = [*planned.diagnostics, *animated, *cited, *converted, *read, *listed, *assembled, *rendered]
    indexer, unmarked = search_step(pages, config.search and not has_errors(found), len(posts))
    files = [*pages, *others]
    diagnostics = tuple(_strict([*found, *unmarked], options.strict))
    memo.save()
    try:
        if has_errors(diagnostics):
            record_build(cache, animations.stats, ok=False, output=config.output_path, drafts=config.drafts)
            raise BuildFailed(diagnostics)
        verify = (lambda staging: _strict(check_site(staging, config.base_url, config.output_dir), True)) if options.strict else None
        written = clock.lap("write", write_site(files, config.output_path, verify, extend=indexer))
        record_build(cache, animations.stats, ok=True, output=config.output_path, drafts=config.drafts,
                     inputs=_relative(config.root, inputs_of(plans, root)))
    finally:
        for folder in animations.scratch:
            shutil.rmtree(folder, ignore_errors=True)
    return BuildReport(config, len(pages), len(site.posts), written, animations.stats, diagnostics, clock.total(),
                       clock.laps())


def current_keys(options: BuildOptions) -> set[str]:
    """The cache keys the site's posts use now, under every preset (parsing and planning, not rendering)."""
    from sitegen import PRESETS

    everything = plan_site(replace(options, drafts=True), presets=PRESETS)
    keys: set[str] = set()
    for planned in everything:
        keys |= {job.key for p in planned.plans for job in p.jobs}
        keys |= {job.base_key for p in planned.plans for job in p.jobs if job.script}  # their dependency records
    everything[0].memo.save()
    if has_errors(everything[0].diagnostics):
        raise BuildFailed(everything[0].diagnostics)
    return keys


def _relative(root: Path, paths: Iterable[Path]) -> list[str]:
    base = root.resolve()
    return sorted(p.relative_to(base).as_posix() for p in paths if p.is_relative_to(base))


def cache_root(config: SiteConfig, options: BuildOptions) -> Path:
    if options.cache_dir is not None:
        return options.cache_dir.resolve()
    if os.environ.get("SITEGEN_CACHE_DIR"):
        return Path(os.environ["SITEGEN_CACHE_DIR"]).resolve()
    return config.cache_path.resolve()


def parse_all(sources: Iterable[SourceFile], config: SiteConfig) -> tuple[list[Outline], list[Diagnostic]]:
    """Read every post and page: front matter and animation directives, what planning needs (phase 1).
    No Markdown is converted (convert_all does that, once the animations exist), so one process is quick."""
    sources = list(sources)
    context = ParseContext.for_site(sources, config)
    results = [read_source(s, context, _renderer()) for s in sources if s.kind != "asset"]
    outlines, problems = [o for o, _ in results if o is not None], [d for _, found in results for d in found]
    outlines, rendered = liquid_all(outlines, config, context)
    return outlines, [*problems, *rendered]


def liquid_all(outlines: list[Outline], config: SiteConfig, context: ParseContext) -> tuple[list[Outline], list[Diagnostic]]:
    """Liquid in every body that has any, before Markdown (as Jekyll does), with `site` and `page`
    made from every post and page; the animations of those bodies are found in what Liquid wrote."""
    if not any(has_liquid(o.front.body) for o in outlines):
        return outlines, []
    site = LiquidSite.load(config, [page_info(o, context) for o in outlines], _markdownify, default_theme_dir())
    result, problems = [], list(site.problems)
    for outline in outlines:
        liquid = render_body(site, outline.source_rel, outline.shown, outline.front.body, outline.front.body_line)
        if liquid.text is outline.front.body:
            result.append(outline)
            continue
        changed, found = with_liquid(outline, liquid, _renderer())
        result.append(changed)
        problems += found
    return result, problems


def _markdownify(text: str) -> str:
    return _renderer().render(text).html


def convert_all(outlines: Iterable[Outline], sources: Iterable[SourceFile], config: SiteConfig,
                figures: Figures, bibliography: Bibliography | None = None) -> tuple[list[Post], list[Diagnostic]]:
    """Every post's Markdown as HTML, its figures written by the theme and its citations formatted
    from `bibliography` (phase 2); in worker processes when there are many (Markdown is the slow part)."""
    outlines = list(outlines)
    context = replace(ParseContext.for_site(list(sources), config), bibliography=bibliography or None)
    convert = partial(_parse_one, context=context, figures=figures)
    workers = min(os.cpu_count() or 1, len(outlines) // PARALLEL_PARSE_MIN)
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=pool_context()) as pool:
            results = list(pool.map(convert, outlines, chunksize=max(8, len(outlines) // (workers * 4))))
    else:
        results = [convert(o) for o in outlines]
    problems = dict.fromkeys(d for _, found in results for d in found)  # a broken partial: said once
    return [post for post, _ in results], list(problems)


PARALLEL_PARSE_MIN = 100  # below this many posts a pool costs more than it saves


def _parse_one(outline: Outline, context: ParseContext, figures: Figures) -> tuple[Post, list[Diagnostic]]:
    return convert_post(outline, context, _renderer(), figures)


@lru_cache(maxsize=1)
def _renderer() -> MarkdownRenderer:
    return MarkdownRenderer()  # one per process: building it is slow, reusing it is not


def render_pages(site: Site, theme: Theme) -> tuple[list[OutputFile], list[Diagnostic]]:
    files: list[OutputFile] = []
    problems: list[Diagnostic] = []
    for page in site.pages:
        try:
            files.append(theme.render(page, site.updated))
        except jinja2.TemplateNotFound as exc:
            problems.append(error(page.source or "templates", page.source_line,
                                  f"template '{exc.name}' not found", f"looked in {', '.join(map(str, theme.folders))}"))
        except jinja2.TemplateError as exc:
            name, line = template_error_line(exc)
            problems.append(error(f"templates/{name}" if not name.startswith("/") else name, line,
                                  f"template error while rendering site/{page.output_file}: {exc}"))
    return files, problems


def site_files(sources: Iterable[SourceFile], theme: Theme, inputs: frozenset[Path]) -> list[OutputFile]:
    """Content assets with their paths (but not the data and scripts animations read: inputs stay inputs),
    the theme's static files, code colours and .nojekyll."""
    assets = [OutputFile(rel=s.rel, copy_from=s.path) for s in sources
              if s.kind == "asset" and s.path.resolve() not in inputs]
    return [*assets, *theme.static_files(), theme.pygments_css(), OutputFile(rel=".nojekyll", data=b"")]


def _bib_files(bibliography: Bibliography, root: Path) -> frozenset[Path]:
    """The .bib files are read, not published (they may hold notes and the paths of local files)."""
    return frozenset((root / rel).resolve() for rel in bibliography.files)


def _cv_file(cv: CV | None) -> frozenset[Path]:
    """The CV file is read, not published (it may hold a phone number or an address)."""
    return frozenset([cv.path.resolve()]) if cv else frozenset()


def _output_problems(config: SiteConfig) -> list[Diagnostic]:
    reason = check_output_folder(config.output_path, config.root, config.content_path)
    return [error("sitegen.toml", None, f"output_dir '{config.output_dir}': {reason}")] if reason else []


def _strict(problems: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if not strict:
        return problems
    return [Diagnostic(Severity.ERROR, d.path, d.line, d.message + " [--strict]", d.hint) for d in problems]


class _Clock:
    def __init__(self) -> None:
        self._start = time.perf_counter()
        self._last = self._start
        self._laps: list[tuple[str, float]] = []

    def lap(self, name, value):  # type: ignore[no-untyped-def]
        now = time.perf_counter()
        self._laps.append((name, now - self._last))
        self._last = now
        return value

    def total(self) -> float:
        return time.perf_counter() - self._start

    def laps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._laps)
