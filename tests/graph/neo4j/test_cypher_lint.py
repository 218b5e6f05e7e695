"""Every Cypher statement of the Neo4j backend passes Neo4j's own linter.

The linter is `lintCypherQuery` of @neo4j-cypher/language-support, run by
tools/cypher-lint.mjs (see `peacegraph.graph.neo4j.lint`); it needs node and
`npm ci`. Any diagnostic fails, warnings included, except the warnings that
`lint.ALLOWED_WARNINGS` lists with a reason. The tests after the per-statement
one prove that the same assertion fails on broken statements, and passes on
sound ones.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import NamedTuple

import pytest

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.neo4j import lint, queries
from peacegraph.graph.neo4j.migrations import MIGRATIONS

#: The backend's statements, and its migrations' (numbered files, linted alike).
STATEMENTS = lint.collect_statements(queries) | {
    f"migration {m.version:03d}[{i}]": statement
    for m in MIGRATIONS
    for i, statement in enumerate(m.statements)
}
SCHEMA = lint.db_schema(queries)

Linted = dict[str, list[lint.Diagnostic]]


def assert_clean(name: str, query: str, diagnostics: list[lint.Diagnostic]) -> None:
    """Fail, naming the statement and every finding, when a diagnostic blocks."""
    failing = lint.blocking(diagnostics)
    assert not failing, f"{name}:\n{query}\n" + "\n".join(f"  {d}" for d in failing)


@pytest.fixture(scope="module")
def lint_cache(pytestconfig: pytest.Config) -> Path | None:
    """Where diagnostics are kept between runs (in .pytest_cache), if anywhere."""
    cache: pytest.Cache | None = getattr(pytestconfig, "cache", None)  # -p no:cacheprovider
    return cache.mkdir("cypher-lint") if cache is not None else None


@pytest.fixture(scope="module")
def linted(lint_cache: Path | None) -> Linted:
    """All statements of the queries module, linted in one go."""
    return lint.lint(STATEMENTS, schema=SCHEMA, cache=lint_cache)


def test_the_queries_module_has_statements() -> None:
    # A change of style in queries.py (lower-case keywords, statements in lists...)
    # must not leave the lint with nothing to check.
    assert len(STATEMENTS) >= 20
    assert "GET_NODES" in STATEMENTS
    assert any(name.startswith("UPSERT_NODES[") for name in STATEMENTS)


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_statement_lints_clean(name: str, linted: Linted) -> None:
    assert_clean(name, STATEMENTS[name], linted[name])


class Sample(NamedTuple):
    """A statement for the lint, the parameters declared for it, what must be found."""

    query: str
    parameters: frozenset[str] = frozenset()
    expected: str = ""


#: Statements the lint must refuse, and a piece of the message it must give.
BROKEN = {
    "syntax error": Sample(
        "MATCH (n:Organization {id: $id} RETURN n", frozenset({"id"}), "Invalid input 'RETURN'"
    ),
    "undeclared parameter": Sample(
        "MATCH (n:Organization {id: $id}) RETURN n.name AS name",
        expected="Parameter $id is not defined.",
    ),
    "undefined variable": Sample(
        "MATCH (n:Organization) RETURN m.name AS name", expected="Variable `m` not defined"
    ),
    "unknown label in a read": Sample(
        "MATCH (n:Organisation) RETURN n.name AS name",
        expected="Label Organisation is not present in the database",
    ),
    "unknown relationship type in a read": Sample(
        "MATCH (a:Person)-[:MEMBER_F]->(b:Organization) RETURN b.id AS id",
        expected="Relationship type MEMBER_F is not present",
    ),
    "unknown property in a read": Sample(
        "MATCH (n:Organization) WHERE n.nmae = 'x' RETURN n.id AS id",
        expected="nmae is not present in the database",
    ),
    "unknown label in a write": Sample(
        "MERGE (n:Entity {id: $id}) SET n:Organisation RETURN n.id AS id",
        frozenset({"id"}),
        "Label or relationship type Organisation is not in the schema",
    ),
    "unknown relationship type in a write": Sample(
        "MATCH (a:Entity {id: $a}), (b:Entity {id: $b}) MERGE (a)-[:MEMBR_OF]->(b)",
        frozenset({"a", "b"}),
        "Label or relationship type MEMBR_OF is not in the schema",
    ),
    "unknown property in a write": Sample(
        "MATCH (n:Entity {id: $id}) SET n.nmae = $name RETURN n.id AS id",
        frozenset({"id", "name"}),
        "Property nmae is not in the schema",
    ),
    "unknown property in a written pattern": Sample(
        "MERGE (n:Entity {id: $id, nmae: $name}) RETURN n.id AS id",
        frozenset({"id", "name"}),
        "Property nmae is not in the schema",
    ),
    "unknown property in a schema command": Sample(
        "CREATE INDEX entity_x IF NOT EXISTS FOR (n:Entity) ON (n.serchKey)",
        expected="Property serchKey is not in the schema",
    ),
    "unknown relationship type in a schema command": Sample(
        "CREATE INDEX role_x IF NOT EXISTS FOR ()-[r:MEMBR_OF]-() ON (r.role)",
        expected="Label or relationship type MEMBR_OF is not in the schema",
    ),
    "unknown property in a map projection": Sample(
        "MATCH (n:Entity) RETURN n {.id, .nmae} AS node",
        expected="Property nmae is not in the schema",
    ),
    "unknown function": Sample(
        "MATCH (n:Entity) RETURN toLowr(n.name) AS name",
        expected="Function toLowr is not present in the database",
    ),
    "plugin function": Sample(
        "MATCH (n:Entity) RETURN apoc.text.clean(n.name) AS name",
        expected="Function apoc.text.clean is not present",
    ),
    "deprecated function": Sample("MATCH (n:Entity) RETURN id(n) AS id", expected="deprecated"),
    "type mismatch": Sample("MATCH (n:Entity) RETURN toLower(1) AS name", expected="Type mismatch"),
    "deprecated subquery import": Sample(
        "MATCH (n:Entity) CALL { WITH n RETURN n.id AS x } RETURN x",
        expected="CALL subquery without a variable scope clause is deprecated",
    ),
    "Cypher 25 only syntax": Sample(
        "MATCH (n:Entity) LET x = n.id RETURN x", expected="Invalid input 'LET'"
    ),
    "two statements": Sample(
        "MATCH (n:Entity) RETURN n.id AS id; MATCH (m:Entity) RETURN m.id AS id",
        expected="2 statements in one string",
    ),
    "semantic analysis skipped": Sample(
        "MATCH (n:Entity) RETURN {id: n.id, degree: COUNT { (n)--() }, oops: m} AS node",
        expected="semantic analysis returned nothing",
    ),
}

#: Statements the lint must pass.
GOOD = {
    "declared parameter": Sample(
        "MATCH (n:Organization {id: $id}) WHERE coalesce(n.kind, '') <> 'x' "
        "RETURN n.name AS name, n {.id, .aliases} AS node",
        frozenset({"id"}),
    ),
    "write with declared names": Sample(
        "UNWIND $rows AS row MERGE (n:Entity {id: row.id}) "
        "ON CREATE SET n.version = 1 ON MATCH SET n.version = n.version + 1 "
        "SET n += row.props, n.name = row.name, n:Organization RETURN count(n) AS written",
        frozenset({"rows"}),
    ),
    "map keys that are not property keys": Sample(
        "UNWIND $rows AS r MATCH (s:Entity {id: r.s}) MATCH (d:Entity {id: r.d}) "
        "MERGE (s)-[e:MEMBER_OF]->(d) SET e.role = r.role RETURN count(e) AS written",
        frozenset({"rows"}),
    ),
    "schema command": Sample(
        "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE"
    ),
}


@pytest.fixture(scope="module")
def samples(lint_cache: Path | None) -> Linted:
    """The BROKEN and GOOD samples, linted in one go, by name."""
    cases = {**BROKEN, **GOOD}
    return lint.lint(
        {name: case.query for name, case in cases.items()},
        parameters={name: case.parameters for name, case in cases.items()},
        schema=SCHEMA,
        cache=lint_cache,
    )


@pytest.mark.parametrize("name", BROKEN)
def test_the_lint_catches(name: str, samples: Linted) -> None:
    case, diagnostics = BROKEN[name], samples[name]
    assert any(case.expected in d.message for d in diagnostics), "\n".join(map(str, diagnostics))
    with pytest.raises(AssertionError):
        assert_clean(name, case.query, diagnostics)


@pytest.mark.parametrize("name", GOOD)
def test_the_lint_passes(name: str, samples: Linted) -> None:
    assert_clean(name, GOOD[name].query, samples[name])


def test_endpoints_are_checked_on_request(lint_cache: Path | None) -> None:
    schema = lint.db_schema(queries, endpoints=True)
    found = lint.lint(
        {
            "wrong": "MATCH (p:Person)-[:WITHIN]->(x:Place) RETURN p.id AS id",
            "right": "MATCH (p:Place)-[:WITHIN]->(x:Place)<-[:WITHIN]-(e:Entity) RETURN e.id AS id",
        },
        schema=schema,
        cache=lint_cache,
    )
    assert any("[:WITHIN] has no" in d.message for d in found["wrong"])
    assert_clean("right", "", found["right"])


def test_parameters_are_read_from_the_text() -> None:
    query = "MATCH (n {id: $id}) WHERE n.x IN $`odd name` OR n.y = $0 RETURN n LIMIT $limit"
    assert lint.parameters_of(query) == {"id", "odd name", "0", "limit"}


def _module(**attributes: object) -> types.ModuleType:
    module = types.ModuleType("fake_queries")
    vars(module).update(attributes)
    return module


def test_statements_are_collected_from_constants_and_dicts() -> None:
    module = _module(
        PING="RETURN 1 AS ok",
        GET="  // by id\nMATCH (n {id: $id}) RETURN n",
        INDEX_NAME="node_search",
        MESSAGE="Match failed",
        _TEMPLATE="MATCH (n:{label}) RETURN n",
        lower_case="MATCH (n) RETURN n",
        BY_LABEL={Label.PERSON: "MATCH (n:Person) RETURN n", Label.PLACE: "RETURN 1 AS ok"},
        BY_KEY={(RelType.WITHIN, "out", True): "MATCH ()-[e:WITHIN]->() RETURN e"},
    )
    assert lint.collect_statements(module) == {
        "PING": "RETURN 1 AS ok",
        "GET": "  // by id\nMATCH (n {id: $id}) RETURN n",
        "BY_LABEL[Person]": "MATCH (n:Person) RETURN n",
        "BY_KEY[WITHIN,out,True]": "MATCH ()-[e:WITHIN]->() RETURN e",
    }


def test_schema_declares_the_model_and_the_extras_only(lint_cache: Path | None) -> None:
    extras = _module(
        EXTRA_LABELS=("Token",), EXTRA_REL_TYPES=("AUDITS",), EXTRA_PROPERTIES=("appliedAt",)
    )
    schema = lint.db_schema(extras)
    assert schema["labels"] == sorted([label.value for label in Label] + ["Token"])
    assert schema["relationshipTypes"] == sorted([t.value for t in RelType] + ["AUDITS"])
    keys = schema["propertyKeys"]
    assert isinstance(keys, list)
    assert {"appliedAt", "searchKey", "role"} <= set(keys)
    with pytest.raises(TypeError):
        lint.db_schema(_module(EXTRA_LABELS="Token"))
    query = "MATCH (t:Token)-[:AUDITS]->(n) RETURN t.appliedAt AS at"
    assert lint.lint({"Q": query}, schema=schema, cache=lint_cache)["Q"] == []
    bare = lint.lint({"Q": query}, schema=lint.db_schema(), cache=lint_cache)["Q"]
    without = [d.message for d in bare]
    assert any("Label Token is not present" in m for m in without), without
    assert any("Relationship type AUDITS is not present" in m for m in without), without
    assert any("appliedAt is not present" in m for m in without), without


def test_allowed_warnings_must_match_and_never_cover_errors(lint_cache: Path | None) -> None:
    found = lint.lint(
        {
            "warning": "MATCH (n:Entity) RETURN id(n) AS id",
            "error": "MATCH (n:Entity) RETURN toLowr(n.name) AS name",
        },
        schema=SCHEMA,
        cache=lint_cache,
    )
    assert lint.blocking(found["warning"])
    allowed = (lint.AllowedWarning("deprecated", "a test of the mechanism"),)
    assert lint.blocking(found["warning"], allowed) == []
    assert lint.blocking(found["error"], (lint.AllowedWarning(".", "errors stay errors"),))


def test_the_cache_answers_for_the_same_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "MATCH (n:Entity) RETURN id(n) AS id"
    first = lint.lint({"A": query}, schema=SCHEMA, cache=tmp_path)["A"]
    assert first and len(list(tmp_path.glob("*.json"))) == 1

    def no_run(node: str, payload: dict[str, object]) -> list[object]:
        raise AssertionError("the linter ran despite the cache")

    monkeypatch.setattr(lint, "_run", no_run)
    assert lint.lint({"B": query}, schema=SCHEMA, cache=tmp_path)["B"] == first
    with pytest.raises(AssertionError, match="despite the cache"):
        lint.lint({"A": query + " LIMIT 1"}, schema=SCHEMA, cache=tmp_path)
