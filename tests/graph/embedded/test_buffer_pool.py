"""The embedded store's buffer pool: sized from the machine, or as configured (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacegraph.app.settings import Settings, SettingsError
from peacegraph.app.stores import open_store
from peacegraph.graph.embedded.connection import (
    BUFFER_POOL_MAX,
    BUFFER_POOL_MIN,
    DEFAULT_BUFFER_POOL,
    MIB,
    buffer_pool_for,
    physical_memory,
)

GIB = 1024 * MIB


def test_the_default_is_a_share_of_the_machine_within_bounds() -> None:
    assert buffer_pool_for(24 * GIB) == 384 * MIB
    assert buffer_pool_for(1 * GIB) == BUFFER_POOL_MIN
    assert buffer_pool_for(256 * GIB) == BUFFER_POOL_MAX
    assert buffer_pool_for(0) == BUFFER_POOL_MIN
    assert buffer_pool_for(physical_memory()) == DEFAULT_BUFFER_POOL


def test_the_setting_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).buffer_pool_mb is None
    assert Settings.from_env({"PEACEGRAPH_BUFFER_POOL_MB": "96"}).buffer_pool_mb == 96
    for bad in ("lots", "8"):
        with pytest.raises(SettingsError, match="PEACEGRAPH_BUFFER_POOL_MB"):
            Settings.from_env({"PEACEGRAPH_BUFFER_POOL_MB": bad})


async def test_a_store_opens_with_the_configured_pool(tmp_path: Path) -> None:
    """LadybugDB does not report its pool size: this checks the path from the setting
    to an open, migrated store."""
    settings = Settings(data_dir=tmp_path / "ok", buffer_pool_mb=64)
    store = await open_store(settings)
    try:
        await store.migrate()
        assert await store.count_by_label() is not None
    finally:
        await store.close()
