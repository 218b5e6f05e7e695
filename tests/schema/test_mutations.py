"""Editing through GraphQL: roles, provenance, validation, versions, audit, merges."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from peacegraph.app import auth
from peacegraph.exchange.canonical import dumps
from peacegraph.exchange.dump import export_document
from peacegraph.graph.store import Store
from tests.conformance.test_store import load
from tests.support.http import client_for, error_codes, graphql

SOURCE = {"document": "source:test", "section": "Section", "quote": "a passage"}

UPSERT_ORG = """
mutation($input: NodeInput!, $source: SourceInput, $note: String) {
  upsertOrganization(input: $input, source: $source, note: $note) {
    __typename
    ... on Organization { id name version aliases sources { quote } }
    ... on ValidationError { message field }
    ... on ConflictError { message }
    ... on NotFoundError { message }
  }
}
"""

MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "upsertOrganization": (UPSERT_ORG, {"input": {"name": "New NGO"}, "source": SOURCE}),
    "upsertEvent": (
        'mutation($s: SourceInput) { upsertEvent(input: {name: "E"}, source: $s) { __typename } }',
        {"s": SOURCE},
    ),
    "link": (
        'mutation($s: SourceInput) { link(input: {type: PARTNER_OF, from: "org:undp", '
        'to: "org:cedeao"}, source: $s) { __typename } }',
        {"s": SOURCE},
    ),
    "unlink": (
        'mutation($s: SourceInput) { unlink(type: PART_OF, from: "org:wanep-mali", '
        'to: "org:wanep", source: $s) { __typename } }',
        {"s": SOURCE},
    ),
    "addAlias": (
        'mutation { addAlias(id: "org:undp", alias: "UNDP Mali", note: "n") { __typename } }',
        {},
    ),
    "mergeEntities": (
        'mutation { mergeEntities(keep: "org:wanep", drop: "org:undp", note: "n") { __typename } }',
        {},
    ),
    "deleteNode": ('mutation { deleteNode(id: "org:undp", note: "n") { __typename } }', {}),
    "restoreNode": ('mutation { restoreNode(id: "org:undp", note: "n") { __typename } }', {}),
    "importBatch": (
        'mutation { importBatch(nodes: [{id: "org:zz", label: "Organization", name: "ZZ"}], '
        'relationships: [], note: "n") { __typename } }',
        {},
    ),
}


async def token(store: Store, role: str, name: str | None = None) -> str:
    _, text = await auth.create_token(store, name or f"{role}-user", role)
    return text


def bearer(text: str) -> dict[str, str]:
    return {"authorization": f"Bearer {text}"}


async def full_export(store: Store) -> str:
    return dumps(await export_document(store))


@pytest.fixture
async def client(store: Store) -> Any:
    await load(store)
    async with client_for(store) as http:
        yield http


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
async def test_mutations_need_a_valid_editor_token(
    store: Store, client: httpx.AsyncClient, mutation: str
) -> None:
    query, variables = MUTATIONS[mutation]
    reader = await token(store, "reader")
    revoked = await token(store, "admin", "gone")
    tokens = await auth.list_tokens(store)
    await auth.revoke_token(store, next(t.id for t in tokens if t.name == "gone"))
    before = await full_export(store)
    attempts = {
        "none": ({}, "UNAUTHENTICATED"),
        "reader": (bearer(reader), "FORBIDDEN"),
        "revoked": (bearer(revoked), "UNAUTHENTICATED"),
        "garbage": ({"authorization": "Bearer pg_123_nope"}, "UNAUTHENTICATED"),
    }
    for who, (headers, code) in attempts.items():
        body = await graphql(client, query, variables, headers=headers)
        assert error_codes(body) == [code], (who, body)
    assert await full_export(store) == before


async def test_upsert_is_idempotent_on_the_natural_key_and_audited(
    store: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(store, "editor", "ana"))
    variables = {"input": {"name": "Réseau Paix Sahel"}, "source": SOURCE}
    first = await graphql(client, UPSERT_ORG, variables, headers=editor)
    second = await graphql(client, UPSERT_ORG, variables, headers=editor)
    one, two = first["data"]["upsertOrganization"], second["data"]["upsertOrganization"]
    assert one["id"] == two["id"] == "org:reseau-paix-sahel"
    assert (one["version"], two["version"]) == (1, 2)
    admin = bearer(await token(store, "admin"))
    log = await graphql(
        client,
        '{ auditLog(target: "org:reseau-paix-sahel") '
        "{ edges { node { actor mutation before after source } } } }",
        headers=admin,
    )
    entries = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    assert [e["mutation"] for e in entries] == ["upsertOrganization"] * 2
    assert entries[0]["actor"] == "ana" and entries[-1]["before"] is None
    assert entries[0]["after"]["name"] == "Réseau Paix Sahel"
    assert entries[0]["source"] == SOURCE
    refused = await graphql(client, "{ auditLog { edges { node { id } } } }", headers=editor)
    assert error_codes(refused) == ["FORBIDDEN"]


INVALID: dict[str, tuple[str, dict[str, Any], str]] = {
    "no provenance": (UPSERT_ORG, {"input": {"name": "X"}}, "source"),
    "empty quote": (
        UPSERT_ORG,
        {"input": {"name": "X"}, "source": {**SOURCE, "quote": " "}},
        "source.quote",
    ),
    "bad date": (
        UPSERT_ORG,
        {"input": {"name": "X", "start": "2023-13"}, "note": "n"},
        "input.start",
    ),
    "end before start": (
        UPSERT_ORG,
        {"input": {"name": "X", "start": "2023-09", "end": "2023-01"}, "note": "n"},
        "input.end",
    ),
    "null byte": (UPSERT_ORG, {"input": {"name": "X\u0000"}, "note": "n"}, "input.name"),
    "huge name": (UPSERT_ORG, {"input": {"name": "x" * 5000}, "note": "n"}, "input.name"),
    "bad id": (UPSERT_ORG, {"input": {"id": "nope", "name": "X"}, "note": "n"}, "id"),
    "wrong prefix": (
        UPSERT_ORG,
        {"input": {"id": "place:x", "name": "X"}, "note": "n"},
        "input.id",
    ),
    "negative count": (
        'mutation($n: String) { upsertEvent(input: {name: "E", participants: -3}, note: $n) '
        "{ __typename ... on ValidationError { field } } }",
        {"n": "n"},
        "input.participants",
    ),
    "wrong endpoints": (
        'mutation { link(input: {type: WITHIN, from: "org:undp", to: "place:mali"}, '
        'note: "n") { __typename ... on ValidationError { field } } }',
        {},
        "type",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
async def test_invalid_input_names_the_field_and_changes_nothing(
    store: Store, client: httpx.AsyncClient, case: str
) -> None:
    query, variables, field = INVALID[case]
    editor = bearer(await token(store, "editor"))
    before = await full_export(store)
    body = await graphql(client, query, variables, headers=editor)
    result = next(iter(body["data"].values()))
    assert result["__typename"] == "ValidationError", body
    assert result["field"] == field
    assert await full_export(store) == before


async def test_cypher_looking_text_is_stored_verbatim(
    store: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(store, "editor"))
    hostile = "x'}) MATCH (n) DETACH DELETE n //\\\"; ' OR 1=1 —\u202e"
    body = await graphql(
        client,
        UPSERT_ORG,
        {"input": {"id": "org:hostile", "name": hostile}, "note": "n"},
        headers=editor,
    )
    assert body["data"]["upsertOrganization"]["name"] == hostile
    assert (await store.count_by_label())["Organization"] == 5  # type: ignore[index]


async def test_concurrent_upserts_of_one_natural_key_leave_one_node(
    store: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(store, "editor"))
    variables = {"input": {"name": "Coalition Nationale"}, "source": SOURCE}
    results = await asyncio.gather(
        *(graphql(client, UPSERT_ORG, variables, headers=editor) for _ in range(20))
    )
    versions = sorted(r["data"]["upsertOrganization"]["version"] for r in results)
    assert versions == list(range(1, 21))
    found = await store.search("coalition nationale")
    assert [h.node.id for h in found.items] == ["org:coalition-nationale"]


async def test_stale_version_is_a_conflict(store: Store, client: httpx.AsyncClient) -> None:
    editor = bearer(await token(store, "editor"))
    edits = [
        {"input": {"id": "org:undp", "version": 1, "description": d}, "note": "n"}
        for d in ("first", "second")
    ]
    results = await asyncio.gather(*(graphql(client, UPSERT_ORG, v, headers=editor) for v in edits))
    kinds = sorted(r["data"]["upsertOrganization"]["__typename"] for r in results)
    assert kinds == ["ConflictError", "Organization"]
    node = (await store.get_nodes(["org:undp"]))["org:undp"]
    assert node.props["version"] == 2 and node.props["description"] in {"first", "second"}


async def test_merge_keeps_every_relationship_and_is_audited(
    store: Store, client: httpx.AsyncClient
) -> None:
    admin = bearer(await token(store, "admin"))
    keep_before = await store.count_neighbours("org:wanep")
    drop_before = await store.count_neighbours("org:undp")
    body = await graphql(
        client,
        'mutation { mergeEntities(keep: "org:wanep", drop: "org:undp", source: '
        '{document: "d", section: "s", quote: "q"}) '
        "{ __typename ... on Organization { aliases } } }",
        headers=admin,
    )
    assert "PNUD" in body["data"]["mergeEntities"]["aliases"]
    assert await store.count_neighbours("org:wanep") == keep_before + drop_before
    assert await store.get_nodes(["org:undp"]) == {}
    log = await store.list_records("audit", ref="org:wanep")
    assert [r.body["mutation"] for r in log.items] == ["mergeEntities"]


async def test_soft_delete_is_restorable(store: Store, client: httpx.AsyncClient) -> None:
    editor = bearer(await token(store, "editor"))
    before = await store.count_neighbours("org:wanep-mali")
    deleted = await graphql(
        client,
        'mutation { deleteNode(id: "org:wanep-mali", note: "dup") { __typename } }',
        headers=editor,
    )
    assert deleted["data"]["deleteNode"]["__typename"] == "Deleted"
    assert await store.get_nodes(["org:wanep-mali"]) == {}
    restored = await graphql(
        client,
        'mutation { restoreNode(id: "org:wanep-mali", note: "back") { __typename } }',
        headers=editor,
    )
    assert restored["data"]["restoreNode"]["__typename"] == "Organization"
    assert await store.count_neighbours("org:wanep-mali") == before


async def test_merging_two_seed_organisations_keeps_every_relationship(
    seeded_copy: Store,
) -> None:
    keep, drop = "org:drc", "org:drc-dhcp"
    keep_links = {
        n.relationship.key for n in await seeded_copy.all_links(keep) if n.node.id != drop
    }
    drop_links = await seeded_copy.all_links(drop)
    expected = keep_links | {
        (
            keep if r.source == drop else r.source,
            r.type.value,
            keep if r.target == drop else r.target,
        )
        for r in (n.relationship for n in drop_links)
    }
    expected.discard((keep, "PART_OF", keep))
    total_before = sum((await seeded_copy.count_by_type()).values())
    admin = bearer(await token(seeded_copy, "admin", "lead"))
    async with client_for(seeded_copy) as client:
        body = await graphql(
            client,
            f'mutation {{ mergeEntities(keep: "{keep}", drop: "{drop}", note: "one office") '
            "{ __typename ... on Organization { aliases } } }",
            headers=admin,
        )
    assert body["data"]["mergeEntities"]["__typename"] == "Organization"
    after = {n.relationship.key for n in await seeded_copy.all_links(keep)}
    assert after == expected
    moved_in = len(after - keep_links)  # drop's links now on keep (twins merged, self-loop gone)
    assert sum((await seeded_copy.count_by_type()).values()) == (
        total_before - len(drop_links) + moved_in
    )
    entries = await seeded_copy.list_records("audit", ref=keep)
    assert [e.body["mutation"] for e in entries.items] == ["mergeEntities"]
    assert entries.items[0].actor == "lead"
