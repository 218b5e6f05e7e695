"""Guardrails: depth, aliases, page size, size, with stable error codes; masking."""

from __future__ import annotations

import base64

import pytest

from peacegraph.graph.embedded.store import EmbeddedStore
from tests.support.http import client_for, error_codes, graphql


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


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


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        _cursor("offset:²"),  # a digit to str.isdigit, not to int
        _cursor("offset:١٢"),  # Arabic-Indic digits: int reads them as 12
        _cursor("offset:" + "9" * 5_000),  # past int()'s digit limit
        _cursor("offset:" + "9" * 20),  # past a 64-bit SKIP
        _cursor("offset:-1"),
    ],
)
async def test_bad_cursor_names_the_argument(embedded: EmbeddedStore, cursor: str) -> None:
    query = "query($after: String) { people(after: $after) { edges { cursor } } }"
    async with client_for(embedded) as client:
        body = await graphql(client, query, {"after": cursor})
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "after" in body["errors"][0]["message"]


async def test_a_cursor_far_past_the_end_is_an_empty_page(seeded: EmbeddedStore) -> None:
    """Any cursor that decodes is a position; one far past the end (a crafted one)
    answers an empty page, for every paged list."""
    pages = {
        "people": "people(first: 5, after: $after) { edges { cursor } pageInfo { hasNextPage } }",
        "node": 'node(id: "org:wanep-mali") { links(first: 5, after: $after) { '
        "edges { cursor } pageInfo { hasNextPage } } }",
    }
    async with client_for(seeded) as client:
        for name, page in pages.items():
            for digits in (5, 15):
                query = f"query($after: String) {{ {page} }}"
                body = await graphql(client, query, {"after": _cursor("offset:" + "9" * digits)})
                found = body["data"][name]
                found = found["links"] if name == "node" else found
                assert found["edges"] == [] and found["pageInfo"]["hasNextPage"] is False, name


async def test_unexpected_errors_are_masked_with_a_request_id(embedded: EmbeddedStore) -> None:
    async with client_for(embedded) as client:
        await embedded.close()
        body = await graphql(client, '{ node(id: "org:cedeao") { id } }')
    codes = error_codes(body)
    assert codes == ["STORE_UNAVAILABLE"]
    assert "Traceback" not in str(body) and ".py" not in str(body)
