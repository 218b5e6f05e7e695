"""Streaming export (issue 24): the same bytes as the in-memory export, whatever
the run and page sizes, with progress told as pages are read."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peacegraph.exchange import canonical, streaming
from peacegraph.exchange.dump import export_document, import_document
from peacegraph.exchange.streaming import export_to, total_records
from peacegraph.graph.store import Store
from tests.conftest import StoreOpener


async def _streamed(store: Store, told: list[int] | None = None) -> str:
    out = io.StringIO()
    await export_to(store, out, None if told is None else told.append)
    return out.getvalue()


async def test_streamed_export_is_the_canonical_bytes(
    seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = canonical.dumps(await export_document(seeded))
    told: list[int] = []
    assert await _streamed(seeded, told) == expected
    assert sum(told) == await total_records(seeded)
    # Small runs and pages: many spilled runs merged, many pages read.
    monkeypatch.setattr(streaming, "RUN", 17)
    monkeypatch.setattr(streaming, "EXPORT_PAGE", 40)
    monkeypatch.setattr(streaming, "EXPORT_BATCH", 7)
    told.clear()
    assert await _streamed(seeded, told) == expected
    assert len(told) > 10 and sum(told) == await total_records(seeded)


async def test_an_empty_store_streams_as_the_empty_document(store: Store) -> None:
    assert await _streamed(store) == canonical.dumps(canonical.to_document([], []))


async def test_streamed_round_trip_is_byte_identical(
    seeded: Store, open_second_store: StoreOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(streaming, "RUN", 50)
    first = await _streamed(seeded)
    async with open_second_store() as fresh:
        await import_document(fresh, json.loads(first))
        assert await _streamed(fresh) == first


def test_cli_export_shows_progress_and_writes_the_same_bytes(tmp_path: Path) -> None:
    env = {**os.environ, "PEACEGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    env["PEACEGRAPH_STORE"] = "embedded"
    cli = [sys.executable, "-m", "peacegraph.app.cli"]
    subprocess.run(
        [*cli, "seed", "load", "--quiet", "--init"], env=env, check=True, capture_output=True
    )
    shown = subprocess.run(
        [*cli, "export", "--out", str(tmp_path / "a.json")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert "export: 100%" in shown.stderr
    quiet = subprocess.run(
        [*cli, "export", "--quiet"], env=env, check=True, capture_output=True, text=True
    )
    assert "export:" not in quiet.stderr
    assert quiet.stdout == (tmp_path / "a.json").read_text(encoding="utf-8")
