"""Operations over the websocket get the guards that requests over HTTP get.

Strawberry's graphql-transport-ws handler is configured on the view by its public
`graphql_transport_ws_handler_class`; this subclass looks at each `subscribe`
message before the handler runs it: the operation sent by hash is resolved (or
refused) as the allow-list or automatic persisted queries resolve it over HTTP,
each operation counts toward the caller's rate limit, and a refusal is the
protocol's `error` message for that operation with a stable code. It also gives
the context its `drop_connection`: the change feed ends a slow consumer's whole
connection with close code 1008 (policy violation) and the reason
SUBSCRIPTION_TOO_SLOW, since a client that does not read would not read an error
message either.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket
from strawberry.http import GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ErrorMessage,
    SubscribeMessage,
)

from peacegraph.app.guards import RateLimit, caller_key
from peacegraph.app.persisted import PersistedQueries, PersistedQueryError
from peacegraph.resolvers.context import Context

log = logging.getLogger(__name__)

#: Close code and reason for a client that lets its subscription's events pile up.
TOO_SLOW_CLOSE_CODE = 1008
TOO_SLOW_REASON = "SUBSCRIPTION_TOO_SLOW"


class OperationRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SubscriptionGuard:
    """What an operation over a websocket must pass: the persisted queries (or the
    allow-list) and the rate limit shared with HTTP requests."""

    def __init__(self, persisted: PersistedQueries, rate_limit: RateLimit | None) -> None:
        self.persisted = persisted
        self.rate_limit = rate_limit

    def admit(self, caller_key: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The payload to run (its query text filled in), or OperationRefused."""
        if self.rate_limit is not None:
            retry = self.rate_limit.take(caller_key)
            if retry is not None:
                raise OperationRefused(
                    "RATE_LIMITED",
                    f"more than {self.rate_limit.per_minute} requests in a minute; "
                    f"retry in {retry} s",
                )
        data = GraphQLRequestData(
            query=payload.get("query") or None,  # sent by hash alone: no text, or ""
            variables=payload.get("variables"),
            operation_name=payload.get("operationName"),
            extensions=payload.get("extensions"),
        )
        try:
            resolved = self.persisted.resolve(data)
        except PersistedQueryError as error:
            raise OperationRefused(error.code, error.message) from None
        if not isinstance(resolved.query, str):
            raise OperationRefused("BAD_REQUEST", "the operation has no query text")
        return {**payload, "query": resolved.query}


class GuardedTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws with our guards (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context.drop_connection = self._drop
        self._closing: asyncio.Task[None] | None = None

    def _drop(self) -> None:
        if self._closing is None:
            log.warning("closing a websocket whose client does not read its events")
            close = self.websocket.close(code=TOO_SLOW_CLOSE_CODE, reason=TOO_SLOW_REASON)
            self._closing = asyncio.get_running_loop().create_task(close)

    async def handle_task_exception(self, error: Exception) -> None:
        """A client gone while its events were being sent (a dropped slow consumer, a
        closed tab) is the normal end of a subscription, not an error to log."""
        if isinstance(error, WebSocketDisconnected):
            log.debug("a subscriber left while an event was being sent")
            return
        await super().handle_task_exception(error)

    def _caller_key(self) -> str:
        socket = getattr(self.websocket, "ws", None)  # the ASGI adapter's Starlette WebSocket
        return caller_key(socket.scope if isinstance(socket, WebSocket) else {})

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        guard = getattr(self.view, "subscription_guard", None)
        if not self.connection_acknowledged or not isinstance(guard, SubscriptionGuard):
            await super().handle_subscribe(message)
            return
        limit = self.max_subscriptions_per_connection
        if (
            limit is not None
            and len(self.operations) >= limit
            and message["id"] not in self.operations
        ):
            await self._refuse(
                message["id"],
                OperationRefused(
                    "TOO_MANY_SUBSCRIPTIONS", f"a connection holds at most {limit} subscriptions"
                ),
            )
            return
        payload: dict[str, Any] = dict(message.get("payload") or {})
        try:
            admitted = guard.admit(self._caller_key(), payload)
        except OperationRefused as refused:
            await self._refuse(message["id"], refused)
            return
        await super().handle_subscribe({**message, "payload": admitted})  # type: ignore[typeddict-item]

    async def _refuse(self, operation_id: str, refused: OperationRefused) -> None:
        """The protocol's `error` message for one operation, with our stable code."""
        error = GraphQLError(refused.message, extensions={"code": refused.code})
        await self.send_message(
            ErrorMessage(id=operation_id, type="error", payload=[error.formatted])
        )
