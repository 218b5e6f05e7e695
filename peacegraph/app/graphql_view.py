"""The /graphql endpoint: Strawberry's ASGI view with our per-request context."""

from __future__ import annotations

import uuid
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from peacegraph.app.auth import caller_for
from peacegraph.graph.store import Store
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.limits import Limits
from peacegraph.resolvers.writes import ROLES
from peacegraph.schema.errors import classify_all


class GraphQLView(GraphQL[Context, None]):
    """Builds a fresh Context (store, DataLoaders, limits, request id) per request."""

    def __init__(
        self,
        schema: Any,
        *,
        store_getter: Any,
        limits: Limits,
        graphiql: bool,
        reads_require_token: bool = False,
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._store_getter = store_getter
        self._limits = limits
        self._reads_require_token = reads_require_token

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        store: Store = self._store_getter()
        caller = await caller_for(store, request.headers.get("authorization"))
        if self._reads_require_token and caller.role not in ROLES:
            raise HTTPException(401, "a valid bearer token is needed (Authorization: Bearer ...)")
        return Context(
            store=store, limits=self._limits, request_id=request_id_of(request), caller=caller
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Every error gets its stable code here; unexpected ones are masked and logged."""
        if result.errors:
            result.errors = classify_all(result.errors, request_id_of(request))
        return await super().process_result(request, result)


def request_id_of(request: Request | WebSocket) -> str:
    """The caller's X-Request-Id (bounded) or a new one, kept on the request."""
    known = getattr(request.state, "request_id", None)
    if isinstance(known, str):
        return known
    given = request.headers.get("x-request-id", "")
    request_id = given[:64] if given.isprintable() and given else uuid.uuid4().hex[:12]
    request.state.request_id = request_id
    return request_id
