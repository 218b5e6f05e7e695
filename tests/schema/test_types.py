"""Node and link objects are built holding their record; every field answers the value
the record gives."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Neighbour, Node, Provenance, Relationship
from peacegraph.schema import types

SRC = (Provenance("source:test", "Section", "a quote"),)
PROPS: dict[str, object] = {
    "kind": "workshop",
    "aliases": ["Alias"],
    "description": "What it is.",
    "note": "A note.",
    "wikidata": "Q1",
    "iati": "XM-1",
    "startDate": "2023-09",
    "startPrecision": "month",
    "endDate": "2023-09-05",
    "endPrecision": "day",
    "themes": ["wps"],
    "version": 3,
    "participants": 40,
    "women": 25,
    "value": 12.0,
    "unit": "reports",
}

NODE_FIELDS = """id nodeKind name kind aliases description note wikidata iati
  start { value precision } end { value precision } themes version
  sources { document section quote }
  ... on Event { reach { participants women youth } }
  ... on Observation { value unit }"""
LINK_FIELDS = """type direction role start { value } end { value } count programme note
  sourceId targetId node { id name } sources { quote }"""


def run(record: Node | None = None, neighbour: Neighbour | None = None) -> dict[str, Any]:
    """The fields of a node or link built from `record` or `neighbour`, as GraphQL answers."""

    @strawberry.type
    class Query:
        @strawberry.field
        def node(self) -> types.Node | None:
            return types.to_type(record) if record is not None else None

        @strawberry.field
        def link(self) -> types.Link | None:
            return types.Link.of(neighbour) if neighbour is not None else None

    schema = strawberry.Schema(query=Query, types=list(types.ALL_TYPES))
    result = schema.execute_sync(f"{{ node {{ {NODE_FIELDS} }} link {{ {LINK_FIELDS} }} }}")
    assert result.errors is None and result.data is not None
    return result.data


@pytest.mark.parametrize("label", list(Label))
def test_every_node_field_is_read_from_the_record(label: Label) -> None:
    record = Node(label, f"x:{label.value.lower()}", "A name", dict(PROPS), SRC)  # type: ignore[arg-type]
    node = run(record)["node"]
    assert (node["id"], node["name"], node["kind"], node["version"]) == (
        record.id,
        "A name",
        "workshop",
        3,
    )
    assert node["nodeKind"] == label.name
    assert node["start"] == {"value": "2023-09", "precision": "month"}
    assert node["end"] == {"value": "2023-09-05", "precision": "day"}
    assert node["aliases"] == ["Alias"] and node["themes"] == ["wps"]
    assert (node["description"], node["note"], node["wikidata"], node["iati"]) == (
        "What it is.",
        "A note.",
        "Q1",
        "XM-1",
    )
    assert node["sources"] == [
        {"document": "source:test", "section": "Section", "quote": "a quote"}
    ]
    if label is Label.EVENT:
        assert node["reach"] == {"participants": 40, "women": 25, "youth": None}
    if label is Label.OBSERVATION:
        assert (node["value"], node["unit"]) == (12.0, "reports")


def test_every_link_field_is_read_from_the_neighbour() -> None:
    other = Node(Label.EVENT, "event:e", "Event", {}, SRC)
    props: dict[str, object] = {"role": "organiser", "count": 2, "startDate": "2011"}
    rel = Relationship(RelType.ORGANIZED, "org:o", "event:e", props, SRC)  # type: ignore[arg-type]
    link = run(neighbour=Neighbour(node=other, relationship=rel, direction="out"))["link"]
    assert link == {
        "type": "ORGANIZED",
        "direction": "OUT",
        "role": "organiser",
        "start": {"value": "2011"},
        "end": None,
        "count": 2,
        "programme": None,
        "note": None,
        "sourceId": "org:o",
        "targetId": "event:e",
        "node": {"id": "event:e", "name": "Event"},
        "sources": [{"quote": "a quote"}],
    }
