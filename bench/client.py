"""A lean HTTP/1.1 keep-alive client for the benchmark's measurements.

httpx costs about 1 ms of client CPU a request; at concurrency 32 on a 2-core machine
that made the client, not the server, set the pace of the load test. This client
does the least HTTP/1.1 needs over `asyncio.open_connection`:
- a request is built once, as bytes (`Origin.get`, `Origin.post_json`,
  `Origin.request`: request line, Host, Content-Type and Content-Length, body), and
  can be sent any number of times;
- a `Connection` sends it, reads the status line and headers up to the blank line,
  then exactly Content-Length bytes, or a chunked body, or (`Connection: close`
  without a length) everything up to EOF, and returns (status, body bytes);
- the connection is kept alive between requests; it is closed after a response
  that says `Connection: close` (or an HTTP/1.0 one without keep-alive) and opened
  again for the next request. A request sent on a reused connection that the server
  had already closed (EOF or reset before any byte of the answer) is sent once more
  on a new connection: the benchmark only sends reads, which are safe to repeat;
- a `Pool` holds N connections for N concurrent workers, each worker owning one.

It is not a general client: plain http only, no HEAD, no redirects, no compression,
no proxy, no TLS. Answers it cannot frame raise `ProtocolError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlencode, urlsplit

MAX_HEAD = 64 * 1024
STREAM_LIMIT = 1024 * 1024
_CRLF = b"\r\n"
_HEAD_END = b"\r\n\r\n"


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.x this client can read."""


class _ClosedBeforeAnswer(Exception):
    """The connection ended before the first byte of the answer."""


@dataclass(frozen=True)
class Origin:
    """Where requests go (`http://host:port`), and the builder of their bytes."""

    host: str
    port: int

    @classmethod
    def parse(cls, url: str) -> Origin:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"{url!r}: expected http://host[:port]")
        return cls(parts.hostname, parts.port or 80)

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == 80 else f"{host}:{self.port}"

    def request(
        self, method: str, path: str, *, body: bytes = b"", content_type: str | None = None
    ) -> bytes:
        """The bytes of one request; a body always goes with its Content-Length."""
        if not path.startswith("/") or any(c in path for c in " \r\n"):
            raise ValueError(f"{path!r}: expected an absolute path without spaces")
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.authority}"]
        if content_type is not None:
            head.append(f"Content-Type: {content_type}")
        if body or method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            head.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body

    def get(self, path: str, params: Mapping[str, str] | None = None) -> bytes:
        query = f"?{urlencode(params)}" if params else ""
        return self.request("GET", path + query)

    def post_json(self, path: str, payload: Any) -> bytes:
        body = json.dumps(payload, separators=(",", ":")).encode()
        return self.request("POST", path, body=body, content_type="application/json")


class _Closes:
    """`async with` closes it on the way out."""

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.close()


