"""Reading every relationship of a store once, in bounded memory, for export.

Why not `Store.all_relationships`: its pages are ordered (`ORDER BY … SKIP/LIMIT`),
so each page sorts a whole relationship table, and on the embedded store that sort
lives in the buffer pool: exporting a million relationships took over 1 GiB and
failed outright with a 512 MiB pool (bench/RESULTS.md, issue 24). An export puts
records in canonical order by itself (`exchange/streaming.py`), so it needs only to
see each relationship once. Here the store walks its nodes in id order, a window of
`sources` nodes at a time (keyset paging: `id > last id seen`, which the id index
answers without a sort of the graph), and returns each window's outgoing
relationships. A batch holds one window's links: a hub's whole fan-out at worst.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from peacegraph.graph.records import Relationship

#: Nodes per window. The synthetic 100k/1M graph has ten links a node on average,
#: so a window is about 20,000 relationships.
SOURCES = 2000
Row = dict[str, Any]


async def relationship_batches(
    read: Callable[[str, int], Awaitable[list[Row]]],
    convert: Callable[[Row], Relationship],
    sources: int = SOURCES,
) -> AsyncIterator[list[Relationship]]:
    """Every relationship once, window by window.

    `read(after, sources)` returns, for the `sources` nodes with the smallest ids
    above `after`, one row per outgoing relationship (`source`, `target`, `e`) and a
    row with `e` null for a node with none, so the window's last id is always seen."""
    if sources < 1:
        raise ValueError("sources must be at least 1")
    after = ""
    while True:
        rows = await read(after, sources)
        if not rows:
            return
        window = {row["source"] for row in rows}
        batch = [convert(row) for row in rows if row["e"] is not None]
        if batch:
            yield batch
        if len(window) < sources:
            return
        after = max(window)
