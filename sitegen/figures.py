"""Rendered animations -> the <figure> each placeholder in a post becomes (through the theme's
partials/animation.html)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

from sitegen.animation.spec import Directive
from sitegen.markup import ANIMATION_PLACEHOLDER_RE, MarkdownRenderer, plain_text
from sitegen.model import Download, Post, VariantFiles
from sitegen.parse import sanitize
from sitegen.theme import Theme


@dataclass(frozen=True, slots=True)
class AnimationView:
    """What partials/animation.html receives as `animation`."""

    id: str
    alt: str
    caption_html: str
    loop: bool
    autoplay: bool
    controls: bool
    sound: bool
    width: int
    height: int
    variants: tuple[VariantFiles, ...]
    downloads: tuple[Download, ...]


def embed_figures(posts: list[Post], rendered: Mapping[tuple[str, int], tuple[VariantFiles, ...]],
                  downloads: Mapping[tuple[str, int], tuple[Download, ...]], theme: Theme) -> list[Post]:
    """Each post with its animation placeholders replaced by figures (or removed, when not rendered)."""
    renderer = MarkdownRenderer() if any(p.animations for p in posts) else None
    template = theme.environment.get_template("partials/animation.html") if renderer else None
    result = []
    for post in posts:
        if not post.animations:
            result.append(post)
            continue
        figures, views = {}, {}
        for directive in post.animations:
            variants = rendered.get((post.source, directive.index))
            if variants:
                view = _view(post, directive, variants, downloads.get((post.source, directive.index), ()), renderer)
                views[directive.index] = view
                figures[directive.index] = template.render(animation=view)  # type: ignore[union-attr]

        def swap(match, figures=figures):  # type: ignore[no-untyped-def]
            return figures.get(int(match.group(1)), "")

        result.append(replace(post, content_html=ANIMATION_PLACEHOLDER_RE.sub(swap, post.content_html),
                              excerpt_html=ANIMATION_PLACEHOLDER_RE.sub(swap, post.excerpt_html),
                              teaser_animation=views.get(post.teaser_ref if post.teaser_ref is not None else 0)))
    return result


def _view(post: Post, directive: Directive, variants: tuple[VariantFiles, ...],
          downloads: tuple[Download, ...], renderer: MarkdownRenderer) -> AnimationView:
    options = directive.options
    caption_html = sanitize(renderer.render_inline(options["caption"])) if options["caption"] else ""
    sound = bool(options["audio"])
    return AnimationView(
        id=f"animation-{post.slug}-{directive.index + 1}",
        alt=options["alt"] or plain_text(caption_html) or f"Animation {directive.index + 1} of {post.title}",
        caption_html=caption_html, loop=options["loop"] and not sound, autoplay=options["autoplay"] and not sound,
        controls=options["controls"] or sound, sound=sound,
        width=variants[0].width, height=variants[0].height, variants=variants, downloads=downloads,
    )
