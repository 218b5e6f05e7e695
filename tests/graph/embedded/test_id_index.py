"""Node ids have an ordered (ART) key index (migration 4), on new stores and on
stores made before it, and a migration cut short between its statements completes
when run again (LadybugDB does not undo index changes on rollback)."""

from __future__ import annotations

import random
from pathlib import Path

import ladybug

from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.links import SAMPLED_CUT_DEGREE
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
            # The ordered index, then every migration released after it.
            later = [m for m in MIGRATIONS if m.version >= ORDERED.version]
            assert applied == [f"{m.version:03d} {m.description}" for m in later]
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


#: Characters whose order trips up encodings: case, accents precomposed and combined,
#: symbols past the BMP, control characters, prefixes of one another.
TRICKY = ["a", "A", "é", "e\u0301", "€", "😀", "\x01", "\x7f", " ", "~", "z", "-", "ÿ", "中"]


async def test_hub_pages_keep_code_point_order_whatever_the_ids(tmp_path: Path) -> None:
    """Pages cut by an id range read from the ordered index (hubs over
    SAMPLED_CUT_DEGREE links) and pages sorted by the store (smaller nodes) both
    follow the ids' code point order, as Python sorts them."""
    rng = random.Random(3)
    slugs = {"".join(rng.choices(TRICKY, k=rng.randint(1, 6))) for _ in range(7000)}
    events = [Node(Label.EVENT, f"event:{slug}", "E", {}, SRC) for slug in sorted(slugs)]
    assert len(events) > SAMPLED_CUT_DEGREE
    hubs = {"org:hub": events, "org:small": events[::25]}
    async with open_embedded(tmp_path / "store") as store:
        await store.bulk_load(
            [Node(Label.ORGANIZATION, hub, hub, {}, SRC) for hub in hubs] + events,
            [
                Relationship(RelType.ORGANIZED, hub, event.id, {}, SRC)
                for hub, linked in hubs.items()
                for event in linked
            ],
        )
        for hub, linked in hubs.items():
            expected = sorted(event.id for event in linked)
            for limit in (1, 9, 150, 700):
                for _ in range(2):  # sampled, then from the last page's bound
                    page = await store.neighbours(hub, limit=limit)
                    assert [n.node.id for n in page.items] == expected[:limit], (hub, limit)
