"""Every officer question in docs/queries runs over HTTP on the seed and gets the report's answer.

Each .graphql file states its question and its expectations in `# Expect:` lines:
`PATH == VALUE`, `PATH all VALUE` (every value reached),
`PATH contains VALUE`, `PATH contains-text TEXT`, `PATH >= N`,
`PATH nonempty`, `PATH sorted`. PATH is dotted, with `[n]`, `[-1]` and `[*]` (all).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from peacegraph.graph.store import Store
from tests.support.http import client_for, graphql

COOKBOOK = Path(__file__).parents[2] / "docs" / "queries"
QUERIES = sorted(COOKBOOK.glob("*.graphql"))
_STEP = re.compile(r"([^.\[\]]+)|\[(\*|-?\d+)\]")


def resolve(data: Any, path: str) -> list[Any]:
    """Every value PATH reaches (a list, since `[*]` fans out)."""
    values = [data]
    for name, index in _STEP.findall(path):
        next_values: list[Any] = []
        for value in values:
            if name:
                if isinstance(value, dict) and name in value:
                    next_values.append(value[name])
            elif index == "*":
                next_values.extend(value if isinstance(value, list) else [])
            elif isinstance(value, list) and -len(value) <= int(index) < len(value):
                next_values.append(value[int(index)])
        values = [
            item
            for v in next_values
            for item in (v if isinstance(v, list) and index == "*" and not name else [v])
        ]
    return values


def literal(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def check(data: Any, expectation: str) -> None:
    path, _, rest = expectation.partition(" ")
    op, _, value = rest.partition(" ")
    found = resolve(data, path)
    flat = [x for v in found for x in (v if isinstance(v, list) else [v])]
    if op == "==":
        assert found == [literal(value)], f"{path}: {found!r} != {value!r}"
    elif op == "all":
        assert flat and all(x == literal(value) for x in flat), (
            f"{path}: {flat!r} not all {value!r}"
        )
    elif op == "contains":
        assert literal(value) in flat, f"{path}: {value!r} not in {flat!r}"
    elif op == "contains-text":
        assert any(isinstance(x, str) and value in x for x in flat), f"{path}: no {value!r}"
    elif op == ">=":
        assert found and found[0] >= literal(value), f"{path}: {found!r} < {value}"
    elif op == "nonempty":
        assert flat and all(x not in (None, "", []) for x in flat), f"{path}: empty"
    elif op == "sorted":
        assert flat == sorted(flat), f"{path}: not sorted: {flat!r}"
    else:
        raise AssertionError(f"unknown expectation operator {op!r}")


def expectations(query: str) -> list[str]:
    return [
        line.split("Expect:", 1)[1].strip()
        for line in query.splitlines()
        if line.startswith("# Expect:")
    ]


def test_the_cookbook_covers_every_read_field() -> None:
    text = "\n".join(q.read_text(encoding="utf-8") for q in QUERIES)
    assert len(QUERIES) >= 12
    for field in ("search(", "network(", "path(", "timeline(", "stats(", "nodes(", "events("):
        assert field in text, field
    for field in ("organization(", "place(", "programme("):
        assert field in text, field


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("query_file", QUERIES, ids=[q.stem for q in QUERIES])
async def test_cookbook_query_answers_as_the_report_says(seeded: Store, query_file: Path) -> None:
    query = query_file.read_text(encoding="utf-8")
    checks = expectations(query)
    assert checks, f"{query_file.name} states no expectation"
    async with client_for(seeded) as client:
        body = await graphql(client, query)
    assert "errors" not in body, body["errors"]
    for expectation in checks:
        check(body, expectation)
