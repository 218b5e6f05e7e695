"""Many small writes never fill the embedded store's buffer pool.

LadybugDB keeps the page versions of committed updates in its buffer pool until a
checkpoint, and checkpoints on its own only once the WAL reaches a threshold. With
its default threshold, a service editing the same few nodes filled the pool and then
refused every write; the store sets a low threshold when it opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacegraph.graph.embedded.connection import MIB
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node, Provenance
from peacegraph.graph.store import StoreTransaction

pytestmark = pytest.mark.asyncio(loop_scope="session")

SRC = (Provenance("source:test", "Section", "a quote " * 40),)


async def test_hundreds_of_edits_of_one_node_fit_a_small_pool(tmp_path: Path) -> None:
    store = await EmbeddedStore.open(tmp_path / "graph", buffer_pool_bytes=64 * MIB)
    try:
        await store.migrate()
        for edit in range(400):
            node = Node(
                Label.ORGANIZATION,
                "org:edited",
                f"Edit {edit}",
                {"kind": "ngo", "description": f"{edit} " + "d" * 500},
                SRC,
            )

            async def write(tx: StoreTransaction, node: Node = node) -> None:
                await tx.upsert_nodes([node])

            await store.write(write)
        assert (await store.get_nodes(["org:edited"]))["org:edited"].name == "Edit 399"
    finally:
        await store.close()
