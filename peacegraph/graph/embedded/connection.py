"""The embedded store's connection to LadybugDB: opening it, running statements,
reading their rows, and turning its errors into the store's.

What LadybugDB needs from us (measured, see DESIGN.md):
- one write transaction at a time: writes go through one connection, in one worker
  thread (the store holds an asyncio lock around a transaction); reads run
  concurrently through the driver's AsyncConnection;
- after an error inside a transaction it is already rolled back, so a trip of
  statements stops at the first error and never runs the next one;
- a missing `$parameter` silently becomes NULL, so every statement's parameters are
  checked against what it names before it runs;
- `throw_on_wal_replay_failure=False` and a bounded buffer pool when opening;
- a bounded number of prepared statements per connection (`prepared`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import ladybug

from peacegraph.graph.embedded import native_memory, tracing
from peacegraph.graph.embedded.prepared import Readers, StatementCount, Writer
from peacegraph.graph.errors import Conflict, PeaceGraphError, StoreUnavailable

log = logging.getLogger(__name__)

MIB = 1024 * 1024
#: Bounds of the buffer pool sized from the machine: a bulk import of a million
#: relationships runs in 384 MiB (its transactions hold 100k records); above 2 GiB
#: the pool only lets one process's RSS grow where other services live (pages read
#: or written stay in the pool until evicted).
BUFFER_POOL_MIN = 384 * MIB
BUFFER_POOL_MAX = 2048 * MIB
#: Share of physical memory the pool takes by default: 384 MiB on a 24 GiB machine,
#: which holds the whole 100k-node / 1M-relationship synthetic graph (400 MiB on
#: disk) and keeps `peacegraph export`, `import` and `export` again of it under
#: 1 GiB of RSS each (bench/RESULTS.md; with 768 MiB, the import peaked at 1.3 GiB).
#: LadybugDB's own default is 80%, which suits a database alone on its machine,
#: not a web service sharing one.
BUFFER_POOL_SHARE = 1 / 64


def buffer_pool_for(physical_bytes: int) -> int:
    """The default buffer pool for a machine with `physical_bytes` of memory."""
    wanted = int(physical_bytes * BUFFER_POOL_SHARE)
    return max(BUFFER_POOL_MIN, min(BUFFER_POOL_MAX, wanted // MIB * MIB))


def physical_memory() -> int:
    """Bytes of physical memory (0 where the platform does not say)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 0


#: The buffer pool when none is configured (PEACEGRAPH_BUFFER_POOL_MB sets one).
DEFAULT_BUFFER_POOL = buffer_pool_for(physical_memory())

#: WAL bytes after which LadybugDB checkpoints on its own. Until a checkpoint, every
#: committed update keeps the page versions it made in the buffer pool: with the
#: default (16 MiB of WAL) a service editing a few nodes over and over filled a
#: 512 MiB pool after about 1,700 small writes and then refused every write
#: ("the buffer pool is full"). At 256 KiB the process stays flat (bench/FINDINGS.md).
CHECKPOINT_THRESHOLD = MIB // 4
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
#: How LadybugDB begins the error of a commit that held but whose checkpoint failed
#: ("Transaction committed successfully, but the post-commit checkpoint failed...").
_COMMITTED = "transaction committed successfully"

#: A statement and its parameters, as the writer thread runs them.
Statement = tuple[str, dict[str, Any]]
#: A link read's row: its values in `q.LinkColumns.names` order (`list_rows`).
LinkRow = list[Any]
_Row = TypeVar("_Row", dict[str, Any], LinkRow)


class StatementError(PeaceGraphError):
    """A statement was run with parameters that do not match the ones it names."""


def check_parameters(statement: str, parameters: dict[str, Any]) -> None:
    """Refuse to run a statement whose named parameters are not all given, or extra."""
    named = set(_PARAMETER.findall(statement))
    missing = named - parameters.keys()
    extra = parameters.keys() - named
    if missing or extra:
        raise StatementError(
            f"statement parameters do not match: missing {sorted(missing)}, extra {sorted(extra)}"
        )


def dict_rows(result: Any) -> list[dict[str, Any]]:
    """The rows of a statement's result(s), as dicts by column name."""
    rows: list[dict[str, Any]] = []
    append = rows.append
    for part in _parts(result):
        columns = part.get_column_names()
        has_next, get_next = part.has_next, part.get_next
        while has_next():
            append(dict(zip(columns, get_next(), strict=False)))  # a value per column
    return rows


def list_rows(result: Any) -> list[LinkRow]:
    """The rows of a statement's result as lists of values, in its columns' order:
    link reads are the most numerous rows, and a list costs half what a dict does
    (`q.LinkColumns.names` says which value is where)."""
    rows: list[LinkRow] = []
    append = rows.append
    for part in _parts(result):
        has_next, get_next = part.has_next, part.get_next
        while has_next():
            append(get_next())
    return rows


def _parts(result: Any) -> list[Any]:
    """The results a statement gave: one, or one per statement of a script."""
    return result if isinstance(result, list) else [result]


