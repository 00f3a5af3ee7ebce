"""The shape of the code, checked: no import cycles, no module over 400 lines, and a render worker
that loads none of the site side (Markdown, templates, config, posts)."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "sitegen"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every module's imports of other sitegen modules, at module level or inside functions alike."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names] \
                if isinstance(node, ast.ImportFrom) and node.level == 0 else []
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_are_no_import_cycles():
    """Imports inside functions count too: deferring an import hides a cycle, it does not remove it."""
    assert cycles(imports()) == []


def test_the_engine_does_not_import_the_site_side():
    site_side = {"sitegen.build", "sitegen.parse", "sitegen.markup", "sitegen.theme", "sitegen.assemble",
                 "sitegen.figures", "sitegen.commands", "sitegen.cli", "sitegen.serve", "sitegen.deploy"}
    graph = imports()
    upward = {(name, target) for name, deps in graph.items() if name.startswith("sitegen.animation")
              for target in deps if target in site_side}
    assert upward == set()


def test_no_module_is_over_400_lines():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_a_render_worker_loads_no_markdown_templates_or_site_code():
    """What a Dask worker or a pool process imports to run a task (the kinds included)."""
    code = ("import json, sys\n"
            "import sitegen.animation.executors.remote, sitegen.animation.worker, sitegen.animation.kinds\n"
            "import sitegen.animation.encoders, sitegen.animation.scripts.runner, sitegen.animation.frames\n"
            "print(json.dumps(sorted(sys.modules)))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                                           check=True).stdout))
    forbidden = {"markdown", "jinja2", "pymdownx", "yaml", "nh3", "sitegen.config", "sitegen.model", "sitegen.parse",
                 "sitegen.build", "sitegen.theme", "sitegen.animation.plan", "sitegen.animation.spec",
                 "sitegen.animation.engine", "distributed"}
    assert loaded & forbidden == set()
