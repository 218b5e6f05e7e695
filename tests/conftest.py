"""Shared fixtures: real stores only.

`store` is parametrised over every backend: the embedded store always, Neo4j when
NEO4J_URI is set (skipped with the reason otherwise). Tests that take `store` speak
only the Store protocol, so they prove every backend alike.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio

from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.graph.store import Store

BACKENDS = ["embedded", "neo4j"]


async def _empty_neo4j() -> Store:
    store = await Neo4jStore.open(
        os.environ["NEO4J_URI"],
        username=os.environ.get("NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    await store.migrate()
    while True:
        page = await store.all_nodes(offset=0, limit=1000)
        if not page.items:
            break
        await store.delete_nodes([n.id for n in page.items])
    return store


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An empty, migrated store of each backend."""
    if request.param == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            pytest.skip("Neo4j conformance needs NEO4J_URI (no Neo4j server on this machine)")
        opened = await _empty_neo4j()
        try:
            yield opened
        finally:
            await opened.close()
        return
    async with open_embedded(tmp_path / "store") as embedded_store:
        yield embedded_store


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
async def seeded(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EmbeddedStore]:
    """One embedded store holding the reviewed seed, shared by read-only tests.

    Tests that use it run on the session event loop
    (`@pytest.mark.asyncio(loop_scope="session")`) and must not write.
    """
    async with open_embedded(tmp_path_factory.mktemp("seeded") / "store", seed=True) as opened:
        yield opened


@pytest.fixture
async def seeded_copy(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """A fresh embedded store with the seed, for tests that write or need their own."""
    async with open_embedded(tmp_path / "seeded-copy", seed=True) as opened:
        yield opened
