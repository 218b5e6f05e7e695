"""Shared fixtures: real stores only.

`store`, `seeded` and `seeded_copy` are parametrised over every backend: the embedded
store, and Neo4j on servers the suite starts itself (tests/support/neo4j_server.py).
Tests that take them speak only the Store protocol, so they prove every backend alike.
`embedded` is for behaviour only the embedded store has.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio

from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.graph.store import Store
from tests.support import neo4j_seed
from tests.support.neo4j_server import Neo4jServer, Neo4jServers

BACKENDS = ["embedded", "neo4j"]


@pytest.fixture(scope="session")
def neo4j_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServers]:
    """The session's Neo4j servers (each started when a test first needs it)."""
    servers = Neo4jServers(tmp_path_factory.mktemp("neo4j"))
    try:
        yield servers
    finally:
        servers.stop_all()


#: The seed as the loader first wrote it to a Neo4j database this session (then copied).
_NEO4J_SEED: list[neo4j_seed.SeedGraph] = []


async def open_neo4j(server: Neo4jServer, *, seed: bool = False) -> Neo4jStore:
    """A migrated store on `server`'s database, emptied first, with the seed if asked:
    written by the seed loader the first time in the session, copied afterwards
    (tests/support/neo4j_seed.py)."""
    from peacegraph.seed.loader import seed_if_empty

    server.clear()
    opened = await Neo4jStore.open(server.uri, username="neo4j", password="", database="neo4j")
    try:
        await opened.migrate()
        if seed and _NEO4J_SEED:
            neo4j_seed.write(server, _NEO4J_SEED[0])
        elif seed:
            await seed_if_empty(opened)
            _NEO4J_SEED.append(neo4j_seed.read(server))
    except BaseException:
        await opened.close()
        raise
    return opened


@asynccontextmanager
async def open_store(
    backend: str, servers: Neo4jServers, path: Path, *, seed: bool = False, server: str = "scratch"
) -> AsyncIterator[Store]:
    """An empty (or seeded) migrated store of `backend`, closed afterwards.

    On Neo4j, `server` names the server whose database it takes over (and empties).
    """
    if backend == "embedded":
        async with open_embedded(path, seed=seed) as embedded_store:
            yield embedded_store
        return
    opened = await open_neo4j(servers.get(server), seed=seed)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture(params=BACKENDS)
async def store(
    request: pytest.FixtureRequest, neo4j_servers: Neo4jServers, tmp_path: Path
) -> AsyncIterator[Store]:
    """An empty, migrated store of each backend."""
    async with open_store(request.param, neo4j_servers, tmp_path / "store") as opened:
        yield opened


StoreOpener = Callable[[], AbstractAsyncContextManager[Store]]


@pytest.fixture
def open_second_store(
    request: pytest.FixtureRequest, neo4j_servers: Neo4jServers, tmp_path: Path
) -> StoreOpener:
    """Opens a second, empty store of the backend the test runs on (the backend of its
    `store`, `seeded_copy` or `seeded`), for round trips between two stores."""
    params = request.node.callspec.params
    backend = next(params[name] for name in ("store", "seeded_copy", "seeded") if name in params)
    return lambda: open_store(backend, neo4j_servers, tmp_path / "second", server="second")


@asynccontextmanager
async def open_embedded(path: Path, *, seed: bool = False) -> AsyncIterator[EmbeddedStore]:
    """A migrated embedded store in `path`, with the seed if asked, closed afterwards."""
    from peacegraph.seed.loader import seed_if_empty

    opened = await EmbeddedStore.open(path)
    try:
        await opened.migrate()
        if seed:
            await seed_if_empty(opened)
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """An empty, migrated embedded store (for behaviour only the embedded store has)."""
    async with open_embedded(tmp_path / "embedded") as opened:
        yield opened


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def seeded_embedded(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Store]:
    async with open_embedded(tmp_path_factory.mktemp("seeded") / "store", seed=True) as opened:
        yield opened


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def seeded_neo4j(neo4j_servers: Neo4jServers) -> AsyncIterator[Store]:
    opened = await open_neo4j(neo4j_servers.get("shared"), seed=True)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture(params=BACKENDS)
def seeded(request: pytest.FixtureRequest) -> Store:
    """One store of each backend holding the reviewed seed, shared by read-only tests.

    Tests that use it run on the session event loop
    (`@pytest.mark.asyncio(loop_scope="session")`) and must not write.
    """
    opened: Store = request.getfixturevalue(f"seeded_{request.param}")
    return opened


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def embedded_seed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store seeded once and closed, which each embedded `seeded_copy`
    copies: opening a copy takes ~0.05 s, seeding ~1.5 s (and fifty tests take one)."""
    path = tmp_path_factory.mktemp("seed-template") / "store"
    async with open_embedded(path, seed=True):
        pass
    return path


@pytest.fixture(params=BACKENDS)
async def seeded_copy(
    request: pytest.FixtureRequest,
    neo4j_servers: Neo4jServers,
    tmp_path: Path,
    embedded_seed_template: Path,
) -> AsyncIterator[Store]:
    """A fresh store of each backend with the seed, for tests that write or need their own
    (on the embedded store, a copy of the files of one seeded once for the session)."""
    path = tmp_path / "seeded-copy"
    if request.param == "embedded":
        shutil.copytree(embedded_seed_template, path)
    async with open_store(request.param, neo4j_servers, path, seed=True) as opened:
        yield opened
