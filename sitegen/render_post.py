"""`sitegen render POST.md --out DIR`: one post's animations rendered (through the same cache as a
build) and copied into a folder under readable names — for a README GIF, say."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sitegen.animation.jobs import OUTPUT_NAMES
from sitegen.build import BuildOptions, plan_site, render_planned
from sitegen.config import load_config
from sitegen.errors import BuildFailed, Diagnostic, error, has_errors
from sitegen.model import SourceFile

_SUFFIX = {fmt: Path(name).suffix for fmt, name in OUTPUT_NAMES.items()}


@dataclass(frozen=True, slots=True)
class RenderedFiles:
    files: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]


def render_post(post_file: Path, out: Path, options: BuildOptions) -> RenderedFiles:
    config, problems = load_config(options.root)
    source = _source(post_file, config.content_path)
    if source is None:
        raise BuildFailed([*problems, error(str(post_file), None, "not a Markdown post or page inside the content folder",
                                            f"give a path like {config.content_dir}/posts/2024-01-01-my-post.md")])
    [planned] = plan_site(options, only=[source])
    animations, animated = render_planned(planned, options)
    planned.memo.save()
    diagnostics = (*planned.diagnostics, *animated)
    if has_errors(diagnostics):
        raise BuildFailed(diagnostics)
    if not planned.plans:
        raise BuildFailed([*diagnostics, error(source.rel, None, "this post has no animations")])
    out.mkdir(parents=True, exist_ok=True)
    written = []
    slug = planned.posts[0].slug
    for animation in planned.plans:
        for variant in animations.variants.get((animation.directive.post, animation.directive.index), ()):
            for fmt, url in variant.urls.items():
                name = f"{slug}-{animation.directive.index + 1}-{variant.variant}{'-poster' if fmt == 'poster' else ''}{_SUFFIX[fmt]}"
                shutil.copyfile(_cache_file(animations, url), out / name)
                written.append(out / name)
    return RenderedFiles(tuple(written), tuple(diagnostics))


def _source(post_file: Path, content: Path) -> SourceFile | None:
    path = post_file.resolve()
    if not path.is_file() or not path.is_relative_to(content.resolve()) or path.suffix not in (".md", ".markdown"):
        return None
    rel = path.relative_to(content.resolve()).as_posix()
    return SourceFile(path=path, rel=rel, kind="page" if rel.startswith("pages/") else "post")


def _cache_file(animations, url: str) -> Path:  # type: ignore[no-untyped-def]
    for output in animations.outputs:
        if "/" + output.rel == url and output.copy_from is not None:
            return output.copy_from
    raise KeyError(url)
