"""Link lists read their relationships' data only where the query asks for it, and
every way of asking for it (a field, an inline fragment, a named fragment, the same
response key on two types) still gets it."""

from __future__ import annotations

from typing import Any

from peacegraph.app.settings import Settings
from peacegraph.graph.embedded.store import EmbeddedStore
from tests.support.counting import CountingStore
from tests.support.http import client_for, graphql

ORG = "org:aprofem"
EVENT = "event:2023-09-05-planification-annuelle-jfa"


def _links(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert "errors" not in body, body
    links: list[dict[str, Any]] = body["data"]["node"]["events"]
    return links


async def _ask(store: Any, selection: str, fragments: str = "") -> dict[str, Any]:
    query = f'{{ node(id: "{ORG}") {{ ... on Organization {{ events(first: 5) {selection} }} }} }}'
    async with client_for(store) as client:
        return await graphql(client, query + fragments)


async def test_a_role_asked_for_directly_or_through_fragments_is_read(
    seeded: EmbeddedStore,
) -> None:
    asked = [
        "{ role node { id } }",
        "{ ... on Link { role } node { id } }",
        "{ ...Roles node { id } }",
    ]
    for selection in asked:
        fragments = " fragment Roles on Link { role }" if "Roles" in selection else ""
        links = _links(await _ask(seeded, selection, fragments))
        assert {"role": "participant", "node": {"id": EVENT}} in links, selection


async def test_links_asked_for_their_ends_only_skip_the_relationship_data(
    seeded: EmbeddedStore,
) -> None:
    counting = CountingStore(seeded)
    links = _links(await _ask(counting, "{ type direction sourceId targetId node { id } }"))
    assert {"type": "PARTICIPATED_IN", "direction": "OUT", "sourceId": ORG, "targetId": EVENT,
            "node": {"id": EVENT}} in links  # fmt: skip
    calls = [kwargs for name, kwargs in counting.calls if name == "neighbours_of_many"]
    assert [call["with_props"] for call in calls] == [False]
    await _ask(counting, "{ note node { id } }")
    calls = [kwargs for name, kwargs in counting.calls if name == "neighbours_of_many"]
    assert [call["with_props"] for call in calls] == [False, True]


async def test_one_response_path_on_two_types_is_decided_for_each(
    seeded: EmbeddedStore,
) -> None:
    """Search hits of two types share the response path `search.nodes.links`: on an
    Organization the links are asked for their ends, on an Event for their roles.
    The organisation comes first, and its decision must not carry over."""
    hits = """{ search(text: "aprofem", first: 10) { nodes { __typename id
      ... on Organization { links: events(first: 5) { node { id } } }
      ... on Event { links: participants(first: 50) { role node { id } } } } } }"""
    direct = """query($id: ID!) { node(id: $id) { ... on Event {
      participants(first: 50) { role node { id } } } } }"""
    async with client_for(seeded) as client:
        body = await graphql(client, hits)
        assert "errors" not in body, body
        nodes = body["data"]["search"]["nodes"]
        kinds = [n["__typename"] for n in nodes]
        assert kinds.index("Organization") < kinds.index("Event")
        for event in (n for n in nodes if n["__typename"] == "Event"):
            alone = await graphql(client, direct, {"id": event["id"]})
            assert event["links"] == alone["data"]["node"]["participants"]
        assert any(link["role"] for n in nodes if n["__typename"] == "Event" for link in n["links"])


async def test_operations_of_one_batch_are_decided_each(seeded: EmbeddedStore) -> None:
    """A batch's operations share one request context, and the same places: the first
    asks a link list for its ends only, the second for roles."""
    query = '{ node(id: "%s") { ... on Organization { events(first: 5) { %s node { id } } } } }'
    ends, roles = query % (ORG, ""), query % (ORG, "role")
    async with client_for(seeded, Settings(batching=True)) as client:
        response = await client.post("/graphql", json=[{"query": ends}, {"query": roles}])
    first, second = response.json()
    assert {"node": {"id": EVENT}} in first["data"]["node"]["events"]
    assert {"role": "participant", "node": {"id": EVENT}} in second["data"]["node"]["events"]
