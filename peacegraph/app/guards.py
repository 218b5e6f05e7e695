"""ASGI guards: body size, request time and rate limits, and security headers.

A body over the limit is refused from its Content-Length (or as soon as the
streamed bytes pass it) before anything parses it; a request over the time limit
(including a client that trickles its body in) is cut and answered with a coded
error instead of hanging; a caller over its rate is refused before any work.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    """The streamed body passed the limit."""


async def send_error(
    send: Send,
    status: int,
    code: str,
    message: str,
    extra_headers: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *extra_headers,
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


_TOKEN_ID = re.compile(rb"^\s*bearer\s+pg_([0-9a-f]{12})_", re.IGNORECASE)


def caller_key(scope: Scope) -> str:
    """Whom a request is counted against: its token's id (never the secret), else its address."""
    headers = dict(scope.get("headers") or [])
    match = _TOKEN_ID.match(headers.get(b"authorization", b""))
    if match is not None:
        return "token:" + match.group(1).decode()
    client = scope.get("client")
    return "address:" + (str(client[0]) if client else "unknown")


class RateLimit:
    """At most `per_minute` requests per token or client address in each minute.

    A fixed one-minute window is coarse but costs one dict lookup and forgets
    every caller when the window turns, so a flood of distinct callers cannot
    grow memory for longer than a minute. Off unless PEACEGRAPH_RATE_LIMIT is set.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.per_minute = per_minute
        self.clock = clock
        self.window_started = clock()
        self.counts: dict[str, int] = {}

    def take(self, key: str) -> int | None:
        """Count one request of `key`: None when within the rate, else the seconds to
        wait (operations over websockets are counted here too)."""
        now = self.clock()
        if now - self.window_started >= 60.0:
            self.counts.clear()
            self.window_started = now
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] > self.per_minute:
            return max(1, int(60.0 - (now - self.window_started)) + 1)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        retry = self.take(caller_key(scope))
        if retry is not None:
            await send_error(
                send,
                429,
                "RATE_LIMITED",
                f"more than {self.per_minute} requests in a minute; retry in {retry} s",
                ((b"retry-after", str(retry).encode()),),
            )
            return
        await self.app(scope, receive, send)


#: Sent with every response that does not set its own (the explorer and GraphiQL
#: pages set a Content-Security-Policy that fits them; JSON needs none of it).
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
)


def framable(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a response's own CSP allows some frame ancestors."""
    for name, value in headers:
        if name.lower() == b"content-security-policy" and b"frame-ancestors" in value:
            return b"frame-ancestors 'none'" not in value
    return False


class SecurityHeaders:
    """Adds the security headers a response lacks, on every route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                if framable(headers):
                    # A page that names who may frame it (the explorer's /embed) has
                    # said so in its CSP; DENY would contradict it.
                    present.add(b"x-frame-options")
                headers.extend((n, v) for n, v in SECURITY_HEADERS if n not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
