"""Streaming export (issue 24): the same bytes as the in-memory export, whatever
the run and page sizes, with progress told as pages are read."""

from __future__ import annotations

import io
import json

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
