"""Conformance of `bulk_load`: the fast path must give the same graph as the upserts.

Through the Store protocol only, so every backend's fastest path (COPY for the
embedded store, UNWIND batches for Neo4j) is held to the same rules.
"""

from __future__ import annotations

import pytest

from peacegraph.graph.dates import date_props
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from peacegraph.graph.store import Direction, Store

SRC = (Provenance("source:bulk", "Section « 2 »", 'a "quoted", multi-line\nquote \\ here'),)


def node(label: Label, node_id: str, name: str, **props: object) -> Node:
    return Node(label, node_id, name, dict(props), SRC)  # type: ignore[arg-type]


def rel(rel_type: RelType, source: str, target: str, **props: object) -> Relationship:
    return Relationship(rel_type, source, target, dict(props), SRC)  # type: ignore[arg-type]


NODES = [
    node(Label.ORGANIZATION, "org:cedeao", "CEDEAO", aliases=["ECOWAS", "Cédéao, the"], kind="igo"),
    node(Label.ORGANIZATION, "org:odd", 'Odd "name" \\ with, commas', aliases=["x\x1fy", ""]),
    node(Label.ORGANIZATION, "org:blank", "Blank", note="", themes=[""]),
    node(Label.PERSON, "person:awa", "Awa Traoré", description="line one\nline two"),
    node(Label.PLACE, "place:mali", "Mali", kind="country"),
    node(Label.PLACE, "place:mopti", "Mopti", kind="region"),
    node(
        Label.EVENT,
        "event:workshop",
        "Atelier",
        participants=25,
        women=7,
        womenShare=28.0,
        **date_props("2023-09-20", None),
    ),
    node(Label.SOURCE, "source:bulk", "Bulk test source"),
]
RELS = [
    rel(RelType.WITHIN, "place:mopti", "place:mali"),
    rel(RelType.HELD_AT, "event:workshop", "place:mopti"),
    rel(RelType.ORGANIZED, "org:cedeao", "event:workshop", role="organiser\nand host"),
    rel(RelType.PARTICIPATED_IN, "person:awa", "event:workshop", count=3),
    rel(RelType.WORKS_FOR, "person:awa", "org:cedeao", role=""),
    rel(RelType.PARTNER_OF, "org:odd", "org:cedeao", **date_props("2011", None)),
    rel(RelType.MENTIONED_IN, "org:cedeao", "source:bulk", note='said "so"'),
]


def _props(found: Node) -> dict[str, object]:
    return {k: v for k, v in found.props.items() if k != "version"}


async def _totals(store: Store) -> tuple[int, int]:
    return sum((await store.count_by_label()).values()), sum((await store.count_by_type()).values())


async def test_bulk_load_gives_back_every_record_exactly(store: Store) -> None:
    told: list[int] = []
    await store.bulk_load(NODES, RELS, progress=told.append)
    assert sum(told) == len(NODES) + len(RELS)
    found = await store.get_nodes([n.id for n in NODES])
    for expected in NODES:
        got = found[expected.id]
        assert (got.label, got.name, _props(got), got.sources) == (
            expected.label,
            expected.name,
            expected.props,
            expected.sources,
        )
    stored = (await store.all_relationships(offset=0, limit=100)).items
    assert sorted((r.key, sorted(r.props.items()), r.sources) for r in stored) == sorted(
        (r.key, sorted(r.props.items()), r.sources) for r in RELS
    )


async def test_bulk_loaded_nodes_are_searchable_and_linked(store: Store) -> None:
    await store.bulk_load(NODES, RELS)
    hits = await store.search("ecowas")
    assert [h.node.id for h in hits.items][:1] == ["org:cedeao"]
    page = await store.neighbours("event:workshop", direction=Direction.IN)
    assert {n.node.id for n in page.items} == {"org:cedeao", "person:awa"}
    assert (await store.count_by_label())[Label.PLACE] == 2


async def test_bulk_load_adds_to_a_store_that_has_data(store: Store) -> None:
    await store.upsert_nodes(NODES[:3])
    await store.bulk_load(
        NODES[3:], [r for r in RELS if r.source != "org:odd" or r.target != "org:cedeao"]
    )
    assert await _totals(store) == (len(NODES), len(RELS) - 1)
    await store.bulk_load([], [RELS[5]])
    assert await _totals(store) == (len(NODES), len(RELS))


async def test_a_dangling_end_loads_nothing(store: Store) -> None:
    dangling = rel(RelType.ATTENDED, "person:awa", "event:nowhere")
    with pytest.raises(NotFound, match="event:nowhere"):
        await store.bulk_load(NODES, [*RELS, dangling])
    assert await _totals(store) == (0, 0)


async def test_an_invalid_record_loads_nothing(store: Store) -> None:
    wrong_pair = rel(RelType.WITHIN, "org:cedeao", "place:mali")
    with pytest.raises(Invalid, match="WITHIN"):
        await store.bulk_load(NODES, [*RELS, wrong_pair])
    with pytest.raises(Invalid, match="twice"):
        await store.bulk_load(NODES, [*RELS, RELS[0]])
    assert await _totals(store) == (0, 0)


async def test_bulk_load_refuses_ids_already_stored(store: Store) -> None:
    await store.bulk_load(NODES, RELS)
    renamed = node(Label.PLACE, "place:mali", "Mali again")
    with pytest.raises(Conflict, match="place:mali"):
        await store.bulk_load([renamed, node(Label.PLACE, "place:new", "New")], [])
    assert (await store.get_nodes(["place:mali"]))["place:mali"].name == "Mali"
    assert await _totals(store) == (len(NODES), len(RELS))


async def test_a_relationship_already_stored_is_never_doubled(store: Store) -> None:
    """COPY only appends, so the embedded store refuses it (naming it); Neo4j's
    batches MERGE. Either way the graph holds it once."""
    await store.bulk_load(NODES, RELS)
    again = RELS[1]
    try:
        await store.bulk_load(
            [], [rel(RelType.PARTICIPATED_IN, "org:blank", "event:workshop"), again]
        )
    except Conflict as refused:
        assert again.source in str(refused) and again.target in str(refused)
        assert await _totals(store) == (len(NODES), len(RELS))
    else:
        assert await _totals(store) == (len(NODES), len(RELS) + 1)
