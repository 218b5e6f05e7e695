"""Shared fixtures: real stores only.

`store` is parametrised over every backend: the embedded store always, Neo4j when
NEO4J_URI is set (skipped with the reason otherwise). Tests that take `store` speak
only the Store protocol, so they prove every backend alike.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
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
    else:
        opened = await EmbeddedStore.open(tmp_path / "store")
        await opened.migrate()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """An empty, migrated embedded store (for behaviour only the embedded store has)."""
    opened = await EmbeddedStore.open(tmp_path / "embedded")
    await opened.migrate()
    try:
        yield opened
    finally:
        await opened.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def seeded(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EmbeddedStore]:
    """One embedded store holding the reviewed seed, shared by read-only tests.

    Tests that use it run on the session event loop
    (`pytestmark = pytest.mark.asyncio(loop_scope="session")`) and must not write.
    """
    from peacegraph.seed.loader import seed_if_empty

    opened = await EmbeddedStore.open(tmp_path_factory.mktemp("seeded") / "store")
    await opened.migrate()
    await seed_if_empty(opened)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def seeded_copy(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    """A fresh embedded store with the seed, for tests that write or need their own."""
    from peacegraph.seed.loader import seed_if_empty

    opened = await EmbeddedStore.open(tmp_path / "seeded-copy")
    await opened.migrate()
    await seed_if_empty(opened)
    try:
        yield opened
    finally:
        await opened.close()
