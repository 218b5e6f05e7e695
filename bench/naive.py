"""The naive baseline of the benchmark: plain Strawberry resolvers, no DataLoaders.

Written for the benchmark only, as GraphQL servers are commonly first written:
every field that needs data calls the store once for its parent. A list of links
is one `neighbours` call per parent, and each link's `node` is one `get_nodes`
call for that link, so the 3-level nested query (100 organisations → their
events → participants) costs 1 + 100 + 2 per event + 1 per participant link
store calls instead of three. It answers the same query text as the real schema
(same type and field names for the fields the benchmark asks) and asks the store
for the same relationship types, labels and page sizes as the real resolvers, so
what is measured is the batching (DataLoaders) and nothing else.
"""

from __future__ import annotations

from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.types import Info

from peacegraph.graph import records
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.store import Direction, NodeQuery, Store

EVENT_ROLES = (RelType.ORGANIZED, RelType.PARTICIPATED_IN, RelType.ATTENDED, RelType.FUNDED)
ACTORS = (Label.ORGANIZATION, Label.PERSON)
NaiveInfo = Info[dict[str, Any], None]


def _store(info: NaiveInfo) -> Store:
    store: Store = info.context["store"]
    return store


@strawberry.interface(name="Node", description="Any node (naive baseline).")
class NaiveNode:
    record: strawberry.Private[records.Node]

    @strawberry.field(description="Stable id.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.record.id)

    @strawberry.field(description="Display name.")
    def name(self) -> str:
        return self.record.name


@strawberry.type(name="Link", description="A neighbour (naive baseline).")
class NaiveLink:
    neighbour: strawberry.Private[records.Neighbour]

    @strawberry.field(description="The node at the other end (one store call per link).")
    async def node(self, info: NaiveInfo) -> NaiveNode:
        node_id = self.neighbour.node.id
        found = await _store(info).get_nodes([node_id])
        return wrap(found[node_id])


async def _links(
    info: NaiveInfo,
    node_id: str,
    direction: Direction,
    rel_types: tuple[RelType, ...],
    labels: tuple[Label, ...],
    first: int,
) -> list[NaiveLink]:
    """One store call for this one parent: the N+1 pattern the real schema avoids."""
    page = await _store(info).neighbours(
        node_id, direction=direction, rel_types=rel_types, labels=labels, limit=first
    )
    return [NaiveLink(neighbour=n) for n in page.items]


@strawberry.type(name="Organization", description="An organisation (naive baseline).")
class NaiveOrganization(NaiveNode):
    @strawberry.field(description="Events it organised, funded, took part in or attended.")
    async def events(self, info: NaiveInfo, first: int = 50) -> list[NaiveLink]:
        return await _links(info, self.record.id, Direction.OUT, EVENT_ROLES, (Label.EVENT,), first)


@strawberry.type(name="Event", description="An event (naive baseline).")
class NaiveEvent(NaiveNode):
    @strawberry.field(description="Organisations and people involved.")
    async def participants(self, info: NaiveInfo, first: int = 50) -> list[NaiveLink]:
        return await _links(info, self.record.id, Direction.IN, EVENT_ROLES, ACTORS, first)


@strawberry.type(name="Other", description="Any other node (naive baseline).")
class NaiveOther(NaiveNode):
    pass


def wrap(record: records.Node) -> NaiveNode:
    if record.label is Label.ORGANIZATION:
        return NaiveOrganization(record=record)
    if record.label is Label.EVENT:
        return NaiveEvent(record=record)
    return NaiveOther(record=record)


@strawberry.type(name="OrganizationNodeConnection", description="A page of organisations.")
class NaiveOrganizations:
    items: strawberry.Private[list[records.Node]]

    @strawberry.field(description="The organisations of the page.")
    def nodes(self) -> list[NaiveOrganization]:
        return [NaiveOrganization(record=r) for r in self.items]


@strawberry.type(name="Query", description="The naive baseline's root.")
class NaiveQuery:
    @strawberry.field(description="Organisations by name, paged in the store.")
    async def organizations(self, info: NaiveInfo, first: int = 20) -> NaiveOrganizations:
        query = NodeQuery(label=Label.ORGANIZATION)
        page = await _store(info).list_nodes(query, offset=0, limit=first)
        return NaiveOrganizations(items=page.items)


def naive_schema() -> strawberry.Schema:
    return strawberry.Schema(query=NaiveQuery, types=[NaiveOrganization, NaiveEvent, NaiveOther])


class NaiveView(GraphQL[dict[str, Any], None]):
    """Strawberry's plain ASGI view with the store in a dict context."""

    def __init__(self, store: Store) -> None:
        super().__init__(naive_schema(), graphql_ide=None)
        self._store = store

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> dict[str, Any]:
        return {"store": self._store}
