"""The /graphql endpoint: Strawberry's ASGI view with our per-request context.

Everything a client can get back from here is JSON with a stable `extensions.code`:
Strawberry's own refusals (bad JSON, wrong method, batching) are turned from plain
text into coded errors, and a store that is away answers 503 STORE_UNAVAILABLE before
any work is done.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
from collections.abc import Callable
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from peacegraph.app.auth import caller_for
from peacegraph.app.explore import DIST_DIR
from peacegraph.graph.errors import StoreUnavailable
from peacegraph.graph.store import Store
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


class Refused(HTTPException):
    """A request refused before execution, with the stable code the client gets."""

    def __init__(self, status_code: int, code: str, reason: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status)


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


class GraphQLView(GraphQL[Context, None]):
    """Builds a fresh Context (store, DataLoaders, limits, request id) per request."""

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
    ) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None)
        self._store_getter = store_getter
        self._limits = limits
        self._reads_require_token = reads_require_token
        self._batching = batching
        self._on_store_error = on_store_error
        self._graphiql_csp = graphiql_csp(self.graphql_ide_html) if graphiql else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As Strawberry's, but refusals are coded JSON rather than plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            if is_plain_json_post(request):
                response = await self.run_json_post(request)
            else:
                response = await self.run(request)
        except HTTPException as refusal:
            code = getattr(refusal, "code", None) or _STATUS_CODES.get(
                refusal.status_code, "BAD_REQUEST"
            )
            response = error_response(refusal.status_code, code, refusal.reason)
        await response(scope, receive, send)

    async def run_json_post(self, request: Request) -> Response:
        """A POSTed JSON operation, the request nearly every client sends, the short way.

        Strawberry's `run` serves every transport (GET, multipart uploads, streamed
        subscriptions, batches, the IDE) and, for this one, parses the Content-Type
        with the email package, looks for a streaming transport, builds a
        sub-response and copies it into the answer: about a tenth of a lookup's time
        under load. This is the same sequence for the plain case, with the same
        hooks (`get_context`, `parse_json`, `process_result`, `encode_json`) and the
        same refusals; a batch goes back to `run`, which reads the body it cached.
        """
        context = await self.get_context(request, None)
        data = self.parse_json(await request.body())
        if not isinstance(data, dict):
            return await self.run(request, context=context)
        query, variables, extensions = (data.get(k) for k in ("query", "variables", "extensions"))
        if not isinstance(query, (str, type(None))):
            raise HTTPException(
                400, "The GraphQL operation's `query` must be a string or null, if provided."
            )
        if not isinstance(variables, (dict, type(None))):
            raise HTTPException(
                400, "The GraphQL operation's `variables` must be an object or null, if provided."
            )
        if not isinstance(extensions, (dict, type(None))):
            raise HTTPException(
                400, "The GraphQL operation's `extensions` must be an object or null, if provided."
            )
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=data.get("operationName"),
                allowed_operation_types=_POST_OPERATIONS,
                operation_extensions=extensions,
            )
        except CannotGetOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason()) from error
        except InvalidOperationTypeError as error:
            raise HTTPException(400, error.as_http_error_reason("POST")) from error
        except MissingQueryError as error:
            raise HTTPException(400, "No GraphQL query found in the request") from error
        answer = await self.process_result(request, result)
        return Response(self.encode_json(answer), 200, media_type="application/json")

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
        if self._reads_require_token and caller.role not in ROLES:
            raise HTTPException(401, "a valid bearer token is needed (Authorization: Bearer ...)")
        return Context(
            store=store, limits=self._limits, request_id=request_id_of(request), caller=caller
        )

    def parse_json(self, data: str | bytes) -> Any:
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
        return await super().process_result(request, result)


#: Request ids are this process's random prefix and a count: unique in the logs
#: without a system call per request (reading the kernel's random source showed
#: in the profile of every lookup under load).
_PROCESS_PREFIX = secrets.token_hex(3)
_REQUEST_NUMBERS = itertools.count(1)


def _new_request_id() -> str:
    return f"{_PROCESS_PREFIX}-{next(_REQUEST_NUMBERS):x}"


_POST_OPERATIONS = OperationType.from_http("POST")


def is_plain_json_post(request: Request) -> bool:
    """A POST with a JSON body that asks for a single JSON answer: not a form or
    multipart upload, not a streamed (multipart/mixed, event-stream) subscription."""
    if request.method != "POST":
        return False
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    accept = request.headers.get("accept", "")
    return (
        media_type == "application/json"
        and "multipart" not in accept
        and "event-stream" not in accept
    )


def request_id_of(request: Request | WebSocket) -> str:
    """The caller's X-Request-Id (bounded) or a new one, kept on the request."""
    known = getattr(request.state, "request_id", None)
    if isinstance(known, str):
        return known
    given = request.headers.get("x-request-id", "")
    request_id = given[:64] if given.isprintable() and given else _new_request_id()
    request.state.request_id = request_id
    return request_id
