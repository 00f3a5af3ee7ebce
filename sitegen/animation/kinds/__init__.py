"""The built-in plot kinds, by the name a directive's `kind:` uses."""
from __future__ import annotations

from sitegen.animation.kinds.base import Kind, Param, Problem, Scene
from sitegen.animation.kinds.heatmap import Heatmap
from sitegen.animation.kinds.network import Network
from sitegen.animation.kinds.raster import Raster
from sitegen.animation.kinds.scatter import Scatter
from sitegen.animation.kinds.topomap import Topomap
from sitegen.animation.kinds.traces import Traces
from sitegen.animation.kinds.trajectory import Trajectory

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Heatmap(), Traces(), Raster(), Scatter(), Trajectory(), Topomap(), Network(),
)}

__all__ = ["KINDS", "Kind", "Param", "Problem", "Scene"]
