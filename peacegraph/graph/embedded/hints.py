"""Where a hub's first links ended last time: a hint that spares the next page its sample.

A hub's first page (`LinkReader._hub_page`) is cut below a neighbour id found by
sampling the hub's links, a read of its own on every page. Frontends ask for the
same hubs again and again, and the id of the last link the page kept is a bound
that holds the page exactly while the hub's links are as they were. The hint needs
no invalidation: it is used the way a sampled bound is, and the page is cut from
the links below it only when at least a page of them is there, which makes the
answer exactly the sorted one whatever has changed since. When links below it were
deleted the page is sampled again; when many were added, the page is still right
and the hint is dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

#: How many hubs' bounds are kept, least recently used dropped first.
MAX_HINTS = 1024


class BoundHints:
    """The bound each recently paged hub's first page fell below, by a key naming the
    hub and everything that shapes its page (labels, types, direction, page size)."""

    def __init__(self, capacity: int = MAX_HINTS) -> None:
        self._capacity = capacity
        self._bounds: OrderedDict[Hashable, str] = OrderedDict()

    def get(self, key: Hashable) -> str | None:
        bound = self._bounds.get(key)
        if bound is not None:
            self._bounds.move_to_end(key)
        return bound

    def keep(self, key: Hashable, bound: str) -> None:
        self._bounds[key] = bound
        self._bounds.move_to_end(key)
        while len(self._bounds) > self._capacity:
            self._bounds.popitem(last=False)

    def drop(self, key: Hashable) -> None:
        self._bounds.pop(key, None)
