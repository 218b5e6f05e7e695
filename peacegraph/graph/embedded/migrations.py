"""Versioned schema migrations of the embedded store.

Each migration runs once; the `_Migration` table records which ones ran, so
running `migrate` again is a no-op. New columns come as new migrations
(`ALTER TABLE ... ADD`), never by editing an applied one.
"""

from __future__ import annotations

from peacegraph.graph.embedded import queries as q
from peacegraph.graph.migration import Migration
from peacegraph.graph.model import Label, RelType

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "node tables with primary keys on id (LadybugDB's unique index)",
        tuple(q.create_node_table(label) for label in Label),
    ),
    Migration(
        2,
        "relationship tables for every allowed pair of labels",
        tuple(q.create_rel_table(rel_type) for rel_type in RelType),
    ),
    Migration(
        3, "records table for tokens, audit entries and deleted-node snapshots", (q.RECORD_TABLE,)
    ),
    Migration(
        4,
        "ordered (ART) index on node ids in place of the hash index, for id ranges",
        tuple(statement for label in Label for statement in q.ordered_id_index(label)),
    ),
)
