"""`peacegraph serve` as operations meet it: busy ports, unusable data folders, and
connections that send their request head too slowly."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from peacegraph.app import serving
from peacegraph.app.settings import Settings
from tests.app.test_cli import run

TIMEOUT = 1.0
MARGIN = 1.5


async def hello(_: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


@asynccontextmanager
async def server(seconds: float = TIMEOUT) -> AsyncIterator[int]:
    """A real uvicorn server on 127.0.0.1, set up as `serve` sets it up; yields its port."""
    app = Starlette(routes=[Route("/", hello)])
    listener = serving.listen("127.0.0.1", 0)
    settings = Settings(host="127.0.0.1", port=0, header_timeout=seconds, log_level="WARNING")
    instance = uvicorn.Server(serving.server_config(app, settings, own_logging=False))
    task = asyncio.create_task(instance.serve(sockets=[listener]))
    try:
        async with asyncio.timeout(10):
            while not instance.started:
                await asyncio.sleep(0.02)
        yield listener.getsockname()[1]
    finally:
        instance.should_exit = True
        await asyncio.wait_for(task, 10)
        listener.close()


async def closed_after(reader: asyncio.StreamReader, limit: float) -> tuple[float, bytes]:
    """Seconds until the server closes the connection (reading what it sent)."""
    started = time.monotonic()
    received = b""
    async with asyncio.timeout(limit):
        while chunk := await reader.read(1024):
            received += chunk
    return time.monotonic() - started, received


async def test_a_request_line_sent_slowly_is_cut_at_the_header_timeout() -> None:
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        started = time.monotonic()

        async def trickle() -> None:
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\n":  # never the blank line
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.1)

        trickling = asyncio.create_task(trickle())
        try:
            _, answer = await closed_after(reader, TIMEOUT + MARGIN)
        finally:
            trickling.cancel()
            writer.close()
        elapsed = time.monotonic() - started
        assert TIMEOUT - 0.1 <= elapsed <= TIMEOUT + MARGIN
        assert answer.startswith(b"HTTP/1.1 408 ")


async def test_many_idle_connections_are_all_closed() -> None:
    async with server() as port:
        connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(50)]
        for _, writer in connections:
            writer.write(b"GET / HT")
        results = await asyncio.gather(
            *(closed_after(reader, TIMEOUT + MARGIN) for reader, _ in connections)
        )
        for _, writer in connections:
            writer.close()
        assert all(elapsed <= TIMEOUT + MARGIN for elapsed, _ in results)


async def test_requests_that_send_their_head_in_time_are_served() -> None:
    async with server() as port:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for part in (b"GET / HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
            writer.write(part)
            await asyncio.sleep(0.2)
        head = await asyncio.wait_for(reader.readuntil(b"hello"), 5)
        assert head.startswith(b"HTTP/1.1 200 ")
        writer.close()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await asyncio.sleep(TIMEOUT + 0.2)  # the deadline is per head, not per connection
            assert (await client.get("/")).text == "hello"
            assert (await client.get("/")).text == "hello"


def test_the_header_timeout_is_a_setting() -> None:
    assert Settings.from_env({}).header_timeout == 10.0
    assert Settings.from_env({"PEACEGRAPH_HEADER_TIMEOUT": "2.5"}).header_timeout == 2.5
    result = run("migrate", env={"PEACEGRAPH_HEADER_TIMEOUT": "soon"})
    assert result.stderr.strip() == (
        "peacegraph: error: PEACEGRAPH_HEADER_TIMEOUT='soon': expected a number of seconds"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_port_in_use_is_one_line_before_the_store_is_migrated(tmp_path: Path) -> None:
    data = str(tmp_path / "d")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), "--init", "--data-dir", data)
    assert result.returncode == 1
    assert result.stderr == (
        f"peacegraph: error: cannot listen on 127.0.0.1:{port}: the port is in use "
        "(another server? choose one with --port or PEACEGRAPH_PORT)\n"
    )
    migrated = run("migrate", "--data-dir", data)  # nothing was migrated, let alone seeded
    assert migrated.returncode == 0 and "0 migration(s) applied" not in migrated.stdout


def test_a_file_where_the_data_folder_should_be_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_text("not a folder", encoding="utf-8")
    result = run("serve", "--port", str(free_port()), "--data-dir", str(path))
    assert result.returncode == 1
    assert result.stderr == (
        f"peacegraph: error: cannot open the embedded store in {path}: it is a file, not a folder\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_data_folder_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.mkdir()
    path.chmod(0o555)
    try:
        result = run("serve", "--port", str(free_port()), "--data-dir", str(path))
    finally:
        path.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.endswith("the folder is not writable\n")
    assert len(result.stderr.splitlines()) == 1


async def test_start_not_ready_on_an_unusable_folder_then_ready_once_it_is_usable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data"
    path.write_text("not a folder", encoding="utf-8")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
    env.update(
        PEACEGRAPH_START_NOT_READY="true", PEACEGRAPH_LOG_LEVEL="WARNING", PEACEGRAPH_AUTO_SEED="0"
    )
    command = [sys.executable, "-m", "peacegraph.app.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--data-dir", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            not_ready = await answer(client, "/readyz", 30)
            assert not_ready.status_code == 503
            assert "it is a file, not a folder" in not_ready.json()["reason"]
            path.unlink()
            path.mkdir()
            ready = await answer(client, "/readyz", 30, until=200)
            assert ready.json()["status"] == "ready"
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)


async def answer(
    client: httpx.AsyncClient, path: str, within: float, until: int | None = None
) -> httpx.Response:
    """The first answer to GET `path` (or the first with status `until`), polling."""
    deadline = time.monotonic() + within
    while True:
        try:
            response = await client.get(path)
            if until is None or response.status_code == until:
                return response
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"no answer from {path} within {within} s"
        await asyncio.sleep(0.2)
