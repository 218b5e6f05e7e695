"""Calling the real ASGI app over HTTP in-process."""

from __future__ import annotations

from typing import Any

import httpx

from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits


def client_for(
    store: Store | Any, settings: Settings | None = None, **limits: Any
) -> httpx.AsyncClient:
    settings = settings or Settings(limits=Limits(**limits))
    app = create_app(settings, store=store)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
    )
    body: dict[str, Any] = response.json()
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code", "") for e in body.get("errors") or []]
