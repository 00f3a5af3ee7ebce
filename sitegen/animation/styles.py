"""Matplotlib styles for each theme variant, derived from the site's colours, so an animation sits on
the page as if drawn for it. Colormaps are left alone: they carry the data."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from matplotlib.colors import to_hex, to_rgb

from sitegen.config import ThemeOptions


@dataclass(frozen=True, slots=True)
class FigureStyle:
    variant: str  # "light" or "dark"
    background: str
    text: str
    accent: str

    def rc(self) -> dict[str, Any]:
        """rcParams for this variant: backgrounds, text, ticks, spines, grid and legend."""
        edge = _mix(self.text, self.background, 0.45)
        grid = _mix(self.text, self.background, 0.16)
        return {
            "figure.facecolor": self.background, "figure.edgecolor": self.background,
            "savefig.facecolor": self.background, "savefig.edgecolor": self.background,
            "axes.facecolor": self.background, "axes.edgecolor": edge, "axes.labelcolor": self.text,
            "axes.titlecolor": self.text, "text.color": self.text,
            "xtick.color": edge, "ytick.color": edge, "xtick.labelcolor": self.text, "ytick.labelcolor": self.text,
            "grid.color": grid, "grid.alpha": 1.0, "grid.linewidth": 0.6,
            "legend.facecolor": self.background, "legend.edgecolor": grid, "legend.labelcolor": self.text,
            "legend.framealpha": 0.85,
            "axes.spines.top": False, "axes.spines.right": False,
            "font.size": 10, "axes.titlesize": 11, "axes.titleweight": "bold",
            "image.cmap": "viridis",
        }


# A 390-px phone shows a figure about 356 CSS px wide; text inside it should still be 9 CSS px or more.
PHONE_FIGURE_WIDTH = 356
PHONE_MIN_TEXT = 9
WIDEST_LEGIBLE = 800  # figures up to this many pixels wide get text that stays legible on a phone


def legible_fonts(width: int, dpi: float) -> dict[str, Any]:
    """Font sizes for a built-in kind's figure `width` pixels wide at `dpi`, so its smallest text (tick
    labels, at font.size) is at least PHONE_MIN_TEXT CSS px when a phone shows the figure
    PHONE_FIGURE_WIDTH px wide: never below matplotlib's 10 pt, and no larger than a figure
    WIDEST_LEGIBLE px wide needs. Authors' scripts keep their own sizes."""
    pixels = PHONE_MIN_TEXT * min(width, WIDEST_LEGIBLE) / PHONE_FIGURE_WIDTH
    size = max(math.ceil(pixels * 72 / dpi * 10) / 10, 10.0)
    return {"font.size": size, "axes.titlesize": round(size * 1.1, 1)}


def _mix(a: str, b: str, amount: float) -> str:
    """`amount` of colour a over colour b."""
    ra, rb = to_rgb(a), to_rgb(b)
    return to_hex(tuple(amount * x + (1 - amount) * y for x, y in zip(ra, rb)))


def variant_styles(theme: ThemeOptions) -> dict[str, FigureStyle]:
    return {
        "light": FigureStyle("light", theme.background, theme.text, theme.accent),
        "dark": FigureStyle("dark", theme.background_dark, theme.text_dark, theme.accent_dark),
    }