class Connection(_Closes):
    """One keep-alive connection to an origin, opened on first use and after a close."""

    def __init__(self, origin: Origin, *, timeout: float | None = 300.0) -> None:
        self.origin = origin
        self.timeout = timeout
        self.opened = 0  # TCP connections opened so far (1 while keep-alive holds)
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> tuple[int, bytes]:
        """Send a request built by `Origin`; the answer's status and body."""
        if self.timeout is None:
            return await self._send(request)
        async with asyncio.timeout(self.timeout):
            return await self._send(request)

    async def _send(self, request: bytes) -> tuple[int, bytes]:
        retry = self._writer is not None  # a reused connection may have been closed while idle
        while True:
            try:
                return await self._exchange(request)
            except _ClosedBeforeAnswer as closed:
                if not retry:
                    message = f"{self.origin.authority} closed the connection without answering"
                    raise ConnectionError(message) from closed.__cause__
                retry = False

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.origin.host, self.origin.port, limit=STREAM_LIMIT
            )
            self.opened += 1
        reader, writer = self._reader, self._writer
        assert reader is not None
        try:
            try:
                writer.write(request)
                await writer.drain()
                head = await reader.readuntil(_HEAD_END)
            except asyncio.IncompleteReadError as error:
                if error.partial:
                    raise ProtocolError(
                        f"connection closed within the head: {error.partial[:80]!r}"
                    ) from error
                raise _ClosedBeforeAnswer from error
            except (ConnectionResetError, BrokenPipeError) as error:
                raise _ClosedBeforeAnswer from error
            except asyncio.LimitOverrunError:
                raise ProtocolError(f"response head longer than {STREAM_LIMIT} bytes") from None
            status, body, keep = await _read_response(reader, head)
        except BaseException:
            self._drop()  # the stream is at an unknown place: never reuse it
            raise
        if not keep:
            await self.close()
        return status, body

    def _drop(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


class Pool(_Closes):
    """`size` connections to one origin, for `size` concurrent workers (one each)."""

    def __init__(self, origin: Origin, size: int, *, timeout: float | None = 300.0) -> None:
        self.origin = origin
        self.connections = [Connection(origin, timeout=timeout) for _ in range(size)]

    def __len__(self) -> int:
        return len(self.connections)

    def __getitem__(self, index: int) -> Connection:
        return self.connections[index]

    def __iter__(self) -> Iterator[Connection]:
        return iter(self.connections)

    async def close(self) -> None:
        await asyncio.gather(*(connection.close() for connection in self.connections))


async def _read_response(reader: asyncio.StreamReader, head: bytes) -> tuple[int, bytes, bool]:
    """Status, body, and whether the connection may carry another request."""
    while True:
        if len(head) > MAX_HEAD:
            raise ProtocolError(f"response head of {len(head)} bytes")
        lines = head[:-4].split(_CRLF)
        status_line = lines[0]
        if not status_line.startswith(b"HTTP/1.") or len(status_line) < 12:
            raise ProtocolError(f"not an HTTP/1.x status line: {status_line[:80]!r}")
        if not status_line[9:12].isdigit():
            raise ProtocolError(f"bad status line: {status_line[:80]!r}")
        status = int(status_line[9:12])
        if not (100 <= status < 200 and status != 101):
            break
        # an interim answer (100 Continue, 103 Early Hints): the real one follows
        head = await reader.readuntil(_HEAD_END)
    length: int | None = None
    encodings: list[bytes] = []
    connection = b""
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            raise ProtocolError(f"bad header line: {line[:80]!r}")
        name = name.strip().lower()
        if name == b"content-length":
            digits = value.strip()
            if not digits.isdigit() or (length is not None and int(digits) != length):
                raise ProtocolError(f"bad Content-Length: {value[:40]!r}")
            length = int(digits)
        elif name == b"transfer-encoding":
            encodings += [e.strip().lower() for e in value.split(b",") if e.strip()]
        elif name == b"connection":
            connection += b"," + value.strip().lower()
    tokens = {token.strip() for token in connection.split(b",")}
    keep = (
        b"keep-alive" in tokens if status_line.startswith(b"HTTP/1.0") else b"close" not in tokens
    )
    if encodings:
        if encodings[-1] != b"chunked" or len(encodings) > 1:
            raise ProtocolError(f"unsupported Transfer-Encoding: {b', '.join(encodings)!r}")
        return status, await _read_chunked(reader), keep
    if status in (204, 304) or status == 101:
        return status, b"", keep and status != 101
    if length is not None:
        return status, await reader.readexactly(length), keep
    if keep:
        raise ProtocolError("keep-alive response with neither Content-Length nor chunked body")
    return status, await reader.read(), False  # the body is delimited by the server's close


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(_CRLF)
        size_text = size_line.partition(b";")[0].strip()  # drop chunk extensions
        if not size_text or size_text.strip(b"0123456789abcdefABCDEF"):
            raise ProtocolError(f"bad chunk size line: {size_line[:80]!r}")
        size = int(size_text, 16)
        if size == 0:
            while await reader.readuntil(_CRLF) != _CRLF:  # trailer fields, ignored
                pass
            return b"".join(parts)
        chunk = await reader.readexactly(size + 2)
        if chunk[-2:] != _CRLF:
            raise ProtocolError("chunk not followed by CRLF")
        parts.append(chunk[:-2])
