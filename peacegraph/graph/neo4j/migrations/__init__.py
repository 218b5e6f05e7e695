"""Versioned schema migrations of the Neo4j store: the numbered files beside this one.

Every statement is idempotent (`IF NOT EXISTS`) and each migration is recorded as a
`_Migration` node, so running `migrate` twice is a no-op. A file never changes once
released (a test pins their checksums): a new label or index is a new file.
"""

from __future__ import annotations

from peacegraph.graph.migration import Migration, load_migrations

MIGRATIONS: tuple[Migration, ...] = load_migrations(__name__)
