"""Evidence-aware paths: a hop's strength, and paths ranked by it on every store."""

from __future__ import annotations

import pytest

from peacegraph.graph import evidence, traversal
from peacegraph.graph.model import Label, RelType, label_of_id
from peacegraph.graph.records import Node, Provenance, Relationship
from peacegraph.graph.store import Path, Store
from tests.support.http import client_for, graphql

HEADING = Provenance(
    "source:test", "Agenda Femmes, Paix et Sécurité", "Agenda Femmes, Paix et Sécurité"
)
SENTENCE = Provenance("source:test", "Partenaires", "WANEP-Mali est membre de l'alliance.")


def rel(rel_type: RelType, source: str, target: str, *sources: Provenance) -> Relationship:
    return Relationship(rel_type, source, target, {}, sources)


def node(node_id: str) -> Node:
    return Node(label_of_id(node_id) or Label.ORGANIZATION, node_id, node_id)


def path(*hops: Relationship) -> Path:
    ids = [hops[0].source]
    for hop in hops:
        ids.append(hop.target if hop.source == ids[-1] else hop.source)
    return Path(nodes=[node(i) for i in ids], relationships=list(hops))


def test_a_hop_is_as_strong_as_its_evidence() -> None:
    assert evidence.strength(rel(RelType.ATTENDED, "org:a", "event:e", HEADING)) is (
        evidence.Evidence.SHARED_EVENT
    )
    assert evidence.strength(rel(RelType.MEMBER_OF, "org:a", "org:b", HEADING, SENTENCE)) is (
        evidence.Evidence.STATED
    )
    assert evidence.strength(rel(RelType.IMPLEMENTS, "org:a", "programme:p", HEADING)) is (
        evidence.Evidence.HEADING
    )


def test_paths_of_one_length_come_best_supported_first() -> None:
    # By ids alone the first would lead (event:e1 < event:e2); its last hop is cited
    # only by a heading.
    thematic = path(
        rel(RelType.ATTENDED, "org:a", "event:e1", SENTENCE),
        rel(RelType.ATTENDED, "org:m", "event:e1", SENTENCE),
        rel(RelType.MEMBER_OF, "org:m", "org:b", HEADING),
    )
    stated = path(
        rel(RelType.ATTENDED, "org:a", "event:e2", SENTENCE),
        rel(RelType.ATTENDED, "org:n", "event:e2", SENTENCE),
        rel(RelType.MEMBER_OF, "org:n", "org:b", SENTENCE),
    )
    shorter = path(rel(RelType.IMPLEMENTS, "org:a", "org:b", HEADING))
    assert traversal.paths_in_order([thematic, stated, shorter]) == [shorter, stated, thematic]


@pytest.mark.asyncio(loop_scope="session")
async def test_actors_at_the_same_event_are_connected_through_it_first(seeded: Store) -> None:
    query = """{ path(from: "org:fba", to: "org:wanep-mali") {
        strength nodes { id } hops { type evidence } } }"""
    async with client_for(seeded) as client:
        body = await graphql(client, query)
    assert "errors" not in body, body
    paths = body["data"]["path"]
    assert [n["id"] for n in paths[0]["nodes"]] == [
        "org:fba",
        "event:2023-09-19-visite-fba",
        "org:wanep-mali",
    ]
    assert paths[0]["strength"] == "SHARED_EVENT"
    assert {hop["evidence"] for hop in paths[0]["hops"]} == {"SHARED_EVENT"}
    # The thematic link through the WPS agenda, cited by its heading, comes after.
    assert any(p["strength"] == "HEADING" for p in paths[1:])
