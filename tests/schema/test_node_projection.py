"""Nodes at the end of links, and a timeline's partners, are read with only the
properties the query selects (`schema.selection.link_node_props`), and answer every
field as the node read by id does: each field of each kind, taken from the schema
itself, so that a field added later is covered too."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
    is_required_argument,
)
from graphql import build_schema as schema_from_sdl

from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema
from tests.support.counting import CountingStore
from tests.support.http import client_for, graphql

ORG = "org:wanep-mali"


def _leaves(kind: GraphQLObjectType) -> list[str]:
    """The fields of a type that take no required argument, with leaf subfields."""
    chosen: list[str] = []
    for name, field in kind.fields.items():
        if any(is_required_argument(arg) for arg in field.args.values()):
            continue
        named = get_named_type(field.type)
        if is_leaf_type(named):
            chosen.append(name)
        elif isinstance(named, GraphQLObjectType):
            subs = [n for n, f in named.fields.items() if is_leaf_type(get_named_type(f.type))]
            if len(subs) == len(named.fields):  # a value object: PartialDate, Reach...
                chosen.append(f"{name} {{ {' '.join(subs)} }}")
    return chosen


def every_field_fragment(schema: GraphQLSchema) -> str:
    """`fragment All on Node` selecting every leaf field of every node type."""
    node = schema.type_map["Node"]
    parts = []
    for kind in schema.type_map.values():
        if isinstance(kind, GraphQLObjectType) and node in kind.interfaces:
            parts.append(f"... on {kind.name} {{ {' '.join(_leaves(kind))} }}")
    return "fragment All on Node { id " + " ".join(parts) + " }"


async def _same_as_by_id(client: Any, nodes: list[dict[str, Any]], fragment: str) -> None:
    """Each node as `node(id:)` answers it (one request each: the field limit)."""
    for shown in nodes:
        body = await graphql(client, f'{{ node(id: "{shown["id"]}") {{ ...All }} }} ' + fragment)
        assert "errors" not in body, body
        assert body["data"]["node"] == shown


async def test_linked_nodes_answer_every_field_as_read_by_id(seeded: Store) -> None:
    fragment = every_field_fragment(schema_from_sdl(build_schema(Limits()).as_str()))
    assert "sources { document section quote }" in fragment
    query = f'{{ node(id: "{ORG}") {{ neighbours(first: 25) {{ node {{ ...All }} }} }} }} '
    counting = CountingStore(seeded)
    async with client_for(counting) as client:
        body = await graphql(client, query + fragment)
        assert "errors" not in body, body
        nodes = [link["node"] for link in body["data"]["node"]["neighbours"]]
        assert len({n["id"].split(":")[0] for n in nodes}) >= 3
        await _same_as_by_id(client, nodes, fragment)
    calls = [kwargs for name, kwargs in counting.calls if name == "neighbours_of_many"]
    assert calls and calls[0]["node_props"] is not None and "sources" in calls[0]["node_props"]


async def test_nodes_shown_by_id_and_name_are_read_without_their_properties(
    seeded: Store,
) -> None:
    query = (
        f'{{ node(id: "{ORG}") {{ ... on Organization {{ events(first: 5) {{ role node {{ id '
        "name ... on Event { participants(first: 5) { node { __typename id name } } } } } } } }"
    )
    counting = CountingStore(seeded)
    async with client_for(counting) as client:
        body = await graphql(client, query)
    assert "errors" not in body, body
    events = body["data"]["node"]["events"]
    assert events and all(e["node"]["participants"] for e in events)
    calls = [kwargs for name, kwargs in counting.calls if name == "neighbours_of_many"]
    assert [call["node_props"] for call in calls] == [frozenset(), frozenset()]


async def test_timeline_partners_answer_every_field_as_read_by_id(seeded: Store) -> None:
    fragment = every_field_fragment(schema_from_sdl(build_schema(Limits()).as_str()))
    counting = CountingStore(seeded)
    async with client_for(counting) as client:
        body = await graphql(
            client, f'{{ timeline(actor: "{ORG}") {{ partners {{ ...All }} }} }} ' + fragment
        )
        assert "errors" not in body, body
        partners = [p for entry in body["data"]["timeline"] for p in entry["partners"]]
        assert len(partners) > 5
        await _same_as_by_id(client, partners[:25], fragment)
        body = await graphql(client, f'{{ timeline(actor: "{ORG}") {{ partners {{ id }} }} }}')
        assert "errors" not in body, body
    calls = [kwargs for name, kwargs in counting.calls if name == "timeline"]
    assert [call["partner_props"] for call in calls][1] == frozenset()
    assert "sources" in calls[0]["partner_props"]
