"""Versioned schema migrations of the embedded store: the numbered files beside this one.

Each migration runs once; the `_Migration` table records which ones ran, so running
`migrate` again is a no-op. A file never changes once released (a test pins their
checksums): a new label, column or index is a new file (`ALTER TABLE ... ADD`).
"""

from __future__ import annotations

from peacegraph.graph.migration import Migration, load_migrations

MIGRATIONS: tuple[Migration, ...] = load_migrations(__name__)
