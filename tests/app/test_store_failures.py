"""When the store goes away: a clear exit or a not-ready start, fast STORE_UNAVAILABLE
answers while it is away, and service that resumes by itself when it is back.

Embedded: the data directory is locked by another process (LadybugDB refuses a second
read-write open) or read-only (a read-only bind mount, since tests run as root and
chmod would not stop root). Neo4j, with no server here: a loopback listener that
accepts and drops every connection, and a closed port.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from peacegraph.app.auth import create_token
from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.errors import StoreUnavailable
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.resolvers.limits import Limits
from tests.app.test_cli import run
from tests.support.http import error_codes
from tests.support.neo4j_server import free_port

LIMITS = Limits(timeout_seconds=4.0)
READ = '{ node(id: "org:kept") { id name } }'
WRITE = (
    'mutation { upsertOrganization(input: {id: "org:kept", name: "Kept"}, note: "test") '
    "{ __typename } }"
)


# -- helpers ----------------------------------------------------------------------------


@asynccontextmanager
async def locked(directory: Path) -> AsyncIterator[None]:
    """Another process holds the embedded store in `directory` open read-write."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import ladybug, sys; db = ladybug.Database(sys.argv[1]); "
            "print('locked', flush=True); sys.stdin.read()",
            str(directory / "graph.lbug"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.to_thread(holder.stdout.readline)
        assert line.strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        await asyncio.to_thread(holder.wait, 30)
        if holder.stdout is not None:
            holder.stdout.close()


@asynccontextmanager
async def served(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, and a client for it."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def ready_within(client: httpx.AsyncClient, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (await client.get("/readyz")).status_code == 200:
            return True
        await asyncio.sleep(0.2)
    return False


async def first_answer(client: httpx.AsyncClient, path: str) -> httpx.Response:
    """The first answer of a server that is still starting."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return await client.get(path)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


async def timed_post(client: httpx.AsyncClient, query: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query})
    return response, time.perf_counter() - started


def assert_unavailable(response: httpx.Response, elapsed: float) -> None:
    """A coded STORE_UNAVAILABLE within the request timeout, saying nothing internal."""
    assert elapsed < LIMITS.timeout_seconds
    assert error_codes(response.json()) == ["STORE_UNAVAILABLE"]
    message = response.json()["errors"][0]["message"]
    assert "/" not in message and "lock" not in message.lower()


async def prepared(directory: Path) -> None:
    """A migrated store with one organisation in `directory`, closed again."""
    app = create_app(Settings(data_dir=directory, auto_seed=False))
    async with app.router.lifespan_context(app):
        store = app.state.store_holder.get()
        _, token = await create_token(store, "editor", "editor")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post(
                "/graphql", json={"query": WRITE}, headers={"authorization": f"Bearer {token}"}
            )
            assert response.json()["data"]["upsertOrganization"]["__typename"] == "Organization"


# -- embedded: locked by another process -------------------------------------------------


async def test_serve_exits_with_one_line_when_the_directory_is_locked(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    await prepared(directory)
    async with locked(directory):
        result = await asyncio.to_thread(run, "serve", "--data-dir", str(directory))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("peacegraph: error: cannot open the embedded store")
    assert "lock" in lines[0].lower()


async def test_serve_starts_not_ready_on_a_locked_directory_and_gets_ready(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "store"
    await prepared(directory)
    port = free_port()
    env = {
        **os.environ,
        "PEACEGRAPH_DATA_DIR": str(directory),
        "PEACEGRAPH_PORT": str(port),
        "PEACEGRAPH_START_NOT_READY": "true",
        "PEACEGRAPH_LOG_LEVEL": "WARNING",
    }
    env.pop("NEO4J_URI", None)
    async with locked(directory):
        server = subprocess.Popen(
            [sys.executable, "-m", "peacegraph.app.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                not_ready = await first_answer(client, "/readyz")
                assert not_ready.status_code == 503
                response, elapsed = await timed_post(client, READ)
                assert response.status_code == 503
                assert_unavailable(response, elapsed)
                assert (await client.get("/healthz")).status_code == 200
        except BaseException:
            server.kill()
            raise
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert await ready_within(client, 30)
            body = (await client.post("/graphql", json={"query": READ})).json()
            assert body == {"data": {"node": {"id": "org:kept", "name": "Kept"}}}
    finally:
        server.terminate()
        await asyncio.to_thread(server.wait, 30)


async def test_a_store_lost_at_run_time_fails_fast_and_comes_back_when_the_lock_is_released(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "store"
    await prepared(directory)
    app = create_app(Settings(data_dir=directory, auto_seed=False, limits=LIMITS))
    async with served(app) as client:
        holder = app.state.store_holder
        await holder.get().close()  # the store goes away under the running app...
        async with locked(directory):  # ...and another process takes its directory
            first, elapsed = await timed_post(client, READ)
            assert_unavailable(first, elapsed)
            assert (await client.get("/readyz")).status_code == 503
            again, elapsed = await timed_post(client, READ)
            assert again.status_code == 503  # refused before any work: fail fast
            assert_unavailable(again, elapsed)
            await asyncio.sleep(1.0)
            assert holder.recovering and holder.attempts >= 2  # still retrying
        assert await ready_within(client, 30)
        body = (await client.post("/graphql", json={"query": READ})).json()
        assert body == {"data": {"node": {"id": "org:kept", "name": "Kept"}}}


# -- embedded: read-only data directory ---------------------------------------------------


@contextmanager
def bind_mount(source: Path, target: Path) -> Iterator[None]:
    source.mkdir(parents=True, exist_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "--bind", str(source), str(target)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"needs bind mounts (root with CAP_SYS_ADMIN): {done.stderr.decode()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def read_only(target: Path, yes: bool) -> None:
    option = "remount,bind,ro" if yes else "remount,bind,rw"
    subprocess.run(["mount", "-o", option, str(target)], capture_output=True, check=True)


async def test_a_read_only_directory_at_start_then_writable_gets_ready(tmp_path: Path) -> None:
    source, target = tmp_path / "disk", tmp_path / "mounted"
    with bind_mount(source, target):
        await prepared(target / "store")
        read_only(target, True)
        settings = Settings(
            data_dir=target / "store", auto_seed=False, start_not_ready=True, limits=LIMITS
        )
        app = create_app(settings)
        async with served(app) as client:
            not_ready = await client.get("/readyz")
            assert not_ready.status_code == 503
            assert str(tmp_path) not in not_ready.text  # no file system path in public
            response, elapsed = await timed_post(client, READ)
            assert_unavailable(response, elapsed)
            read_only(target, False)
            assert await ready_within(client, 30)
            body = (await client.post("/graphql", json={"query": READ})).json()
            assert body["data"]["node"]["name"] == "Kept"


async def test_a_store_lost_while_its_directory_is_read_only_comes_back_when_writable(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "disk", tmp_path / "mounted"
    with bind_mount(source, target):
        await prepared(target / "store")
        app = create_app(Settings(data_dir=target / "store", auto_seed=False, limits=LIMITS))
        async with served(app) as client:
            await app.state.store_holder.get().close()
            read_only(target, True)  # possible now that no file is open for writing
            response, elapsed = await timed_post(client, READ)
            assert_unavailable(response, elapsed)
            await asyncio.sleep(0.5)
            assert (await client.get("/readyz")).status_code == 503
            read_only(target, False)
            assert await ready_within(client, 30)
            body = (await client.post("/graphql", json={"query": READ})).json()
            assert body["data"]["node"]["name"] == "Kept"


# -- Neo4j: a listener that drops connections, a closed port ------------------------------


@asynccontextmanager
async def neo4j_address(kind: str) -> AsyncIterator[str]:
    """A bolt URI where nothing answers the Bolt handshake."""
    if kind == "closed port":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        yield f"neo4j://127.0.0.1:{port}"
        return

    async def drop(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    listener = await asyncio.start_server(drop, "127.0.0.1", 0)
    try:
        yield f"neo4j://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
    finally:
        listener.close()
        await listener.wait_closed()


NEO4J_FAILURES = ["dropping listener", "closed port"]


def neo4j_settings(uri: str, **changes: object) -> Settings:
    settings = Settings(
        store="neo4j", neo4j_uri=uri, neo4j_password="s3cret-neo4j-pw", limits=LIMITS
    )
    return settings.with_overrides(**changes)


@pytest.mark.parametrize("kind", NEO4J_FAILURES)
async def test_neo4j_open_fails_fast_with_a_clear_reason(kind: str) -> None:
    async with neo4j_address(kind) as uri:
        started = time.perf_counter()
        with pytest.raises(StoreUnavailable, match="cannot reach Neo4j") as caught:
            await Neo4jStore.open(uri, username="neo4j", password="pw", database="neo4j", timeout=4)
    assert time.perf_counter() - started < 4.0
    assert "NEO4J_URI" in str(caught.value)


def test_serve_exits_with_one_line_when_neo4j_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("serve", env={"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peacegraph: error: cannot reach Neo4j")


@pytest.mark.parametrize("kind", NEO4J_FAILURES)
async def test_unreachable_neo4j_starts_not_ready_and_keeps_retrying(kind: str) -> None:
    async with neo4j_address(kind) as uri:
        app = create_app(neo4j_settings(uri, start_not_ready=True))
        async with served(app) as client:
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            response, elapsed = await timed_post(client, READ)
            assert response.status_code == 503
            assert_unavailable(response, elapsed)
            await asyncio.sleep(1.0)
            holder = app.state.store_holder
            assert holder.recovering and holder.attempts >= 2


@pytest.mark.parametrize("kind", NEO4J_FAILURES)
async def test_neo4j_gone_at_run_time_is_store_unavailable_within_the_timeout(kind: str) -> None:
    async with neo4j_address(kind) as uri:
        store = await Neo4jStore.open(
            uri, username="neo4j", password="pw", database="neo4j", timeout=4, verify=False
        )
        try:
            app = create_app(neo4j_settings(uri), store=store)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                response, elapsed = await timed_post(client, '{ node(id: "org:cedeao") { id } }')
                assert_unavailable(response, elapsed)
                started = time.perf_counter()
                assert (await client.get("/readyz")).status_code == 503
                assert time.perf_counter() - started < LIMITS.timeout_seconds
        finally:
            await store.close()
