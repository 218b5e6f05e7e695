"""Versioned schema migrations of the Neo4j store.

Every statement is idempotent (`IF NOT EXISTS`) and each migration is recorded as
a `_Migration` node, so running `migrate` twice is a no-op.
"""

from __future__ import annotations

from peacegraph.graph.migration import Migration
from peacegraph.graph.model import Label
from peacegraph.graph.neo4j import queries as q

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "uniqueness constraints on ids (Entity and every label)",
        (q.ENTITY_ID_CONSTRAINT, *(q.LABEL_ID_CONSTRAINTS[label] for label in Label)),
    ),
    Migration(
        2,
        "indexes on search keys and dates, full-text index on names and aliases",
        (q.ENTITY_SEARCH_KEY_INDEX, q.ENTITY_DATE_INDEX, q.FULLTEXT_INDEX_CREATE),
    ),
    Migration(3, "unique keys of tokens, audit entries and snapshots", (q.RECORD_KEY_CONSTRAINT,)),
    Migration(4, "per-id write locks for read-check-write transactions", (q.LOCK_ID_CONSTRAINT,)),
    Migration(
        5,
        "search by trigrams, as the embedded store does: a TEXT index replaces the full-text one",
        (q.SEARCH_KEY_TEXT_INDEX, q.DROP_FULLTEXT_INDEX),
    ),
)
