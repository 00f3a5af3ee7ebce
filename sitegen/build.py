"""build(options) -> BuildReport: one line per stage. Nothing is written unless every stage succeeded."""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterable

import jinja2

from sitegen.assemble import Site, assemble
from sitegen.config import SiteConfig, load_config
from sitegen.discover import discover
from sitegen.errors import BuildFailed, Diagnostic, Severity, error, has_errors
from sitegen.markup import MarkdownRenderer
from sitegen.model import OutputFile, Post, SourceFile
from sitegen.parse import ParseContext, parse_source
from sitegen.theme import Theme, template_error_line
from sitegen.write import WriteReport, check_output_folder, write_site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    root: Path = Path(".")
    base_url: str | None = None
    drafts: bool = False
    strict: bool = False


@dataclass(frozen=True, slots=True)
class BuildReport:
    config: SiteConfig
    pages: int
    posts: int
    written: WriteReport
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    stage_seconds: tuple[tuple[str, float], ...] = field(default=())


def build(options: BuildOptions) -> BuildReport:
    """Build the site at options.root. Raises BuildFailed (site/ untouched) when any error was found."""
    clock = _Clock()
    config, problems = load_config(options.root, base_url=options.base_url, drafts=options.drafts)
    problems += _output_problems(config)
    sources, found = discover(config.content_path, config.root)
    theme = Theme.for_site(config)
    posts, parsed = clock.lap("parse", parse_all(sources, config))
    site, assembled = clock.lap("assemble", assemble(posts, config, theme))
    pages, rendered = clock.lap("render", render_pages(site, theme))
    files = [*pages, *site_files(sources, theme)]
    diagnostics = tuple(_strict([*problems, *found, *parsed, *assembled, *rendered], options.strict))
    if has_errors(diagnostics):
        raise BuildFailed(diagnostics)
    written = clock.lap("write", write_site(files, config.output_path))
    return BuildReport(config, len(pages), len(site.posts), written, diagnostics, clock.total(), clock.laps())


def parse_all(sources: Iterable[SourceFile], config: SiteConfig) -> tuple[list[Post], list[Diagnostic]]:
    """Parse every post and page; in worker processes when there are many (Markdown is the slow part)."""
    sources = list(sources)
    context = ParseContext(content_dir=config.content_dir, content_files=frozenset(s.rel for s in sources),
                           permalink=config.permalink)
    texts = [s for s in sources if s.kind != "asset"]
    parse = partial(_parse_one, context=context)
    workers = min(os.cpu_count() or 1, len(texts) // PARALLEL_PARSE_MIN)
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=_pool_context()) as pool:
            results = list(pool.map(parse, texts, chunksize=max(8, len(texts) // (workers * 4))))
    else:
        results = [parse(s) for s in texts]
    posts = [post for post, _ in results if post is not None]
    return posts, [d for _, found in results for d in found]


PARALLEL_PARSE_MIN = 100  # below this many posts a pool costs more than it saves


def _parse_one(source: SourceFile, context: ParseContext) -> tuple[Post | None, list[Diagnostic]]:
    return parse_source(source, context, _renderer())


@lru_cache(maxsize=1)
def _renderer() -> MarkdownRenderer:
    return MarkdownRenderer()  # one per process: building it is slow, reusing it is not


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


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


def site_files(sources: Iterable[SourceFile], theme: Theme) -> list[OutputFile]:
    """Content assets with their paths, the theme's static files, code colours and .nojekyll."""
    assets = [OutputFile(rel=s.rel, copy_from=s.path) for s in sources if s.kind == "asset"]
    return [*assets, *theme.static_files(), theme.pygments_css(), OutputFile(rel=".nojekyll", data=b"")]


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
