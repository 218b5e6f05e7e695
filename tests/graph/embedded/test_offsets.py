"""LadybugDB never stores a new node at an offset another node has had.

The embedded store reads links by storage offset and maps the offsets back to the
ids it looked them up for (`rows.ids_at`); that is right only while an offset,
once read for an id, never comes to name another node, even across deletes,
checkpoints and reopening. This pins that behaviour of the engine version we use.
"""

from __future__ import annotations

from pathlib import Path

import ladybug

from tests.support.ladybug_rows import rows


def _offsets(connection: ladybug.Connection) -> dict[str, int]:
    statement = "MATCH (t:T) RETURN t.id AS id, offset(id(t)) AS offset"
    return {str(node_id): int(offset) for node_id, offset in rows(connection, statement)}


def test_deleted_nodes_offsets_are_never_given_to_new_nodes(tmp_path: Path) -> None:
    database = ladybug.Database(str(tmp_path / "graph.lbug"))
    connection = ladybug.Connection(database)
    connection.execute("CREATE NODE TABLE T(id STRING PRIMARY KEY, v INT64)")
    connection.execute("CREATE REL TABLE R(FROM T TO T)")
    for i in range(6):
        connection.execute("CREATE (:T {id: $id, v: 0})", {"id": f"n{i}"})
    connection.execute("MATCH (a:T {id: 'n0'}), (b:T {id: 'n1'}) CREATE (a)-[:R]->(b)")
    seen = set(_offsets(connection).values())

    def replace(deleted: str, created: str, *, checkpoint: bool) -> None:
        connection.execute("MATCH (t:T {id: $id}) DETACH DELETE t", {"id": deleted})
        if checkpoint:
            connection.execute("CHECKPOINT")
        connection.execute("CREATE (:T {id: $id, v: 0})", {"id": created})
        offsets = _offsets(connection)
        assert offsets[created] not in seen, (deleted, created, checkpoint)
        seen.add(offsets[created])

    replace("n0", "m0", checkpoint=False)
    replace("n2", "m2", checkpoint=True)
    connection.execute("BEGIN TRANSACTION")
    connection.execute("MATCH (t:T {id: 'n3'}) DELETE t")
    connection.execute("CREATE (:T {id: 'm3', v: 0})")
    connection.execute("COMMIT")
    assert _offsets(connection)["m3"] not in seen
    seen.add(_offsets(connection)["m3"])
    # An update in place keeps the node where it was.
    before = _offsets(connection)["n4"]
    connection.execute("MERGE (t:T {id: 'n4'}) SET t.v = 1")
    assert _offsets(connection)["n4"] == before
    # Every node gone, checkpointed, the database reopened: still a new offset.
    connection.execute("MATCH (t:T) DETACH DELETE t")
    connection.execute("CHECKPOINT")
    connection.close()
    database.close()
    database = ladybug.Database(str(tmp_path / "graph.lbug"))
    connection = ladybug.Connection(database)
    connection.execute("CREATE (:T {id: 'after', v: 0})")
    assert _offsets(connection)["after"] not in seen
    connection.close()
    database.close()
