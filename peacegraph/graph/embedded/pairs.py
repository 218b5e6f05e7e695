"""Which kinds of relationship a store holds, so that link reads skip the others.

The model declares 40 (type, source label, target label) pairs, and a link read
names every pair its shape allows: an event's links to events read the PART_OF
table of events, in each direction, whether or not it holds anything. LadybugDB
still scans the anchors for each such part, even when it finds no row. Real graphs
leave many declared pairs unused (the seed report uses 31 of the 40), so reads are
built from the pairs stored.

The set may hold more than the store does, never less: a pair is found by reading
one relationship of it, and a write notes its pairs before it runs (so a read that
follows sees them, even if the write then fails and adds nothing). Deletes keep
their pairs: a pair emptied since costs a part that finds nothing, as before. A
migration writes with statements of its own, so the store searches again after one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from peacegraph.graph.embedded import link_queries as lq

#: Runs a read statement and returns its rows (`Connections.read`).
Read = Callable[[str], Awaitable[list[dict[str, Any]]]]


class StoredPairs:
    """The pairs a store holds: found once, on the first link read after the store
    opens (one statement per declared pair, side by side), then kept up to date by
    the writes that add relationships (`note`)."""

    def __init__(self) -> None:
        self._found: frozenset[lq.Pair] | None = None
        self._finding = asyncio.Lock()
        #: Pairs noted by writes since the store opened, kept even once found:
        #: a write may land while they are being found.
        self._noted: set[lq.Pair] = set()
        self._known: frozenset[lq.Pair] | None = None

    def note(self, pair: lq.Pair) -> None:
        """A write is about to store a relationship of `pair`."""
        if pair not in self._noted:
            self._noted.add(pair)
            self._known = None

    async def get(self, read: Read) -> frozenset[lq.Pair]:
        """The pairs held, found with `read` the first time (concurrent callers wait
        for that search; if it fails, the next caller searches again)."""
        if self._known is None:
            async with self._finding:
                if self._found is None:
                    self._found = await _find(read)
            self._known = self._found | self._noted
        return self._known


async def _find(read: Read) -> frozenset[lq.Pair]:
    pairs = sorted(lq.DECLARED_PAIRS)
    found = await asyncio.gather(*(read(lq.pair_exists(pair)) for pair in pairs))
    return frozenset(pair for pair, rows in zip(pairs, found, strict=True) if rows)
