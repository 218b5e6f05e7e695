"""The /graphql endpoint: Strawberry's ASGI view with our per-request context.

Everything a client can get back from here is JSON with a stable `extensions.code`:
Strawberry's own refusals (bad JSON, wrong method, batching) are turned from plain
text into coded errors by `CodedRefusals`, which `coded` wraps around the view, and
a store that is away answers 503 STORE_UNAVAILABLE before any work is done.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from peacegraph.app import caching
from peacegraph.app.auth import caller_for
from peacegraph.app.explore import DIST_DIR
from peacegraph.app.guards import send_error
from peacegraph.app.persisted import PersistedQueries, PersistedQueryError
from peacegraph.app.subscriptions import GuardedTransportWS, SubscriptionGuard
from peacegraph.graph.errors import StoreUnavailable
from peacegraph.graph.store import Store
from peacegraph.resolvers.changes import ChangeFeed
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.limits import Limits
from peacegraph.resolvers.writes import ROLES
from peacegraph.schema.errors import STORE_UNAVAILABLE_MESSAGE, classify_all

StoreErrorHook = Callable[[StoreUnavailable], None]

#: Codes for Strawberry's own HTTP refusals, which carry only a status and a text.
_STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "REQUEST_TOO_LARGE",
    503: "STORE_UNAVAILABLE",
}

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


class Refused(Exception):
    """A request refused before execution, with the status and stable code the client
    gets. Raised from the view's hooks; `CodedRefusals` answers it."""

    def __init__(self, status_code: int, code: str, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.code = code
        self.reason = reason


def graphiql_csp(html: str) -> str:
    """A Content-Security-Policy for Strawberry's GraphiQL page.

    The page loads its bundles from unpkg and boots from one inline script; that
    script is allowed by its hash (computed from the page we serve), not by
    'unsafe-inline', so an injected script would still be refused. Styles stay
    'unsafe-inline' because GraphiQL sets style attributes at run time.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' https://unpkg.com {hashes}".strip(),
            "style-src 'self' 'unsafe-inline' https://unpkg.com",
            "img-src 'self' data:",
            "font-src 'self' data: https://unpkg.com",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


BUNDLED_GRAPHIQL = DIST_DIR / "graphiql.html"
#: Everything comes from this origin; styles may be inline because GraphiQL sets
#: style attributes at run time, and its CSS embeds fonts and icons as data: URLs.
BUNDLED_GRAPHIQL_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class TextWebSocketAdapter(ASGIWebSocketAdapter):
    """Sends each graphql-transport-ws message as a text frame, as the protocol
    requires (browser clients parse text), though `encode_json` gives bytes."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as gone:
            raise WebSocketDisconnected from gone


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our hooks: a fresh Context (store, DataLoaders,
    limits, request id) per request, JSON decoded and encoded with orjson, errors
    coded and masked, and GraphiQL served with a Content-Security-Policy. What the
    hooks refuse is raised as `Refused`; serve the view through `coded`."""

    websocket_adapter_class = TextWebSocketAdapter
    graphql_transport_ws_handler_class = GuardedTransportWS
    #: The guards of operations over the websocket (persisted queries, rate limit).
    subscription_guard: SubscriptionGuard | None = None

    def __init__(
        self,
        schema: Any,
        *,
        store_getter: Callable[[], Store],
        limits: Limits,
        graphiql: bool,
        reads_require_token: bool = False,
        batching: bool = False,
        on_store_error: StoreErrorHook | None = None,
        cache_control: str = "no-cache",
        persisted: PersistedQueries | None = None,
        feed: ChangeFeed | None = None,
        max_subscriptions_per_connection: int = 10,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=max_subscriptions_per_connection,
        )
        self._feed = feed
        self._store_getter = store_getter
        self._cache_control = cache_control
        self._persisted = persisted or PersistedQueries(capacity=0)
        self._limits = limits
        self._reads_require_token = reads_require_token
        self._batching = batching
        self._on_store_error = on_store_error
        self._graphiql_csp = graphiql_csp(self.graphql_ide_html) if graphiql else ""

    def _store_failed(self, error: StoreUnavailable) -> None:
        if self._on_store_error is not None:
            self._on_store_error(error)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket | None
    ) -> Context:
        try:
            store: Store = self._store_getter()
            caller = await caller_for(store, request.headers.get("authorization"))
        except StoreUnavailable as error:
            self._store_failed(error)
            raise Refused(503, error.code, STORE_UNAVAILABLE_MESSAGE) from None
        if isinstance(request, WebSocket):
            # Checked in `on_ws_connect`, where the connection's params are known.
            return Context(
                store=store,
                limits=self._limits,
                request_id=request_id_of(request),
                caller=caller,
                feed=self._feed,
            )
        if self._reads_require_token and caller.role not in ROLES:
            raise Refused(
                401, "UNAUTHENTICATED", "a valid bearer token is needed (Authorization: Bearer ...)"
            )
        if isinstance(request, Request) and isinstance(response, Response):
            response.headers["X-Request-Id"] = request_id_of(request)
            await self._conditional_read(store, request, response)
        return Context(
            store=store,
            limits=self._limits,
            request_id=request_id_of(request),
            caller=caller,
            feed=self._feed,
        )

    async def on_ws_connect(self, context: Context) -> None:
        """A websocket authenticates as reads do: by its Authorization header, or by
        `Authorization` in its connection_init payload (browsers cannot set headers)."""
        params = context.connection_params
        authorization = params.get("Authorization") if isinstance(params, dict) else None
        if isinstance(authorization, str):
            try:
                context.caller = await caller_for(context.store, authorization)
            except StoreUnavailable as error:
                self._store_failed(error)
                raise ConnectionRejectionError({"code": error.code}) from None
        if self._reads_require_token and context.caller.role not in ROLES:
            raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})

    async def _conditional_read(self, store: Store, request: Request, response: Response) -> None:
        """A read over GET gets an ETag (kept for `process_result`, which sends it
        with an answer without errors), or 304 when the client's copy is current."""
        params = request.query_params
        if not caching.is_cacheable_read(request.method, params):
            return
        try:
            stamp = await caching.change_stamp(store)
        except StoreUnavailable as error:
            self._store_failed(error)
            raise Refused(503, error.code, STORE_UNAVAILABLE_MESSAGE) from None
        tag = caching.etag(stamp, params, request.headers.get("authorization", ""))
        headers = caching.cache_headers(tag, self._cache_control)
        if caching.matches(request.headers.get("if-none-match", ""), tag):
            raise caching.NotModified({**headers, "X-Request-Id": request_id_of(request)})
        request.state.cache_headers = (response, headers)

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        """The operation(s) of the request, with the text of those sent by hash
        (automatic persisted queries; the allow-list, when configured). `request`
        is Strawberry's request adapter, whose class lives in a library of its own
        (cross-web) that this package does not depend on by name."""
        data = await super().parse_http_body(request)
        try:
            if isinstance(data, list):
                return [self._persisted.resolve(item) for item in data]
            return self._persisted.resolve(data)
        except PersistedQueryError as error:
            raise Refused(error.status_code, error.code, error.message) from None

    def should_render_graphql_ide(self, request: Any) -> bool:
        """GraphiQL for a browser's GET without an operation; a GET naming its
        operation by hash alone (a persisted query) is an operation."""
        has_extensions = request.query_params.get("extensions") is not None
        return not has_extensions and super().should_render_graphql_ide(request)

    def decode_json(self, data: str | bytes) -> object:
        """Decoded JSON, refused with a code when it is not something we can run.

        Bodies arrive as bytes (GET parameters as text): only a body may be a batch
        (a JSON array), and only when batching is configured, up to `max_batch`
        operations. JSON nested deeper than the decoder allows (orjson stops at
        1,024 levels) is a malformed request, not a server error.
        """
        try:
            value = orjson.loads(data)
        except (ValueError, RecursionError):
            raise Refused(400, "BAD_REQUEST", "the request body is not valid JSON") from None
        if not isinstance(data, bytes):
            return value
        if isinstance(value, list):
            if not self._batching:
                raise Refused(400, "BATCHING_DISABLED", "batched requests are not enabled")
            if len(value) > self._limits.max_batch:
                raise Refused(
                    400,
                    "TOO_MANY_OPERATIONS",
                    f"{len(value)} operations in one request; at most {self._limits.max_batch}",
                )
            if not all(isinstance(item, dict) for item in value):
                raise Refused(400, "BAD_REQUEST", "each operation of a batch must be an object")
        elif not isinstance(value, dict):
            raise Refused(400, "BAD_REQUEST", "the request body must be a JSON object")
        return value

    def encode_json(self, data: object) -> bytes:
        """Responses are encoded with orjson: several times faster than the standard
        library on the nested answers frontends ask for, and UTF-8 rather than
        escaped, so French names stay short."""
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL as bundled from npm by `npm run build` (works offline, strict CSP);
        Strawberry's CDN page only when the bundle has not been built."""
        if BUNDLED_GRAPHIQL.is_file():
            return FileResponse(
                BUNDLED_GRAPHIQL,
                media_type="text/html; charset=utf-8",
                headers={
                    "Content-Security-Policy": BUNDLED_GRAPHIQL_CSP,
                    "Cache-Control": "no-cache",
                },
            )
        return HTMLResponse(
            self.graphql_ide_html, headers={"Content-Security-Policy": self._graphiql_csp}
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """Every error gets its stable code here; unexpected ones are masked and logged."""
        if result.errors:
            for error in result.errors:
                if isinstance(error.original_error, StoreUnavailable):
                    self._store_failed(error.original_error)
                    break
            result.errors = classify_all(result.errors, request_id_of(request))
        else:
            cached = getattr(request.state, "cache_headers", None)
            if cached is not None:
                response, headers = cached
                response.headers.update(headers)
        return await super().process_result(request, result)


#: Request ids are this process's random prefix and a count: unique in the logs
#: without a system call per request (reading the kernel's random source showed
#: in the profile of every lookup under load).
_PROCESS_PREFIX = secrets.token_hex(3)
_REQUEST_NUMBERS = itertools.count(1)


def _new_request_id() -> str:
    return f"{_PROCESS_PREFIX}-{next(_REQUEST_NUMBERS):x}"


def request_id_of(request: Request | WebSocket) -> str:
    """The caller's X-Request-Id (bounded) or a new one, kept on the request."""
    known = getattr(request.state, "request_id", None)
    if isinstance(known, str):
        return known
    given = request.headers.get("x-request-id", "")
    request_id = given[:64] if given.isprintable() and given else _new_request_id()
    request.state.request_id = request_id
    return request_id


def _status_code(status: int) -> str:
    return _STATUS_CODES.get(status, "BAD_REQUEST")


def _is_plain_text_refusal(message: Message) -> bool:
    headers = dict(message.get("headers") or [])
    content_type = headers.get(b"content-type", b"")
    status: int = message["status"]
    return status >= 400 and content_type.startswith(b"text/plain")


class CodedRefusals:
    """Answers the view's refusals as JSON errors with a stable `extensions.code`.

    Strawberry answers a request it cannot run (bad JSON, a method or content type
    it does not take, an unknown operation name) with its reason as plain text and
    an HTTP status; the reason is kept as the message and the status gives the code.
    `Refused`, raised by the view's hooks, carries its own status and code.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal: Message | None = None
        reason = bytearray()
        started = False

        async def send_coded(message: Message) -> None:
            nonlocal refusal, started
            if message["type"] == "http.response.start":
                if _is_plain_text_refusal(message):
                    refusal = message
                    return
                started = True
            elif message["type"] == "http.response.body" and refusal is not None:
                reason.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    status = refusal["status"]
                    started = True
                    await send_error(send, status, _status_code(status), reason.decode())
                return
            await send(message)

        try:
            await self.app(scope, receive, send_coded)
        except Refused as refused:
            if started:
                raise
            await send_error(send, refused.status_code, refused.code, refused.reason)
        except caching.NotModified as current:
            headers = [(k.lower().encode(), v.encode()) for k, v in current.headers.items()]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})


def coded(view: GraphQLView) -> CodedRefusals:
    """The view as the app serves it: every refusal answered as coded JSON."""
    return CodedRefusals(view)
