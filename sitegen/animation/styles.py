"""Matplotlib styles for each theme variant, derived from the site's colours, so an animation sits on
the page as if drawn for it. Colormaps are left alone: they carry the data."""
from __future__ import annotations

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


def _mix(a: str, b: str, amount: float) -> str:
    """`amount` of colour a over colour b."""
    ra, rb = to_rgb(a), to_rgb(b)
    return to_hex(tuple(amount * x + (1 - amount) * y for x, y in zip(ra, rb)))


def variant_styles(theme: ThemeOptions) -> dict[str, FigureStyle]:
    return {
        "light": FigureStyle("light", theme.background, theme.text, theme.accent),
        "dark": FigureStyle("dark", theme.background_dark, theme.text_dark, theme.accent_dark),
    }
