"""A bounded load test on loopback: mixed reads and editor writes through GraphQL.

It starts a real `peacegraph serve` (uvicorn, embedded store) in a child process on a
free loopback port, drives it with `concurrency` clients for `duration` seconds, stops
it, then opens the store itself and checks that every write the server acknowledged
is there with the content that was sent (and that no more was written than was
asked). A child process rather than a thread, so that server and clients each have a
core and an interpreter of their own, as they would in production.
Needs httpx (dev extras). `python -m bench.loadtest` runs it (what `make loadtest` does).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from peacegraph.app import eventloop
from peacegraph.app.auth import create_token
from peacegraph.app.factory import prepare_store
from peacegraph.app.settings import Settings
from peacegraph.graph.embedded.store import EmbeddedStore

LOAD_SECTION = re.compile(r"^## Load test\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)

READS: tuple[tuple[str, dict[str, Any]], ...] = (
    ('{ search(text: "ECOWAS", first: 5) { nodes { id name } } }', {}),
    (
        "query($id: ID!) { node(id: $id) { id name "
        "... on Organization { neighbours(first: 10) { node { id } } } } }",
        {"id": "org:cedeao"},
    ),
    ("{ organizations(first: 20) { edges { node { id name } } pageInfo { hasNextPage } } }", {}),
    (
        'query { network(seeds: ["org:cedeao"], depth: 1, limit: 100) '
        "{ truncated nodes { id } edges { id } } }",
        {},
    ),
    ("{ stats { countsByKind { key count } } }", {}),
    ('{ timeline(actor: "org:wanep-mali") { event { id name } } }', {}),
)

WRITE = """
mutation($input: NodeInput!, $source: SourceInput) {
  upsertOrganization(input: $input, source: $source) {
    __typename
    ... on Organization { id name aliases }
  }
}
"""
SOURCE = {"document": "source:loadtest", "section": "Load test", "quote": "a load test write"}
PREFIX = "org:load-"


@dataclass
class LoadResult:
    """What the clients saw, and what the store held afterwards."""

    duration: float = 0.0
    concurrency: int = 0
    load_average: float = 0.0
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    transport_errors: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    attempted: set[str] = field(default_factory=set)
    acknowledged: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    stored: int = 0
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def internal(self) -> int:
        return self.codes["INTERNAL"] + sum(n for s, n in self.statuses.items() if s >= 500)

    @property
    def errors(self) -> int:
        """Answers that were not a clean 200 without errors, and requests with no answer."""
        return sum(self.codes.values()) + self.transport_errors

    def percentile(self, kind: str | None, q: float) -> float:
        values = sorted(
            self.latencies[kind] if kind else [v for vs in self.latencies.values() for v in vs]
        )
        if not values:
            return 0.0
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]

    @property
    def lost(self) -> int:
        return len(self.missing) + len(self.wrong)

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.duration:.0f} s at concurrency "
            f"{self.concurrency} ({self.requests / max(self.duration, 1e-9):.0f}/s); "
            f"errors {self.errors} (internal {self.internal}, transport {self.transport_errors}"
            f"{''.join(f', {c} {n}' for c, n in self.codes.most_common())}); "
            f"p50 {self.percentile(None, 0.5) * 1000:.0f} ms, "
            f"p99 {self.percentile(None, 0.99) * 1000:.0f} ms; "
            f"writes acknowledged {len(self.acknowledged)}, stored {self.stored}, "
            f"lost {self.lost}"
        )

    def markdown(self, command: str) -> str:
        ms = 1000.0
        rows = [
            ("all", self.requests, self.percentile(None, 0.5), self.percentile(None, 0.99)),
            (
                "reads",
                len(self.latencies["read"]),
                self.percentile("read", 0.5),
                self.percentile("read", 0.99),
            ),
            (
                "editor writes",
                len(self.latencies["write"]),
                self.percentile("write", 0.5),
                self.percentile("write", 0.99),
            ),
        ]
        table = "\n".join(
            f"| {name} | {count} | {p50 * ms:.0f} | {p99 * ms:.0f} |"
            for name, count, p50, p99 in rows
        )
        codes = ", ".join(f"{c} {n}" for c, n in self.codes.most_common()) or "none"
        return f"""## Load test

