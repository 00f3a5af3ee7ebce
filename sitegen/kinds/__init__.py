"""The built-in plot kinds, by the name a directive's `kind:` uses."""
from __future__ import annotations

from sitegen.kinds.base import Kind, Param, Problem, Scene
from sitegen.kinds.heatmap import Heatmap
from sitegen.kinds.network import Network
from sitegen.kinds.raster import Raster
from sitegen.kinds.scatter import Scatter
from sitegen.kinds.topomap import Topomap
from sitegen.kinds.traces import Traces
from sitegen.kinds.trajectory import Trajectory

KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Heatmap(), Traces(), Raster(), Scatter(), Trajectory(), Topomap(), Network(),
)}

__all__ = ["KINDS", "Kind", "Param", "Problem", "Scene"]
