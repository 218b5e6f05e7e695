"""Statement timings of the embedded store, for profiles.

A network view runs a score of statements, several side by side, with Python work
between them; where its time goes is only visible statement by statement. Inside
`traced()`, every read statement the embedded store runs in that context (and in
the tasks it starts, which inherit the context) is recorded with its start and end
time and its row count. Outside it, the cost is one context-variable lookup per
statement. The benchmark uses it for its profile of the network view (`bench`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class StatementTiming:
    """One statement as it ran: its text, `time.perf_counter()` at its start and end
    (rows read and converted included), and how many rows it gave."""

    statement: str
    started: float
    ended: float
    rows: int

    @property
    def seconds(self) -> float:
        return self.ended - self.started


_timings: ContextVar[list[StatementTiming] | None] = ContextVar(
    "peacegraph_statement_timings", default=None
)


@contextmanager
def traced() -> Iterator[list[StatementTiming]]:
    """Record the statements run inside the block, in the order they end."""
    timings: list[StatementTiming] = []
    token = _timings.set(timings)
    try:
        yield timings
    finally:
        _timings.reset(token)


def started() -> float | None:
    """The start time to pass to `record`, or None when nothing is being traced."""
    return time.perf_counter() if _timings.get() is not None else None


def record(statement: str, since: float | None, rows: int) -> None:
    """Record a statement that began at `since` (from `started`) and has just ended."""
    timings = _timings.get()
    if timings is not None and since is not None:
        timings.append(StatementTiming(statement, since, time.perf_counter(), rows))
