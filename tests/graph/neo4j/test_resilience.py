"""The Neo4j backend against a real server going wrong: an outage and its end, a
deadlock between two writers, and reads that must see the write before them."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

import httpx
import pytest

from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.model import Label
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.graph.records import Node, Provenance
from peacegraph.graph.store import StoreTransaction
from peacegraph.resolvers.limits import Limits
from tests.support.http import error_codes
from tests.support.neo4j_server import Neo4jServer, Neo4jServers

SOURCE = (Provenance("test", "1", "a quote"),)
READ = '{ node(id: "org:kept") { id name } }'


def org(node_id: str, name: str) -> Node:
    return Node(Label.ORGANIZATION, node_id, name, {"kind": "ngo"}, SOURCE)


@asynccontextmanager
async def opened(server: Neo4jServer, *, clear: bool = True) -> AsyncIterator[Neo4jStore]:
    if clear:
        server.clear()
    store = await Neo4jStore.open(server.uri, username="neo4j", password="", database="neo4j")
    try:
        await store.migrate()
        yield store
    finally:
        await store.close()


@pytest.fixture(scope="module")
def own_server(neo4j_servers: Neo4jServers) -> Neo4jServer:
    """The server the outage test stops and starts again: the session's "second" (each
    test that takes it empties it first, and it comes back on the same port with the
    same data), rather than one more server of its own (a JVM start, ~30 s)."""
    return neo4j_servers.get("second")


async def test_an_outage_is_store_unavailable_fast_and_service_resumes_without_restart(
    own_server: Neo4jServer,
) -> None:
    async with opened(own_server) as store:
        await store.upsert_nodes([org("org:kept", "Kept")])
    settings = Settings(
        store="neo4j", neo4j_uri=own_server.uri, limits=Limits(timeout_seconds=10.0)
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:

            async def read() -> tuple[dict[str, object], float]:
                started = time.monotonic()
                answer = await client.post("/graphql", json={"query": READ})
                return answer.json(), time.monotonic() - started

            body, _ = await read()
            assert body["data"] == {"node": {"id": "org:kept", "name": "Kept"}}
            with own_server.stopped():
                body, took = await read()
                assert error_codes(body) == ["STORE_UNAVAILABLE"], body
                assert took < 2.0, took
                ready = await client.get("/readyz")
                assert ready.status_code == 503
            deadline = time.monotonic() + 30
            while (await client.get("/readyz")).status_code != 200:
                assert time.monotonic() < deadline, "not ready again 30 s after Neo4j came back"
                await asyncio.sleep(0.2)
            body, _ = await read()
            assert body["data"] == {"node": {"id": "org:kept", "name": "Kept"}}


async def test_a_deadlock_between_two_writers_is_retried_and_both_land(
    neo4j_servers: Neo4jServers,
) -> None:
    """Each writer locks one id, then waits for the other before asking for the other's
    id: Neo4j aborts one of them as a deadlock, and the driver runs it again."""
    async with opened(neo4j_servers.get("scratch")) as store:
        await store.upsert_nodes([org("org:a", "A"), org("org:b", "B")])
        attempts: Counter[str] = Counter()
        both_hold_one = asyncio.Barrier(2)

        def writer(name: str, first: str, second: str) -> Awaitable[None]:
            async def work(tx: StoreTransaction) -> None:
                attempts[name] += 1
                await tx.get_nodes([first])
                if attempts[name] == 1:
                    await asyncio.wait_for(both_hold_one.wait(), 10)
                await tx.get_nodes([second])
                await tx.upsert_nodes([org(first, f"{first} by {name}")])

            return store.write(work)

        await asyncio.wait_for(
            asyncio.gather(writer("one", "org:a", "org:b"), writer("two", "org:b", "org:a")),
            30,
        )
        assert sorted(attempts.values()) == [1, 2], attempts
        nodes = await store.get_nodes(["org:a", "org:b"])
        assert {n.name for n in nodes.values()} == {"org:a by one", "org:b by two"}


async def test_reads_after_a_write_carry_its_bookmark(neo4j_servers: Neo4jServers) -> None:
    """On a cluster a follower may lag: a read is given the bookmarks of the writes
    before it, and waits until the member it reaches has them."""
    async with opened(neo4j_servers.get("scratch")) as store:
        before = set(await store.bookmark_manager.get_bookmarks())
        await store.upsert_nodes([org("org:new", "New")])
        after_write = set(await store.bookmark_manager.get_bookmarks())
        assert after_write and after_write != before
        assert "org:new" in await store.get_nodes(["org:new"])
        await store.upsert_nodes([org("org:newer", "Newer")])
        assert set(await store.bookmark_manager.get_bookmarks()) not in (before, after_write)


async def test_the_server_is_real_neo4j(neo4j_servers: Neo4jServers) -> None:
    """Every Neo4j test talks to Neo4j itself over Bolt, never a stand-in."""
    import neo4j

    server = neo4j_servers.get("scratch")
    async with neo4j.AsyncGraphDatabase.driver(server.uri, auth=("neo4j", "")) as driver:
        info = await driver.get_server_info()
        records, _, _ = await driver.execute_query(
            "CALL dbms.components() YIELD name, edition RETURN name, edition"
        )
    assert info.agent.startswith("Neo4j/")
    assert records[0]["name"] == "Neo4j Kernel" and records[0]["edition"] == "community"
