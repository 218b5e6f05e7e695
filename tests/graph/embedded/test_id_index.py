"""Node ids have an ordered (ART) key index (migration 4), on new stores and on
stores made before it, and a migration cut short between its statements completes
when run again (LadybugDB does not undo index changes on rollback)."""

from __future__ import annotations

from pathlib import Path

import ladybug

from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.migrations import MIGRATIONS
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from tests.conftest import open_embedded
from tests.support.ladybug_rows import rows

SRC = (Provenance("source:test", "Section", "a quote"),)
ORDERED = next(m for m in MIGRATIONS if "ART" in m.description)


def _key_indexes(directory: Path) -> dict[str, str]:
    """Node table -> the type of its index on `id`, read with the store closed."""
    connection = ladybug.Connection(ladybug.Database(str(directory / "graph.lbug")))
    try:
        statement = "CALL show_indexes() RETURN table_name, index_type"
        return {str(table): str(kind) for table, kind in rows(connection, statement)}
    finally:
        connection.close()


def _store_before_ordered_ids(directory: Path, *, cut_after: int = 0) -> None:
    """A store as the migrations before the ordered index left it, with a hub and
    its events; and the first `cut_after` statements of that migration run, as by
    a process stopped in the middle of it."""
    directory.mkdir(parents=True)
    connection = ladybug.Connection(ladybug.Database(str(directory / "graph.lbug")))
    try:
        connection.execute(q.MIGRATION_TABLE)
        for migration in MIGRATIONS:
            if migration.version >= ORDERED.version:
                break
            for statement in migration.statements:
                connection.execute(statement)
            connection.execute(
                q.RECORD_MIGRATION,
                {"version": migration.version, "description": "", "appliedAt": ""},
            )
        connection.execute("CREATE (:Organization {id: 'org:hub', name: 'Hub'})")
        for i in range(40, 0, -1):
            connection.execute(
                "MATCH (a:Organization {id: 'org:hub'}) "
                "CREATE (a)-[:ORGANIZED]->(:Event {id: $id, name: $id})",
                {"id": f"event:e{i:03d}"},
            )
        for statement in ORDERED.statements[:cut_after]:
            connection.execute(statement)
    finally:
        connection.close()


async def test_new_stores_key_node_ids_with_an_ordered_index(tmp_path: Path) -> None:
    async with open_embedded(tmp_path / "store"):
        pass
    indexes = _key_indexes(tmp_path / "store")
    assert {label.value: indexes.get(label.value) for label in Label} == dict.fromkeys(
        (label.value for label in Label), "ART"
    )


async def test_a_store_made_before_the_ordered_index_is_migrated(tmp_path: Path) -> None:
    for cut_after in (0, 1, 2, 4, len(ORDERED.statements) - 1):
        directory = tmp_path / f"cut{cut_after}"
        _store_before_ordered_ids(directory, cut_after=cut_after)
        store = await EmbeddedStore.open(directory)
        try:
            applied = await store.migrate()
            assert applied == [f"{ORDERED.version:03d} {ORDERED.description}"]
            # Keys stay unique: a write of ids already there changes, not adds.
            events = [Node(Label.EVENT, f"event:e{i:03d}", "again", {}, SRC) for i in (1, 2)]
            new = Node(Label.EVENT, "event:e000", "new", {}, SRC)
            await store.upsert_nodes([*events, new])
            await store.upsert_relationships(
                [Relationship(RelType.ORGANIZED, "org:hub", new.id, {}, SRC)]
            )
            assert (await store.count_by_label())[Label.EVENT] == 41
            assert (await store.get_nodes(["event:e001"]))["event:e001"].name == "again"
            page = await store.neighbours("org:hub", limit=7)
            assert [n.node.id for n in page.items] == [f"event:e{i:03d}" for i in range(7)]
            assert await store.migrate() == []
        finally:
            await store.close()
        assert set(_key_indexes(directory).values()) == {"ART", "HASH"}, cut_after
        assert all(_key_indexes(directory)[label.value] == "ART" for label in Label)
