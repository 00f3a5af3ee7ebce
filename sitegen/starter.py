"""`sitegen init` and `sitegen new`: a new site that builds at once, and a new dated post."""
from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from sitegen import __version__
from sitegen.errors import CommandFailed
from sitegen.slugs import slugify

# The name on the package index (pyproject's [project] name). "sitegen" there is an unrelated project;
# the import package and the command are still called sitegen.
DISTRIBUTION = "sitegen-portfolio"


class StarterError(CommandFailed):
    """Refused, and why (nothing was written)."""


@dataclass(frozen=True, slots=True)
class Created:
    root: Path
    files: tuple[Path, ...]


def init_site(root: Path, title: str, force: bool = False) -> Created:
    """Write a new site into `root`. Refuses a folder that already holds a site unless `force`."""
    existing = [p for p in (root / "sitegen.toml", root / "content") if p.exists()]
    if existing and not force:
        raise StarterError(f"{root} already holds a site ({', '.join(p.name for p in existing)}); "
                           "use --force to write the starter files over it")
    today = dt.date.today()
    files = {
        "sitegen.toml": _CONFIG.format(title=title.replace('"', '\\"')),
        f"content/posts/{today:%Y-%m-%d}-a-travelling-wave.md": _FIRST_POST.format(date=f"{today:%Y-%m-%d}"),
        "content/pages/about.md": _ABOUT,
        ".gitignore": _GITIGNORE,
        ".github/workflows/pages.yml": workflow(),
        "data/README.md": _DATA_README,
    }
    written = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        written.append(path)
    written.append(_wave_data(root / "data" / "wave.npz"))
    return Created(root, tuple(written))


def workflow() -> str:
    """The GitHub Actions workflow, installing this very version of sitegen from the package index."""
    return WORKFLOW.replace("@DISTRIBUTION@", DISTRIBUTION).replace("@VERSION@", installed_version())


def installed_version() -> str:
    """The version of the installed distribution (what `pip install` would need to get this code)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source folder that was never installed
        return __version__


def new_post(root: Path, title: str, content_dir: str = "content", today: dt.date | None = None) -> Path:
    """A dated post from a template; refuses to overwrite one that exists."""
    slug = slugify(title)
    if not slug:
        raise StarterError(f"cannot make a file name from the title {title!r}; use letters or digits")
    day = today or dt.date.today()
    path = root / content_dir / "posts" / f"{day:%Y-%m-%d}-{slug}.md"
    if path.exists():
        raise StarterError(f"{path} already exists; choose another title or edit that post")
    path.parent.mkdir(parents=True, exist_ok=True)
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(_NEW_POST.format(title=quoted, date=f"{day:%Y-%m-%d}"), encoding="utf-8")
    return path


def _wave_data(path: Path) -> Path:
    """A small travelling Gaussian bump (40 frames of 32×32): the first post's animation data."""
    t = np.arange(40)[:, None, None]
    y, x = np.mgrid[0:32, 0:32]
    frames = np.exp(-((x - 4 - 0.6 * t) ** 2 + (y - 16 - 6 * np.sin(t / 6)) ** 2) / 18.0)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, frames=frames.astype(np.float32))
    return path


_CONFIG = '''
title = "{title}"
description = "Projects, with their figures animated."
url = ""                      # e.g. "https://yourname.github.io" (for canonical links and the feed)
base_url = "/"                # "/repository-name/" for a GitHub project page
language = "en"

[author]
name = ""
bio = ""
links = []                    # e.g. [{{ title = "GitHub", url = "https://github.com/yourname" }}]

[theme]
accent = "#0b7285"
accent_dark = "#66d9e8"
nav = [{{ title = "About", url = "/about/" }}]
'''

_FIRST_POST = '''
---
title: "A travelling wave"
date: {date}
tags: [example, animation]
excerpt: "A bump of activity crossing a simulated sheet, rendered by sitegen from a small array."
header:
  teaser: animation
---
This post was made by `sitegen init`. Edit it, or make a new one with `sitegen new "My project"`.

<!--more-->

The animation below is drawn from `data/wave.npz`, an array of 40 frames of 32×32 values. sitegen
renders it once per theme (light and dark) to WebM and GIF, and renders it again only when the data
or the settings change.

```animation
kind: heatmap
data: data/wave.npz
fps: 12
cmap: viridis
caption: A Gaussian bump drifting across the sheet.
alt: A bright spot moves from left to right across a dark square.
```

Run `sitegen kinds` to see every kind of animation and the data each one reads.
'''

_ABOUT = '''
---
title: About
permalink: /about/
---
Write about yourself here: your research, your methods, how to reach you.
'''

_NEW_POST = '''---
title: "{title}"
date: {date}
tags: []
excerpt: ""
draft: true
---
Start with a paragraph that says what the project is; it becomes the card's text.

<!--more-->

## Method

## Results
'''

_GITIGNORE = '''
site/
.sitegen-cache/
__pycache__/
'''

_DATA_README = '''
Data files that animations read (.npy, .npz, .csv). They are inputs: sitegen does not copy them into
the site unless an animation says `download: true`.
'''

# The GitHub Actions workflow: build with the base path GitHub Pages reports, cache renders, deploy.
# Every action is pinned to the commit its release tag named (a tag can be moved, a commit cannot).
WORKFLOW = '''
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

# Nothing for the workflow as a whole: each job asks for what it needs.
permissions: {}

# One deployment at a time; a deployment in progress is never cancelled.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  # The sitegen that wrote this file. To use another version, change it here; to install from git:
  # SITEGEN: "@DISTRIBUTION@ @ git+https://github.com/OWNER/REPOSITORY@COMMIT"
  SITEGEN: "@DISTRIBUTION@==@VERSION@"

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@34e114876b0b11c390a56381ad16ebd13914f8d5 # v4.3.1
        with:
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0
        with:
          python-version: "3.12"
      - name: Install sitegen
        run: python -m pip install "$SITEGEN"
      - id: pages
        uses: actions/configure-pages@983d7736d9b0ae728b81ab479565c72886d7745b # v5.0.0
      - name: Restore the render cache
        uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0
        with:
          path: .sitegen-cache
          key: sitegen-${{ env.SITEGEN }}-${{ hashFiles('content/**', 'data/**', 'scripts/**', 'templates/**', 'sitegen.toml') }}
          restore-keys: |
            sitegen-${{ env.SITEGEN }}-
      - name: Build
        run: sitegen build --base-url "${{ steps.pages.outputs.base_path }}/"
      - uses: actions/upload-pages-artifact@56afc609e74202658d3ffba0e8f6dda462b719fa # v3.0.1
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e # v4.0.5
'''
