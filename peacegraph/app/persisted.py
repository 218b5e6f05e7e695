"""Persisted queries: a sha256 hash sent instead of the query text.

Automatic persisted queries work as Apollo Client sends them: an operation names its
text by `extensions.persistedQuery = {version: 1, sha256Hash}`, without the text;
an unknown hash is answered PERSISTED_QUERY_NOT_FOUND, and the client sends the
text with the hash once, which registers it (when the text has that hash) in a
bounded, least-recently-used table of this process.

In allow-list mode (`PEACEGRAPH_PERSISTED_QUERIES` names a JSON file of registered
operations) nothing is registered at run time: an operation runs only when its hash,
or the hash of the text it sends, is in the file; any other is refused with
OPERATION_NOT_REGISTERED.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import Any

from strawberry.http import GraphQLRequestData

from peacegraph.graph.errors import Invalid

_HASH = re.compile(r"[0-9a-f]{64}")

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_REGISTERED = "OPERATION_NOT_REGISTERED"


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run: its HTTP status, code and message.
    Apollo Client retries with the text on the message `PersistedQueryNotFound`."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load_allow_list(path: Path) -> dict[str, str]:
    """Hash → query text, from an Apollo persisted query manifest
    (`{"format": "apollo-persisted-query-manifest", "operations": [{"id", "body"}…]}`)
    or from a plain object of hash → text. Every hash must be the sha256 of its text."""
    where = f"PEACEGRAPH_PERSISTED_QUERIES={path}"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Invalid(f"{where}: cannot read it as JSON ({error})", field=where) from None
    pairs: list[tuple[Any, Any]]
    if isinstance(document, dict) and isinstance(document.get("operations"), list):
        operations = document["operations"]
        pairs = [(o.get("id"), o.get("body")) for o in operations if isinstance(o, dict)]
        if len(pairs) != len(operations):
            raise Invalid(f"{where}: each operation must be an object", field=where)
    elif isinstance(document, dict):
        pairs = list(document.items())
    else:
        raise Invalid(f"{where}: expected a manifest or an object of hash: query", field=where)
    allowed: dict[str, str] = {}
    for key, text in pairs:
        if not isinstance(key, str) or not isinstance(text, str) or sha256_hex(text) != key:
            raise Invalid(f"{where}: {key!r} is not the sha256 of its query text", field=where)
        allowed[key] = text
    return allowed


class PersistedQueries:
    """Fills in the text of operations sent by hash, registers new ones, and in
    allow-list mode refuses every operation the list does not hold."""

    def __init__(self, *, capacity: int, allow_list: dict[str, str] | None = None) -> None:
        self.capacity = capacity
        self.allow_list = allow_list
        self._known: OrderedDict[str, str] = OrderedDict()

    def resolve(self, data: GraphQLRequestData) -> GraphQLRequestData:
        """The operation with its text, or PersistedQueryError."""
        wanted = _persisted_hash(data.extensions)
        if self.allow_list is not None:
            return self._allowed(data, wanted)
        if wanted is None:
            return data
        if self.capacity == 0:
            raise PersistedQueryError(200, NOT_SUPPORTED, "PersistedQueryNotSupported")
        if data.query is None:
            text = self._known.get(wanted)
            if text is None:
                raise PersistedQueryError(200, NOT_FOUND, "PersistedQueryNotFound")
            self._known.move_to_end(wanted)
            return replace(data, query=text)
        _check_hash(data.query, wanted)
        self._known[wanted] = data.query
        self._known.move_to_end(wanted)
        while len(self._known) > self.capacity:
            self._known.popitem(last=False)
        return data

    def _allowed(self, data: GraphQLRequestData, wanted: str | None) -> GraphQLRequestData:
        assert self.allow_list is not None
        if data.query is not None:
            if wanted is not None:
                _check_hash(data.query, wanted)
            if sha256_hex(data.query) in self.allow_list:
                return data
        elif wanted is not None and wanted in self.allow_list:
            return replace(data, query=self.allow_list[wanted])
        raise PersistedQueryError(
            400, NOT_REGISTERED, "only registered operations run on this server"
        )


def _persisted_hash(extensions: dict[str, Any] | None) -> str | None:
    """The sha256 an operation names in `extensions.persistedQuery`, if it names one."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError(
            400, "BAD_REQUEST", "extensions.persistedQuery: expected {version: 1, sha256Hash}"
        )
    wanted = persisted.get("sha256Hash")
    if not isinstance(wanted, str) or not _HASH.fullmatch(wanted):
        raise PersistedQueryError(
            400, "BAD_REQUEST", "extensions.persistedQuery.sha256Hash: expected 64 hex digits"
        )
    return wanted


def _check_hash(query: str, wanted: str) -> None:
    if sha256_hex(query) != wanted:
        raise PersistedQueryError(400, HASH_MISMATCH, "provided sha does not match query")
