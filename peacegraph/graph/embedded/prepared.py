"""Keep LadybugDB's prepared statements to a bounded number, through its public API.

LadybugDB's Python driver prepares every parametrised statement once per connection
and keeps it for the connection's life; each one holds buffer-pool memory until the
connection closes (a grouped count over anchors: ~1.5 MiB). Link statements name
the relationship types and labels a query asks for in their pattern (which
LadybugDB plans about twice as fast as filtering), so every new combination of
filters is a new statement: without a bound, a few hundred of them fill the 512 MiB
buffer pool and every later query fails with "the buffer pool is full" until the
service restarts. Anyone who can send queries could do that on purpose.

So connections are replaced once they have been sent `MAX_PREPARED` different
parametrised statements: closing a connection is the driver's public way to free
what it prepared, and a statement still in use is simply prepared again on the new
one (about a millisecond). Statements without parameters are run unprepared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import ladybug

#: Different parametrised statements a connection is sent before it is replaced.
MAX_PREPARED = 64
#: Read connections, each in its own driver thread.
READERS = 4

_Rows = TypeVar("_Rows")


class StatementCount:
    """The different parametrised statements sent to one connection."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def add(self, statement: str, parameters: dict[str, Any]) -> None:
        if parameters:
            self._seen.add(statement)

    def would_overflow(self, statement: str, parameters: dict[str, Any]) -> bool:
        """Whether sending `statement` would make more than MAX_PREPARED."""
        return bool(parameters) and statement not in self._seen and self.full()

    def full(self) -> bool:
        return len(self._seen) >= MAX_PREPARED

    def __len__(self) -> int:
        return len(self._seen)


class Readers:
    """The read connections (a driver `AsyncConnection`), replaced by a fresh set
    before a statement would make them hold more than MAX_PREPARED; the old set is
    closed once the reads still running on it have ended."""

    def __init__(self, database: ladybug.Database, size: int = READERS) -> None:
        self._database = database
        self._size = size
        self._current = ladybug.AsyncConnection(database, max_concurrent_queries=size)
        self.statements = StatementCount()
        self._running: dict[ladybug.AsyncConnection, int] = {}

    async def read(
        self, statement: str, parameters: dict[str, Any], rows_of: Callable[[Any], _Rows]
    ) -> _Rows:
        """The rows of a statement (`rows_of` its result), read before its connection
        may be closed."""
        if self.statements.would_overflow(statement, parameters):
            self._replace()
        self.statements.add(statement, parameters)
        pool = self._current
        self._running[pool] = self._running.get(pool, 0) + 1
        try:
            return rows_of(await pool.execute(statement, parameters))
        finally:
            self._running[pool] -= 1
            if pool is not self._current and not self._running[pool]:
                del self._running[pool]
                pool.close()

    def _replace(self) -> None:
        old = self._current
        self._current = ladybug.AsyncConnection(self._database, max_concurrent_queries=self._size)
        self.statements = StatementCount()
        if not self._running.get(old):
            self._running.pop(old, None)
            old.close()

    def close(self) -> None:
        for pool in {self._current, *self._running}:
            pool.close()
        self._running.clear()


class Writer:
    """The one write connection, replaced between transactions (`renew`) once it has
    been sent MAX_PREPARED different parametrised statements. Used from one thread
    at a time (the store's writer thread, under its write lock)."""

    def __init__(self, database: ladybug.Database) -> None:
        self._database = database
        #: The driver connection, public so that tests can make it fail.
        self.connection: Any = ladybug.Connection(database)
        self.statements = StatementCount()

    def execute(self, statement: str, parameters: dict[str, Any]) -> Any:
        self.statements.add(statement, parameters)
        if parameters:
            return self.connection.execute(statement, parameters)
        return self.connection.execute(statement)

    def renew(self) -> None:
        """Replace the connection if it holds MAX_PREPARED statements (never inside a
        transaction: closing the connection would end it)."""
        if self.statements.full():
            self.connection.close()
            self.connection = ladybug.Connection(self._database)
            self.statements = StatementCount()

    def close(self) -> None:
        self.connection.close()
