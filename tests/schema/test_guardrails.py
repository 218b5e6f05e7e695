"""Guardrails: depth, aliases, page size, size, with stable error codes; masking."""

from __future__ import annotations

from peacegraph.graph.embedded.store import EmbeddedStore
from tests.support.http import client_for, error_codes, graphql


async def test_too_deep_is_refused(embedded: EmbeddedStore) -> None:
    nested = "id " + "neighbours { node { " * 12 + "id" + " } }" * 12
    async with client_for(embedded) as client:
        body = await graphql(client, '{ node(id: "org:x") { ' + nested + " } }")
    assert error_codes(body) == ["QUERY_TOO_DEEP"]
    assert body.get("data") is None


async def test_two_hundred_aliases_are_refused(embedded: EmbeddedStore) -> None:
    aliases = " ".join(f"a{i}: health" for i in range(200))
    async with client_for(embedded) as client:
        body = await graphql(client, "{ " + aliases + " }")
    assert "TOO_MANY_ALIASES" in error_codes(body) or "QUERY_TOO_LARGE" in error_codes(body)
    assert body.get("data") is None


async def test_huge_page_is_refused(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        body = await graphql(client, "{ organizations(first: 100000) { edges { node { id } } } }")
    assert error_codes(body) == ["PAGE_SIZE_EXCEEDED"]
    assert body["errors"][0]["extensions"]["field"] == "first"


async def test_too_many_tokens_is_refused(embedded: EmbeddedStore) -> None:
    query = "{ " + " ".join("health" for _ in range(3000)) + " }"
    async with client_for(embedded) as client:
        body = await graphql(client, query)
    assert error_codes(body) == ["QUERY_TOO_LARGE"]


async def test_bad_cursor_names_the_argument(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        body = await graphql(client, '{ people(after: "not-a-cursor") { edges { cursor } } }')
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "after" in body["errors"][0]["message"]


async def test_unexpected_errors_are_masked_with_a_request_id(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        await embedded.close()
        body = await graphql(client, '{ node(id: "org:cedeao") { id } }')
    codes = error_codes(body)
    assert codes == ["STORE_UNAVAILABLE"]
    assert "Traceback" not in str(body) and ".py" not in str(body)
