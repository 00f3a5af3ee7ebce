"""Rendered animations -> what the theme's partials/animation.html receives (`AnimationView`), and the
partial's HTML for each, which the Markdown renderer puts where the ```animation fence was."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

import jinja2

from sitegen.animation.spec import Directive
from sitegen.config import SiteConfig
from sitegen.errors import InputError
from sitegen.markup import Fence, FigureWriter, plain_text
from sitegen.model import AnimationView, Download, VariantFiles
from sitegen.theme import Theme, template_error_line

PARTIAL = "partials/animation.html"


@dataclass(frozen=True, slots=True)
class Figures:
    """Every rendered animation's files and the theme that writes their figures. Picklable, so parse
    workers get it whole; each process loads the partial once."""

    folders: tuple[Path, ...]  # the theme's template folders, the site's own first
    config: SiteConfig
    variants: Mapping[tuple[str, int], tuple[VariantFiles, ...]]  # (post, index) -> files, when rendered
    downloads: Mapping[tuple[str, int], tuple[Download, ...]]

    @classmethod
    def for_theme(cls, theme: Theme, variants: Mapping[tuple[str, int], tuple[VariantFiles, ...]],
                  downloads: Mapping[tuple[str, int], tuple[Download, ...]]) -> "Figures":
        return cls(theme.folders, theme.config, dict(variants), dict(downloads))

    def views(self, directives: tuple[Directive, ...], slug: str, title: str,
              caption: Callable[[str], str]) -> dict[int, AnimationView]:
        """A post's rendered animations by index (see `view`)."""
        found = {d.index: self.view(d, slug, title, caption) for d in directives}
        return {index: view for index, view in found.items() if view is not None}

    def view(self, directive: Directive, slug: str, title: str,
             caption: Callable[[str], str]) -> AnimationView | None:
        """The animation of `directive` (in the post `slug`, titled `title`) as the partial receives it;
        None when it was not rendered. `caption` turns the caption's Markdown into safe HTML."""
        key = (directive.post, directive.index)
        variants = self.variants.get(key)
        if not variants:
            return None
        options = directive.options
        caption_html = caption(options["caption"]) if options["caption"] else ""
        sound = bool(options["audio"])
        return AnimationView(
            id=f"animation-{slug}-{directive.index + 1}",
            alt=options["alt"] or plain_text(caption_html) or f"Animation {directive.index + 1} of {title}",
            caption_html=caption_html, loop=options["loop"] and not sound, autoplay=options["autoplay"] and not sound,
            controls=options["controls"] or sound, sound=sound,
            width=variants[0].width, height=variants[0].height, variants=variants, downloads=self.downloads.get(key, ()),
        )

    def writer(self, views: Mapping[int, AnimationView]) -> FigureWriter:
        """What takes each ```animation fence's place: its figure; nothing when it was not rendered
        (its error fails the build)."""
        def figure(fence: Fence) -> str:
            view = views.get(fence.index)
            return self.html(view) if view is not None else ""
        return figure

    def html(self, view: AnimationView) -> str:
        """The figure, as the theme's partial writes it. A template error is the user's to fix."""
        try:
            return _partial(self.folders, self.config).render(animation=view)
        except jinja2.TemplateError as exc:
            _, line = template_error_line(exc)
            shown = getattr(exc, "filename", None) or f"templates/{getattr(exc, 'name', None) or PARTIAL}"
            raise InputError(shown, line, f"template error while writing an animation's figure: {exc}") from None


@lru_cache(maxsize=4)
def _partial(folders: tuple[Path, ...], config: SiteConfig) -> jinja2.Template:
    """Once per process: the partial through the theme's own environment (its `url`, `site` and filters)."""
    return Theme(folders, config).environment.get_template(PARTIAL)
