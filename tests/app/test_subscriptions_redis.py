"""The change feed between server processes, through Redis: a mutation on one process
reaches a subscriber on the other within a second; with Redis stopped both keep
serving reads and writes and /readyz says the feed is degraded, and the feed
resumes when Redis is back. On Neo4j both processes share one database."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from peacegraph.app import auth
from peacegraph.graph.store import Store
from tests.conftest import open_embedded, open_neo4j
from tests.support.neo4j_server import Neo4jServers
from tests.support.redis_server import RedisServer, free_port

CHANGES = "subscription { changes { kind ids version } }"
EDIT = (
    'mutation { upsertOrganization(input: {id: "org:cedeao", description: "%s"}, '
    'note: "test") { __typename } }'
)
READ = '{ node(id: "org:cedeao") { id } }'


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Service:
    """`peacegraph serve` in a process of its own."""

    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "peacegraph.app.cli", "serve", "--port", str(self.port)]
        command += (
            ["--data-dir", str(data_dir)] if env.get("PEACEGRAPH_STORE") == "embedded" else []
        )
        self.log = data_dir.with_suffix(".log")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        self.base = f"http://127.0.0.1:{self.port}"

    async def ready(self, client: httpx.AsyncClient) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log.read_text())
            try:
                answer = await client.get(f"{self.base}/readyz")
                if answer.json().get("status") == "ready":
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("the service was not ready within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@asynccontextmanager
async def two_services(
    backend: str, redis: RedisServer, servers: Neo4jServers, tmp_path: Path
) -> AsyncIterator[tuple[Service, Service, dict[str, str]]]:
    """Two seeded services sharing `redis` (and, on Neo4j, a database); yields them
    and an editor's headers valid on the first."""
    env = {**os.environ, "PEACEGRAPH_REDIS_URL": redis.url, "PEACEGRAPH_STORE": backend}
    env.pop("NEO4J_URI", None)
    env["PEACEGRAPH_LOG_LEVEL"] = "WARNING"
    folders = [tmp_path / "one", tmp_path / "two"]
    if backend == "neo4j":
        neo4j = servers.get("scratch")
        env |= {"NEO4J_URI": neo4j.uri, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": ""}
        store: Store = await open_neo4j(neo4j, seed=True)
        text = await _editor_token(store)
        await store.close()
    else:
        for folder in reversed(folders):  # the token is the first service's
            async with open_embedded(folder, seed=True) as embedded:
                text = await _editor_token(embedded)
    services = [Service(env, folder) for folder in folders]
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            await asyncio.gather(*(s.ready(client) for s in services))
        yield services[0], services[1], {"authorization": f"Bearer {text}"}
    finally:
        for service in services:
            service.stop()


async def _editor_token(store: Store) -> str:
    _, text = await auth.create_token(store, "redis-test", "editor")
    return text


@asynccontextmanager
async def subscribed(service: Service, query: str = CHANGES) -> AsyncIterator[ClientConnection]:
    uri = f"ws://127.0.0.1:{service.port}/graphql"
    async with connect(uri, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        await asyncio.sleep(0.2)  # the subscription is registered
        yield ws


async def next_event(ws: ClientConnection, timeout: float) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    assert message["type"] == "next", message
    event: dict[str, Any] = message["payload"]["data"]["changes"]
    return event


async def edit(
    client: httpx.AsyncClient, service: Service, headers: dict[str, str], text: str
) -> None:
    answer = await client.post(
        f"{service.base}/graphql", json={"query": EDIT % text}, headers=headers
    )
    assert answer.json()["data"]["upsertOrganization"]["__typename"] == "Organization"


@pytest.mark.parametrize("backend", ["embedded", "neo4j"])
async def test_a_write_on_one_process_reaches_a_subscriber_on_another(
    backend: str, redis_server: RedisServer, neo4j_servers: Neo4jServers, tmp_path: Path
) -> None:
    async with (
        two_services(backend, redis_server, neo4j_servers, tmp_path) as (one, two, editor),
        subscribed(two) as ws,
        httpx.AsyncClient(timeout=10) as client,
    ):
        await edit(client, one, editor, "from one")
        started = time.monotonic()
        event = await next_event(ws, timeout=1)
        assert time.monotonic() - started < 1
        assert (event["kind"], event["ids"]) == ("NODE_UPDATED", ["org:cedeao"])

        redis_server.stop()
        await asyncio.sleep(0.3)
        for service in (one, two):
            ready = (await client.get(f"{service.base}/readyz")).json()
            assert ready["status"] == "degraded"
            assert ready["feed"] == "degraded"
            assert "Redis" in ready["reason"]
            read = await client.post(f"{service.base}/graphql", json={"query": READ})
            assert read.json()["data"]["node"]["id"] == "org:cedeao"
        await edit(client, one, editor, "while Redis is away")

        redis_server.start()
        deadline = time.monotonic() + 10
        while (await client.get(f"{two.base}/readyz")).json()["status"] != "ready":
            assert time.monotonic() < deadline, "the feed did not reconnect within 10 s"
            await asyncio.sleep(0.1)
        while (await client.get(f"{one.base}/readyz")).json()["status"] != "ready":
            assert time.monotonic() < deadline, "the feed did not reconnect within 10 s"
            await asyncio.sleep(0.1)
        await edit(client, one, editor, "Redis is back")
        event = await next_event(ws, timeout=1)
        assert event["ids"] == ["org:cedeao"]
