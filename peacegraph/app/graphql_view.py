"""The /graphql endpoint: Strawberry's ASGI view with our per-request context."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from peacegraph.graph.store import Store
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.limits import Limits


class GraphQLView(GraphQL[Context, None]):
    """Builds a fresh Context (store, DataLoaders, limits, request id) per request."""

    def __init__(self, schema: Any, *, store_getter: Any, limits: Limits, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._store_getter = store_getter
        self._limits = limits

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        store: Store = self._store_getter()
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:12]
        return Context(store=store, limits=self._limits, request_id=request_id[:64])
