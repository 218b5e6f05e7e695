"""Link reads with a node projection: the same links, in the same order, whose nodes
carry id, name and the properties asked for (as stored), and nothing else; on every
backend, through the Store protocol (the seed: links of many kinds and sources)."""

from __future__ import annotations

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Neighbour, Node
from peacegraph.graph.store import Direction, Store

ORG = "org:wanep-mali"
EVENT_ROLES = (RelType.ORGANIZED, RelType.PARTICIPATED_IN, RelType.ATTENDED, RelType.FUNDED)


def projected(node: Node, props: set[str]) -> Node:
    """What a read of `node` with `props` should give."""
    kept = {k: v for k, v in node.props.items() if k in props}
    sources = node.sources if "sources" in props else ()
    return Node(node.label, node.id, node.name, kept, sources)


def assert_projected(whole: list[Neighbour], shown: list[Neighbour], props: set[str]) -> None:
    assert [n.relationship for n in shown] == [n.relationship for n in whole]
    assert [n.direction for n in shown] == [n.direction for n in whole]
    assert [n.node for n in shown] == [projected(n.node, props) for n in whole]


async def test_neighbours_of_many_read_only_the_node_properties_asked_for(seeded: Store) -> None:
    events = await seeded.neighbours_of_many(
        [ORG], direction=Direction.OUT, rel_types=EVENT_ROLES, labels=(Label.EVENT,)
    )
    ids = [n.node.id for n in events[ORG]][:20]
    assert len(ids) >= 5
    for props in (set(), {"kind"}, {"kind", "startDate", "startPrecision", "sources"}):
        kwargs = {"direction": Direction.IN, "rel_types": EVENT_ROLES, "limit_per_node": 10}
        whole = await seeded.neighbours_of_many(ids, **kwargs)  # type: ignore[arg-type]
        shown = await seeded.neighbours_of_many(ids, node_props=props, **kwargs)  # type: ignore[arg-type]
        assert sum(map(len, whole.values())) > 10
        for node_id in ids:
            assert_projected(whole[node_id], shown[node_id], props)


async def test_links_without_their_data_and_with_a_projection(seeded: Store) -> None:
    whole = await seeded.neighbours_of_many([ORG], labels=(Label.ORGANIZATION, Label.PERSON))
    shown = await seeded.neighbours_of_many(
        [ORG], labels=(Label.ORGANIZATION, Label.PERSON), with_props=False, node_props={"kind"}
    )
    assert whole[ORG]
    assert [(n.node.id, n.node.name, n.node.props) for n in shown[ORG]] == [
        (n.node.id, n.node.name, projected(n.node, {"kind"}).props) for n in whole[ORG]
    ]
    keys = [(r.type, r.source, r.target) for r in (n.relationship for n in shown[ORG])]
    assert keys == [(r.type, r.source, r.target) for r in (n.relationship for n in whole[ORG])]


async def test_a_page_of_neighbours_reads_only_the_node_properties_asked_for(
    seeded: Store,
) -> None:
    for props in (set(), {"kind", "aliases"}):
        whole = await seeded.neighbours(ORG, offset=2, limit=7)
        shown = await seeded.neighbours(ORG, offset=2, limit=7, node_props=props)
        assert len(whole.items) == 7
        assert_projected(whole.items, shown.items, props)
        assert (shown.total, shown.has_next) == (whole.total, whole.has_next)


async def test_timeline_partners_read_only_the_properties_asked_for(seeded: Store) -> None:
    whole = await seeded.timeline(ORG)
    assert sum(len(e.partners) for e in whole) > 5
    for props in (set(), {"kind"}):
        shown = await seeded.timeline(ORG, partner_props=props)
        assert [(e.event, e.relationship) for e in shown] == [
            (e.event, e.relationship) for e in whole
        ]
        for mine, theirs in zip(shown, whole, strict=True):
            # partners as the embedded store reads them, whole whatever is asked,
            # or projected; in the same order either way
            assert [p.id for p in mine.partners] == [p.id for p in theirs.partners]
            for partner, full in zip(mine.partners, theirs.partners, strict=True):
                assert partner in (full, projected(full, props))
