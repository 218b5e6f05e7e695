"""Committed means committed (issue 22): on the embedded store, a write whose commit
held but whose checkpoint then failed is answered as stored, with a warning in the
response's extensions; search finds what it wrote without a restart; /readyz says
the store is degraded until a checkpoint succeeds again.

The checkpoint is made to fail for real: LadybugDB writes its checkpoint through a
shadow file beside the database, and a directory in that file's place makes the
open fail (as a read-only or full disk would), while the log the commit wrote to is
already open and keeps working. A checkpoint threshold of 0 makes every commit
checkpoint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from peacegraph.graph.embedded.store import EmbeddedStore
from tests.schema.test_mutations import bearer, token
from tests.support.http import client_for, graphql

UPSERT = (
    'mutation { upsertOrganization(input: {id: "org:kept-anyway", name: "Kept Anyway"}, '
    'note: "n") { __typename ... on Organization { id version } } }'
)
IMPORT = (
    'mutation { importBatch(nodes: [{id: "org:imported-anyway", label: "Organization", '
    'name: "Imported Anyway", props: {}, sources: []}], relationships: [], note: "n") '
    "{ __typename ... on ImportSummary { nodes } } }"
)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[EmbeddedStore]:
    opened = await EmbeddedStore.open(tmp_path / "store")
    try:
        await opened.migrate()
        yield opened
    finally:
        await opened.close()


async def test_a_write_whose_checkpoint_fails_is_stored_found_and_reported(
    store: EmbeddedStore,
) -> None:
    editor = bearer(await token(store, "editor"))
    await store.connections.write("CALL checkpoint_threshold=0", {})
    shadow = store.directory / "graph.lbug.shadow"
    shadow.mkdir()
    async with client_for(store) as client:
        assert (await client.get("/readyz")).status_code == 200
        for mutation, answer in ((UPSERT, "Organization"), (IMPORT, "ImportSummary")):
            body = await graphql(client, mutation, headers=editor)
            assert "errors" not in body, body
            [result] = body["data"].values()
            assert result["__typename"] == answer
            [warning] = body["extensions"]["warnings"]
            assert warning.startswith("the write is stored")
            assert str(store.directory) not in warning  # no file system path in public
        found = await graphql(client, '{ search(text: "anyway") { nodes { id } } }')
        ids = {n["id"] for n in found["data"]["search"]["nodes"]}
        assert ids == {"org:kept-anyway", "org:imported-anyway"}
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "degraded"
        assert str(store.directory) not in ready.text

        shadow.rmdir()
        healthy = await client.get("/readyz")
        assert (healthy.status_code, healthy.json()["status"]) == (200, "ready")
        again = await graphql(client, UPSERT, headers=editor)
        assert "extensions" not in again or "warnings" not in again["extensions"]
        assert again["data"]["upsertOrganization"]["version"] == 2
