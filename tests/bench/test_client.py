"""The benchmark's lean HTTP client (bench/client.py) against real servers on loopback.

A tiny Starlette app under uvicorn (the server the benchmark measures is uvicorn)
tells each request which client port it came from, so keep-alive and reconnects are
seen from the server's side; plain asyncio servers answer the shapes uvicorn does not
send on demand (chunk extensions and trailers, a close without `Connection: close`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from bench.client import Connection, Origin, Pool, ProtocolError
from tests.support.server import running


def _port(request: Request) -> int:
    assert request.client is not None
    return request.client.port


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"got": await request.json(), "port": _port(request)})


async def who(request: Request) -> JSONResponse:
    return JSONResponse({"port": _port(request)})


async def bye(request: Request) -> JSONResponse:
    return JSONResponse({"port": _port(request)}, headers={"Connection": "close"})


async def stream(request: Request) -> StreamingResponse:
    async def parts() -> AsyncIterator[bytes]:
        yield b'{"parts": ["'
        yield b"a" * 70_000
        yield b'", "'
        yield b"b"
        yield b'"]}'

    return StreamingResponse(parts(), media_type="application/json")


APP = Starlette(
    routes=[
        Route("/echo", echo, methods=["POST"]),
        Route("/who", who),
        Route("/bye", bye),
        Route("/stream", stream),
    ]
)


@asynccontextmanager
async def uvicorn_origin() -> AsyncIterator[Origin]:
    async with running(APP, log_level="warning") as port:
        yield Origin("127.0.0.1", port)


Answer = Callable[[bytes], Awaitable[bytes | None]]


@asynccontextmanager
async def raw_server(
    answer: Answer, *, close_after_answer: bool = False
) -> AsyncIterator[tuple[Origin, list[int]]]:
    """A plain asyncio server: each request (head and Content-Length body) goes to
    `answer`, which returns the raw bytes to write back, or None to close at once.
    Yields the origin and a list holding the count of connections accepted."""
    accepted = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted[0] += 1
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except asyncio.IncompleteReadError:
                    return
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                request = head + await reader.readexactly(length)
                reply = await answer(request)
                if reply is None:
                    return
                writer.write(reply)
                await writer.drain()
                if close_after_answer:
                    return
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        port: int = server.sockets[0].getsockname()[1]
        yield Origin("127.0.0.1", port), accepted
    finally:
        server.close()
        await server.wait_closed()


def _json(answer: tuple[int, bytes]) -> Any:
    status, body = answer
    assert status == 200, body
    return json.loads(body)


async def test_a_json_post_round_trips() -> None:
    payload = {"query": "{ node(id: $id) { id } }", "variables": {"id": "org:été-ß"}}
    async with uvicorn_origin() as origin, Connection(origin) as connection:
        request = origin.post_json("/echo", payload)
        assert request.startswith(b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1:")
        assert b"\r\nContent-Type: application/json\r\n" in request
        assert _json(await connection.send(request))["got"] == payload
        assert _json(await connection.send(request))["got"] == payload  # the same bytes again


async def test_keep_alive_reuses_one_connection() -> None:
    async with uvicorn_origin() as origin, Connection(origin) as connection:
        request = origin.get("/who", {"n": "1"})
        ports = {_json(await connection.send(request))["port"] for _ in range(50)}
        assert len(ports) == 1
        assert connection.opened == 1


async def test_a_pool_gives_each_worker_its_own_connection() -> None:
    async with uvicorn_origin() as origin, Pool(origin, 4) as pool:
        request = origin.get("/who")

        async def worker(connection: Connection) -> set[int]:
            return {_json(await connection.send(request))["port"] for _ in range(10)}

        seen = await asyncio.gather(*(worker(connection) for connection in pool))
    assert all(len(ports) == 1 for ports in seen)
    assert len(set.union(*seen)) == 4
    assert [connection.opened for connection in pool] == [1, 1, 1, 1]


async def test_a_chunked_response_from_uvicorn_is_read_whole() -> None:
    async with uvicorn_origin() as origin, Connection(origin) as connection:
        for _ in range(2):  # and the connection is still usable after it
            assert _json(await connection.send(origin.get("/stream")))["parts"] == [
                "a" * 70_000,
                "b",
            ]
        assert _json(await connection.send(origin.get("/who")))["port"]
        assert connection.opened == 1


async def test_chunk_extensions_and_trailers_are_skipped() -> None:
    async def answer(request: bytes) -> bytes:
        return (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5;name=value\r\nhello\r\n"
            b"1\r\n \r\n"
            b"A\r\n0123456789\r\n"
            b"0\r\nX-Trailer: yes\r\n\r\n"
        )

    async with raw_server(answer) as (origin, accepted), Connection(origin) as connection:
        for _ in range(3):
            assert await connection.send(origin.get("/")) == (200, b"hello 0123456789")
    assert accepted == [1]


async def test_connection_close_leads_to_a_new_connection() -> None:
    async with uvicorn_origin() as origin, Connection(origin) as connection:
        first = _json(await connection.send(origin.get("/who")))["port"]
        closing = _json(await connection.send(origin.get("/bye")))["port"]
        after = _json(await connection.send(origin.get("/who")))["port"]
        again = _json(await connection.send(origin.get("/who")))["port"]
    assert first == closing != after == again
    assert connection.opened == 2


async def test_a_server_closing_an_idle_connection_leads_to_a_reconnect() -> None:
    """The server closes after each answer without saying so (as a keep-alive timeout
    does): the next request meets EOF on the old connection and goes on a new one."""

    async def answer(request: bytes) -> bytes:
        return b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    async with (
        raw_server(answer, close_after_answer=True) as (origin, accepted),
        Connection(origin) as connection,
    ):
        for turn in range(3):
            if turn:
                await asyncio.sleep(0.05)  # let the close arrive first, as with an idle timeout
            assert await connection.send(origin.post_json("/", {"turn": turn})) == (200, b"ok")
    assert accepted == [3]
    assert connection.opened == 3


async def test_a_new_connection_closed_without_an_answer_is_an_error() -> None:
    async def answer(request: bytes) -> None:
        return None

    async with raw_server(answer) as (origin, accepted), Connection(origin) as connection:
        with pytest.raises(ConnectionError, match="closed the connection without answering"):
            await connection.send(origin.get("/"))
    assert accepted == [1]


async def test_an_answer_without_framing_is_refused() -> None:
    async def answer(request: bytes) -> bytes:
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxx"

    async with raw_server(answer) as (origin, _), Connection(origin) as connection:
        with pytest.raises(ProtocolError, match="Transfer-Encoding"):
            await connection.send(origin.get("/"))
