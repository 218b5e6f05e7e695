"""Export and import: canonical JSON round trips byte for byte (other formats:
test_formats.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from peacegraph.app import auth
from peacegraph.exchange import canonical
from peacegraph.exchange.dump import export_document, import_document
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.errors import Invalid
from peacegraph.graph.store import Store
from peacegraph.resolvers.context import Caller, Context
from peacegraph.resolvers.limits import Limits
from peacegraph.resolvers.writes import Change, add_alias
from peacegraph.seed import loader


async def seed(store: Store) -> None:
    await loader.write_bundles(store, loader.load_bundles())
    context = Context(store=store, limits=Limits(), request_id="t", caller=Caller("ana", "editor"))
    await add_alias(context, "org:cedeao", "ECOWAS Commission", Change(None, "audit me"))


async def test_json_round_trip_is_byte_identical(store: Store, tmp_path: Path) -> None:
    await seed(store)
    first = canonical.dumps(await export_document(store))
    fresh = await EmbeddedStore.open(tmp_path / "fresh")
    try:
        await fresh.migrate()
        await import_document(fresh, json.loads(first))
        second = canonical.dumps(await export_document(fresh))
    finally:
        await fresh.close()
    assert second == first
    document = json.loads(first)
    assert len(document["nodes"]) == 153 and len(document["audit"]) == 1
    assert document["audit"][0]["actor"] == "ana"


async def test_a_bad_document_is_refused_before_writing(store: Store) -> None:
    document = canonical.to_document([], [])
    document["relationships"] = [
        {"type": "WITHIN", "from": "place:a", "to": "place:b", "sources": []}
    ]
    with pytest.raises(Invalid, match=r"relationships\[0\]\.from"):
        await import_document(store, document)
    assert sum((await store.count_by_label()).values()) == 0


def big_document(count: int) -> str:
    nodes = [
        {
            "id": f"org:n{i}",
            "label": "Organization",
            "name": f"Org {i}",
            "props": {},
            "sources": [{"document": "d", "section": "s", "quote": "q"}],
        }
        for i in range(count)
    ]
    rels = [
        {
            "type": "PARTNER_OF",
            "from": f"org:n{i}",
            "to": f"org:n{i + 1}",
            "props": {},
            "sources": [{"document": "d", "section": "s", "quote": "q"}],
        }
        for i in range(count - 1)
    ]
    return json.dumps(
        {"format": "peacegraph", "version": 1, "nodes": nodes, "relationships": rels, "audit": []}
    )


def test_sigkill_during_import_leaves_the_store_as_before_or_complete(tmp_path: Path) -> None:
    """Kill the importer once its progress bar shows a first batch written, mid-transaction."""
    total = 6_000
    source = tmp_path / "big.json"
    source.write_text(big_document(total), encoding="utf-8")
    env = {**os.environ, "PEACEGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    cli = [sys.executable, "-m", "peacegraph.app.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [*cli, "import", str(source)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    seen = b""
    while b"2000/" not in seen and process.poll() is None:
        seen += os.read(process.stderr.fileno(), 256)
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()

    def exported() -> dict[str, list[object]]:
        out = subprocess.run(
            [*cli, "export", "--format", "json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout)  # type: ignore[no-any-return]

    assert len(exported()["nodes"]) == 0, "a killed import left part of its writes"
    resumed = subprocess.run([*cli, "import", str(source), "--quiet"], env=env, capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    final = exported()
    assert (len(final["nodes"]), len(final["relationships"])) == (total, total - 1)


async def test_tokens_are_never_exported(store: Store) -> None:
    _, text = await auth.create_token(store, "ana", "editor")
    document = canonical.dumps(await export_document(store))
    assert text.split("_")[-1] not in document and "token" not in json.loads(document)
