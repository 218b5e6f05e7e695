"""The write path through GraphQL: importBatch never overwrites by accident, MERGE is
audited with before and after images, revert undoes it exactly, and every entrance
refuses bad dates (issue 22)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from peacegraph.exchange.canonical import dumps
from peacegraph.exchange.dump import export_document
from peacegraph.graph.store import Store
from tests.schema.test_mutations import bearer, full_export, token
from tests.support.bad_dates import BAD_DATES, BAD_STARTS, BadDate
from tests.support.http import client_for, error_codes, graphql

OVERWRITE = """
mutation($mode: ImportMode!) {
  importBatch(nodes: [{id: "org:cordaid", label: "Organization", name: "Overwritten",
                       props: {}, sources: []}],
              relationships: [], note: "x", mode: $mode) {
    __typename
    ... on ImportSummary { nodes relationships }
    ... on ConflictError { message }
    ... on ValidationError { message field }
  }
}
"""
#: The mutation of the issue, as it was sent.
AS_GIVEN = """
mutation { importBatch(nodes: [{id: "org:cordaid", label: "Organization", name: "Overwritten",
                                props: {}, sources: []}],
                       relationships: [], note: "x")
           { __typename ... on ConflictError { message } } }
"""
REVERT = """
mutation($id: ID!) {
  revert(auditId: $id, note: "undo") {
    __typename
    ... on Reverted { auditId targets }
    ... on ConflictError { message }
  }
}
"""
CORDAID = '{ organization(id: "org:cordaid") { name version aliases } }'
LAST_CHANGE = (
    '{ auditLog(target: "org:cordaid", first: 1) '
    "{ edges { node { id mutation target actor before after } } } }"
)


def graph_only(document: dict[str, Any]) -> str:
    """The export without its audit trail (which a revert adds to, by design)."""
    return dumps({k: v for k, v in document.items() if k != "audit"})


@pytest.fixture
async def client(seeded_copy: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(seeded_copy) as http:
        yield http


async def test_an_import_of_an_existing_id_is_refused_and_changes_nothing(
    seeded_copy: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(seeded_copy, "editor", "ana"))
    before = await full_export(seeded_copy)
    body = await graphql(client, AS_GIVEN, headers=editor)
    result = body["data"]["importBatch"]
    assert result["__typename"] == "ConflictError", body
    assert "org:cordaid" in result["message"]
    assert await full_export(seeded_copy) == before


async def test_merge_is_applied_versioned_audited_and_revert_restores_the_export(
    seeded_copy: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(seeded_copy, "editor", "ana"))
    admin = bearer(await token(seeded_copy, "admin", "root"))
    before = await export_document(seeded_copy)
    old = (await graphql(client, CORDAID))["data"]["organization"]

    merged = await graphql(client, OVERWRITE, {"mode": "MERGE"}, headers=editor)
    assert merged["data"]["importBatch"] == {
        "__typename": "ImportSummary",
        "nodes": 1,
        "relationships": 0,
    }
    new = (await graphql(client, CORDAID))["data"]["organization"]
    assert new["name"] == "Overwritten" and new["version"] == old["version"] + 1
    assert set(old["aliases"]) | {"Cordaid"} <= set(new["aliases"])  # nothing lost

    log = await graphql(client, LAST_CHANGE, headers=admin)
    [entry] = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    assert (entry["mutation"], entry["target"], entry["actor"]) == (
        "importBatch",
        "org:cordaid",
        "ana",
    )
    assert [n["name"] for n in entry["before"]["nodes"]] == [old_name(before)]
    assert [n["name"] for n in entry["after"]["nodes"]] == ["Overwritten"]

    reverted = await graphql(client, REVERT, {"id": entry["id"]}, headers=admin)
    assert reverted["data"]["revert"]["__typename"] == "Reverted", reverted
    assert graph_only(await export_document(seeded_copy)) == graph_only(before)
    again = await graphql(client, REVERT, {"id": entry["id"]}, headers=admin)
    assert again["data"]["revert"]["__typename"] == "ConflictError"


def old_name(document: dict[str, Any]) -> str:
    return str(next(n["name"] for n in document["nodes"] if n["id"] == "org:cordaid"))


async def test_revert_refuses_when_the_node_changed_since(
    seeded_copy: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(seeded_copy, "editor", "ana"))
    admin = bearer(await token(seeded_copy, "admin", "root"))
    await graphql(client, OVERWRITE, {"mode": "MERGE"}, headers=editor)
    log = await graphql(client, LAST_CHANGE, headers=admin)
    audit_id = log["data"]["auditLog"]["edges"][0]["node"]["id"]
    later = 'mutation { addAlias(id: "org:cordaid", alias: "Later", note: "n") { __typename } }'
    await graphql(client, later, headers=editor)
    after_edit = await full_export(seeded_copy)
    body = await graphql(client, REVERT, {"id": audit_id}, headers=admin)
    result = body["data"]["revert"]
    assert result["__typename"] == "ConflictError"
    assert "org:cordaid changed since" in result["message"] and "version" in result["message"]
    assert await full_export(seeded_copy) == after_edit
    refused = await graphql(client, REVERT, {"id": audit_id}, headers=editor)
    assert error_codes(refused) == ["FORBIDDEN"]


async def test_a_stale_version_in_an_import_is_refused_and_replace_is_for_admins(
    seeded_copy: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(seeded_copy, "editor", "ana"))
    admin = bearer(await token(seeded_copy, "admin", "root"))
    await graphql(client, OVERWRITE, {"mode": "MERGE"}, headers=editor)  # version 2
    stale = OVERWRITE.replace("props: {}", "props: {version: 1}")
    before = await full_export(seeded_copy)
    body = await graphql(client, stale, {"mode": "MERGE"}, headers=editor)
    assert body["data"]["importBatch"]["__typename"] == "ConflictError"
    assert "version 2, not 1" in body["data"]["importBatch"]["message"]
    assert error_codes(await graphql(client, OVERWRITE, {"mode": "REPLACE"}, headers=editor)) == [
        "FORBIDDEN"
    ]
    assert await full_export(seeded_copy) == before
    replaced = await graphql(client, stale, {"mode": "REPLACE"}, headers=admin)
    assert replaced["data"]["importBatch"]["__typename"] == "ConflictError"
    await graphql(client, OVERWRITE, {"mode": "REPLACE"}, headers=admin)
    new = (await graphql(client, CORDAID))["data"]["organization"]
    assert (new["name"], new["version"], new["aliases"]) == ("Overwritten", 3, [])


# -- bad dates at every GraphQL entrance, from one table ----------------------------------


def _upsert(bad: BadDate) -> tuple[str, dict[str, Any]]:
    query = (
        "mutation($s: String) { upsertOrganization(input: "
        '{id: "org:cordaid", start: $s}, note: "n") '
        "{ __typename ... on ValidationError { field } } }"
    )
    return query, {"s": bad.value}


def _link(bad: BadDate) -> tuple[str, dict[str, Any]]:
    query = (
        'mutation($s: String) { link(input: {type: PARTNER_OF, from: "org:cordaid", '
        'to: "org:wanep-mali", start: $s}, note: "n") '
        "{ __typename ... on ValidationError { field } } }"
    )
    return query, {"s": bad.value}


def _import(bad: BadDate) -> tuple[str, dict[str, Any]]:
    query = (
        'mutation($n: [JSON!]!) { importBatch(nodes: $n, relationships: [], note: "n", '
        "mode: MERGE) { __typename ... on ValidationError { field } } }"
    )
    node = {
        "id": "org:cordaid",
        "label": "Organization",
        "name": "Cordaid",
        "props": bad.props(),
        "sources": [],
    }
    return query, {"n": [json.loads(json.dumps(node))]}


async def _refused(
    store: Store, client: httpx.AsyncClient, request: tuple[str, dict[str, Any]]
) -> str:
    editor = bearer(await token(store, "editor"))
    before = await full_export(store)
    body = await graphql(client, *request, headers=editor)
    [result] = body["data"].values()
    assert result["__typename"] == "ValidationError", body
    assert await full_export(store) == before
    return str(result["field"])


@pytest.mark.parametrize("bad", BAD_STARTS, ids=str)
async def test_upsert_refuses_a_bad_date(
    seeded_copy: Store, client: httpx.AsyncClient, bad: BadDate
) -> None:
    assert await _refused(seeded_copy, client, _upsert(bad)) == "input.start"


@pytest.mark.parametrize("bad", BAD_STARTS, ids=str)
async def test_link_refuses_a_bad_date(
    seeded_copy: Store, client: httpx.AsyncClient, bad: BadDate
) -> None:
    assert await _refused(seeded_copy, client, _link(bad)) == "input.start"


@pytest.mark.parametrize("bad", BAD_DATES, ids=str)
async def test_import_batch_refuses_a_bad_date_or_precision(
    seeded_copy: Store, client: httpx.AsyncClient, bad: BadDate
) -> None:
    assert await _refused(seeded_copy, client, _import(bad)) == f"nodes[0].{bad.prop}"


async def test_revert_of_a_delete_brings_the_node_and_its_relationships_back(
    seeded_copy: Store, client: httpx.AsyncClient
) -> None:
    editor = bearer(await token(seeded_copy, "editor", "ana"))
    admin = bearer(await token(seeded_copy, "admin", "root"))
    before = graph_only(await export_document(seeded_copy))
    deleted = 'mutation { deleteNode(id: "org:cordaid", note: "n") { __typename } }'
    assert (await graphql(client, deleted, headers=editor))["data"]["deleteNode"] == {
        "__typename": "Deleted"
    }
    log = await graphql(client, LAST_CHANGE, headers=admin)
    audit_id = log["data"]["auditLog"]["edges"][0]["node"]["id"]
    body = await graphql(client, REVERT, {"id": audit_id}, headers=admin)
    assert body["data"]["revert"]["__typename"] == "Reverted", body
    assert graph_only(await export_document(seeded_copy)) == before
    restore = 'mutation { restoreNode(id: "org:cordaid", note: "n") { __typename } }'
    restored = await graphql(client, restore, headers=editor)
    assert restored["data"]["restoreNode"]["__typename"] == "NotFoundError"
