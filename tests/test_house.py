"""The house rules a newcomer relies on: no module too long to read, no import
cycles between the package's modules, and no code that edits `sys.path`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "peacegraph"
#: The longest a module under peacegraph/ may be, in lines.
MAX_LINES = 600


def _modules(folder: Path) -> Iterator[Path]:
    yield from sorted(folder.rglob("*.py"))


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module, module: str, is_package: bool) -> Iterator[str]:
    """The modules a module imports when it is imported: its top-level statements and
    the branches of its top-level `if`/`try` blocks, but not `if TYPE_CHECKING:`."""
    body: list[ast.stmt] = list(tree.body)
    while body:
        statement = body.pop(0)
        if isinstance(statement, ast.If):
            if not _is_type_checking(statement.test):
                body[:0] = [*statement.body, *statement.orelse]
        elif isinstance(statement, ast.Try):
            body[:0] = [*statement.body, *statement.orelse, *statement.finalbody]
        elif isinstance(statement, ast.Import):
            yield from (alias.name for alias in statement.names)
        elif isinstance(statement, ast.ImportFrom):
            yield from _from_targets(statement, module, is_package)


def _from_targets(statement: ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    if statement.level:
        package = module.split(".")
        keep = len(package) - statement.level + (1 if is_package else 0)
        base = ".".join(package[:keep] + ([statement.module] if statement.module else []))
    else:
        base = statement.module or ""
    yield base
    for alias in statement.names:  # `from package import module` imports the module
        yield f"{base}.{alias.name}"


def _import_graph() -> dict[str, set[str]]:
    paths = {_name(path): path for path in _modules(PACKAGE)}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imported = _module_level_imports(tree, module, path.name == "__init__.py")
        graph[module] = {name for name in imported if name in paths and name != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_the_package_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules(PACKAGE)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_package_has_no_import_cycles() -> None:
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_type_checking_imports_do_not_count() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import peacegraph.a\n"
        "if TYPE_CHECKING:\n"
        "    import peacegraph.b\n"
        "def f() -> None:\n"
        "    import peacegraph.c\n"
    )
    assert list(_module_level_imports(tree, "peacegraph.x", False)) == [
        "typing",
        "typing.TYPE_CHECKING",
        "peacegraph.a",
    ]


def test_nothing_edits_sys_path() -> None:
    edits = []
    for folder in ("peacegraph", "bench", "tests"):
        for path in _modules(ROOT / folder):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr == "path"
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "sys"
                ):
                    edits.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert edits == []
