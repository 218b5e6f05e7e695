"""One boundary where failures become GraphQL errors with a stable `extensions.code`.

Expected failures (PeaceGraphError subclasses) keep their message and get their
code; guardrail refusals get a code of their own; anything else is masked for the
client and logged with the request id, so internals never leak.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError

from peacegraph.graph.errors import PeaceGraphError, StoreUnavailable

log = logging.getLogger(__name__)

#: What a client is told when the store is away: the reason (which may name a data
#: directory or a host) goes to the log, not to whoever sent the query.
STORE_UNAVAILABLE_MESSAGE = "The store is unavailable; try again shortly."

#: Guardrail messages (from Strawberry's limiters and graphql-core) and their codes.
_RULE_CODES = (
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("nested too deeply", "QUERY_TOO_DEEP"),
    ("maximum number of aliases", "TOO_MANY_ALIASES"),
    ("tokens", "QUERY_TOO_LARGE"),
    ("aliases found", "TOO_MANY_ALIASES"),
    ("introspection", "INTROSPECTION_DISABLED"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
)


def _code_for_rule(message: str) -> str:
    for fragment, code in _RULE_CODES:
        if fragment.lower() in message.lower():
            return code
    return "GRAPHQL_VALIDATION_FAILED"


def classify(error: GraphQLError, request_id: str) -> GraphQLError:
    """The error the client sees: coded, and masked when unexpected."""
    original = error.original_error
    if isinstance(original, StoreUnavailable):
        log.warning("request %s: store unavailable: %s", request_id, original)
        return GraphQLError(
            STORE_UNAVAILABLE_MESSAGE,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": original.code, "requestId": request_id},
        )
    if isinstance(original, PeaceGraphError) and original.code != "INTERNAL":
        extensions: dict[str, object] = {"code": original.code}
        field = getattr(original, "field", None)
        if field:
            extensions["field"] = field
        return GraphQLError(
            str(original), nodes=error.nodes, path=error.path, extensions=extensions
        )
    if original is None:
        if error.extensions and "code" in error.extensions:
            return error
        return GraphQLError(
            error.message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": _code_for_rule(error.message)},
        )
    if isinstance(original, GraphQLError):
        return classify(original, request_id)
    log.error(
        "unexpected error in request %s at %s",
        request_id,
        error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return GraphQLError(
        f"Internal error (request {request_id}).",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL", "requestId": request_id},
    )


def classify_all(errors: list[GraphQLError], request_id: str) -> list[GraphQLError]:
    return [classify(error, request_id) for error in errors]
