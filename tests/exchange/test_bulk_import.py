"""Import of a large canonical JSON file by the bulk route (issue 24): checked record
by record, loaded chunk by chunk, the same bytes back; a bad record halfway loads
nothing and is named."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from peacegraph.exchange import bulk_import
from peacegraph.exchange.streaming import export_to
from peacegraph.graph.errors import Invalid
from peacegraph.graph.store import Store
from peacegraph.graph.writing import ImportMode
from tests.conftest import StoreOpener


async def _exported(store: Store) -> str:
    out = io.StringIO()
    await export_to(store, out)
    return out.getvalue()


async def test_a_file_round_trips_through_the_bulk_route(
    seeded: Store, open_second_store: StoreOpener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _exported(seeded)
    path = tmp_path / "graph.json"
    path.write_text(first, encoding="utf-8")
    monkeypatch.setattr(bulk_import, "CHUNK", 40)  # several chunks of each kind
    checked = bulk_import.check_file(path)
    document = json.loads(first)
    assert (checked.nodes, checked.relationships) == (
        len(document["nodes"]),
        len(document["relationships"]),
    )
    told: list[int] = []
    async with open_second_store() as fresh:
        assert await bulk_import.is_empty(fresh)
        await bulk_import.load_file(fresh, path, checked, told.append)
        assert await _exported(fresh) == first
        assert not await bulk_import.is_empty(fresh)
    assert sum(told) == checked.nodes + checked.relationships


def _document(bad_at: int) -> dict[str, object]:
    source = [{"document": "d", "section": "s", "quote": "q"}]
    nodes = [
        {
            "id": f"org:n{i}",
            "label": "Organization",
            "name": f"Org {i}",
            "props": {},
            "sources": source,
        }
        for i in range(10)
    ]
    rels = [
        {
            "type": "PARTNER_OF",
            "from": f"org:n{i}",
            "to": f"org:n{i + 1}",
            "props": {},
            "sources": source,
        }
        for i in range(9)
    ]
    rels[bad_at]["to"] = "org:nobody"
    return {
        "format": "peacegraph",
        "version": 1,
        "nodes": nodes,
        "relationships": rels,
        "audit": [],
    }


def test_a_bad_record_halfway_is_named_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document(5)), encoding="utf-8")
    with pytest.raises(Invalid, match=r"relationships\[5\]\.to: 'org:nobody'") as raised:
        bulk_import.check_file(path)
    assert raised.value.field == "relationships[5].to"
    twice = _document(0)
    twice["relationships"][3] = dict(twice["relationships"][2])  # type: ignore[index]
    twice["relationships"][0]["to"] = "org:n1"  # type: ignore[index]
    path.write_text(json.dumps(twice), encoding="utf-8")
    with pytest.raises(Invalid, match=r"relationships\[3\]: PARTNER_OF .* appears twice"):
        bulk_import.check_file(path)
    path.write_text(json.dumps({**_document(0), "version": 2}), encoding="utf-8")
    with pytest.raises(Invalid, match="version"):
        bulk_import.check_file(path)


def test_only_large_create_imports_take_the_route(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    path.write_text("{}", encoding="utf-8")
    assert not bulk_import.takes(path, ImportMode.CREATE)
    assert not bulk_import.takes(tmp_path / "missing.json", ImportMode.CREATE)
    with path.open("r+b") as file:
        file.truncate(bulk_import.BULK_FROM_BYTES)
    assert bulk_import.takes(path, ImportMode.CREATE)
    assert not bulk_import.takes(path, ImportMode.MERGE)
