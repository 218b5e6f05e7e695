"""The Starlette application: routes, lifespan (opens and closes the store), guards."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from peacegraph.app.explore import explore_routes
from peacegraph.app.graphql_view import GraphQLView
from peacegraph.app.guards import RequestGuard
from peacegraph.app.settings import Settings
from peacegraph.app.stores import describe, open_store
from peacegraph.graph.errors import PeaceGraphError, StoreUnavailable
from peacegraph.graph.store import Store
from peacegraph.schema.build import build_schema
from peacegraph.seed.loader import seed_if_empty

log = logging.getLogger(__name__)


class StoreHolder:
    """The store of the running app, opened in the lifespan."""

    def __init__(self) -> None:
        self._store: Store | None = None

    def set(self, store: Store | None) -> None:
        self._store = store

    def get(self) -> Store:
        if self._store is None:
            raise StoreUnavailable("the store is not open")
        return self._store


async def prepare_store(store: Store, settings: Settings) -> None:
    """Migrate, then seed an empty store when auto-seeding is on."""
    applied = await store.migrate()
    for migration in applied:
        log.info("applied migration %s", migration)
    if settings.auto_seed:
        result = await seed_if_empty(store)
        if result is not None:
            log.info(
                "loaded the seed: %d nodes, %d relationships", result.nodes, result.relationships
            )


def create_app(settings: Settings, *, store: Store | None = None) -> Starlette:
    """The app; with `store` given it uses that one and leaves closing it to the caller."""
    holder = StoreHolder()
    holder.set(store)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if store is not None:
            yield
            return
        opened = await open_store(settings)
        try:
            await prepare_store(opened, settings)
            holder.set(opened)
            log.info("serving the %s", describe(settings))
            yield
        finally:
            holder.set(None)
            await opened.close()

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        try:
            async with asyncio.timeout(min(settings.limits.timeout_seconds, 5.0)):
                await holder.get().ping()
        except TimeoutError:
            return JSONResponse({"status": "unavailable", "reason": "store ping timed out"}, 503)
        except PeaceGraphError as error:
            return JSONResponse({"status": "unavailable", "reason": str(error)}, 503)
        return JSONResponse({"status": "ready", "store": holder.get().backend})

    async def home(_: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    schema = build_schema(settings.limits, introspection=settings.introspection)
    graphql: Any = GraphQLView(
        schema,
        store_getter=holder.get,
        limits=settings.limits,
        graphiql=settings.graphiql,
        reads_require_token=settings.reads_require_token,
    )
    guarded = RequestGuard(
        graphql,
        max_body_bytes=settings.limits.max_body_bytes,
        timeout_seconds=settings.limits.timeout_seconds,
    )
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type"],
            )
        )
    app = Starlette(
        routes=[
            Route("/", home),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", guarded, methods=["GET", "POST"]),
            *explore_routes(),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.store_holder = holder
    return app
