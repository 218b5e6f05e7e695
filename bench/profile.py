"""Where a network view's time goes, statement by statement: table (g) of RESULTS.md.

The network view is the operation whose cost must follow the answer (bar 3); a
profile in every run shows what it spends, at each size, without a hand-made
trace. The view's recorded Store calls are replayed on the embedded store under
`tracing.traced()`, after warm-up runs; of the traced runs, the median one (by
total time) is kept: each statement's start, duration and rows, and how much of the
run had no statement in flight (Python: expansion, building the answer).
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from peacegraph.graph.embedded import tracing

#: What a statement of the embedded store does, told by a piece of its text; the
#: first match wins (see `peacegraph.graph.embedded.queries`).
_KINDS = (
    ("count(*) AS degree", "link counts"),
    ("count(*) AS total", "link count of one anchor"),
    ("RETURN 1 AS found", "stored relationship pairs (once a store)"),
    ("% $step", "hub: sample of links"),
    ("<= $last", "hub: links below a bound (sampled, or the last page's)"),
    ("list_contains", "links among the chosen nodes"),
    ("SKIP $offset", "links: one page"),
    ("IN $offsets", "links of anchors"),
    ("SKIP $skip", "links: one page"),
    ("a.id AS anchor", "links of one anchor"),
    ("AS offset", "storage offsets by id"),
    ("UNWIND $ids AS i MATCH (n:", "nodes by id"),
)
_ANCHOR = re.compile(r"MATCH \((?:a|n):(\w+)")
_NEIGHBOUR = re.compile(r"\(b:([\w:]+)\)")


def describe(statement: str) -> str:
    """A short name for a statement: what it reads, from which label (and to which
    neighbour labels); its first 60 characters when it is none of the known kinds."""
    kind = next((name for text, name in _KINDS if text in statement), None)
    if kind is None:
        return " ".join(statement.split())[:60]
    anchor = _ANCHOR.search(statement)
    neighbour = _NEIGHBOUR.search(statement)
    where = anchor.group(1) if anchor else "?"
    if neighbour and kind != "nodes by id":
        where += " → " + neighbour.group(1).replace(":", "|")
    return f"{kind} ({where})"


def _busy(timings: list[tracing.StatementTiming]) -> float:
    """Seconds during which at least one statement was in flight."""
    busy, current = 0.0, None
    for started, ended in sorted((t.started, t.ended) for t in timings):
        if current is None or started > current[1]:
            if current is not None:
                busy += current[1] - current[0]
            current = [started, ended]
        else:
            current[1] = max(current[1], ended)
    if current is not None:
        busy += current[1] - current[0]
    return busy


async def profile(
    run: Callable[[], Awaitable[object]], *, warmup: int, runs: int
) -> dict[str, Any]:
    """The median of `runs` traced runs of `run` (after `warmup` untraced ones)."""
    for _ in range(warmup):
        await run()
    traced: list[tuple[float, float, list[tracing.StatementTiming]]] = []
    for _ in range(max(1, runs)):
        with tracing.traced() as timings:
            started = time.perf_counter()
            await run()
            seconds = time.perf_counter() - started
        traced.append((seconds, started, list(timings)))
    seconds, started, timings = sorted(traced, key=lambda t: t[0])[len(traced) // 2]
    busy = _busy(timings)
    return {
        "runs": len(traced),
        "median_ms": seconds * 1000,
        "spread_ms": [min(t[0] for t in traced) * 1000, max(t[0] for t in traced) * 1000],
        "statements_ms": busy * 1000,
        "python_ms": (seconds - busy) * 1000,
        "statements": [
            {
                "what": describe(t.statement),
                "start_ms": (t.started - started) * 1000,
                "ms": t.seconds * 1000,
                "rows": t.rows,
            }
            for t in sorted(timings, key=lambda t: t.started)
        ],
        "rows": sum(t.rows for t in timings),
    }
