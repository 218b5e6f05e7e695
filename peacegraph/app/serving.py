"""What `serve` adds around uvicorn: the listening socket, bound before the store is
prepared, and a deadline on each connection's request head.

uvicorn (0.30 to 0.55 at least) times out idle keep-alive connections, and our
RequestGuard times out slow bodies, but nothing closes a connection that never
finishes sending its request line and headers: hundreds of such connections stay
open indefinitely. `HeadDeadline` wraps uvicorn's HTTP protocol through the public
`uvicorn.Config(http=...)` hook and the plain asyncio protocol interface: it passes
every call through unchanged, and closes the connection with a 408 answer when the
head of its first request has not arrived within the deadline.

A later request on a kept-alive connection is not covered: the wrapper does not
parse requests, so it cannot tell where one body ends and the next head starts.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import Callable
from typing import Any, ClassVar, cast

import uvicorn

from peacegraph.app.settings import Settings
from peacegraph.graph.errors import PeaceGraphError

log = logging.getLogger(__name__)

#: What a client that took too long to send its request head is told before the close.
TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"content-type: text/plain; charset=utf-8\r\n"
    b"content-length: 36\r\n"
    b"connection: close\r\n\r\n"
    b"request headers not received in time"
)
_HEAD_ENDS = (b"\r\n\r\n", b"\n\n")


class CannotListen(PeaceGraphError):
    """The address or port to serve on cannot be bound."""

    code = "CANNOT_LISTEN"


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or CannotListen saying why in one line."""
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[
            0
        ][0]
        return socket.create_server((host, port), family=family)
    except socket.gaierror as error:
        raise CannotListen(f"cannot listen on {where}: {error.strerror}") from None
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CannotListen(
                f"cannot listen on {where}: the port is in use "
                "(another server? choose one with --port or PEACEGRAPH_PORT)"
            ) from None
        raise CannotListen(f"cannot listen on {where}: {error.strerror}") from None


class HeadDeadline(asyncio.Protocol):
    """An HTTP protocol with a deadline on the first request head; see the module."""

    inner: ClassVar[Callable[..., asyncio.Protocol]]
    seconds: ClassVar[float]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._inner = type(self).inner(*args, **kwargs)
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not derive from asyncio.Transport, but have its methods.
        self._transport = cast(asyncio.Transport, transport)
        self._timer = asyncio.get_running_loop().call_later(self.seconds, self._expire)
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._timer is not None:
            window = self._tail + data
            if any(end in window for end in _HEAD_ENDS):
                self._stop()
            else:
                self._tail = window[-3:]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop()
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        transport = self._transport
        if transport is None or transport.is_closing():
            return
        log.info(
            "closed a connection from %s: no request head within %.1f s",
            transport.get_extra_info("peername"),
            self.seconds,
        )
        transport.write(TIMEOUT_ANSWER)
        transport.close()


def head_deadline(
    seconds: float, inner: Callable[..., asyncio.Protocol] | None = None
) -> type[asyncio.Protocol]:
    """A protocol class for `uvicorn.Config(http=...)`: `inner` (by default the one
    uvicorn itself would choose) behind a `seconds` deadline on the request head."""
    if inner is None:
        from uvicorn.protocols.http.auto import AutoHTTPProtocol

        inner = AutoHTTPProtocol
    chosen, limit = inner, float(seconds)

    class Protocol(HeadDeadline):
        inner = chosen
        seconds = limit

    return Protocol


def server_config(app: Any, settings: Settings, *, own_logging: bool = True) -> uvicorn.Config:
    """uvicorn's configuration for `serve`.

    With `own_logging` (a process of its own) uvicorn sets up its loggers and their
    level, which is process-wide; without it (a server inside another program, such
    as a test) its loggers are left as that program configured them."""
    logging: dict[str, Any] = (
        {"log_level": settings.log_level.lower()}
        if own_logging
        else {"log_config": None, "log_level": None}
    )
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http=head_deadline(settings.header_timeout),
        **logging,
    )
