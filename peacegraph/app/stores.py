"""Opening the store the settings name: the one place that knows both backends."""

from __future__ import annotations

import os
from pathlib import Path

from peacegraph.app.settings import Settings
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.errors import StoreUnavailable
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.graph.store import Store


async def open_store(settings: Settings) -> Store:
    """Open (but do not migrate) the configured store; StoreUnavailable when it cannot."""
    if settings.store == "neo4j":
        return await Neo4jStore.open(
            settings.neo4j_uri,
            username=settings.neo4j_username,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
            timeout=settings.limits.timeout_seconds,
        )
    check_folder(settings.data_dir)
    if settings.buffer_pool_mb is None:
        return await EmbeddedStore.open(settings.data_dir)
    pool = settings.buffer_pool_mb * 1024 * 1024
    return await EmbeddedStore.open(settings.data_dir, buffer_pool_bytes=pool)


def check_folder(directory: Path) -> None:
    """Say plainly why a data folder cannot hold the embedded store, when it is a file
    or read-only (the database would fail later with a less telling message)."""
    if directory.exists() and not directory.is_dir():
        raise StoreUnavailable(
            f"cannot open the embedded store in {directory}: it is a file, not a folder"
        )
    if directory.is_dir() and not os.access(directory, os.W_OK | os.X_OK):
        raise StoreUnavailable(
            f"cannot open the embedded store in {directory}: the folder is not writable"
        )


def describe(settings: Settings) -> str:
    """Where the store is, for log lines and CLI output (never the password)."""
    if settings.store == "neo4j":
        return f"Neo4j at {settings.neo4j_uri} (database {settings.neo4j_database})"
    return f"embedded store in {settings.data_dir}"
