"""The core's module structure: the import graph of medinst_core (every
import statement, at module level, in functions or under TYPE_CHECKING) has
no cycle; nothing below the command line imports from it; no module is long
without saying why."""

from __future__ import annotations

import ast
from pathlib import Path

import medinst_core

ROOT = Path(medinst_core.__file__).parent
PACKAGE = "medinst_core"
#: a longer module says why in its docstring ("... long because ...")
MAX_LINES = 500


def modules() -> dict[str, tuple[Path, bool]]:
    """module name -> (file, is a package's __init__)"""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        out[".".join(parts)] = (path, is_package)
    return out


def import_graph() -> dict[str, set[str]]:
    """module -> the modules of medinst_core it imports (a name imported from
    a package is the submodule when there is one, else the package)."""
    mods = modules()

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for module, (path, is_package) in mods.items():
        base = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = base
                    for _ in range(node.level - 1):
                        anchor = anchor.rpartition(".")[0]
                    source = f"{anchor}.{node.module}" if node.module else anchor
                else:
                    source = node.module or ""
                targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in mods else source for a in node.names]
            else:
                continue
            for target in targets:
                if target.split(".")[0] == PACKAGE and (found := resolve(target)) and found != module:
                    graph[module].add(found)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path of modules, or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_sees_imports_of_every_kind():
    graph = import_graph()
    assert "medinst_core.hookspecs" in graph["medinst_core"]  # module level
    assert "medinst_core.pipeline" in graph["medinst_core.api"]  # inside a function
    assert "medinst_core.testing.brat" in graph["medinst_core.testing"]  # from . import brat
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_nothing_below_the_command_line_imports_it():
    upward = sorted(
        (module, target)
        for module, targets in import_graph().items()
        for target in targets
        if target.startswith(f"{PACKAGE}.cli") and not module.startswith(f"{PACKAGE}.cli")
        and module != f"{PACKAGE}.__main__"
    )
    assert not upward


def test_long_modules_say_why():
    long = []
    for module, (path, _) in modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES:
            doc = ast.get_docstring(ast.parse(text)) or ""
            if "long because" not in doc:
                long.append(f"{module}: {text.count(chr(10))} lines")
    assert not long, long
