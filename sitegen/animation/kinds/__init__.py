"""The plot kinds, by the name a directive's `kind:` uses (KINDS). Importing a built-in kind's module
registers it; they are imported here in the order `sitegen kinds` and the README list them."""
from __future__ import annotations

from sitegen.animation.kinds import heatmap, traces, raster, scatter, trajectory, topomap, network
from sitegen.animation.kinds.base import Kind, Scene
from sitegen.animation.kinds.registry import KINDS, UnknownKind, kind_registry, register
from sitegen.schema import Problem

BUILT_IN = (heatmap, traces, raster, scatter, trajectory, topomap, network)

__all__ = ["BUILT_IN", "KINDS", "Kind", "Problem", "Scene", "UnknownKind", "kind_registry", "register"]
