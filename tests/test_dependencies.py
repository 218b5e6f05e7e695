"""The package uses its libraries at declared versions, through their public APIs.

Every third-party module imported under peacegraph/ must come from a distribution
that pyproject.toml declares as a dependency, and nothing under peacegraph/ may
reach into a library's private parts: a private module (`a._b`), a private name
imported from it (`from a import _b`), or a private attribute (`x._name`, or
`getattr(x, "_name")`) that the project does not define itself.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "peacegraph"


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match is not None, requirement
        names.add(normalise(match.group()))
    return names


def imported(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """The absolute modules a module imports, with their line numbers."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno


def third_party(module: str) -> bool:
    top = module.split(".")[0]
    return top != "peacegraph" and top not in sys.stdlib_module_names


def private(name: str) -> bool:
    """A single-underscore name; not a dunder, nor a sunder (`_value_`, `_missing_`:
    the standard library's enum names, not a third-party library's)."""
    return name.startswith("_") and not name.startswith("__") and not name.endswith("_")


def test_every_imported_distribution_is_declared() -> None:
    distributions = importlib.metadata.packages_distributions()
    wanted = declared()
    undeclared = []
    for path, tree in modules():
        for module, line in imported(tree):
            if not third_party(module):
                continue
            top = module.split(".")[0]
            found = [normalise(d) for d in distributions.get(top, [])]
            if not found or not set(found) & wanted:
                undeclared.append(
                    f"{path}:{line}: {module} ({', '.join(found) or 'not installed'})"
                )
    assert not undeclared, "imported but not declared in pyproject.toml:\n" + "\n".join(undeclared)


@cache
def own_private_names() -> frozenset[str]:
    """Every private name the project defines: functions, classes, module and class
    variables, attributes it assigns, keyword parameters."""
    names: set[str] = set()
    for _, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
                if not isinstance(node, ast.ClassDef):
                    names.update(a.arg for a in node.args.args + node.args.kwonlyargs)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store | ast.Del):
                names.add(node.attr)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    return frozenset(n for n in names if private(n))


def private_uses(path: str, tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, what) for each private module, name or attribute of a library used."""
    own = own_private_names()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if third_party(alias.name) and any(private(p) for p in parts):
                    yield node.lineno, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if not third_party(node.module):
                continue
            if any(private(p) for p in node.module.split(".")):
                yield node.lineno, f"from {node.module} import ..."
            for alias in node.names:
                if private(alias.name):
                    yield node.lineno, f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in own:
            yield node.lineno, f".{node.attr}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and private(node.args[1].value)
            and node.args[1].value not in own
        ):
            yield node.lineno, f'{node.func.id}(..., "{node.args[1].value}")'


def test_no_private_part_of_a_library_is_used() -> None:
    found = []
    for path, tree in modules():
        for line, what in private_uses(path, tree):
            found.append(f"peacegraph/{path}:{line}: {what}")
    assert not found, "private parts of libraries used (use their public API):\n" + "\n".join(found)


def test_the_checks_catch_what_they_are_for() -> None:
    tree = ast.parse(
        "from strawberry.schema._graphql_core import X\n"
        "import strawberry._x\n"
        "from strawberry import _y\n"
        "schema._schema\n"
        "self._get_custom_context_kwargs(None)\n"
        'getattr(field.resolve, "_is_default", False)\n'
    )
    assert sorted(line for line, _ in private_uses("example.py", tree)) == [1, 2, 3, 4, 5, 6]
