"""What the change stamp costs concurrent writers on Neo4j.

Every write transaction sets one shared record (the change stamp behind ETags and
the change feed) just before it commits, so concurrent writers queue on that one
node's lock at commit. This measures it with the store's own statement for records
(`PUT_RECORDS`): writers each put records under keys of their own, in transactions
with the stamp and without it, in turns, at 1 and at 8 concurrent writers, and
compares the throughput (ratios within one run; the machine is shared).

`python -m bench.stamp [--writes 200]` uses the server at NEO4J_URI, or starts a
fresh one (tools/neo4j/run.sh) in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import neo4j

from bench.stores import neo4j_server
from peacegraph.graph.neo4j import queries as q


def row(key: str) -> dict[str, str]:
    return {"key": key, "kind": "bench", "at": "", "ref": "", "actor": "", "body": "{}"}


async def writer(driver: neo4j.AsyncDriver, name: str, count: int, stamped: bool) -> None:
    async def work(tx: neo4j.AsyncManagedTransaction, key: str) -> None:
        await tx.run(q.PUT_RECORDS, {"rows": [row(key)]})
        if stamped:
            await tx.run(q.PUT_RECORDS, {"rows": [row("bench:stamp") | {"body": uuid.uuid4().hex}]})

    async with driver.session(database=os.environ.get("NEO4J_DATABASE", "neo4j")) as session:
        for number in range(count):
            await session.execute_write(work, f"bench:{name}:{number}")


async def rate(driver: neo4j.AsyncDriver, writers: int, writes: int, stamped: bool) -> float:
    """Committed write transactions a second, `writers` at once."""
    started = time.perf_counter()
    tag = uuid.uuid4().hex[:6]
    await asyncio.gather(
        *(writer(driver, f"{tag}{w}", writes // writers, stamped) for w in range(writers))
    )
    return (writes // writers) * writers / (time.perf_counter() - started)


@contextlib.asynccontextmanager
async def server() -> AsyncIterator[str]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    with tempfile.TemporaryDirectory(prefix="peacegraph-stamp-") as folder:
        async with neo4j_server(Path(folder) / "neo4j", heap="768m") as started:
            yield started


async def run(writes: int, rounds: int) -> None:
    async with server() as uri:
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        async with neo4j.AsyncGraphDatabase.driver(uri, auth=auth) as driver:
            await rate(driver, 1, 20, True)  # warm up
            for writers in (1, 8):
                figures: dict[bool, list[float]] = {True: [], False: []}
                for _ in range(rounds):  # in turns, so a busy moment hits both
                    for stamped in (False, True):
                        figures[stamped].append(await rate(driver, writers, writes, stamped))
                plain, stamped_rate = max(figures[False]), max(figures[True])
                print(
                    f"{writers} writer(s): {plain:.0f} tx/s without the stamp, "
                    f"{stamped_rate:.0f} tx/s with it (x{stamped_rate / plain:.2f}; "
                    f"best of {rounds}, {writes} writes each)"
                )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.stamp",
        description="Throughput of concurrent Neo4j writers with and without the change stamp.",
    )
    parser.add_argument("--writes", type=int, default=200, help="writes a measure (200)")
    parser.add_argument("--rounds", type=int, default=3, help="measures of each kind (3)")
    args = parser.parse_args(argv)
    asyncio.run(run(args.writes, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
