"""Link reads are built from the relationship pairs a store holds
(`graph.embedded.pairs`): parts for pairs it does not hold are left out, and a pair
first written after the store has read links, by a write or a bulk load, is read
from then on."""

from __future__ import annotations

import re
from pathlib import Path

from peacegraph.graph.embedded import tracing
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from tests.conftest import open_embedded

SRC = (Provenance("source:test", "Section", "a quote"),)
ORG = Node(Label.ORGANIZATION, "org:wanep-mali", "WANEP-Mali", {}, SRC)
EVENTS = [Node(Label.EVENT, f"event:e{i}", f"Event {i}", {}, SRC) for i in range(4)]
_DIRECTED_TYPES = re.compile(r"-?\[e:([A-Z_|]+)\]-?>?\(b")


def _rel(rel_type: RelType, source: Node, target: Node) -> Relationship:
    return Relationship(rel_type, source.id, target.id, {}, SRC)


ORGANIZED = [_rel(RelType.ORGANIZED, ORG, event) for event in EVENTS[:3]]


async def _views(store: EmbeddedStore) -> dict[str, set[tuple[str, str, str]]]:
    """What each kind of link read finds around the first event: a page of its
    links, the links of many, a network view from it, and one from the organisation
    whose budget fills at its first level (the organisation and two of its three
    events), so that its second reads only the links among the chosen nodes."""
    page = await store.neighbours(EVENTS[0].id)
    many = await store.neighbours_of_many([EVENTS[0].id])
    full = await store.network([ORG.id], depth=2, limit=3)
    wide = await store.network([EVENTS[0].id], depth=1, limit=50)

    def keys(rels: list[Relationship]) -> set[tuple[str, str, str]]:
        return {r.key for r in rels}

    return {
        "page": keys([n.relationship for n in page.items]),
        "many": keys([n.relationship for n in many[EVENTS[0].id]]),
        "network": keys(full.relationships),
        "wide": keys(wide.relationships),
    }


def _part_of(first: Node, second: Node) -> tuple[str, str, str]:
    return _rel(RelType.PART_OF, first, second).key


async def test_link_reads_name_only_the_pairs_the_store_holds(tmp_path: Path) -> None:
    async with open_embedded(tmp_path / "store") as store:
        await store.upsert_nodes([ORG, *EVENTS])
        await store.upsert_relationships(ORGANIZED)
        with tracing.traced() as timings:
            views = await _views(store)
        named = {
            rel_type
            for t in timings
            if "AS outgoing" in t.statement
            for types in _DIRECTED_TYPES.findall(t.statement)
            for rel_type in types.split("|")
        }
        assert named == {RelType.ORGANIZED.value}
        assert ORGANIZED[0].key in views["page"]
        assert views["network"] == {r.key for r in ORGANIZED[:2]}


async def test_a_pair_first_written_after_reads_is_read(tmp_path: Path) -> None:
    async with open_embedded(tmp_path / "store") as store:
        await store.upsert_nodes([ORG, *EVENTS])
        await store.upsert_relationships(ORGANIZED)
        before = await _views(store)
        assert all(_part_of(EVENTS[0], EVENTS[1]) not in found for found in before.values())

        await store.upsert_relationships([_rel(RelType.PART_OF, EVENTS[0], EVENTS[1])])
        after = await _views(store)
        for name, found in after.items():
            assert _part_of(EVENTS[0], EVENTS[1]) in found, name


async def test_a_pair_first_bulk_loaded_after_reads_is_read(tmp_path: Path) -> None:
    async with open_embedded(tmp_path / "store") as store:
        await store.bulk_load([ORG, *EVENTS], ORGANIZED)
        await _views(store)

        await store.bulk_load([], [_rel(RelType.PART_OF, EVENTS[0], EVENTS[1])])
        after = await _views(store)
        for name, found in after.items():
            assert _part_of(EVENTS[0], EVENTS[1]) in found, name
