"""Rows of a statement run on a bare LadybugDB connection, for tests that look
beneath the store (storage offsets, index types) with the store closed."""

from __future__ import annotations

from typing import Any

import ladybug


def rows(connection: ladybug.Connection, statement: str) -> list[list[Any]]:
    """Every row of `statement`, each as the list of its columns."""
    result = connection.execute(statement)
    assert isinstance(result, ladybug.QueryResult)
    found: list[list[Any]] = []
    while result.has_next():
        row = result.get_next()
        assert isinstance(row, list)
        found.append(row)
    return found
