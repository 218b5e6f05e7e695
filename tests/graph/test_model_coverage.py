"""The model is declared once and the frozen migrations create what it declares.

A kind or a property declared in `graph/model.py` without the migration that creates
it fails here, naming the migration file to add and giving its statements.
"""

from __future__ import annotations

import json
from pathlib import Path

from peacegraph.graph import coverage, model
from peacegraph.graph.embedded.migrations import MIGRATIONS as EMBEDDED
from peacegraph.graph.migration import parse_migration
from peacegraph.graph.neo4j.migrations import MIGRATIONS as NEO4J


def test_the_migrations_of_both_stores_create_what_the_model_declares() -> None:
    assert coverage.report() == ""


def _with_pledge() -> coverage.Declaration:
    """The model and one kind more, with a property of its own (names no kind uses)."""
    plain = coverage.Declaration()
    pledged = model.Prop("pledged", model.PropType.FLOAT, "Amount of a pledge.")
    endpoints = dict(plain.endpoints)
    endpoints["FUNDED"] = (*endpoints["FUNDED"], ("Organization", "Pledge"))
    return coverage.Declaration(
        labels=(*plain.labels, "Pledge"),
        node_props=(*plain.node_props, pledged),
        endpoints=endpoints,
    )


def test_a_kind_declared_without_its_migrations_is_named_with_the_file_to_add() -> None:
    text = coverage.report(_with_pledge())
    embedded = f"embedded/migrations/{len(EMBEDDED) + 1:03d}_<name>.cypher is missing"
    neo4j = f"neo4j/migrations/{len(NEO4J) + 1:03d}_<name>.cypher is missing"
    assert embedded in text and neo4j in text
    assert "node table Pledge" in text and "column Organization.pledged" in text
    assert "pair Organization-[FUNDED]->Pledge" in text
    assert "CREATE CONSTRAINT pledge_id IF NOT EXISTS FOR (n:Pledge)" in text


def test_the_drafted_migrations_are_all_that_is_missing() -> None:
    declared = _with_pledge()
    embedded = coverage.draft(coverage.embedded_gaps(declared), "pledge")
    after = coverage.embedded_schema([*EMBEDDED, parse_migration(99, embedded)])
    assert coverage.embedded_gaps(declared, after) == []
    neo4j = coverage.draft(coverage.neo4j_gaps(declared), "pledge")
    have = coverage.neo4j_constrained([*NEO4J, parse_migration(99, neo4j)])
    assert coverage.neo4j_gaps(declared, have) == []


def test_a_column_out_of_the_declared_order_is_named() -> None:
    schema = coverage.embedded_schema()
    columns = schema.nodes["Person"]
    columns[1], columns[2] = columns[2], columns[1]
    gaps = coverage.embedded_gaps(schema=schema)
    assert [what for what, _ in gaps if "Person" in what] == [
        f"columns of Person in NODE_PROPS order (found {columns})"
    ]


def test_every_label_is_declared_once_with_its_own_id_prefix() -> None:
    assert [kind.label for kind in model.KINDS] == list(model.Label)
    assert len(set(model.ID_PREFIX.values())) == len(model.KINDS)


def test_the_explorer_reads_the_kinds_the_model_declares() -> None:
    committed = Path(__file__).parents[2] / "peacegraph/app/explorer/src/model.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == model.model_json(), (
        "model.json is out of date: run "
        "`python -m peacegraph.graph.model > peacegraph/app/explorer/src/model.json`"
    )
