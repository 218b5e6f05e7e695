"""Persisted queries: automatic ones as Apollo Client sends them (over GET and POST),
and the allow-list mode that runs only registered operations."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from peacegraph.app.settings import Settings
from peacegraph.graph.errors import Invalid
from peacegraph.graph.store import Store
from tests.support.http import client_for, error_codes

QUERY = "query Name($id: ID!) { node(id: $id) { name } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
VARIABLES = {"id": "org:cedeao"}
EXTENSIONS = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}


async def by_get(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    body: dict[str, Any] = (await client.get("/graphql", params=encoded)).json()
    return body


async def by_post(client: httpx.AsyncClient, **payload: Any) -> dict[str, Any]:
    body: dict[str, Any] = (await client.post("/graphql", json=payload)).json()
    return body


@pytest.mark.asyncio(loop_scope="session")
async def test_apollo_get_flow_hash_then_text_then_hash(seeded: Store) -> None:
    async with client_for(seeded) as client:
        unknown = await by_get(client, variables=VARIABLES, extensions=EXTENSIONS)
        assert error_codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
        assert unknown["errors"][0]["message"] == "PersistedQueryNotFound"
        registered = await by_get(client, query=QUERY, variables=VARIABLES, extensions=EXTENSIONS)
        assert registered == {"data": {"node": {"name": "CEDEAO"}}}
        known = await by_get(client, variables=VARIABLES, extensions=EXTENSIONS)
        assert known == registered


@pytest.mark.asyncio(loop_scope="session")
async def test_apollo_post_flow(seeded: Store) -> None:
    async with client_for(seeded) as client:
        unknown = await by_post(client, variables=VARIABLES, extensions=EXTENSIONS)
        assert error_codes(unknown) == ["PERSISTED_QUERY_NOT_FOUND"]
        await by_post(client, query=QUERY, variables=VARIABLES, extensions=EXTENSIONS)
        known = await by_post(client, variables=VARIABLES, extensions=EXTENSIONS)
    assert known == {"data": {"node": {"name": "CEDEAO"}}}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_text_that_does_not_match_its_hash_is_not_registered(seeded: Store) -> None:
    async with client_for(seeded) as client:
        wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
        mismatch = await by_post(client, query=QUERY, variables=VARIABLES, extensions=wrong)
        assert error_codes(mismatch) == ["PERSISTED_QUERY_HASH_MISMATCH"]
        after = await by_post(client, variables=VARIABLES, extensions=wrong)
        assert error_codes(after) == ["PERSISTED_QUERY_NOT_FOUND"]
        bad = {"persistedQuery": {"version": 2, "sha256Hash": HASH}}
        assert error_codes(await by_post(client, extensions=bad)) == ["BAD_REQUEST"]


@pytest.mark.asyncio(loop_scope="session")
async def test_persisted_queries_can_be_turned_off(seeded: Store) -> None:
    async with client_for(seeded, Settings(apq_size=0)) as client:
        answer = await by_post(client, query=QUERY, variables=VARIABLES, extensions=EXTENSIONS)
    assert error_codes(answer) == ["PERSISTED_QUERY_NOT_SUPPORTED"]


def manifest(tmp_path: Path, *queries: str) -> Path:
    path = tmp_path / "operations.json"
    operations = [
        {"id": hashlib.sha256(q.encode()).hexdigest(), "name": f"op{i}", "type": "query", "body": q}
        for i, q in enumerate(queries)
    ]
    path.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
        )
    )
    return path


@pytest.mark.asyncio(loop_scope="session")
async def test_allow_list_runs_only_registered_operations(seeded: Store, tmp_path: Path) -> None:
    settings = Settings(persisted_queries=manifest(tmp_path, QUERY))
    async with client_for(seeded, settings) as client:
        by_hash = await by_get(client, variables=VARIABLES, extensions=EXTENSIONS)
        by_text = await by_post(client, query=QUERY, variables=VARIABLES)
        other = await client.post("/graphql", json={"query": "{ health }"})
        other_hash = {"persistedQuery": {"version": 1, "sha256Hash": "1" * 64}}
        unknown = await by_get(client, extensions=other_hash)
    assert by_hash == by_text == {"data": {"node": {"name": "CEDEAO"}}}
    assert other.status_code == 400
    assert error_codes(other.json()) == ["OPERATION_NOT_REGISTERED"]
    assert error_codes(unknown) == ["OPERATION_NOT_REGISTERED"]


def test_the_allow_list_file_is_checked_at_start(tmp_path: Path) -> None:
    assert Settings.from_env({}).persisted_queries is None
    path = tmp_path / "ops.json"
    assert Settings.from_env({"PEACEGRAPH_PERSISTED_QUERIES": str(path)}).persisted_queries == path
    path.write_text(json.dumps({"0" * 64: "{ health }"}))
    with pytest.raises(Invalid, match="PEACEGRAPH_PERSISTED_QUERIES"):
        client_for(object(), Settings(persisted_queries=path))
    path.write_text("not json")
    with pytest.raises(Invalid, match="cannot read it as JSON"):
        client_for(object(), Settings(persisted_queries=path))
