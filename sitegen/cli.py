"""Command line: argument parsing, output, and exit codes (the only place that sets them)."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from sitegen import __version__
from sitegen.build import BuildOptions, BuildReport, build
from sitegen.cache_cmd import human_size
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

    init_cmd = commands.add_parser("init", help="start a new site that builds at once",
                                   description="Write sitegen.toml, a first post with an animation, an About page, "
                                   ".gitignore and a GitHub Actions workflow that publishes to GitHub Pages.")
    init_cmd.add_argument("directory", nargs="?", type=Path, default=Path("."), help="where (default: here)")
    init_cmd.add_argument("--title", default="My portfolio", help="the site's title")
    init_cmd.add_argument("--force", action="store_true", help="write over an existing site's starter files")
    init_cmd.set_defaults(run=_run_init)

    new_cmd = commands.add_parser("new", parents=[common], help="start a new dated post",
                                  description="Write content/posts/YYYY-MM-DD-<slug>.md from a template and print its path.")
    new_cmd.add_argument("title", help="the post's title")
    new_cmd.set_defaults(run=_run_new)

    serve_cmd = commands.add_parser("serve", parents=[common], help="preview the site, rebuilding and reloading as you edit",
                                    description="Build into a temporary folder and serve it on 127.0.0.1 under the "
                                    "base path; rebuild when a source changes and reload open pages.")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--base-url", metavar="URL", help="serve under this path (default: base_url in sitegen.toml)")
    serve_cmd.add_argument("--drafts", action="store_true", help="include drafts")
    _render_options(serve_cmd)
    serve_cmd.set_defaults(run=_run_serve)

    deploy_cmd = commands.add_parser("deploy", parents=[common], help="publish site/ to the gh-pages branch",
                                     description="Commit the built site/ as the whole tree of a branch (gh-pages) "
                                     "and push it. Your working tree, index and current branch are not touched.")
    deploy_cmd.add_argument("--remote", default="origin", help="the remote to push to (default: origin)")
    deploy_cmd.add_argument("--branch", default="gh-pages", help="the branch to publish (default: gh-pages)")
    deploy_cmd.add_argument("--message", "-m", help="the commit message (default: names the source commit)")
    deploy_cmd.add_argument("--force", action="store_true", help="replace the remote branch even if it moved on")
    deploy_cmd.add_argument("--no-push", dest="push", action="store_false", help="commit locally, do not push")
    deploy_cmd.add_argument("--cache-dir", type=Path, metavar="DIR", help="the render cache (where the last build is recorded)")
    deploy_cmd.set_defaults(run=_run_deploy)

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

    check_cmd = commands.add_parser("check", parents=[common], help="check the built site's links, anchors and sizes",
                                    description="Read the built site (site/) and report internal links and assets "
                                    "that lead nowhere, missing #anchors, images without alt text, and files too "
                                    "large for GitHub Pages.")
    check_cmd.add_argument("--base-url", metavar="URL", help="the path the site is served under, e.g. /my-repo/ "
                           "(overrides base_url in sitegen.toml)")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_cmd.set_defaults(run=_run_check)

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
                w.unchanged, w.removed, human_size(w.bytes), animations,
                f" {warnings} warning{'s' * (warnings != 1)}." if warnings else "")


def _run_init(args: argparse.Namespace) -> int:
    from sitegen.starter import StarterError, init_site

    try:
        created = init_site(args.directory, args.title, force=args.force)
    except StarterError as exc:
        print(f"Not created: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for path in created.files:
        print(path)
    where = "" if args.directory == Path(".") else f"cd {args.directory} && "
    print(f"\nA new site. Next: {where}sitegen serve", file=sys.stderr)
    return EXIT_OK


def _run_new(args: argparse.Namespace) -> int:
    from sitegen.config import load_config
    from sitegen.starter import StarterError, new_post

    config, _ = load_config(args.root)
    try:
        path = new_post(args.root, args.title, config.content_dir)
    except StarterError as exc:
        print(f"Not created: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(path)
    return EXIT_OK


def _run_serve(args: argparse.Namespace) -> int:
    from sitegen.config import load_config
    from sitegen.progress import LineProgress
    from sitegen.serve import DevServer

    config, _ = load_config(args.root, base_url=args.base_url)

    def builder_for(output: Path):  # type: ignore[no-untyped-def]
        def rebuild() -> tuple[Diagnostic, ...]:
            options = BuildOptions(root=args.root, base_url=args.base_url, drafts=args.drafts, output_dir=output,
                                   cache_dir=args.cache_dir, jobs=args.jobs)
            try:
                report = build(options, LineProgress())
            except BuildFailed as failed:
                _print_diagnostics(failed.diagnostics)
                log.warning("Build failed; still serving the last good build.")
                return failed.errors
            _print_diagnostics(report.diagnostics)
            _print_summary(report, False)
            return ()
        return rebuild

    skip = (config.output_path, args.cache_dir or config.cache_path)
    try:
        server = DevServer(args.root.resolve(), args.host, args.port, config.base_url, builder_for, skip)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED
    import signal

    def stop_on_term(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)  # a service manager's stop is a Ctrl-C too
    try:
        server.site.rebuild()
        print(f"Serving on {server.url} (Ctrl-C to stop)", flush=True)
        server.run()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.close()
    return EXIT_OK


def _run_deploy(args: argparse.Namespace) -> int:
    from sitegen.build import cache_root
    from sitegen.cache import RenderCache
    from sitegen.config import load_config
    from sitegen.deploy import DeployError, DeployOptions, deploy

    config, problems = load_config(args.root)
    if problems:
        _print_diagnostics(problems)
        return EXIT_FAILED
    options = DeployOptions(remote=args.remote, branch=args.branch, message=args.message, force=args.force,
                            push=args.push)
    try:
        done = deploy(config, RenderCache(cache_root(config, BuildOptions(root=args.root, cache_dir=args.cache_dir))),
                      options)
    except DeployError as exc:
        print(f"Not deployed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if done.commit is None:
        print(f"{done.branch} already holds this site ({done.files} files); nothing to deploy.")
    else:
        where = f"pushed to {args.remote}/{done.branch}" if done.pushed else f"committed to {done.branch} (not pushed)"
        print(f"Deployed {done.files} files: {done.commit[:12]} {where}.")
    return EXIT_OK


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
        print(f"removed {removed} entries ({human_size(freed)}) from {cache.root}")
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    from sitegen.check import scan_site
    from sitegen.config import load_config
    from sitegen.errors import error

    config, problems = load_config(args.root, base_url=args.base_url)
    if problems:
        _print_diagnostics(problems)
        print("Not checked: sitegen.toml has errors.", file=sys.stderr)
        return EXIT_FAILED
    if not config.output_path.is_dir():
        _print_diagnostics([error(config.output_dir, None, "no built site here", "run sitegen build first")])
        return EXIT_FAILED
    report = scan_site(config.output_path, config.base_url)
    _print_diagnostics(report.diagnostics)
    errors, warnings = report.error_count, report.warning_count
    log.warning("Checked %d pages and %d links in %s/ in %.2f s: %d error%s, %d warning%s.", report.pages,
                report.links, config.output_dir, report.seconds, errors, "s" * (errors != 1), warnings,
                "s" * (warnings != 1))
    return EXIT_FAILED if errors or (warnings and args.strict) else EXIT_OK


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
