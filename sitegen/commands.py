"""What each command does, once cli.py has parsed its arguments. A command that cannot do its job raises
a SitegenError (errors.py); cli.py prints it and turns it into the exit code."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from sitegen.build import BuildOptions, BuildReport, build
from sitegen.cache_cmd import human_size
from sitegen.errors import BuildFailed, CommandFailed, Diagnostic, Severity, UsageError

if TYPE_CHECKING:
    from sitegen.cache import RenderCache
    from sitegen.config import SiteConfig

log = logging.getLogger("sitegen")

SERVE_PRESET = "preview"  # previews render several times faster; `sitegen build` makes the files you publish


def run_build(args: argparse.Namespace) -> None:
    options = BuildOptions(root=args.root, base_url=args.base_url, drafts=args.drafts, strict=args.strict,
                           cache_dir=args.cache_dir, jobs=args.jobs, preset=args.preset, scheduler=args.scheduler,
                           for_disk=args.for_disk)
    try:
        report = build(options, _progress(args.quiet))
    except BuildFailed as failed:
        raise failed.summarised("Build failed", "The previous site was left as it was.") from None
    print_diagnostics(report.diagnostics)
    _print_summary(report, args.verbose > 0)


def _progress(quiet: int):  # type: ignore[no-untyped-def]
    """Bars on a terminal; one line per animation in CI, in a pipe, or with -q."""
    import os

    from sitegen.progress import BarProgress, LineProgress

    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return LineProgress()
    return BarProgress()


def print_diagnostics(diagnostics: Sequence[Diagnostic]) -> None:
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


def run_init(args: argparse.Namespace) -> None:
    from sitegen.starter import StarterError, init_site

    try:
        created = init_site(args.directory, args.title, force=args.force)
    except StarterError as exc:
        raise CommandFailed(f"Not created: {exc}") from None
    for path in created.files:
        print(path)
    where = "" if args.directory == Path(".") else f"cd {args.directory} && "
    print(f"\nA new site. Next: {where}sitegen serve", file=sys.stderr)


def run_new(args: argparse.Namespace) -> None:
    from sitegen.config import load_config
    from sitegen.starter import StarterError, new_post

    config, _ = load_config(args.root)
    try:
        path = new_post(args.root, args.title, config.content_dir)
    except StarterError as exc:
        raise CommandFailed(f"Not created: {exc}") from None
    print(path)


def run_serve(args: argparse.Namespace) -> None:
    from sitegen.config import load_config
    from sitegen.progress import LineProgress
    from sitegen.serve import DevServer

    config, _ = load_config(args.root, base_url=args.base_url)

    def builder_for(output: Path):  # type: ignore[no-untyped-def]
        def rebuild() -> tuple[Diagnostic, ...]:
            options = BuildOptions(root=args.root, base_url=args.base_url, drafts=args.drafts, output_dir=output,
                                   cache_dir=args.cache_dir, jobs=args.jobs, preset=args.preset or SERVE_PRESET,
                                   scheduler=args.scheduler)
            try:
                report = build(options, LineProgress())
            except BuildFailed as failed:
                print_diagnostics(failed.diagnostics)
                log.warning("Build failed; still serving the last good build.")
                return failed.errors
            print_diagnostics(report.diagnostics)
            _print_summary(report, False)
            return ()
        return rebuild

    skip = (config.output_path, args.cache_dir or config.cache_path)
    try:
        server = DevServer(args.root.resolve(), args.host, args.port, config.base_url, builder_for, skip)
    except OSError as exc:
        raise CommandFailed(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    import signal

    def stop_on_term(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_term)  # a service manager's stop is a Ctrl-C too
    try:
        server.site.rebuild()
        preset = args.preset or SERVE_PRESET
        note = " — quicker to render, larger files; `sitegen build` makes the ones you publish" if preset == "preview" else ""
        print(f"Serving on {server.url} (Ctrl-C to stop). Animations use the {preset} preset{note}.", flush=True)
        server.run()
    except KeyboardInterrupt:
        print("Stopped.", flush=True)
    finally:
        server.close()
        _forget_serve_build(config, args.cache_dir, server.output)


def _forget_serve_build(config: SiteConfig, cache_dir: Path | None, output: Path) -> None:
    """The record of serve's builds goes with its folder (it was only ever apart from site/'s)."""
    from sitegen.build import cache_root
    from sitegen.cache import RenderCache
    from sitegen.cache_cmd import forget_build

    forget_build(RenderCache(cache_root(config, BuildOptions(root=config.root, cache_dir=cache_dir))), output)


def run_deploy(args: argparse.Namespace) -> None:
    from sitegen.build import cache_root
    from sitegen.cache import RenderCache
    from sitegen.config import load_config
    from sitegen.deploy import DeployError, DeployOptions, deploy

    config, problems = load_config(args.root)
    if problems:
        raise BuildFailed(problems, "Not deployed: sitegen.toml has errors.")
    options = DeployOptions(remote=args.remote, branch=args.branch, message=args.message, force=args.force,
                            push=args.push, drafts=args.drafts)
    try:
        done = deploy(config, RenderCache(cache_root(config, BuildOptions(root=args.root, cache_dir=args.cache_dir))),
                      options)
    except DeployError as exc:
        raise CommandFailed(f"Not deployed: {exc}") from None
    for note in done.notes:
        print(note)
    if done.left_out:
        shown = ", ".join(done.left_out[:10]) + (", …" if len(done.left_out) > 10 else "")
        print(f"Not published: {len(done.left_out)} files in {config.output_dir}/ that the last build did not "
              f"write ({shown})")
    if done.commit is None:
        print(f"{done.branch} already holds this site ({done.files} files); nothing to deploy.")
    else:
        where = f"pushed to {args.remote}/{done.branch}" if done.pushed else f"committed to {done.branch} (not pushed)"
        print(f"Deployed {done.files} files: {done.commit[:12]} {where}.")


def run_render(args: argparse.Namespace) -> None:
    from sitegen.render_post import render_post

    options = BuildOptions(root=args.root, cache_dir=args.cache_dir, jobs=args.jobs, preset=args.preset,
                           scheduler=args.scheduler)
    try:
        result = render_post(args.post, args.out, options)
    except BuildFailed as failed:
        raise failed.summarised("Render failed", "") from None
    print_diagnostics(result.diagnostics)
    for path in result.files:
        print(path)


def run_cache(args: argparse.Namespace) -> None:
    from sitegen import cache_cmd
    from sitegen.build import cache_root
    from sitegen.cache import RenderCache
    from sitegen.config import load_config

    config, problems = load_config(args.root)
    if problems:
        raise BuildFailed(problems, "Nothing done: sitegen.toml has errors.")
    options = BuildOptions(root=args.root, cache_dir=args.cache_dir)
    cache = RenderCache(cache_root(config, options))
    try:
        if args.action == "info":
            print("\n".join(cache_cmd.info(cache).lines()))
            return
        if args.action == "clear":
            layout = cache_cmd.clear(cache)
            print(f"removed {len(layout.entries())} entries from {cache.root}")
            if layout.theirs:
                names = [p.relative_to(cache.root).as_posix() for p in layout.theirs]
                print(f"left {len(names)} files and folders that sitegen did not write: " + ", ".join(names[:10])
                      + (", …" if len(names) > 10 else ""))
            return
        _prune(cache, options, args.older_than)
    except cache_cmd.NotACache as refused:
        raise CommandFailed(f"Not {'cleared' if args.action == 'clear' else 'pruned'}: {refused}. The folder comes "
                            f"from {_cache_source(args.cache_dir)}; name a folder of sitegen's own, such as "
                            "'.sitegen-cache'.") from None


def _prune(cache: RenderCache, options: BuildOptions, older_than: float | None) -> None:
    from sitegen import cache_cmd
    from sitegen.build import current_keys

    keep = None
    if older_than is None:
        cache_cmd.checked_layout(cache)  # refuse before reading every post
        try:
            keep = current_keys(options)
        except BuildFailed as failed:
            raise BuildFailed(failed.diagnostics, "Not pruned: the site has errors, so which entries it uses is "
                                                  "not known.") from None
    removed, freed = cache_cmd.prune(cache, keep, older_than)
    print(f"removed {removed} entries ({human_size(freed)}) from {cache.root}")


def _cache_source(cache_dir: Path | None) -> str:
    """Where the cache folder was named, in the order build.cache_root looks."""
    import os

    if cache_dir is not None:
        return "--cache-dir"
    if os.environ.get("SITEGEN_CACHE_DIR"):
        return "$SITEGEN_CACHE_DIR"
    return "cache_dir in sitegen.toml (default '.sitegen-cache')"


def run_check(args: argparse.Namespace) -> None:
    from sitegen.check import scan_site
    from sitegen.config import load_config
    from sitegen.errors import error

    config, problems = load_config(args.root, base_url=args.base_url)
    if problems:
        raise BuildFailed(problems, "Not checked: sitegen.toml has errors.")
    if not config.output_path.is_dir():
        raise BuildFailed([error(config.output_dir, None, "no built site here", "run sitegen build first")],
                          "Not checked.")
    report = scan_site(config.output_path, config.base_url)
    print_diagnostics(report.diagnostics)
    errors, warnings = report.error_count, report.warning_count
    summary = (f"Checked {report.pages} pages and {report.links} links in {config.output_dir}/ in "
               f"{report.seconds:.2f} s: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.")
    if errors or (warnings and args.strict):
        raise CommandFailed(summary)
    log.warning("%s", summary)


def run_import_jekyll(args: argparse.Namespace) -> None:
    from sitegen.jekyll import default_destination, import_jekyll

    report = import_jekyll(args.source, args.dest or default_destination(args.source), force=args.force)
    for line in report.mapped:
        print(f"mapped: {line}")
    print_diagnostics(report.problems)
    if report.problems:
        print(f"{len(report.problems)} things had no equal in sitegen (above, at their file and line).", file=sys.stderr)
    print(f"{report.summary()} Next: cd {report.dest} && sitegen build")


def run_kinds(args: argparse.Namespace) -> None:
    """Every kind (or the one named) with its data layout and keys, then the keys every animation takes."""
    from sitegen.animation.kinds import KINDS, UnknownKind
    from sitegen.animation.spec import COMMON
    from sitegen.schema import Schema, allowed, literal

    def print_keys(schema: Schema) -> None:
        for option in schema:
            default = "" if option.default is None else f"; default {literal(option.default)}"
            print(f"    {option.name} ({allowed(option, schema.words)}{default}): {option.doc}")

    try:
        kinds = [KINDS[args.name]] if args.name else list(KINDS)
    except UnknownKind as unknown:
        raise UsageError(str(unknown)) from None
    for kind in kinds:
        print(f"{kind.name}: {kind.summary}")
        for line in kind.data_layout.strip().splitlines():
            print(f"    data: {line.strip()}" if line.strip() else "")
        print_keys(kind.params)
        print()
    if not args.name:
        print("Keys every animation accepts:")
        print_keys(COMMON)
