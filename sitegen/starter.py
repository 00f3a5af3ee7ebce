"""`sitegen init` and `sitegen new`: a new site that builds at once, and a new dated post."""
from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sitegen import __version__
from sitegen.slugs import slugify


class StarterError(Exception):
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
        ".github/workflows/pages.yml": WORKFLOW.replace("@VERSION@", __version__),
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
WORKFLOW = '''
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a deployment in progress is never cancelled.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  SITEGEN: "sitegen==@VERSION@"   # or a git URL of the sitegen version you use

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install sitegen
        run: python -m pip install "$SITEGEN"
      - id: pages
        uses: actions/configure-pages@v5
      - name: Restore the render cache
        uses: actions/cache@v4
        with:
          path: .sitegen-cache
          key: sitegen-${{ env.SITEGEN }}-${{ hashFiles('content/**', 'data/**', 'scripts/**', 'templates/**', 'sitegen.toml') }}
          restore-keys: |
            sitegen-${{ env.SITEGEN }}-
      - name: Build
        run: sitegen build --base-url "${{ steps.pages.outputs.base_path }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
'''
