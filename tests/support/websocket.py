"""A websocket client that speaks to the ASGI app in-process, on the test's event
loop (the stores are bound to it), for the graphql-transport-ws protocol."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.types import ASGIApp, Message

PROTOCOL = "graphql-transport-ws"


class WebSocketClient:
    def __init__(self, app: ASGIApp, headers: dict[str, str], max_pending: int = 0) -> None:
        self.incoming: asyncio.Queue[Message] = asyncio.Queue()
        # max_pending > 0: the app's sends wait once that many messages are unread,
        # as they wait on a client that stops reading its socket (a slow consumer).
        self.outgoing: asyncio.Queue[Message] = asyncio.Queue(max_pending)
        scope = {
            "type": "websocket",
            "asgi": {"version": "3.0"},
            "scheme": "ws",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("test", 80),
            "subprotocols": [PROTOCOL],
        }
        self.task = asyncio.ensure_future(app(scope, self.incoming.get, self.outgoing.put))

    async def accepted(self) -> bool:
        await self.incoming.put({"type": "websocket.connect"})
        message = await self.next_message(5)
        return bool(message["type"] == "websocket.accept")

    async def send(self, payload: dict[str, Any]) -> None:
        await self.incoming.put({"type": "websocket.receive", "text": json.dumps(payload)})

    async def next_message(self, timeout: float) -> Message:
        return await asyncio.wait_for(self.outgoing.get(), timeout)

    async def receive(self, timeout: float = 5) -> dict[str, Any]:
        """The next protocol message; a close is returned as {"type": "close", "code"}."""
        message = await self.next_message(timeout)
        if message["type"] == "websocket.close":
            return {"type": "close", "code": message.get("code")}
        body: dict[str, Any] = json.loads(message["text"])
        return body

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(self, operation_id: str, query: str, **payload: Any) -> None:
        message = {"id": operation_id, "type": "subscribe", "payload": {"query": query, **payload}}
        await self.send(message)

    async def close(self) -> None:
        await self.incoming.put({"type": "websocket.disconnect", "code": 1000})
        done, _ = await asyncio.wait([self.task], timeout=5)
        if not done:
            self.task.cancel()


@asynccontextmanager
async def websocket(
    app: ASGIApp, headers: dict[str, str] | None = None, *, max_pending: int = 0
) -> AsyncIterator[WebSocketClient]:
    client = WebSocketClient(app, headers or {}, max_pending)
    try:
        assert await client.accepted()
        yield client
    finally:
        await client.close()
