"""Nested queries cost store round trips per level; pages reach the store as limits."""

from __future__ import annotations

from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from peacegraph.graph.store import Store
from tests.support.counting import CountingStore
from tests.support.http import client_for, graphql

SRC = (Provenance("source:test", "S", "q"),)
ORGS = 25


async def build(store: Store) -> None:
    nodes: list[Node] = []
    rels: list[Relationship] = []
    for i in range(ORGS):
        nodes.append(Node(Label.ORGANIZATION, f"org:o{i:02d}", f"Org {i:02d}", {}, SRC))
        for j in range(2):
            event_id = f"event:e{i:02d}-{j}"
            nodes.append(Node(Label.EVENT, event_id, f"Event {i}-{j}", {}, SRC))
            rels.append(Relationship(RelType.ORGANIZED, f"org:o{i:02d}", event_id, {}, SRC))
            for k in range(3):
                person = f"person:p{i:02d}-{j}-{k}"
                nodes.append(Node(Label.PERSON, person, f"Person {i}-{j}-{k}", {}, SRC))
                rels.append(Relationship(RelType.ATTENDED, person, event_id, {}, SRC))
    await store.upsert_nodes(nodes)
    await store.upsert_relationships(rels)


NESTED = """
query {
  organizations(first: 25) {
    edges { node { id name events { node { id ... on Event {
      participants { node { id name } } } } } } }
  }
}
"""


async def test_three_levels_cost_three_round_trips(store: Store) -> None:
    await build(store)
    counting = CountingStore(store)
    async with client_for(counting) as client:
        body = await graphql(client, NESTED)
    assert "errors" not in body, body
    orgs = body["data"]["organizations"]["edges"]
    assert len(orgs) == ORGS
    participants = [p for o in orgs for e in o["node"]["events"] for p in e["node"]["participants"]]
    assert len(participants) == ORGS * 2 * 4  # 3 attendees + the organiser per event
    assert counting.names() == ["list_nodes", "neighbours_of_many", "neighbours_of_many"]


async def test_pagination_reaches_the_store_as_a_limit(store: Store) -> None:
    await build(store)
    counting = CountingStore(store)
    query = (
        "query($after: String) { people(first: 5, after: $after) "
        "{ edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"
    )
    async with client_for(counting) as client:
        first = await graphql(client, query)
        page = first["data"]["people"]
        second = await graphql(client, query, {"after": page["pageInfo"]["endCursor"]})
    assert [kwargs for name, kwargs in counting.calls if name == "list_nodes"] == [
        {"offset": 0, "limit": 5},
        {"offset": 5, "limit": 5},
    ]
    ids = [e["node"]["id"] for e in page["edges"] + second["data"]["people"]["edges"]]
    assert len(set(ids)) == 10 and page["pageInfo"]["hasNextPage"]


async def test_total_count_is_a_separate_count_only_when_asked(store: Store) -> None:
    await build(store)
    counting = CountingStore(store)
    async with client_for(counting) as client:
        await graphql(client, "{ events(first: 3) { edges { node { id } } } }")
        assert "count_nodes" not in counting.names()
        body = await graphql(client, "{ events(first: 3) { totalCount } }")
    assert body["data"]["events"]["totalCount"] == ORGS * 2
    assert counting.names().count("count_nodes") == 1


async def test_a_link_page_counted_to_be_cut_is_not_counted_again(
    store: Store,
) -> None:
    """The store store counts a node's links to cut their page; `totalCount` is
    that count, with the page's filters, and costs no second call."""
    await build(store)
    counting = CountingStore(store)
    query = (
        '{ node(id: "event:e03-1") { ... on Event {'
        " all: links(first: 2) { totalCount edges { node { type } } }"
        " attended: links(first: 2, types: [ATTENDED]) { totalCount } } } }"
    )
    async with client_for(counting) as client:
        body = await graphql(client, query)
    event = body["data"]["node"]
    assert (event["all"]["totalCount"], event["attended"]["totalCount"]) == (4, 3)
    assert len(event["all"]["edges"]) == 2
    assert "count_neighbours" not in counting.names()
    assert counting.names().count("neighbours") == 2
