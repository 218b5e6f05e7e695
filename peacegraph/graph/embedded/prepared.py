"""Keep LadybugDB's prepared statements to a bounded number per connection.

LadybugDB's Python driver prepares every parametrised statement once per connection
and keeps it for the connection's life, in an unbounded dictionary; each one holds
buffer-pool memory until it is dropped (a grouped count over anchors: ~1.5 MiB).
Link statements name the relationship types and labels a query asks for in their
pattern (which LadybugDB plans about twice as fast as filtering), so every new
combination of filters is a new statement: on the seed, ~340 of them filled the
512 MiB buffer pool, and from then on every query failed with "the buffer pool is
full" until the service restarted. Anyone who can send queries could do that on
purpose, and people exploring filters would do it over days.

So after each statement, a connection that keeps more than `MAX_PREPARED` loses its
oldest half: a statement still in use is simply prepared again (about a
millisecond). The dictionary and its lock are the driver's own (ladybug 0.22); if a
later driver names them differently this does nothing, and
`tests/graph/embedded/test_prepared.py` fails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: Prepared statements a connection keeps before its oldest half is dropped.
MAX_PREPARED = 64


def trim(connections: Iterable[Any]) -> None:
    """Drop the oldest prepared statements of each connection that keeps too many.

    Never waits: a connection busy running a statement holds the driver's lock and
    is trimmed after a later statement instead (this runs on the event loop)."""
    for connection in connections:
        cache = getattr(connection, "_pybind_implicit_prepared_cache", None)
        lock = getattr(connection, "_prepared_cache_lock", None)
        if not isinstance(cache, dict) or lock is None or len(cache) <= MAX_PREPARED:
            continue
        if not lock.acquire(blocking=False):
            continue
        try:
            for key in list(cache)[: len(cache) - MAX_PREPARED // 2]:
                del cache[key]
        finally:
            lock.release()
