"""Command line: argument parsing, output, and exit codes (the only place that sets them)."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from sitegen import __version__
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.errors import BuildFailed, Diagnostic, Severity

log = logging.getLogger("sitegen")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(getattr(args, "verbose", 0) - getattr(args, "quiet", 0))
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=(
        "Build a portfolio site from Markdown posts whose animations are rendered from data and cached."))
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder, holding sitegen.toml and content/ (default: current folder)")
    common.add_argument("-q", "--quiet", action="count", default=0, help="print only problems and the summary")
    common.add_argument("-v", "--verbose", action="count", default=0, help="print more: each stage's time")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build_cmd = commands.add_parser("build", parents=[common], help="build the site into site/",
                                    description="Read sitegen.toml and content/, write the site to site/. "
                                    "site/ is replaced only when the build succeeds.")
    build_cmd.add_argument("--drafts", action="store_true", help="include posts with 'draft: true' or 'published: false'")
    build_cmd.add_argument("--base-url", metavar="URL", help="the path the site is served under, e.g. /my-repo/ "
                           "for a GitHub project page (overrides base_url in sitegen.toml)")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _render_options(build_cmd)
    build_cmd.set_defaults(run=_run_build)

    render_cmd = commands.add_parser("render", parents=[common], help="render one post's animations into a folder",
                                     description="Render the animations of one post (through the render cache) "
                                     "and copy them into a folder, e.g. for a README.")
    render_cmd.add_argument("post", type=Path, help="the post's Markdown file")
    render_cmd.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to copy the files into")
    _render_options(render_cmd)
    render_cmd.set_defaults(run=_run_render)

    cache_cmd = commands.add_parser("cache", help="look after the render cache: info, prune, clear",
                                    description="The render cache holds every rendered animation under a key "
                                    "of everything that shaped it.")
    cache_actions = cache_cmd.add_subparsers(title="actions", metavar="ACTION")
    for action, text in (("info", "entries, size and the hit rate of the last build"),
                         ("prune", "remove entries no current post uses (or, with --older-than, unused for N days)"),
                         ("clear", "remove every entry")):
        sub = cache_actions.add_parser(action, parents=[common], help=text, description=text)
        sub.add_argument("--cache-dir", type=Path, metavar="DIR", help="the cache folder (default: as for build)")
        if action == "prune":
            sub.add_argument("--older-than", type=float, metavar="DAYS",
                             help="remove only entries not used for DAYS days (posts are not read)")
        sub.set_defaults(run=_run_cache, action=action)

    kinds_cmd = commands.add_parser("kinds", help="list the built-in animation kinds, their data and keys",
                                    description="Every built-in kind with the data layout it reads and its own "
                                    "keys, then the keys every animation accepts.")
    kinds_cmd.add_argument("name", nargs="?", help="show one kind only")
    kinds_cmd.set_defaults(run=_run_kinds)
    return parser


def _render_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                         help="render animations in N processes (default: every core)")
    command.add_argument("--cache-dir", type=Path, metavar="DIR",
                         help="the render cache (default: .sitegen-cache, or $SITEGEN_CACHE_DIR)")


def _configure_logging(level: int) -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=logging.WARNING)
    log.setLevel(logging.WARNING if level < 0 else logging.DEBUG if level > 0 else logging.INFO)


def _run_build(args: argparse.Namespace) -> int:
    options = BuildOptions(root=args.root, base_url=args.base_url, drafts=args.drafts, strict=args.strict,
                           cache_dir=args.cache_dir, jobs=args.jobs)
    try:
        report = build(options, _progress(args.quiet))
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics)
        errors = len(failed.errors)
        warnings = len(failed.diagnostics) - errors
        print(f"Build failed: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}. "
              "The previous site was left as it was.", file=sys.stderr)
        return EXIT_FAILED
    _print_diagnostics(report.diagnostics)
    _print_summary(report, args.verbose > 0)
    return EXIT_OK


def _progress(quiet: int):  # type: ignore[no-untyped-def]
    """Bars on a terminal; one line per animation in CI, in a pipe, or with -q."""
    import os

    from sitegen.progress import BarProgress, LineProgress

    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return LineProgress()
    return BarProgress()


def _print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
    order = sorted(diagnostics, key=lambda d: (d.severity is not Severity.ERROR, d.path, d.line or 0))
    for diagnostic in order:
        print(diagnostic.format(), file=sys.stderr)


def _print_summary(report: BuildReport, verbose: bool) -> None:
    if verbose:
        for stage, seconds in report.stage_seconds:
            log.debug("  %-9s %6.3f s", stage, seconds)
        for label, seconds in report.renders.slowest:
            log.debug("  slowest: %6.2f s  %s", seconds, label)
    w, r = report.written, report.renders
    warnings = len(report.diagnostics)
    animations = f" Animations: {r.rendered} rendered, {r.cached} from the cache." if r.rendered or r.cached else ""
    log.warning("Built %d pages (%d posts) into %s/ in %.2f s: %d files written, %d unchanged, %d removed, "
                "%s.%s%s", report.pages, report.posts, report.config.output_dir, report.seconds, w.written,
                w.unchanged, w.removed, _size(w.bytes), animations,
                f" {warnings} warning{'s' * (warnings != 1)}." if warnings else "")


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    return str(count)


def _run_render(args: argparse.Namespace) -> int:
    from sitegen.animate import default_workers
    from sitegen.render_post import render_post

    options = BuildOptions(root=args.root, cache_dir=args.cache_dir, jobs=args.jobs)
    try:
        result = render_post(args.post, args.out, options, args.jobs or default_workers())
    except BuildFailed as failed:
        _print_diagnostics(failed.diagnostics)
        print(f"Render failed: {len(failed.errors)} error(s).", file=sys.stderr)
        return EXIT_FAILED
    _print_diagnostics(result.diagnostics)
    for path in result.files:
        print(path)
    return EXIT_OK


def _run_cache(args: argparse.Namespace) -> int:
    from sitegen import cache_cmd
    from sitegen.build import cache_root, current_keys
    from sitegen.cache import RenderCache
    from sitegen.config import load_config

    options = BuildOptions(root=args.root, cache_dir=args.cache_dir)
    config, problems = load_config(args.root)
    cache = RenderCache(cache_root(config, options))
    if args.action == "info":
        print("\n".join(cache_cmd.info(cache).lines()))
    elif args.action == "clear":
        print(f"removed {cache_cmd.clear(cache)} entries from {cache.root}")
    else:
        keep = None
        if args.older_than is None:
            try:
                keep = current_keys(options)
            except BuildFailed as failed:
                _print_diagnostics(failed.diagnostics)
                print("Not pruned: the site has errors, so which entries it uses is not known.", file=sys.stderr)
                return EXIT_FAILED
        removed, freed = cache_cmd.prune(cache, keep, args.older_than)
        print(f"removed {removed} entries ({_size(freed)}) from {cache.root}")
    return EXIT_OK


def _run_kinds(args: argparse.Namespace) -> int:
    from sitegen.directives import COMMON
    from sitegen.errors import did_you_mean
    from sitegen.kinds import KINDS

    if args.name and args.name not in KINDS:
        print(f"unknown kind '{args.name}' ({did_you_mean(args.name, KINDS)})", file=sys.stderr)
        return EXIT_USAGE
    for name, kind in KINDS.items():
        if args.name and name != args.name:
            continue
        print(f"{name}: {kind.summary}")
        for line in kind.data_layout.strip().splitlines():
            print(f"    data: {line.strip()}" if line.strip() else "")
        for param in kind.params:
            print(f"    {param.name} (default {param.default!r}): {param.doc}")
        print()
    if not args.name:
        print("Keys every animation accepts:")
        for key, option in COMMON.items():
            print(f"    {key} (default {option.default!r}): {option.doc}")
    return EXIT_OK
