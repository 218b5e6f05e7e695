"""Real Neo4j servers for the test session, started from Maven Central by tools/neo4j/run.sh.

The suite starts its own servers on free loopback ports, each in a fresh folder, and
never skips for lack of one: a missing JDK or Maven fails the run with the reason.
Neo4j Community holds one user database per server, so tests that need different
contents at the same time get different servers (by name): `scratch` is emptied
before every test, `shared` holds the seed for the read-only tests of the whole
session, `served` backs a `peacegraph serve` process. A server is started the first
time it is asked for, and stopped when the session ends, or when this process dies
(it watches its standard input, which only this process holds).

`NEO4J_VERSION` and `JAVA_HOME` pick the release and the JDK (see `make test-neo4j-latest`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import neo4j

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "tools" / "neo4j" / "run.sh"
#: The first start also fetches Neo4j from Maven Central (about 100 MB, once).
START_TIMEOUT = float(os.environ.get("PEACEGRAPH_TEST_NEO4J_START_TIMEOUT", "300"))
READY = "Neo4j ready on "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Neo4jServer:
    """One Neo4j server process on 127.0.0.1, with its data in `home`."""

    def __init__(self, home: Path, port: int | None = None) -> None:
        self.home = home
        self.port = port or free_port()
        self.log = home.with_suffix(".log")
        self._process: subprocess.Popen[str] | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the server (keeping its data) and wait until Bolt answers."""
        env = os.environ | {"NEO4J_PORT": str(self.port), "NEO4J_WATCH_STDIN": "1"}
        log = self.log.open("a")
        self._process = subprocess.Popen(
            [str(RUN), str(self.home)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
            start_new_session=True,
        )
        log.close()
        self._await_ready()

    def _await_ready(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        found = threading.Event()

        def watch() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith(READY):
                    found.set()
            # The stream ends with the process; nothing else reads it.

        threading.Thread(target=watch, daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        while not found.wait(0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
                raise RuntimeError(f"Neo4j did not start on {self.uri}:\n{tail}")
        self._await_bolt(deadline)

    def _await_bolt(self, deadline: float) -> None:
        with neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", "")) as driver:
            while True:
                try:
                    driver.verify_connectivity()
                    return
                except neo4j.exceptions.ServiceUnavailable:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (its data stays in `home`)."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    @contextmanager
    def stopped(self) -> Iterator[None]:
        """The server away for the duration of the block, back (same data) afterwards."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    def clear(self) -> None:
        """Delete every node and relationship: an empty database for the next test."""
        with (
            neo4j.GraphDatabase.driver(self.uri, auth=("neo4j", "")) as driver,
            driver.session() as session,
        ):
            # Batched in its own transactions (an auto-commit statement), so that even
            # a graph of millions leaves without one huge transaction.
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()


class Neo4jServers:
    """The session's servers, by name, each started on first use."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._servers: dict[str, Neo4jServer] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Neo4jServer:
        with self._lock:
            server = self._servers.get(name)
            if server is None:
                server = Neo4jServer(self._root / name)
                server.start()
                self._servers[name] = server
            return server

    def new(self, name: str) -> Neo4jServer:
        """A server of the caller's own (stopped by `stop_all` unless stopped before)."""
        with self._lock:
            server = Neo4jServer(self._root / f"{name}-{len(self._servers)}")
            self._servers[server.home.name] = server
        server.start()
        return server

    def stop_all(self) -> None:
        """Stop every server, all at once: each shuts down cleanly in its own seconds,
        and one after the other they added up to ~40 s at the end of a session."""
        with ThreadPoolExecutor(max_workers=max(1, len(self._servers))) as pool:
            for stopped in [pool.submit(server.stop) for server in self._servers.values()]:
                stopped.result()
