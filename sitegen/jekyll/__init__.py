"""`sitegen import jekyll SRC [DEST]`: a Jekyll site read (never changed) and written as a sitegen site.

settings.py maps _config.yml, content.py the files, navigation.py the navigation bar; report.py holds
what was mapped and what was not. `import_jekyll` is the one entry point."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from sitegen.errors import CommandFailed, InputError
from sitegen.jekyll import settings
from sitegen.jekyll.content import ContentPlan, plan_content
from sitegen.jekyll.navigation import nav_links
from sitegen.jekyll.report import Findings, ImportReport
from sitegen.jekyll.source import JekyllConfig, is_jekyll_site, read_config, site_files
from sitegen.jekyll.toml_text import toml_document
from sitegen.model import OutputFile

GITIGNORE = "site/\n.sitegen-cache/\n"


def default_destination(src: Path) -> Path:
    return Path(f"{src.resolve().name}-sitegen")


def import_jekyll(src: Path, dest: Path, force: bool = False) -> ImportReport:
    """Write the sitegen site made from the Jekyll site at `src` into `dest` (which must be empty, or
    `force`). Raises InputError when `src` is no Jekyll site or its _config.yml is broken."""
    _check_folders(src, dest, force)
    findings = Findings(str(src))
    config = read_config(src, str(src))
    collections = settings.collections_of(config, findings)
    exclude = tuple(str(p) for p in config.get("exclude", []) if isinstance(config.get("exclude"), list))
    if exclude:
        findings.mapped(f"exclude ({len(exclude)} patterns) -> those files are not copied")
    plan = plan_content(site_files(src, exclude), collections, str(config.get("collections_dir", "")), findings)
    settings.report_theme_and_plugins(config, findings)
    toml = _sitegen_toml(config, src, plan, findings)
    files = [OutputFile("sitegen.toml", toml.encode()), OutputFile(".gitignore", GITIGNORE.encode()), *plan.files]
    _write(files, dest)
    return findings.report(dest, plan.counts)


def _check_folders(src: Path, dest: Path, force: bool) -> None:
    if not src.is_dir():
        raise InputError(src, None, "no such folder", "name the folder that holds the Jekyll site")
    if not is_jekyll_site(src):
        raise InputError(src, None, "not a Jekyll site: there is no _config.yml and no _posts/ folder",
                         "name the folder that holds the site's _config.yml")
    a, b = src.resolve(), dest.resolve()
    if a == b or b.is_relative_to(a) or a.is_relative_to(b):
        raise CommandFailed(f"Not imported: {dest} and {src} overlap, and the Jekyll site is never changed",
                            "name a folder outside it")
    if dest.exists() and not dest.is_dir():
        raise CommandFailed(f"Not imported: {dest} is a file")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise CommandFailed(f"Not imported: {dest} is not empty", "name a new folder, or add --force to write into it")


def _sitegen_toml(config: JekyllConfig, src: Path, plan: ContentPlan, findings: Findings) -> str:
    top = settings.site_top(config, src.resolve().name, findings)
    author = settings.author_table(config, src, plan.avatar, findings)
    nav = nav_links(src, plan, findings)
    defaults = settings.defaults_entries(config, plan.collections, findings)
    header = "# Imported from a Jekyll site by `sitegen import jekyll`; every key is in the README.\n"
    return header + toml_document(top, {"author": author, "theme": {"nav": nav or None}},
                                  {"collections": settings.collection_entries(plan), "defaults": defaults})


def _write(files: list[OutputFile], dest: Path) -> None:
    """Into a folder beside `dest` first, so a failed import leaves nothing half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.importing-", dir=dest.parent))
    staging.chmod(0o755)  # mkdtemp's folder is the user's alone; the site's folder is not
    try:
        for file in files:
            target = staging / file.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if file.copy_from is not None:
                shutil.copyfile(file.copy_from, target)
            else:
                target.write_bytes(file.data or b"")
        if dest.is_dir() and not any(dest.iterdir()):
            dest.rmdir()
        if dest.exists():  # --force: over what is there
            shutil.copytree(staging, dest, dirs_exist_ok=True)
        else:
            os.replace(staging, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