Command: `make loadtest`, that is `{command}` ({dt.date.today().isoformat()},
{os.cpu_count()} cores shared with other work: load average {self.load_average:.1f} at
the start; Python {sys.version.split()[0]}). A real `peacegraph serve` (uvicorn,
embedded store, seeded) in its own process on loopback; {self.concurrency} clients in
the load test's process for {self.duration:.0f} s, about 80 % reads (search, node with
neighbours, a page of organisations, network, stats, timeline) and 20 % editor writes
(`upsertOrganization` with an editor token). Afterwards the server is stopped and the
store opened directly: every acknowledged write is looked up and compared (name and
aliases), and the load-test nodes are counted.

| kind | requests | p50 (ms) | p99 (ms) |
|---|---:|---:|---:|
{table}

- throughput: {self.requests / max(self.duration, 1e-9):.0f} requests/s
- errors: {self.errors} (error codes: {codes}; no answer: {self.transport_errors});
  internal errors: {self.internal}
- writes: {len(self.attempted)} sent, {len(self.acknowledged)} acknowledged,
  {self.stored} in the store afterwards, {len(self.missing)} acknowledged but missing,
  {len(self.wrong)} with other content than sent

The embedded store runs one write transaction at a time, so with about
{self.concurrency // 5} writers in flight a write's latency is mostly its wait for the
writer; reads do not wait for writes.
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def prepare(data_dir: Path) -> str:
    """Seed the store and make an editor token, before the server owns the directory."""
    store = await EmbeddedStore.open(data_dir)
    try:
        await prepare_store(store, Settings(data_dir=data_dir))
        _, token = await create_token(store, "load-test", "editor")
    finally:
        await store.close()
    return token


@contextlib.asynccontextmanager
async def served(data_dir: Path, *, startup_timeout: float = 90.0) -> AsyncIterator[str]:
    """A `peacegraph serve` child on a free loopback port; yields its URL, then stops it."""
    port = free_port()
    env = {
        **os.environ,
        "PEACEGRAPH_DATA_DIR": str(data_dir),
        "PEACEGRAPH_PORT": str(port),
        "PEACEGRAPH_HOST": "127.0.0.1",
        "PEACEGRAPH_LOG_LEVEL": "WARNING",
        "PEACEGRAPH_STORE": "embedded",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "peacegraph.app.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(url, child, startup_timeout)
        yield url
    finally:
        child.send_signal(signal.SIGINT)
        try:
            await asyncio.to_thread(child.wait, 30)
        except subprocess.TimeoutExpired:
            child.kill()
            await asyncio.to_thread(child.wait)
        if child.stderr is not None:
            child.stderr.close()


async def _wait_ready(url: str, child: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if child.poll() is not None:
                error = child.stderr.read().decode(errors="replace") if child.stderr else ""
                raise RuntimeError(f"the server exited at start: {error.strip()[-500:]}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get("/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the server was not ready within {timeout:.0f} s")


async def drive(
    url: str,
    token: str,
    *,
    duration: float,
    concurrency: int,
    write_share: float = 0.2,
    seed: int = 0,
) -> LoadResult:
    """`concurrency` clients sending mixed requests for `duration` seconds."""
    result = LoadResult(concurrency=concurrency, load_average=os.getloadavg()[0])
    run = f"{seed:x}{int(time.time()) % 100000:x}"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits) as client:
        started = time.monotonic()
        deadline = started + duration

        async def worker(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            sent = 0
            while time.monotonic() < deadline:
                sent += 1
                if rng.random() < write_share:
                    node_id = f"{PREFIX}{run}-{number}-{sent}"
                    await _write(client, headers, node_id, result)
                else:
                    query, variables = rng.choice(READS)
                    await _call(
                        client, {"query": query, "variables": variables}, {}, "read", result
                    )

        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        result.duration = time.monotonic() - started
    return result


async def _call(
    client: httpx.AsyncClient,
    body: dict[str, Any],
    headers: dict[str, str],
    kind: str,
    result: LoadResult,
) -> dict[str, Any] | None:
    started = time.perf_counter()
    try:
        response = await client.post("/graphql", json=body, headers=headers)
    except httpx.HTTPError:
        result.requests += 1
        result.transport_errors += 1
        return None
    result.latencies[kind].append(time.perf_counter() - started)
    result.requests += 1
    result.statuses[response.status_code] += 1
    try:
        answer: dict[str, Any] = response.json()
    except ValueError:
        result.codes[f"HTTP_{response.status_code}"] += 1
        return None
    for error in answer.get("errors") or []:
        result.codes[str((error.get("extensions") or {}).get("code", "NO_CODE"))] += 1
    return answer


async def _write(
    client: httpx.AsyncClient, headers: dict[str, str], node_id: str, result: LoadResult
) -> None:
    name = f"Load test organisation {node_id[len(PREFIX) :]}"
    aliases = [f"LT {node_id[len(PREFIX) :]}"]
    result.attempted.add(node_id)
    body = {
        "query": WRITE,
        "variables": {
            "input": {"id": node_id, "name": name, "aliases": aliases},
            "source": SOURCE,
        },
    }
    answer = await _call(client, body, headers, "write", result)
    written = ((answer or {}).get("data") or {}).get("upsertOrganization") or {}
    if written.get("__typename") == "Organization" and written.get("id") == node_id:
        result.acknowledged[node_id] = (name, aliases)


async def verify(data_dir: Path, result: LoadResult) -> None:
    """Count and compare, in the store itself, every write the clients sent."""
    store = await EmbeddedStore.open(data_dir)
    try:
        found = await store.get_nodes(sorted(result.attempted))
        stored = {node_id for node_id in found if node_id.startswith(PREFIX)}
        result.stored = len(stored)
        for node_id, (name, aliases) in sorted(result.acknowledged.items()):
            node = found.get(node_id)
            if node is None:
                result.missing.append(node_id)
            elif node.name != name or node.get("aliases") != aliases:
                result.wrong.append(node_id)
        total = 0
        offset = 0
        while True:
            page = await store.all_nodes(offset=offset, limit=5000)
            total += sum(1 for n in page.items if n.id.startswith(PREFIX))
            if not page.has_next:
                break
            offset += len(page.items)
        if total != len(stored):
            result.wrong.append(f"{total} load-test nodes in the store, {len(stored)} expected")
    finally:
        await store.close()


async def run_load_test(
    data_dir: Path, *, duration: float, concurrency: int, seed: int = 0
) -> LoadResult:
    """Prepare, serve, drive, stop, verify."""
    token = await prepare(data_dir)
    async with served(data_dir) as url:
        result = await drive(url, token, duration=duration, concurrency=concurrency, seed=seed)
    await verify(data_dir, result)
    return result


def write_section(path: Path, section: str) -> None:
    """Put our "Load test" section in `path`, replacing an older one, leaving the rest."""
    text = path.read_text() if path.exists() else "# Results\n"
    if LOAD_SECTION.search(text):
        text = LOAD_SECTION.sub(lambda _: section.rstrip() + "\n\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n")


async def _main(args: argparse.Namespace) -> int:
    """Run the load test; 1 when a write was lost or an answer was an internal error."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    with tempfile.TemporaryDirectory(prefix="peacegraph-load-") as folder:
        result = await run_load_test(
            Path(folder) / "store",
            duration=args.duration,
            concurrency=args.concurrency,
            seed=args.seed,
        )
    print(result.summary())
    if args.results:
        command = (
            f"python -m bench.loadtest --duration {args.duration:g} "
            f"--concurrency {args.concurrency}"
        )
        write_section(args.results, result.markdown(command))
        print(f"wrote the load test section of {args.results}")
    return 1 if result.lost or result.internal else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.loadtest",
        description="Mixed reads and editor writes against a real server, then check writes.",
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    parser.add_argument("--concurrency", type=int, default=32, help="clients (32)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the request mix")
    parser.add_argument("--results", type=Path, help="write a 'Load test' section into this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return eventloop.run(_main(args))


if __name__ == "__main__":
    raise SystemExit(main())
