"""Which store a benchmark measures: the embedded one in a folder, or Neo4j.

The harness (`python -m bench --store neo4j`), the hub-safety measure (bench/hub.py)
and the side-by-side with @neo4j/graphql (bench/anchor.py) all open their store here.
On Neo4j they use the server at NEO4J_URI when it is set (its database is emptied
before each graph is loaded), or start their own with `tools/neo4j/run.sh --fresh`
(one per graph, in the size's own folder, on a free loopback port).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.graph.store import Store

REPO = Path(__file__).resolve().parents[1]
BACKENDS = ("embedded", "neo4j")
#: Nodes deleted a transaction when a Neo4j database is emptied (with their links).
WIPE_BATCH = 2_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Where:
    """A graph's store: the embedded store in `folder`, or Neo4j at `uri` (whose
    files are in `folder` when the benchmark runs that server itself)."""

    backend: str
    folder: Path
    uri: str = ""

    async def open(self) -> Store:
        if self.backend == "embedded":
            return await EmbeddedStore.open(self.folder)
        return await open_neo4j(self.uri)

    def server_args(self) -> list[str]:
        """How `python -m bench.server` opens the same store."""
        if self.backend == "embedded":
            return ["--data-dir", str(self.folder)]
        return ["--neo4j-uri", self.uri]

    def label(self) -> str:
        return "embedded (LadybugDB)" if self.backend == "embedded" else "Neo4j"


async def open_neo4j(uri: str) -> Neo4jStore:
    """The Neo4j store at `uri`, with the credentials of the environment (the local
    server has no authentication: any password)."""
    return await Neo4jStore.open(
        uri,
        username=os.environ.get("NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", "bench"),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        timeout=120.0,
    )


async def wipe(store: Store) -> int:
    """Delete every node (and so every link) through the Store; how many."""
    deleted = 0
    while True:
        page = await store.all_nodes(offset=0, limit=WIPE_BATCH)
        if not page.items:
            return deleted
        deleted += await store.delete_nodes([node.id for node in page.items])


@contextlib.asynccontextmanager
async def neo4j_server(home: Path, *, heap: str = "3g") -> AsyncIterator[str]:
    """A fresh Neo4j server (tools/neo4j/run.sh) with its files in `home`, on a free
    loopback port; its bolt URI. Stopped, and waited for, on exit."""
    port = free_port()
    env = dict(
        os.environ,
        NEO4J_PORT=str(port),
        NEO4J_HEAP=os.environ.get("NEO4J_HEAP", heap),
        NEO4J_WATCH_STDIN="1",
    )
    log_path = home.parent / f"{home.name}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [str(REPO / "tools" / "neo4j" / "run.sh"), "--fresh", str(home)],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        await _wait_ready(process, log_path)
        yield f"bolt://127.0.0.1:{port}"
    finally:
        if process.stdin:
            process.stdin.close()
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 60)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)
        log.close()


async def _wait_ready(process: subprocess.Popen[bytes], log: Path, seconds: float = 300.0) -> None:
    """Wait for the line run.sh prints when the server answers (in its log)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Neo4j exited with {process.returncode}; see {log}")
        if b"Neo4j ready" in log.read_bytes():
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"Neo4j did not start within {seconds:.0f} s; see {log}")


@contextlib.asynccontextmanager
async def where_to_load(backend: str, folder: Path) -> AsyncIterator[Where]:
    """An empty store for one graph: the embedded store in `folder / 'store'`; on
    Neo4j, the server at NEO4J_URI emptied, or a fresh one in `folder / 'neo4j'`."""
    if backend == "embedded":
        yield Where("embedded", folder / "store")
        return
    uri = os.environ.get("NEO4J_URI", "")
    if uri:
        store = await open_neo4j(uri)
        try:
            deleted = await wipe(store)
        finally:
            await store.close()
        if deleted:
            print(f"benchmark: emptied {uri} ({deleted} nodes)", file=sys.stderr, flush=True)
        yield Where("neo4j", folder / "neo4j", uri)
        return
    async with neo4j_server(folder / "neo4j") as started:
        yield Where("neo4j", folder / "neo4j", started)
