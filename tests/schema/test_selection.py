"""Link lists read their relationships' data only where the query asks for it, and
every way of asking for it (a field, an inline fragment, a named fragment, the same
response key on two types) still gets it."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType
from graphql import build_schema as schema_from_sdl

from peacegraph.app.settings import Settings
from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema
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
    seeded: Store,
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
    seeded: Store,
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
    seeded: Store,
) -> None:
    """Search hits of two types share the response path `search.nodes.links`: on an
    Organization the links are asked for their ends, on an Event for their roles.
    The organisation comes first, and its decision must not carry over."""
    hits = """{ search(text: "cidoc", first: 10) { nodes { __typename id
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


async def test_operations_of_one_batch_are_decided_each(seeded: Store) -> None:
    """A batch's operations share one request context, and the same places: the first
    asks a link list for its ends only, the second for roles."""
    query = '{ node(id: "%s") { ... on Organization { events(first: 5) { %s node { id } } } } }'
    ends, roles = query % (ORG, ""), query % (ORG, "role")
    async with client_for(seeded, Settings(batching=True)) as client:
        response = await client.post("/graphql", json=[{"query": ends}, {"query": roles}])
    first, second = response.json()
    assert {"node": {"id": EVENT}} in first["data"]["node"]["events"]
    assert {"role": "participant", "node": {"id": EVENT}} in second["data"]["node"]["events"]


NETWORK = 'network(seeds: ["org:wanep-mali"], depth: 2, limit: 80)'
#: A selection of each field of a network's edges (`Relation`).
RELATION_SELECTIONS = {
    "__typename": "__typename",
    "id": "id",
    "type": "type",
    "source": "source",
    "target": "target",
    "role": "role",
    "start": "start { value precision }",
    "end": "end { value precision }",
    "sources": "sources { document section quote }",
    "evidence": "evidence",
}


class EveryPropertyRead(CountingStore):
    """Answers every network as if neither `rel_props` nor `node_props` were given:
    the reference."""

    async def network(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("rel_props", None)
        kwargs.pop("node_props", None)
        return await self._inner.network(*args, **kwargs)


async def _answered_as_whole(store: Store, query: str) -> dict[str, Any]:
    """The answer to `query`, checked to equal the answer with every property read."""
    async with client_for(store) as client:
        body = await graphql(client, query)
    async with client_for(EveryPropertyRead(store)) as client:
        whole = await graphql(client, query)
    assert "errors" not in body and "errors" not in whole, (body, whole)
    assert body == whole, query
    return body


async def _passed(store: Store, argument: str, selections: dict[str, Any]) -> None:
    """Each selection of a network view (with the fragments it spreads, defined in
    `FRAGMENTS`) makes `Store.network` get the expected `argument`."""
    counting = CountingStore(store)
    async with client_for(counting) as client:
        for selection, expected in selections.items():
            counting.reset()
            spread = [text for name, text in FRAGMENTS.items() if f"...{name}" in selection]
            body = await graphql(client, f"{{ {NETWORK} {selection} }} " + " ".join(spread))
            assert "errors" not in body, body
            passed = [kwargs[argument] for name, kwargs in counting.calls if name == "network"]
            assert passed == [expected], selection


FRAGMENTS = {
    "Dates": "fragment Dates on Relation { start { value } end { value } }",
    "Drawn": "fragment Drawn on NetworkView { nodes { name } }",
}


async def test_a_network_reads_only_the_node_properties_its_fields_show(
    seeded: Store,
) -> None:
    drawn = frozenset({"kind", "startDate"})
    asked = {
        "{ truncated elements }": drawn,
        "{ edges { id source target } truncated }": frozenset(),
        "{ ... on NetworkView { elements } }": drawn,
        "{ elements nodes { id } }": None,
        "{ ...Drawn }": None,
        "{ elements nodes @include(if: true) { id } }": None,
    }
    await _passed(seeded, "node_props", asked)


async def test_a_network_drawn_from_its_elements_answers_as_when_all_is_read(
    seeded: Store,
) -> None:
    """`elements` read with only the node and relationship properties a drawing
    shows equals `elements` read whole, with and without a period."""
    for arguments in ("", ', since: "2023-07", until: "2023-09"'):
        query = f"{{ {NETWORK[:-1]}{arguments}) {{ truncated elements }} }}"
        body = await _answered_as_whole(seeded, query)
        nodes = [n["data"] for n in body["data"]["network"]["elements"]["nodes"]]
        assert len(nodes) > 10
        # The comparison is not vacuous: the properties read are there.
        assert any(n["subkind"] for n in nodes) and any(n["start"] for n in nodes)


async def test_elements_draw_the_nodes_and_edges_the_view_lists(seeded: Store) -> None:
    fields = "elements nodes { id name nodeKind kind } edges { id type source target role }"
    query = f"{{ {NETWORK[:-1]}) {{ {fields} }} }}"
    async with client_for(seeded) as client:
        view = (await graphql(client, query))["data"]["network"]
    drawn_nodes = [n["data"] for n in view["elements"]["nodes"]]
    drawn_edges = [e["data"] for e in view["elements"]["edges"]]
    assert len(drawn_nodes) == len(view["nodes"]) > 10 and drawn_edges
    for drawn, node in zip(drawn_nodes, view["nodes"], strict=True):
        assert (drawn["id"], drawn["label"], drawn["subkind"]) == (
            node["id"],
            node["name"],
            node["kind"],
        )
        assert drawn["kind"].upper() == node["nodeKind"]
    columns = ("id", "type", "source", "target", "role")
    listed = [tuple(e[c] for c in columns) for e in view["edges"]]
    assert [tuple(e[c] for c in columns) for e in drawn_edges] == listed
    assert all(e["id"] == f"{e['source']}|{e['type']}|{e['target']}" for e in drawn_edges)


async def test_a_network_reads_only_the_relationship_properties_its_fields_show(
    seeded: Store,
) -> None:
    dates = frozenset({"startDate", "startPrecision", "endDate", "endPrecision"})
    asked = {
        "{ truncated elements }": frozenset({"role"}),
        "{ nodes { id } edges { id source target type } }": frozenset(),
        "{ edges { ...Dates } }": dates,
        "{ ... on NetworkView { edges { sources { quote } } } }": frozenset({"sources"}),
        "{ elements edges @include(if: true) { sources { quote } } }": frozenset(
            {"role", "sources"}
        ),
    }
    await _passed(seeded, "rel_props", asked)


async def test_every_field_of_a_network_edge_answers_as_when_all_are_read(
    seeded: Store,
) -> None:
    """Field by field, an edge read with only the properties its selection names
    equals the same edge read whole; the list covers every field of `Relation`, so
    a field added there must be added here (and to `RELATION_FIELD_PROPS`, or it
    reads everything)."""
    relation = schema_from_sdl(build_schema(Limits()).as_str()).type_map["Relation"]
    assert isinstance(relation, GraphQLObjectType)
    assert set(RELATION_SELECTIONS) == {"__typename", *relation.fields}
    seen_values: set[str] = set()
    for name, selection in RELATION_SELECTIONS.items():
        query = f"{{ {NETWORK} {{ edges {{ id {selection} }} elements }} }}"
        body = await _answered_as_whole(seeded, query)
        edges = body["data"]["network"]["edges"]
        if any(edge[name] not in (None, []) for edge in edges):
            seen_values.add(name)
    assert {"role", "start", "sources"} <= seen_values  # the comparison is not vacuous
