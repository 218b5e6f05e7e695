"""Migrations are numbered files that never change once released.

A store that applied migration 2 never runs it again, so an edit to its file would
leave stores that applied the old text and stores that applied the new one. The
checksums below (a sha256's first 16 digits) pin every released file; a change to
the schema is a new file.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from peacegraph.graph.embedded.migrations import MIGRATIONS as EMBEDDED
from peacegraph.graph.migration import Migration, parse_migration
from peacegraph.graph.neo4j.migrations import MIGRATIONS as NEO4J

RELEASED = {
    "peacegraph.graph.embedded.migrations": {
        "001_node_tables.cypher": "e8cef362fb37acda",
        "002_relationship_tables.cypher": "1ce729af67d806e5",
        "003_records.cypher": "2092b7d7c25f0daa",
        "004_ordered_id_indexes.cypher": "1cc0c092b7b9ae4c",
        "005_place_coordinates.cypher": "a1395c58193b0446",
        "006_figure_approximations.cypher": "f61f824a438c254c",
    },
    "peacegraph.graph.neo4j.migrations": {
        "001_id_constraints.cypher": "e58625e10b37adb8",
        "002_search_and_date_indexes.cypher": "abcba5fd92fa2261",
        "003_record_keys.cypher": "b0e1acd6362c0d2d",
        "004_write_locks.cypher": "14e851d3d266f9e5",
        "005_trigram_search.cypher": "a02f10ebbffafff0",
    },
}


@pytest.mark.parametrize(
    ("package", "name"), [(p, n) for p, files in RELEASED.items() for n in files]
)
def test_a_released_migration_never_changes(package: str, name: str) -> None:
    text = resources.files(package).joinpath(name).read_bytes()
    assert hashlib.sha256(text).hexdigest()[:16] == RELEASED[package][name], (
        f"{package}/{name} was released and must not change: add a new numbered file"
    )


@pytest.mark.parametrize("migrations", [EMBEDDED, NEO4J], ids=["embedded", "neo4j"])
def test_migrations_are_numbered_in_order_with_statements(
    migrations: tuple[Migration, ...],
) -> None:
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(m.description and m.statements for m in migrations)


def test_a_migration_file_is_a_description_line_then_statements() -> None:
    parsed = parse_migration(7, "// two indexes\nCREATE INDEX a;\nCREATE INDEX b\n  ON x;\n")
    assert parsed == Migration(7, "two indexes", ("CREATE INDEX a", "CREATE INDEX b\n  ON x"))
    with pytest.raises(ValueError, match="first line"):
        parse_migration(8, "CREATE INDEX a;\n")