def first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def translate(error: RuntimeError) -> PeaceGraphError:
    """The store's error for one the driver raised."""
    message = first_line(error)
    lowered = message.lower()
    if "primary key" in lowered or "duplicat" in lowered:
        return Conflict(message)
    if any(s in lowered for s in ("lock", "read-only", "read only", "io exception")):
        return StoreUnavailable(f"the embedded store cannot be written: {message}")
    log.error("embedded store error: %s", message)
    return PeaceGraphError(f"embedded store error: {message}")


class Connections:
    """One LadybugDB database with its read connections and its write connection."""

    def __init__(self, database: ladybug.Database) -> None:
        self._database: ladybug.Database | None = database
        self._readers: Readers | None = Readers(database)
        self.writer: Writer | None = Writer(database)
        #: How many write trips have run: caches of counts compare it to theirs.
        self.writes = 0
        #: Why the last checkpoint after a commit failed (None: no failure since).
        self.checkpoint_failure: str | None = None

    @classmethod
    def open(cls, file: Path, buffer_pool_bytes: int) -> Connections:
        """Open the database in `file` (blocking: call it in a worker thread)."""
        native_memory.limit_retention()  # before LadybugDB starts its threads
        try:
            database = ladybug.Database(
                str(file), buffer_pool_size=buffer_pool_bytes, throw_on_wal_replay_failure=False
            )
            settings = ladybug.Connection(database)
            try:
                settings.execute(f"CALL checkpoint_threshold={CHECKPOINT_THRESHOLD}")
            finally:
                settings.close()
            return cls(database)
        except (RuntimeError, OSError) as error:
            raise StoreUnavailable(
                f"cannot open the embedded store in {file.parent}: {first_line(error)}"
            ) from None

    async def read(
        self, statement: str, parameters: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """A read statement's rows, as dicts by column name."""
        return await self._read(statement, parameters or {}, dict_rows)

    async def read_links(self, statement: str, parameters: dict[str, Any]) -> list[LinkRow]:
        """A link read's rows, as lists (`q.LinkColumns.names`)."""
        return await self._read(statement, parameters, list_rows)

    async def _read(
        self, statement: str, parameters: dict[str, Any], rows_of: Callable[[Any], list[_Row]]
    ) -> list[_Row]:
        check_parameters(statement, parameters)
        if self._readers is None:
            raise StoreUnavailable("the embedded store is closed")
        since = tracing.started()
        try:
            rows = await self._readers.read(statement, parameters, rows_of)
        except RuntimeError as error:
            raise translate(error) from None
        tracing.record(statement, since, len(rows))
        return rows

    def statements_read(self) -> StatementCount:
        """The parametrised statements the current read connections were sent."""
        if self._readers is None:
            raise StoreUnavailable("the embedded store is closed")
        return self._readers.statements

    async def write(self, statement: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        """One statement on the write connection, on its own; its rows."""
        check_parameters(statement, parameters)
        return await self.write_all([(statement, parameters)])

    async def write_all(self, statements: list[Statement]) -> list[dict[str, Any]]:
        """Statements run one after the other in one trip to the writer thread, stopping
        at the first error; the rows of the last. Parameters are checked by the caller."""
        writer = self._require_writer()

        def run_all() -> list[dict[str, Any]]:
            rows: list[dict[str, Any]] = []
            for statement, parameters in statements:
                rows = dict_rows(writer.execute(statement, parameters))
            return rows

        try:
            rows = await asyncio.to_thread(run_all)
        except RuntimeError as error:
            if _COMMITTED not in str(error).lower():
                raise translate(error) from None
            # The last statement committed and only the checkpoint after it failed:
            # the write is stored (its log replays at the next open), so it is not
            # reported as failed; the store is degraded until a checkpoint succeeds.
            self.checkpoint_failure = first_line(error)
            log.error("write committed, but its checkpoint failed: %s", self.checkpoint_failure)
            return []
        finally:
            self.writes += 1
        if statements[-1][0] == "COMMIT":
            # After a failed one, the log is past the threshold, so this commit
            # checkpointed: the store is healthy again.
            self.checkpoint_failure = None
        return rows

    async def checkpoint(self) -> None:
        """Try the checkpoint that failed again; clears `checkpoint_failure` when it works."""
        try:
            await asyncio.to_thread(self._require_writer().execute, "CHECKPOINT", {})
        except RuntimeError as error:
            self.checkpoint_failure = first_line(error)
            return
        log.info("checkpoint succeeded again; writes are healthy")
        self.checkpoint_failure = None

    async def rollback(self) -> None:
        """End the transaction in progress, if LadybugDB has not ended it already."""
        writer = self._require_writer()
        try:
            await asyncio.to_thread(writer.execute, "ROLLBACK", {})
        except RuntimeError:
            pass  # already rolled back after a failed statement
        finally:
            self.writes += 1

    async def between_transactions(self) -> None:
        """A point where no transaction is open (`prepared.Writer.renew`)."""
        writer = self._require_writer()
        if writer.statements.full():
            await asyncio.to_thread(writer.renew)

    def _require_writer(self) -> Writer:
        if self.writer is None:
            raise StoreUnavailable("the embedded store is closed")
        return self.writer

    def close(self) -> None:
        readers, writer, database = self._readers, self.writer, self._database
        self._readers = self.writer = self._database = None
        if readers is not None:
            readers.close()
        if writer is not None:
            writer.close()
        if database is not None:
            database.close()
