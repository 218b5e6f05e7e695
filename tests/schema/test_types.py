"""Node and link objects are built holding only their record; every plain field must
still be readable from them, with the value the record gives."""

from __future__ import annotations

import pytest
from strawberry.types.base import get_object_definition

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


def plain_fields(cls: type) -> list[str]:
    """The fields Strawberry resolves by reading an attribute (no resolver)."""
    definition = get_object_definition(cls, strict=True)
    return [f.python_name for f in definition.fields if f.base_resolver is None]


@pytest.mark.parametrize("label", list(Label))
def test_every_plain_node_field_is_read_from_the_record(label: Label) -> None:
    record = Node(label, f"x:{label.value.lower()}", "A name", dict(PROPS), SRC)  # type: ignore[arg-type]
    node = types.to_type(record)
    for name in plain_fields(type(node)):
        getattr(node, name)  # raises if a field has no reader
    assert (node.id, node.name, node.kind, node.version) == (record.id, "A name", "workshop", 3)
    assert node.start is not None and node.start.precision == "month"
    assert node.aliases == ["Alias"] and node.themes == ["wps"]
    if label is Label.EVENT:
        assert isinstance(node, types.Event) and node.reach.women == 25
    if label is Label.OBSERVATION:
        assert isinstance(node, types.Observation) and (node.value, node.unit) == (12.0, "reports")


def test_every_plain_link_field_is_read_from_the_neighbour() -> None:
    other = Node(Label.EVENT, "event:e", "Event", {}, SRC)
    rel = Relationship(RelType.ORGANIZED, "org:o", "event:e", {"role": "organiser"}, SRC)
    link = types.Link.of(Neighbour(node=other, relationship=rel, direction="out"))
    for name in plain_fields(types.Link):
        getattr(link, name)
    assert (link.type, link.role, link.source_id, link.target_id) == (
        RelType.ORGANIZED,
        "organiser",
        "org:o",
        "event:e",
    )
    assert link.node.id == "event:e"
