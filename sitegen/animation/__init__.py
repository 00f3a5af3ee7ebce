"""The animation engine. Its public surface:

    plan_animations(posts, config, memo, preset, reads) -> (AnimationPlan*, diagnostics)
        every directive's jobs, keyed by a hash of everything that shapes their files, so each
        file's final name is known before anything renders
    realise(plans, cache, executor, root, memo, progress) -> (Animations, diagnostics)
        the files of every plan: from the cache, else rendered by `executor` and cached
    executor_for(scheduler, workers) -> Executor
        local processes, or a Dask cluster

Inside: the directive spec (spec), planning (plan), the objects workers get and return (jobs),
executors/, the worker (worker: one run_task for kinds and scripts), encoders/, kinds/, scripts/.
The worker side imports no Markdown, templates or site code."""
from __future__ import annotations

from importlib import import_module
from typing import Any

# Loaded on first use, so that a worker importing sitegen.animation.worker loads none of the planning side.
_PUBLIC = {"Executor": "executors", "executor_for": "executors", "AnimationPlan": "plan", "plan_animations": "plan",
           "Animations": "engine", "RenderStats": "engine", "realise": "engine"}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sitegen.animation' has no attribute {name!r}")
    return getattr(import_module(f"sitegen.animation.{_PUBLIC[name]}"), name)
