"""The contract every plot kind keeps. The render engine (sitegen/animation/frames.py) uses only this."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

from matplotlib.artist import Artist
from matplotlib.figure import Figure

from sitegen.animation.dataset import DataSet
from sitegen.schema import Problem, Schema


@dataclass(frozen=True, slots=True)
class Scene:
    """A drawn figure, ready to animate.

    `animated` are the artists whose look changes between frames; `overlays` are static artists drawn
    above them (a legend, spines) that must be redrawn after them. `update(i)` sets every animated
    artist for frame i and must depend on i alone (frames may be drawn in any order, in several
    processes). `frame_count` is how many frames there are."""

    figure: Figure
    animated: Sequence[Artist]
    frame_count: int
    update: Any  # Callable[[int], None]
    overlays: Sequence[Artist] = field(default=())


class Kind(Protocol):
    name: str
    summary: str  # one line for `sitegen kinds`
    data_layout: str  # what `data:` must hold, for `sitegen kinds` and the README
    params: Schema  # the kind's own directive keys (the common ones are sitegen.animation.spec.COMMON)

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        """Every problem with the data's names, shapes and dtypes, and with the keys that depend on the data
        (a name per channel). Each key's own type, bounds and choices are checked by `params` when the
        directive is read."""
        ...

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        """Frames the animation has with these data and parameters (before `frames:` / `duration:` caps)."""
        ...

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        """Draw the static parts into `figure` (already sized and styled) and return the Scene."""
        ...
