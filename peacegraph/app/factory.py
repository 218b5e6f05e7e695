"""The Starlette application: routes, lifespan (opens and closes the store), guards."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route, WebSocketRoute

from peacegraph.app.admin_socket import AdminServer
from peacegraph.app.broker import RedisBroker
from peacegraph.app.cli_io import Console
from peacegraph.app.explore import explore_routes
from peacegraph.app.graphql_view import GraphQLView, coded
from peacegraph.app.guards import RateLimit, RequestGuard, SecurityHeaders
from peacegraph.app.persisted import PersistedQueries, load_allow_list
from peacegraph.app.settings import Settings
from peacegraph.app.stores import describe, open_store
from peacegraph.app.subscriptions import SubscriptionGuard
from peacegraph.graph.errors import PeaceGraphError, StoreUnavailable
from peacegraph.graph.store import Store
from peacegraph.resolvers.changes import ChangeFeed
from peacegraph.schema.build import build_schema
from peacegraph.seed.loader import seed_if_empty

log = logging.getLogger(__name__)

#: gzip level for answers to clients that accept it (`PEACEGRAPH_COMPRESS_MIN_BYTES`).
#: Network views are what frontends fetch on every click, often over slow links: a
#: 500-node view of the 100k/1M graph is 362 KB of JSON, and level 1 makes it 34 KB
#: in 1.0 ms, level 4 28 KB in 1.6 ms, level 6 24 KB in 2.8 ms, level 9 (Starlette's
#: default) 22 KB in 9.9 ms. Starlette compresses answers over 128 KiB in a worker
#: thread, smaller ones on the event loop.
COMPRESS_LEVEL = 4

#: Request headers browser code may send across origins: the bearer token, JSON
#: bodies, the caller's request id (echoed in logs), and the conditional GET of cached reads.
CORS_REQUEST_HEADERS = ("Authorization", "Content-Type", "X-Request-Id", "If-None-Match")
#: Response headers browser code may read: when to retry after a rate limit, the
#: request id to quote in a report, and the ETag of a cached read.
CORS_EXPOSED_HEADERS = ("Retry-After", "X-Request-Id", "ETag")


class StoreHolder:
    """The store of the running app, and its way back after a failure.

    When a request or a readiness probe sees the store fail (StoreUnavailable), the
    holder stops handing it out, so later requests fail fast with STORE_UNAVAILABLE
    instead of each waiting on a dead connection, and one background task retries
    with capped exponential backoff: ping the store, and when that fails and the
    holder owns the store (it has an `opener`), close it and open a fresh one.
    Service resumes by itself as soon as a retry succeeds. A store lent by the caller
    (tests, scripts) has no opener: errors pass through and nothing is retried.
    """

    def __init__(
        self,
        store: Store | None = None,
        *,
        opener: Callable[[], Awaitable[Store]] | None = None,
        first_retry: float = 0.2,
        max_retry: float = 5.0,
        ping_timeout: float = 5.0,
    ) -> None:
        self._store = store
        self._opener = opener
        self._first_retry = first_retry
        self._max_retry = max_retry
        self._ping_timeout = ping_timeout
        self._reason: str | None = None
        self._recovery: asyncio.Task[None] | None = None
        self.attempts = 0

    def get(self) -> Store:
        if self._reason is not None:
            raise StoreUnavailable(self._reason)
        if self._store is None:
            raise StoreUnavailable("the store is not open")
        return self._store

    @property
    def recovering(self) -> bool:
        return self._recovery is not None and not self._recovery.done()

    async def open(self) -> None:
        """Open the store once; StoreUnavailable when it cannot be opened now."""
        if self._opener is None:
            raise StoreUnavailable("no store to open")
        self._store = await self._opener()

    def report(self, error: StoreUnavailable) -> None:
        """A request saw the store fail: hold requests off it and start recovering."""
        if self._opener is None or self.recovering:
            return
        self._reason = str(error) or "the store is unavailable"
        log.warning("store unavailable, reconnecting in the background: %s", self._reason)
        self._recovery = asyncio.get_running_loop().create_task(self._recover())

    async def _recover(self) -> None:
        delay = self._first_retry
        while True:
            self.attempts += 1
            if await self._try_once():
                log.info("store available again after %d attempt(s)", self.attempts)
                self._reason = None
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_retry)

    async def _try_once(self) -> bool:
        store = self._store
        if store is not None:
            try:
                async with asyncio.timeout(self._ping_timeout):
                    await store.ping()
                return True
            except TimeoutError:
                # Slow is not gone: the store may be busy with the very requests that
                # are still running on it, so it is never closed under them for this.
                log.warning("store ping timed out (attempt %d)", self.attempts)
                return False
            except PeaceGraphError:
                self._store = None
                await _close_quietly(store)
        assert self._opener is not None
        try:
            self._store = await self._opener()
        except PeaceGraphError as error:
            self._reason = str(error)
            log.warning("store still unavailable (attempt %d): %s", self.attempts, error)
            return False
        except Exception:  # a background task must not die on an unforeseen error
            log.exception("store reopen failed (attempt %d)", self.attempts)
            return False
        return True

    async def close(self) -> None:
        """Stop recovering and close the store when the holder owns it."""
        if self._recovery is not None:
            self._recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._recovery
        store, self._store = self._store, None
        if store is not None and self._opener is not None:
            await store.close()


async def _close_quietly(store: Store) -> None:
    try:
        await store.close()
    except Exception:  # closing a broken store may fail too; it is being replaced
        log.warning("closing the failed store raised", exc_info=True)


_PATH = re.compile(r"(?<![\w:/])/(?:[\w.@%+-]+/)*[\w.@%+-]+")


def public_reason(reason: str) -> str:
    """A failure reason fit for a public probe: file system paths are left out."""
    return _PATH.sub("<path>", reason)


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


def persisted_queries(settings: Settings) -> PersistedQueries:
    """Automatic persisted queries, or the allow-list when a file is configured
    (read at start: a bad file stops the app with a message naming the setting)."""
    if settings.persisted_queries is None:
        return PersistedQueries(capacity=settings.apq_size)
    return PersistedQueries(capacity=0, allow_list=load_allow_list(settings.persisted_queries))


def admin_server(settings: Settings, holder: StoreHolder) -> AdminServer | None:
    """The admin socket of a service that holds the embedded store, for the CLI's
    commands while it serves (see `admin_socket`); on Neo4j the CLI needs none."""
    if settings.store != "embedded":
        return None
    from peacegraph.app import cli

    async def execute(argv: list[str], chosen: Console) -> int:
        return await cli.execute(argv, chosen, settings)

    return AdminServer(settings.data_dir, execute, holder.get, cli.package_version())


def create_app(settings: Settings, *, store: Store | None = None, owned: bool = False) -> Starlette:
    """The app. Without `store` it opens, prepares, reopens and closes its own; with one
    it uses it, and only reopens and closes it when `owned` (as `serve` does)."""

    async def open_prepared() -> Store:
        opened = await open_store(settings)
        try:
            await prepare_store(opened, settings)
        except BaseException:
            await _close_quietly(opened)
            raise
        return opened

    holder = StoreHolder(
        store,
        opener=open_prepared if store is None or owned else None,
        ping_timeout=min(settings.limits.timeout_seconds, 5.0),
    )

    feed = ChangeFeed(
        max_subscribers=settings.max_subscriptions, queue_size=settings.subscription_queue
    )
    broker = RedisBroker(feed, settings.redis_url) if settings.redis_url else None

    admin = admin_server(settings, holder) if store is None or owned else None

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if broker is not None:
            broker.start()
        if store is None:
            try:
                await holder.open()
                log.info("serving the %s", describe(settings))
            except StoreUnavailable as error:
                if not settings.start_not_ready:
                    raise
                log.warning("starting not ready (%s); retrying in the background", error)
                holder.report(error)
        if admin is not None:
            await admin.start()
        try:
            yield
        finally:
            if admin is not None:
                await admin.close()
            if broker is not None:
                await broker.close()
            await holder.close()

    async def healthz(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> JSONResponse:
        try:
            current = holder.get()
            async with asyncio.timeout(min(settings.limits.timeout_seconds, 5.0)):
                await current.ping()
                impaired = await current.degraded()
        except TimeoutError:
            return JSONResponse({"status": "unavailable", "reason": "store ping timed out"}, 503)
        except PeaceGraphError as error:
            if isinstance(error, StoreUnavailable):
                holder.report(error)
            reason = public_reason(str(error))
            return JSONResponse({"status": "unavailable", "reason": reason}, 503)
        if impaired is not None:
            degraded = {"status": "degraded", "store": current.backend}
            return JSONResponse({**degraded, "reason": public_reason(impaired)}, 503)
        if broker is not None and broker.degraded is not None:
            # 200: reads and writes are served; only events between processes wait
            # for Redis, which is no reason for a load balancer to drop this instance.
            feed_down = {"status": "degraded", "store": current.backend, "feed": "degraded"}
            return JSONResponse({**feed_down, "reason": public_reason(broker.degraded)})
        return JSONResponse({"status": "ready", "store": current.backend})

    async def home(_: Request) -> RedirectResponse:
        # The explorer is what a person opening the service wants; GraphiQL is one
        # click away in its header, and stays at /graphql.
        return RedirectResponse("/explore")

    schema = build_schema(
        settings.limits, introspection=settings.introspection, batching=settings.batching
    )
    persisted = persisted_queries(settings)
    graphql = GraphQLView(
        schema,
        store_getter=holder.get,
        limits=settings.limits,
        graphiql=settings.graphiql,
        reads_require_token=settings.reads_require_token,
        batching=settings.batching,
        on_store_error=holder.report,
        cache_control=settings.cache_control,
        persisted=persisted,
        feed=feed,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
    )
    guarded: Any = RequestGuard(
        coded(graphql),
        max_body_bytes=settings.limits.max_body_bytes,
        timeout_seconds=settings.limits.timeout_seconds,
    )
    rate_limit = None
    if settings.rate_limit_per_minute:
        guarded = rate_limit = RateLimit(guarded, per_minute=settings.rate_limit_per_minute)
    graphql.subscription_guard = SubscriptionGuard(persisted, rate_limit)
    middleware = [Middleware(SecurityHeaders)]
    if settings.compress_min_bytes:
        middleware.append(
            Middleware(
                GZipMiddleware,
                minimum_size=settings.compress_min_bytes,
                compresslevel=COMPRESS_LEVEL,
            )
        )
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=list(CORS_REQUEST_HEADERS),
                expose_headers=list(CORS_EXPOSED_HEADERS),
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", guarded, methods=["GET", "POST"]),  # first: the hot path
            WebSocketRoute("/graphql", graphql),  # subscriptions (graphql-transport-ws)
            Route("/", home),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *explore_routes(
                embed_frame_ancestors=settings.embed_frame_ancestors,
                map_tiles=settings.map_tiles,
            ),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.store_holder = holder
    app.state.change_feed = feed
    return app
