"""HTTP caching of reads sent over GET: ETags and 304 Not Modified.

A read's ETag is a digest of the graph's change stamp (graph/bookkeeping.py: a
value every committed write sets anew, in its own transaction, from any process)
and of what decides the answer: the query text or its persisted hash, the
variables, the operation name and the caller's Authorization header. The stamp is
read before the query runs, so an answer is never labelled newer than it is; a
write that lands meanwhile only makes the next request miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from peacegraph.graph.bookkeeping import CHANGE_KEY, CHANGE_KIND
from peacegraph.graph.store import Store

#: GET parameters that decide a read's answer (Strawberry's names for them).
_PARAMETERS = ("query", "variables", "operationName", "extensions")


class NotModified(Exception):
    """The client's copy is current: answer 304 with these headers."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__("not modified")
        self.headers = dict(headers)


def is_cacheable_read(method: str, params: Mapping[str, str]) -> bool:
    """A GET that carries an operation (not the GraphiQL page)."""
    return method == "GET" and any(name in params for name in ("query", "extensions"))


async def change_stamp(store: Store) -> str:
    """The graph's current change stamp ("" for a graph never written)."""
    record = (await store.get_records(CHANGE_KIND, [CHANGE_KEY])).get(CHANGE_KEY)
    return str(record.body.get("stamp", "")) if record is not None else ""


def etag(stamp: str, params: Mapping[str, str], authorization: str) -> str:
    """A weak ETag (the body may be sent gzipped or not) for this read of this graph."""
    digest = hashlib.sha256(stamp.encode())
    for name in _PARAMETERS:
        digest.update(b"\0" + params.get(name, "").encode())
    digest.update(b"\0" + authorization.encode())
    return f'W/"{digest.hexdigest()[:32]}"'


def matches(if_none_match: str, tag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weak comparison)."""
    wanted = tag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def cache_headers(tag: str, cache_control: str) -> dict[str, str]:
    """Headers of a cacheable answer and of its 304."""
    return {"ETag": tag, "Cache-Control": cache_control, "Vary": "Authorization"}
