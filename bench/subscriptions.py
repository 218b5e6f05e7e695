"""Subscription abuse against a real server, with figures for bench/RESULTS.md.

`python -m bench.subscriptions [--results bench/RESULTS.md]` serves the seed on the
embedded store (`peacegraph serve` in a child process, default limits: 1,000
subscriptions a process, 10 a connection, 100 waiting events each) and measures:
- many subscriptions: connections holding 10 each, past the process limit, and how
  many were refused, with the server's resident memory before and after;
- slow consumers: clients that stop reading (a 4 KiB receive buffer) while editors
  write, and how many the server disconnected (close code 1008);
- huge views: networkChanges with 10,000 seeds or a limit of a million;
- the control: what writes with no subscriber do to the server's memory;
and, in each phase, the latency of a node lookup over HTTP next to the abuse.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.loadtest import free_port, prepare

CHANGES = "subscription { changes { kind ids version } }"
LOOKUP = '{ node(id: "org:cedeao") { id name } }'
EDIT = (
    'mutation { upsertOrganization(input: {id: "org:cedeao", description: "abuse %d"}, '
    'note: "bench") { __typename } }'
)
#: Writes of the slow consumer phase (the control makes half as many). The embedded
#: store's default buffer pool filled after ~2,000 updates of one node in one run.
WRITES = 1000
SECTION = re.compile(r"^## Subscription abuse\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)


@dataclass
class Figures:
    rows: list[tuple[str, str]] = field(default_factory=list)

    def add(self, what: str, value: str) -> None:
        self.rows.append((what, value))
        print(f"{what}: {value}")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def read_latency(client: httpx.AsyncClient, count: int = 50) -> str:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        answer = await client.post("/graphql", json={"query": LOOKUP})
        timings.append((time.perf_counter() - started) * 1000)
        assert answer.json()["data"]["node"]["id"] == "org:cedeao"
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    return f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms ({count} lookups)"


@contextlib.asynccontextmanager
async def serving(data_dir: Path) -> AsyncIterator[tuple[str, int, Path]]:
    port = free_port()
    env = {
        **os.environ,
        "PEACEGRAPH_DATA_DIR": str(data_dir),
        "PEACEGRAPH_PORT": str(port),
        "PEACEGRAPH_LOG_LEVEL": "WARNING",
        "PEACEGRAPH_STORE": "embedded",
    }
    log_path = data_dir.parent / "serve.log"
    log = log_path.open("wb")
    child = subprocess.Popen(
        [sys.executable, "-m", "peacegraph.app.cli", "serve"], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=2) as client:
            for _ in range(450):
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.2)
        yield url, child.pid, log_path
    finally:
        child.terminate()
        await asyncio.to_thread(child.wait, 30)
        log.close()


async def open_socket(url: str, *, rcvbuf: int | None = None) -> ClientConnection:
    sock = None
    if rcvbuf is not None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        host, port = url.removeprefix("http://").split(":")
        sock.connect((host, int(port)))
        sock.setblocking(False)
    ws_url = url.replace("http://", "ws://") + "/graphql"
    ws = await connect(
        ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        sock=sock,
        max_queue=1 if rcvbuf else 16,
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def subscribe(
    ws: ClientConnection, number: int, query: str = CHANGES, variables: object = None
) -> None:
    payload = {"query": query, "variables": variables}
    await ws.send(json.dumps({"id": str(number), "type": "subscribe", "payload": payload}))


async def refusals(ws: ClientConnection, wait: float = 0.5) -> list[str]:
    codes = []
    with contextlib.suppress(TimeoutError):
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), wait))
            payload = message.get("payload")
            if message["type"] == "error":
                first = payload[0]
                codes.append(first.get("extensions", {}).get("code") or first["message"])
            elif message["type"] == "next" and payload.get("errors"):
                codes.append(payload["errors"][0]["extensions"]["code"])
    return codes


async def many_subscriptions(url: str, pid: int, client: httpx.AsyncClient, out: Figures) -> None:
    connections = 120
    out.add("read latency, idle", await read_latency(client))
    before = rss_mib(pid)
    sockets = [await open_socket(url) for _ in range(connections)]
    for ws in sockets:
        for number in range(11):  # one past the connection's limit
            await subscribe(ws, number)
    await asyncio.sleep(1)
    codes: dict[str, int] = {}
    for ws in sockets:
        for code in await refusals(ws, 0.05):
            codes[code] = codes.get(code, 0) + 1
    attempted = connections * 11
    refused = sum(codes.values())
    out.add(
        "subscriptions asked / held / refused",
        f"{attempted} / {attempted - refused} / {refused} ({codes})",
    )
    out.add("server memory with them", f"{rss_mib(pid):.0f} MiB (before: {before:.0f} MiB)")
    out.add("read latency, with them held", await read_latency(client))
    for ws in sockets:
        await ws.close()


async def write(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> float:
    """`count` editor writes from 4 clients; the seconds they took."""
    started = time.perf_counter()

    async def writer(first: int) -> None:
        for number in range(first, first + count // 4):
            await client.post("/graphql", json={"query": EDIT % number}, headers=headers)

    await asyncio.gather(*(writer(i * 10_000) for i in range(4)))
    return time.perf_counter() - started


async def writes_alone(
    pid: int, client: httpx.AsyncClient, headers: dict[str, str], out: Figures
) -> None:
    """The control: what writes alone do to the server's memory (the store's cache)."""
    before = rss_mib(pid)
    seconds = await write(client, headers, WRITES // 2)
    out.add(
        f"{WRITES // 2} editor writes, no subscriber",
        f"{seconds:.1f} s; server memory {before:.0f} -> {rss_mib(pid):.0f} MiB",
    )


async def slow_consumers(
    url: str,
    pid: int,
    log: Path,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    out: Figures,
) -> None:
    slow = [await open_socket(url, rcvbuf=4096) for _ in range(20)]
    for ws in slow:
        await subscribe(ws, 1)
    await asyncio.sleep(0.5)
    before = rss_mib(pid)
    during = asyncio.create_task(read_latency(client, 100))
    seconds = await write(client, headers, WRITES)
    latency = await during
    closed: dict[int | None, int] = {}
    for ws in slow:
        with contextlib.suppress(ConnectionClosed, TimeoutError):
            async with asyncio.timeout(10):
                while True:
                    await ws.recv()
        code = ws.close_code
        closed[code] = closed.get(code, 0) + 1
    out.add("slow consumers (4 KiB receive buffer, not reading)", f"{len(slow)}")
    out.add("editor writes meanwhile", f"{WRITES} in {seconds:.1f} s")
    dropped = log.read_text(errors="replace").count("does not read its events")
    out.add("slow consumers closed, by close code (client side)", f"{closed}")
    out.add("slow consumers the server dropped (its log)", f"{dropped}")
    out.add("server memory", f"{rss_mib(pid):.0f} MiB (before the writes: {before:.0f} MiB)")
    out.add("read latency, during the writes", latency)


async def huge_views(url: str, client: httpx.AsyncClient, out: Figures) -> None:
    ws = await open_socket(url)
    seeds = [
        f"org:{n}" for n in range(10_000)
    ]  # as variables: in the text, the token limit stops them
    started = time.perf_counter()
    many = "subscription($s: [ID!]!) { networkChanges(seeds: $s) { truncated } }"
    await subscribe(ws, 1, many, {"s": seeds})
    big = 'subscription { networkChanges(seeds: ["org:cedeao"], limit: 1000000) { truncated } }'
    await subscribe(ws, 2, big)
    codes = await refusals(ws, 2)
    took = (time.perf_counter() - started) * 1000
    out.add("huge views (10,000 seeds; limit 1,000,000)", f"refused: {codes}, in {took:.0f} ms")
    out.add("read latency, after them", await read_latency(client))
    await ws.close()


def markdown(out: Figures, command: str) -> str:
    lines = [
        "## Subscription abuse",
        "",
        f"`{command}` (embedded store, the seed; default limits: 1,000 subscriptions "
        "per process, 10 per connection, 100 waiting events each). Load average at "
        f"the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        "",
        "| What | Figure |",
        "|---|---|",
        *(f"| {what} | {value} |" for what, value in out.rows),
    ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    text = path.read_text() if path.exists() else "# Results\n"
    if SECTION.search(text):
        text = SECTION.sub(lambda _: section.rstrip() + "\n\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text.rstrip() + "\n")


async def run(results: Path | None) -> None:
    out = Figures()
    with tempfile.TemporaryDirectory(prefix="peacegraph-subs-") as folder:
        data_dir = Path(folder) / "store"
        token = await prepare(data_dir)
        headers = {"authorization": f"Bearer {token}"}
        async with (
            serving(data_dir) as (url, pid, log),
            httpx.AsyncClient(base_url=url, timeout=120) as client,
        ):
            await many_subscriptions(url, pid, client, out)
            await writes_alone(pid, client, headers, out)
            await slow_consumers(url, pid, log, client, headers, out)
            await huge_views(url, client, out)
    if results is not None:
        write_section(
            results, markdown(out, "python -m bench.subscriptions --results bench/RESULTS.md")
        )
        print(f"wrote the subscription abuse section of {results}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.subscriptions",
        description="Subscription abuse against a real server: limits, slow consumers, reads.",
    )
    parser.add_argument("--results", type=Path, help="write a section into this file")
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(run(args.results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
