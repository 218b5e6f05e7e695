"""The embedded store's search index (SQLite FTS5 beside the graph) follows every
write by node id, and an index written before it kept its row map (`node_row`)
is rebuilt when the store opens."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peacegraph.graph.model import Label
from peacegraph.graph.records import Node, Provenance
from tests.conftest import open_embedded

SRC = (Provenance("source:test", "Section", "a quote"),)


def org(slug: str, name: str) -> Node:
    return Node(Label.ORGANIZATION, f"org:{slug}", name, {}, SRC)


async def _found(path: Path, text: str) -> list[str]:
    async with open_embedded(path) as store:
        return [hit.node.id for hit in (await store.search(text)).items]


async def test_renames_and_deletes_replace_the_entry_of_that_node_only(tmp_path: Path) -> None:
    async with open_embedded(tmp_path) as store:
        await store.upsert_nodes([org("a", "Sahel Dialogue"), org("b", "Sahel Forum")])
        await store.upsert_nodes([org("a", "Tombouctou Dialogue")])
        assert [h.node.id for h in (await store.search("Sahel")).items] == ["org:b"]
        assert [h.node.id for h in (await store.search("Tombouctou")).items] == ["org:a"]
        await store.delete_nodes(["org:b"])
        assert (await store.search("Forum")).items == []
    assert await _found(tmp_path, "Tombouctou") == ["org:a"]


async def test_an_index_without_its_row_map_is_rebuilt(tmp_path: Path) -> None:
    async with open_embedded(tmp_path) as store:
        await store.upsert_nodes([org("a", "Sahel Dialogue")])
    with sqlite3.connect(tmp_path / "search.sqlite") as index:
        index.execute("DROP TABLE node_row")  # as written before the row map existed
    assert await _found(tmp_path, "Sahel") == ["org:a"]
    async with open_embedded(tmp_path) as store:
        await store.upsert_nodes([org("a", "Tombouctou Dialogue")])  # replaced, not doubled
        assert (await store.search("Sahel")).items == []
        assert [h.node.id for h in (await store.search("Dialogue")).items] == ["org:a"]
