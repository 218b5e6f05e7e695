"""ASGI guards in front of /graphql: body size and request time limits.

A body over the limit is refused from its Content-Length (or as soon as the
streamed bytes pass it) before anything parses it; a request over the time limit
is cut and answered with a coded error instead of hanging.
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    """The streamed body passed the limit."""


async def send_error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestGuard:
    """Refuses oversized bodies and cuts requests that run past the timeout."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, timeout_seconds: float) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout_seconds = timeout_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await send_error(
                send, 413, "REQUEST_TOO_LARGE", f"request body over {self.max_body_bytes} bytes"
            )
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            async with asyncio.timeout(self.timeout_seconds):
                await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await send_error(
                    send, 413, "REQUEST_TOO_LARGE", f"request body over {self.max_body_bytes} bytes"
                )
        except TimeoutError:
            log.warning("request cut after %.1f s: %s", self.timeout_seconds, scope.get("path"))
            if not started:
                await send_error(
                    send, 504, "TIMEOUT", f"request took longer than {self.timeout_seconds:g} s"
                )
