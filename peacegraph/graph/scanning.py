"""Reading every relationship of a store once, in bounded memory, for export.

Why not `Store.all_relationships`: its pages are ordered (`ORDER BY … SKIP/LIMIT`),
so each page sorts a whole relationship table, and on the embedded store that sort
lives in the buffer pool: exporting a million relationships took over 1 GiB and
failed outright with a 512 MiB pool (bench/RESULTS.md, issue 24). An export puts
records in canonical order by itself (`exchange/streaming.py`), so it needs only to
see each relationship once.

Here the store walks its nodes in id order (keyset paging: `id > last id seen`),
a window of nodes at a time, and reads their outgoing relationships. A window is
cut by the nodes' out-degrees, counted first, so that a batch holds about BATCH
relationships: a fixed number of nodes would put a hub and its neighbours' links in
one batch (135,000 rows, 2 GiB of RSS, in the synthetic 100k/1M graph). A node with
more links than BATCH is a batch of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

from peacegraph.graph.records import Relationship

#: Nodes whose out-degrees are counted at a time: the most a window can hold.
SOURCES = 5000
#: Relationships a batch aims at (a node with more is a batch of its own).
BATCH = 20_000
Row = dict[str, Any]
#: `degrees(after, sources)`: rows of `id` and `links` (its out-degree) for the
#: `sources` nodes with the smallest ids above `after`, in id order.
Degrees = Callable[[str, int], Awaitable[list[Row]]]
#: `links(after, last)`: the outgoing relationships of the nodes with ids in
#: (after, last], one row each.
Links = Callable[[str, str], Awaitable[list[Row]]]


async def relationship_batches(
    degrees: Degrees,
    links: Links,
    convert: Callable[[Row], Relationship],
    sources: int = SOURCES,
    batch: int = BATCH,
) -> AsyncIterator[list[Relationship]]:
    """Every relationship once, a batch of about `batch` at a time."""
    if sources < 1 or batch < 1:
        raise ValueError("sources and batch must be at least 1")
    after = ""
    while True:
        window = [(row["id"], row["links"]) for row in await degrees(after, sources)]
        if not window:
            return
        last, count = _cut(window, batch)
        if count:
            yield [convert(row) for row in await links(after, last)]
        if last == window[-1][0] and len(window) < sources:
            return
        after = last


def _cut(window: Sequence[tuple[str, int]], batch: int) -> tuple[str, int]:
    """The last id of the window's longest prefix (one node at least) whose degrees
    add up to no more than `batch`, and that sum."""
    last, count = window[0]
    for node_id, degree in window[1:]:
        if count + degree > batch:
            break
        last, count = node_id, count + degree
    return last, count
