"""The contract every plot kind keeps. The render engine (sitegen/frames.py) uses only this."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence

from matplotlib.artist import Artist
from matplotlib.figure import Figure

from sitegen.animation.dataset import DataSet


@dataclass(frozen=True, slots=True)
class Param:
    """One directive key a kind accepts, with its type(s), default and a line of documentation."""

    name: str
    types: tuple[type, ...]
    default: Any
    doc: str
    choices: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the data or the parameters: `key` is the directive key to blame
    ('data', 'cmap', …) so the message can point at its line."""

    key: str
    message: str
    hint: str = ""


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
    params: tuple[Param, ...]

    def check(self, data: DataSet, params: Mapping[str, Any]) -> list[Problem]:
        """Every problem with the data's names, shapes and dtypes and with the parameters' values."""
        ...

    def frame_count(self, data: DataSet, params: Mapping[str, Any]) -> int:
        """Frames the animation has with these data and parameters (before `frames:` / `duration:` caps)."""
        ...

    def draw(self, figure: Figure, data: DataSet, params: Mapping[str, Any]) -> Scene:
        """Draw the static parts into `figure` (already sized and styled) and return the Scene."""
        ...
