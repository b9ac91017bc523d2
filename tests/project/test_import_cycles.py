"""No file-level import cycles among first-party modules.

Only module-level imports count (those that run when the module is imported, outside
functions and outside ``if TYPE_CHECKING:``): an import inside a function is the one allowed
way out of an unavoidable cycle, and each such import carries a comment saying why.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ("eventum", "events", "organizers", "privacy", "tickets")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _first_party_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[_module_name(path)] = path
    return modules


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module):
    """Import nodes executed at import time: not in functions, not under TYPE_CHECKING."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        elif isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))


def _targets(node: ast.Import | ast.ImportFrom, name: str, modules: dict[str, Path]) -> set[str]:
    """First-party modules the import statement loads (the most specific existing one)."""
    found = set()
    if isinstance(node, ast.Import):
        for alias in node.names:
            found.add(alias.name)
        return {target for target in found if target in modules}
    base = node.module or ""
    if node.level:
        package = name if modules[name].name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.add(submodule if submodule in modules else base)
    return {target for target in found if target in modules}


def import_graph() -> dict[str, set[str]]:
    modules = _first_party_modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: set[str] = set()
        for node in _module_level_imports(tree):
            edges |= _targets(node, name, modules)
        edges.discard(name)
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per back edge found by a depth-first search."""
    cycles = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def test_the_detector_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_module_level_imports_only():
    graph = import_graph()
    # ``tickets.tasks`` imports services at module level ...
    assert "tickets.services.inventory" in graph["tickets.tasks"]
    # ... while a function-level import (the outbox relay runs tasks by name) is not an edge.
    assert all(not target.startswith("tickets") for target in graph["eventum.outbox"])


def test_every_first_party_import_inside_a_function_says_why():
    """An import inside a function hides a dependency; it is allowed where a cycle (or the app
    registry) leaves no other way, and a comment in the function, at or above it, says so."""
    silent = []
    for name, path in _first_party_modules().items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Import | ast.ImportFrom) or getattr(node, "level", 0):
                    continue
                modules = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                if not any(m.split(".")[0] in PACKAGES for m in modules):
                    continue
                above = lines[function.lineno - 1 : node.end_lineno]
                if not any("#" in line for line in above):
                    silent.append(f"{name}:{node.lineno}")
    assert not silent, "in-function imports without a comment saying why: " + ", ".join(silent)


def test_no_file_level_import_cycles():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(cycle) for cycle in cycles)
