"""Command line: argument parsing, output, and exit codes (the only place that sets them)."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Sequence

from sitegen import OLD_PRESET_NAMES, PRESETS, __version__
from sitegen import commands
from sitegen.errors import SitegenError, UsageError

log = logging.getLogger("sitegen")


EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def exit_code(error: SitegenError) -> int:
    """The one mapping from sitegen's exceptions to exit codes."""
    return EXIT_USAGE if isinstance(error, UsageError) else EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(getattr(args, "verbose", 0) - getattr(args, "quiet", 0))
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SitegenError as failed:  # what the user can fix: its problems, then what it means; no traceback
        commands.print_diagnostics(failed.diagnostics)
        print(str(failed), file=sys.stderr)
        return exit_code(failed)
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=(
        "Build a portfolio site from Markdown posts whose animations are rendered from data and cached."))
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), metavar="DIR",
                        help="the site folder, holding sitegen.toml and content/ (default: current folder)")
    common.add_argument("-q", "--quiet", action="count", default=0, help="print only problems and the summary")
    common.add_argument("-v", "--verbose", action="count", default=0, help="print more: each stage's time")
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build_cmd = subcommands.add_parser("build", parents=[common], help="build the site into site/",
                                    description="Read sitegen.toml and content/, write the site to site/. "
                                    "site/ is replaced only when the build succeeds.")
    build_cmd.add_argument("--drafts", action="store_true", help="include posts with 'draft: true' or 'published: false'")
    build_cmd.add_argument("--base-url", metavar="URL", help="the path the site is served under, e.g. /my-repo/ "
                           "for a GitHub project page (overrides base_url in sitegen.toml)")
    build_cmd.add_argument("--for-disk", action="store_true", help="end links to folders in index.html, so "
                           "site/index.html can be opened from disk without a server (as does base_url = '.')")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _render_options(build_cmd)
    build_cmd.set_defaults(run=commands.run_build)

    init_cmd = subcommands.add_parser("init", help="start a new site that builds at once",
                                   description="Write sitegen.toml, a first post with an animation, an About page, "
                                   ".gitignore and a GitHub Actions workflow that publishes to GitHub Pages.")
    init_cmd.add_argument("directory", nargs="?", type=Path, default=Path("."), help="where (default: here)")
    init_cmd.add_argument("--title", default="My portfolio", help="the site's title")
    init_cmd.add_argument("--force", action="store_true", help="write over an existing site's starter files")
    init_cmd.set_defaults(run=commands.run_init)

    new_cmd = subcommands.add_parser("new", parents=[common], help="start a new dated post",
                                  description="Write content/posts/YYYY-MM-DD-<slug>.md from a template and print its path.")
    new_cmd.add_argument("title", help="the post's title")
    new_cmd.set_defaults(run=commands.run_new)

    serve_cmd = subcommands.add_parser("serve", parents=[common], help="preview the site, rebuilding and reloading as you edit",
                                    description="Build into a temporary folder and serve it on 127.0.0.1 under the "
                                    "base path; rebuild when a source changes and reload open pages.")
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--base-url", metavar="URL", help="serve under this path (default: base_url in sitegen.toml)")
    serve_cmd.add_argument("--drafts", action="store_true", help="include drafts")
    _render_options(serve_cmd, commands.SERVE_PRESET)
    serve_cmd.set_defaults(run=commands.run_serve)

    deploy_cmd = subcommands.add_parser("deploy", parents=[common], help="publish site/ to the gh-pages branch",
                                     description="Commit the files the last 'sitegen build' wrote into site/ as "
                                     "the whole tree of a branch (gh-pages) and push it. Your working tree, index "
                                     "and current branch are not touched.")
    deploy_cmd.add_argument("--remote", default="origin", help="the remote to push to (default: origin)")
    deploy_cmd.add_argument("--branch", default="gh-pages", help="the branch to publish (default: gh-pages)")
    deploy_cmd.add_argument("--message", "-m", help="the commit message (default: names the source commit)")
    deploy_cmd.add_argument("--force", action="store_true", help="replace the remote branch even if it moved on")
    deploy_cmd.add_argument("--no-push", dest="push", action="store_false", help="commit locally, do not push")
    deploy_cmd.add_argument("--drafts", action="store_true", help="publish a site built with --drafts")
    deploy_cmd.add_argument("--cache-dir", type=Path, metavar="DIR", help="the render cache (where the last build is recorded)")
    deploy_cmd.set_defaults(run=commands.run_deploy)

    render_cmd = subcommands.add_parser("render", parents=[common], help="render one post's animations into a folder",
                                     description="Render the animations of one post (through the render cache) "
                                     "and copy them into a folder, e.g. for a README.")
    render_cmd.add_argument("post", type=Path, help="the post's Markdown file")
    render_cmd.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to copy the files into")
    _render_options(render_cmd)
    render_cmd.set_defaults(run=commands.run_render)

    cache_cmd = subcommands.add_parser("cache", help="look after the render cache: info, prune, clear",
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
        sub.set_defaults(run=commands.run_cache, action=action)

    check_cmd = subcommands.add_parser("check", parents=[common], help="check the built site's links, anchors and sizes",
                                    description="Read the built site (site/) and report internal links and assets "
                                    "that lead nowhere, missing #anchors, images without alt text, and files too "
                                    "large for GitHub Pages.")
    check_cmd.add_argument("--base-url", metavar="URL", help="the path the site is served under, e.g. /my-repo/ "
                           "(overrides base_url in sitegen.toml)")
    check_cmd.add_argument("--strict", action="store_true", help="fail on warnings too")
    check_cmd.set_defaults(run=commands.run_check)

    import_cmd = subcommands.add_parser("import", help="make a sitegen site from another generator's site",
                                     description="Read a site made with another generator (never changing it) "
                                     "and write a sitegen site that builds.")
    import_from = import_cmd.add_subparsers(title="from", metavar="GENERATOR")
    jekyll_cmd = import_from.add_parser("jekyll", help="a Jekyll site: _config.yml, posts, pages, collections",
                                        description="Write a sitegen site from a Jekyll site: _config.yml as "
                                        "sitegen.toml, _posts, _drafts, _pages, collections, assets, _data and "
                                        "_includes; then say what had no equal (plugins, layouts, Sass), with "
                                        "file and line.")
    jekyll_cmd.add_argument("source", type=Path, metavar="SRC", help="the Jekyll site's folder")
    jekyll_cmd.add_argument("dest", type=Path, nargs="?", metavar="DEST",
                            help="where to write the sitegen site (default: ./<SRC's name>-sitegen)")
    jekyll_cmd.add_argument("--force", action="store_true", help="write into DEST even if it is not empty")
    jekyll_cmd.set_defaults(run=commands.run_import_jekyll)

    kinds_cmd = subcommands.add_parser("kinds", help="list the built-in animation kinds, their data and keys",
                                    description="Every built-in kind with the data layout it reads and its own "
                                    "keys, then the keys every animation accepts.")
    kinds_cmd.add_argument("name", nargs="?", help="show one kind only")
    kinds_cmd.set_defaults(run=commands.run_kinds)
    return parser


def _preset(name: str) -> str:
    """--preset's value, an old name taken as its new one (with a warning)."""
    old = dict(OLD_PRESET_NAMES)
    if name in old:
        log.warning("--preset %s is now called --preset %s", name, old[name])
        return old[name]
    if name not in PRESETS:
        raise argparse.ArgumentTypeError(f"{name!r} is not a preset: choose {' or '.join(PRESETS)}")
    return name


def _render_options(command: argparse.ArgumentParser,
                    preset_default: str = f"[render] preset in sitegen.toml, else {PRESETS[0]}") -> None:
    command.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                         help="render animations in N processes (default: every core)")
    command.add_argument("--cache-dir", type=Path, metavar="DIR",
                         help="the render cache (default: .sitegen-cache, or $SITEGEN_CACHE_DIR)")
    command.add_argument("--preset", type=_preset, default=None, metavar="{" + ",".join(PRESETS) + "}",
                         help="encoder preset: 'publish' for the files you publish, or 'preview' to render several "
                         f"times faster with larger files (default: {preset_default})")
    command.add_argument("--scheduler", metavar="ADDRESS", default=None,
                         help="render on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786; default: "
                         "$SITEGEN_SCHEDULER, else [render] scheduler in sitegen.toml, else processes here)")


def _configure_logging(level: int) -> None:
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=logging.WARNING)
    log.setLevel(logging.WARNING if level < 0 else logging.DEBUG if level > 0 else logging.INFO)
