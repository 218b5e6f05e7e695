"""The root Subscription (graphql-transport-ws): the change feed of committed writes,
and what those writes did to one network view."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated, TypeVar

import strawberry
from graphql import GraphQLError

from peacegraph.graph.errors import PeaceGraphError
from peacegraph.resolvers import changes, network_changes
from peacegraph.schema.enums import NodeKind, RelationshipType, labels_of
from peacegraph.schema.errors import classify
from peacegraph.schema.types import Ctx
from peacegraph.schema.views import CytoscapeElements, typed_elements

T = TypeVar("T")

ChangeKind = strawberry.enum(
    changes.ChangeKind,
    name="ChangeKind",
    description="What a committed write did: NODE_CREATED, NODE_UPDATED (upserts, aliases), "
    "NODE_DELETED, NODE_RESTORED, NODES_MERGED (the node kept), RELATIONSHIP_LINKED (created "
    "or updated), RELATIONSHIP_UNLINKED, IMPORTED (a batch), REVERTED (an undone change).",
)


@strawberry.type(description="A committed write, announced to subscribers.")
class ChangeEvent:
    event: strawberry.Private[changes.ChangeEvent]

    @strawberry.field(description="What the write did.")
    def kind(self) -> ChangeKind:  # type: ignore[valid-type]
        return self.event.kind

    @strawberry.field(description="The mutation that made it (its Python name, e.g. link).")
    def mutation(self) -> str:
        return self.event.mutation

    @strawberry.field(
        description="Ids of the nodes, or of the relationships (source|TYPE|target), it changed."
    )
    def ids(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in self.event.ids]

    @strawberry.field(description="The node's version after the write, for node changes.")
    def version(self) -> int | None:
        return self.event.version

    @strawberry.field(description="When the server announced it (ISO 8601, UTC).")
    def at(self) -> str:
        return self.event.at


@strawberry.type(description="A node's version after a change.")
class ElementVersion:
    id: strawberry.ID = strawberry.field(description="The node id.")
    version: int | None = strawberry.field(description="Its version now.")


@strawberry.type(description="What a committed change did to a network view.")
class NetworkChange:
    diff: strawberry.Private[network_changes.NetworkDiff]

    @strawberry.field(description="The committed change that altered the view.")
    def cause(self) -> ChangeEvent:
        return ChangeEvent(event=self.diff.cause)

    @strawberry.field(description="Nodes and edges now in the view, as Cytoscape.js elements.")
    def added(self) -> CytoscapeElements:
        return typed_elements(self.diff.added)

    @strawberry.field(
        description="Nodes and edges of the view whose data changed, with their new data "
        "(a new label, dates, sources), to update in place."
    )
    def updated(self) -> CytoscapeElements:
        return typed_elements(self.diff.updated)

    @strawberry.field(description="Ids of the nodes that left the view.")
    def removed_nodes(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in self.diff.removed_nodes]

    @strawberry.field(description="Ids of the edges (source|TYPE|target) that left the view.")
    def removed_edges(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in self.diff.removed_edges]

    @strawberry.field(description="The new version of each node added or updated.")
    def versions(self) -> list[ElementVersion]:
        nodes = [*self.diff.added.nodes, *self.diff.updated.nodes]
        return [
            ElementVersion(id=strawberry.ID(n.id), version=changes.version_of(n)) for n in nodes
        ]

    @strawberry.field(description="True when the node limit cut the view short.")
    def truncated(self) -> bool:
        return self.diff.truncated


async def _guarded(stream: AsyncIterator[T], info: Ctx) -> AsyncGenerator[T, None]:
    """The stream, its failures coded as a query's would be (a refused subscription,
    a view's bad argument naming the field, a store away)."""
    try:
        async for item in stream:
            yield item
    except PeaceGraphError as error:
        coded = GraphQLError(str(error), original_error=error)
        raise classify(coded, info.context.request_id) from None


def _feed(info: Ctx) -> changes.ChangeFeed:
    feed = info.context.feed
    if feed is None:
        raise GraphQLError("this server has no change feed", extensions={"code": "NOT_SUPPORTED"})
    return feed


@strawberry.type(description="Live answers over websockets (the graphql-transport-ws protocol).")
class Subscription:
    @strawberry.subscription(
        description="Every write committed from now on, through this server or another "
        "sharing its Redis; readers may subscribe wherever they may read. A client that lets "
        "events pile up is disconnected (close code 1008, SUBSCRIPTION_TOO_SLOW)."
    )
    async def changes(self, info: Ctx) -> AsyncGenerator[ChangeEvent, None]:
        events = _feed(info).subscribe(info.context.drop_connection)
        async for event in _guarded(events, info):
            yield ChangeEvent(event=event)

    @strawberry.subscription(
        description="What each committed write does to the view `network` would answer "
        "with these arguments (same limits): nodes and edges added, updated and removed, "
        "sent only when the view changed. Counts as a change feed subscription."
    )
    async def network_changes(
        self,
        info: Ctx,
        seeds: Annotated[
            list[strawberry.ID], strawberry.argument(description="Ids to start from.")
        ],
        depth: Annotated[int, strawberry.argument(description="Hops from the seeds, 0 to 3.")] = 1,
        relationship_types: Annotated[
            list[RelationshipType] | None,  # type: ignore[valid-type]
            strawberry.argument(description="Only follow these relationship types."),
        ] = None,
        kinds: Annotated[
            list[NodeKind] | None, strawberry.argument(description="Only include these kinds.")
        ] = None,
        since: Annotated[
            str | None, strawberry.argument(description="Leave out what ended before this date.")
        ] = None,
        until: Annotated[
            str | None, strawberry.argument(description="Leave out what began after this date.")
        ] = None,
        limit: Annotated[int, strawberry.argument(description="Most nodes in the view.")] = 200,
    ) -> AsyncGenerator[NetworkChange, None]:
        view = network_changes.ViewDefinition(
            seeds=tuple(str(s) for s in seeds),
            depth=depth,
            rel_types=tuple(relationship_types or ()),
            labels=tuple(labels_of(kinds)),
            since=since,
            until=until,
            limit=limit,
        )
        diffs = network_changes.watch(info.context, _feed(info), view, info.context.drop_connection)
        async for diff in _guarded(diffs, info):
            yield NetworkChange(diff=diff)
