"""The root Subscription: the change feed of committed writes (graphql-transport-ws)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from peacegraph.resolvers import changes
from peacegraph.schema.types import Ctx

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


@strawberry.type(description="Live answers over websockets (the graphql-transport-ws protocol).")
class Subscription:
    @strawberry.subscription(
        description="Every write committed through this server from now on; readers may "
        "subscribe wherever they may read. Ends with SUBSCRIPTION_TOO_SLOW when a client "
        "lets events pile up."
    )
    async def changes(self, info: Ctx) -> AsyncGenerator[ChangeEvent, None]:
        feed = info.context.feed
        if feed is None:
            raise GraphQLError(
                "this server has no change feed", extensions={"code": "NOT_SUPPORTED"}
            )
        try:
            async for event in feed.subscribe():
                yield ChangeEvent(event=event)
        except changes.FeedRefused as refused:
            raise GraphQLError(str(refused), extensions={"code": refused.code}) from None
