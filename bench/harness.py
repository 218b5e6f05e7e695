"""The benchmark: load each size, then measure (a)-(f) of issue 8 in one run.

For each size (the seed report, then synthetic networks):
  a. bulk load throughput and on-disk size;
  b. six operations as the direct Store calls (recorded here, replayed and timed in
     the server process, see workload.py) and as GraphQL over HTTP against a real
     uvicorn server on loopback, the two sides in turns;
  c. the 3-level nested query against the naive baseline schema (naive.py), the two
     schemas in turns;
  d. the network view's latency, compared between the largest and smallest size
     (after every size, the two views in turns, each from its own server: bar 3);
     and, since the smallest graph's view is smaller than the budget of 500 nodes,
     also at equal answer size: every size's view cut to the smallest's node count;
  e. lookup throughput and latency at concurrency 32, GraphQL against a bare
     Starlette endpoint making the same store call (server.py);
  f. the server's resident memory while under that load.
Every figure is a median and p95 of repeated runs after warm-up runs. Ratios are
only compared within one run: the machines are shared and noisy.

The HTTP client is bench/client.py: a minimal HTTP/1.1 keep-alive client on asyncio
streams, each request's bytes built before it is timed, one connection for the
sequential measures and one per worker (32) for the load tests, all in this one
process. It costs far less CPU a request than a general client (httpx: ~1 ms), so
that the load test measures the server; the client's CPU share of the load test's
wall time is still reported (table (e)): near 1.0 the client sets the pace again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench import profile, report, stores, workload
from bench.client import Connection, Origin, Pool
from bench.stores import Where
from peacegraph.app.progress import progress_of
from peacegraph.graph.records import Node, Relationship
from peacegraph.graph.store import Store
from peacegraph.seed import loader
from peacegraph.synth.generator import generate

REPO = Path(__file__).resolve().parents[1]
CONCURRENCY = 32
SYNTH_SEED = 1


@dataclass(frozen=True)
class Size:
    """A graph to measure: the seed report, or a synthetic network of nodes/relationships."""

    name: str
    nodes: int = 0
    relationships: int = 0

    @classmethod
    def parse(cls, text: str) -> Size:
        """`seed`, or `NODES:RELS` such as `10000:100000` (k and M suffixes allowed)."""
        if text == "seed":
            return cls("seed")
        nodes, sep, rels = text.partition(":")
        if not sep:
            raise ValueError(f"size {text!r}: expected 'seed' or NODES:RELS")
        return cls(text, _count(nodes), _count(rels))


def _count(text: str) -> int:
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:].lower(), 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


@dataclass(frozen=True)
class Plan:
    """What one run measures, and how many times."""

    sizes: list[Size]
    out: Path
    command: str
    quick: bool = False
    warmup: int = 5
    repeats: dict[str, int] = field(
        default_factory=lambda: {
            "lookup": 200,
            "search": 50,
            "nested": 20,
            "network": 30,
            "path": 30,
            "stats": 20,
            "naive": 7,
        }
    )
    throughput_seconds: float = 10.0
    throughput_rounds: int = 5
    #: Warm-up runs of the naive baseline (at most `warmup`): each of its runs makes
    #: thousands of store calls (a minute in all on Neo4j at quick's 300:1500).
    naive_warmup: int = 2
    #: "embedded", or "neo4j" (the server at NEO4J_URI, or one started per size)
    store: str = "embedded"

    @classmethod
    def quick_plan(
        cls, out: Path, command: str, sizes: list[Size] | None = None, store: str = "embedded"
    ) -> Plan:
        """Tiny sizes, few runs: proves the harness works, in seconds (run by the tests)."""
        return cls(
            sizes=sizes or [Size("seed"), Size.parse("300:1500")],
            out=out,
            command=command,
            quick=True,
            warmup=1,
            # The naive baseline once, unwarmed: its figures are the slowest to take and
            # the quick run only proves that bar 2's machinery works.
            repeats=dict.fromkeys(("lookup", "search", "nested", "network", "path", "stats"), 3)
            | {"naive": 1},
            naive_warmup=0,
            throughput_seconds=0.5,
            throughput_rounds=2,
            store=store,
        )


FULL_SIZES = [Size("seed"), Size.parse("10k:100k"), Size.parse("100k:1M")]


def graph_of(size: Size) -> tuple[list[Node], list[Relationship]]:
    if size.name == "seed":
        bundles = loader.load_bundles()
        nodes = [node for b in bundles for node in (b.document, *b.nodes)]
        return nodes, [rel for b in bundles for rel in b.relationships]
    graph = generate(size.nodes, size.relationships, SYNTH_SEED)
    return graph.nodes, graph.relationships


# -- timing ---------------------------------------------------------------------------


#: One run of a measured side: given the turn number, how many seconds it took.
Side = Callable[[int], Awaitable[float]]


def clocked(call: Callable[[int], Awaitable[object]]) -> Side:
    """A side timed here, around the whole call."""

    async def side(turn: int) -> float:
        started = time.perf_counter()
        await call(turn)
        return time.perf_counter() - started

    return side


def answered(client: Connection, path: str, requests: Callable[[int], bytes]) -> Side:
    """A side timed from sending request `requests(turn)` to the answer's last byte;
    the answer is then checked (`checked`) outside the time: decoding a nested
    answer's JSON (~600 KB) is the client's work, not the server's latency."""

    async def side(turn: int) -> float:
        started = time.perf_counter()
        status, body = await client.send(requests(turn))
        seconds = time.perf_counter() - started
        checked(path, status, body)
        return seconds

    return side


def _always(request: bytes) -> Callable[[int], bytes]:
    """The same request at every turn."""
    return lambda _turn: request


async def in_turns(sides: dict[str, Side], *, warmup: int, repeats: int) -> dict[str, list[float]]:
    """Seconds of each side's `repeats` runs, the sides taking turns within each run,
    after `warmup` runs that are not kept. On a shared machine the sides of a ratio
    measured in separate phases would compare two moments; in turns, every drift
    falls on both. Run i of every side gets turn number i."""
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for turn in range(warmup + repeats):
        for name, side in sides.items():
            seconds = await side(turn)
            if turn >= warmup:
                samples[name].append(seconds)
    return samples


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- the server -----------------------------------------------------------------------


@contextlib.asynccontextmanager
async def running_server(
    where: Where, calls: Path | None = None
) -> AsyncIterator[tuple[subprocess.Popen[bytes], str]]:
    """`python -m bench.server` on a free loopback port, stopped on exit; `calls` is the
    recorded direct Store calls it can replay (`record_direct_calls`)."""
    port = stores.free_port()
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])
    )
    command = [sys.executable, "-m", "bench.server", *where.server_args()]
    command += ["--port", str(port), *(["--calls", str(calls)] if calls else [])]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(process, url)
        yield process, url
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 30)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)


async def _wait_ready(process: subprocess.Popen[bytes], url: str) -> None:
    origin = Origin.parse(url)
    health = origin.get("/healthz")
    for _ in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"benchmark server exited with {process.returncode}")
        async with Connection(origin, timeout=5.0) as probe:
            with contextlib.suppress(OSError, TimeoutError):
                if (await probe.send(health))[0] == 200:
                    return
        await asyncio.sleep(0.1)
    raise RuntimeError("benchmark server did not start within 60 s")


def rss_bytes(pid: int, field_name: str = "VmRSS") -> int:
    """Resident memory of a process from /proc (VmHWM is the peak since it started)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1]) * 1024
    return 0


@contextlib.asynccontextmanager
async def rss_sampler(pid: int, every: float = 0.05) -> AsyncIterator[list[int]]:
    samples: list[int] = []

    async def sample() -> None:
        while True:
            samples.append(rss_bytes(pid))
            await asyncio.sleep(every)

    task = asyncio.create_task(sample())
    try:
        yield samples
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def graphql_request(origin: Origin, path: str, query: str, variables: dict[str, Any]) -> bytes:
    return origin.post_json(path, {"query": query, "variables": variables})


def checked(path: str, status: int, body: bytes) -> Any:
    """The JSON of an answer, which must be a 200 without GraphQL errors."""
    try:
        parsed = json.loads(body)
    except ValueError:
        raise RuntimeError(f"{path} answered {status}, not JSON: {body[:300]!r}") from None
    if status != 200 or (isinstance(parsed, dict) and parsed.get("errors")):
        raise RuntimeError(f"{path} answered {status}: {str(parsed)[:300]}")
    return parsed


async def post(connection: Connection, path: str, request: bytes) -> Any:
    """Send a GraphQL request built by `graphql_request`; its checked JSON answer."""
    status, body = await connection.send(request)
    return checked(path, status, body)


@dataclass
class LoadTally:
    """What the rounds of one endpoint's load test add up to."""

    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def summary(self) -> dict[str, float]:
        figures = report.summary(self.latencies)
        return {
            "requests": len(self.latencies),
            "failures": self.failures,
            "seconds": self.seconds,
            "requests_per_second": len(self.latencies) / self.seconds,
            "p50_ms": figures["median_ms"],
            "p99_ms": figures["p99_ms"],
            "client_cpu_share": self.cpu_seconds / self.seconds,
        }


async def load_round(
    pool: Pool,
    path: str,
    requests: Sequence[bytes],
    tally: LoadTally,
    *,
    seconds: float,
    concurrency: int = CONCURRENCY,
) -> None:
    """`concurrency` workers, each on its own connection of `pool`, sending back to back
    for `seconds` (after one warm-up request each, whose answers must be checked JSON),
    added to `tally`. Worker i sends requests[i], requests[i + concurrency], ..."""
    if len(pool) < concurrency:
        raise ValueError(f"a pool of {len(pool)} connections for concurrency {concurrency}")

    async def warm_up(offset: int) -> None:
        checked(path, *await pool[offset].send(requests[offset % len(requests)]))

    await asyncio.gather(*(warm_up(i) for i in range(concurrency)))
    deadline = time.perf_counter() + seconds
    cpu_started, started = time.process_time(), time.perf_counter()

    async def worker(offset: int) -> None:
        connection = pool[offset]
        turn = offset
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            status, _ = await connection.send(requests[turn % len(requests)])
            tally.latencies.append(time.perf_counter() - sent)
            tally.failures += status != 200
            turn += concurrency

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    tally.seconds += time.perf_counter() - started
    tally.cpu_seconds += time.process_time() - cpu_started


async def load_tests(
    pool: Pool,
    endpoints: dict[str, tuple[str, Sequence[bytes]]],
    *,
    seconds: float,
    rounds: int,
) -> dict[str, dict[str, float]]:
    """Each endpoint (name -> path, requests) loaded for `seconds` in all, in `rounds`
    turns taken one endpoint after the other. The machine's speed drifts (it is shared),
    and alternating short turns gives each endpoint the same share of every drift,
    where one long run each would compare two different moments."""
    tallies = {name: LoadTally() for name in endpoints}
    for _ in range(rounds):
        for name, (path, requests) in endpoints.items():
            await load_round(pool, path, requests, tallies[name], seconds=seconds / rounds)
    return {name: tally.summary() for name, tally in tallies.items()}


# -- one size -------------------------------------------------------------------------


async def measure_size(
    size: Size, plan: Plan, folder: Path, equal_limit: int | None = None
) -> dict[str, Any]:
    """Every measure of one size. `equal_limit` is the node budget of the view at
    equal answer size (the smallest size's answer); None for the smallest itself,
    which uses its own answer's node count."""
    async with stores.where_to_load(plan.store, folder) as where:
        return await _measure_at(where, size, plan, folder, equal_limit)


async def _measure_at(
    where: Where, size: Size, plan: Plan, folder: Path, equal_limit: int | None
) -> dict[str, Any]:
    nodes, relationships = await asyncio.to_thread(graph_of, size)
    targets = workload.choose_targets(nodes, relationships)
    result: dict[str, Any] = {
        "name": size.name,
        "nodes": len(nodes),
        "relationships": len(relationships),
        "targets": {"hub": targets.hub, "search": targets.search_text, "path": targets.path},
    }
    result["load"] = await _load(where, nodes, relationships, quiet=plan.quick)
    del nodes, relationships
    calls, answers, result["network_profile"] = await record_direct_calls(
        where, targets, plan, equal_limit
    )
    result["network_answer"], result["network_equal"] = answers
    limit = result["network_equal"]["limit"]
    calls_file = folder / "calls.pickle"
    calls_file.write_bytes(pickle.dumps(calls))
    async with running_server(where, calls_file) as (process, url):
        origin = Origin.parse(url)
        async with Connection(origin, timeout=300.0) as client:
            result["operations"] = await _paired(client, targets, calls, plan)
            result["http_floor"] = await _bare_lookups(client, targets, plan)
            result["naive"] = await _naive(client, plan)
            result["network_equal"]["graphql"] = await _limited_network(
                client, targets, limit, plan
            )
            result["same_json"] = await _same_json(client, targets)
        result["throughput"], result["rss"] = await _throughput(origin, process, targets, plan)
    return result


async def _load(
    where: Where, nodes: list[Node], relationships: list[Relationship], *, quiet: bool
) -> dict[str, float]:
    store = await where.open()
    try:
        await store.migrate()
        with tqdm(
            total=len(nodes) + len(relationships), unit="rec", desc="bulk load", disable=quiet
        ) as bar:
            started = time.perf_counter()
            await store.bulk_load(nodes, relationships, progress=progress_of(bar))
            seconds = time.perf_counter() - started
    finally:
        await store.close()
    return {
        "seconds": seconds,
        "relationships_per_second": len(relationships) / seconds,
        "records_per_second": (len(nodes) + len(relationships)) / seconds,
        "disk_bytes": disk_bytes(where.folder) if where.folder.exists() else 0,
    }


async def record_direct_calls(
    where: Where, targets: workload.Targets, plan: Plan, equal_limit: int | None = None
) -> tuple[
    dict[str, list[list[workload.Call]]], tuple[dict[str, Any], dict[str, Any]], dict[str, Any]
]:
    """The Store calls each operation makes (per distinct run); the network answer's
    size, and that of the view at equal answer size (budget `equal_limit`, or this
    size's own answer's node count); and the network view's profile
    (`profile.profile`, embedded store only): read with the store opened here before
    the server takes it over."""
    store = await where.open()
    try:
        answer = await _answer_size(store, targets, 500)
        limit = equal_limit or max(1, answer["nodes"])
        equal = {"limit": limit} | await _answer_size(store, targets, limit)
        calls = {
            name: await workload.direct_calls(store, targets, name) for name in workload.OPERATIONS
        }
        if where.backend != "embedded":
            return calls, (answer, equal), {}
        replay_network = workload.replay(store, calls["network"])
        network_profile = await profile.profile(
            lambda: replay_network(0), warmup=plan.warmup, runs=plan.repeats["network"]
        )
        return calls, (answer, equal), network_profile
    finally:
        await store.close()


async def _answer_size(store: Store, targets: workload.Targets, limit: int) -> dict[str, Any]:
    """How big the hub's network view (depth 2, at most `limit` nodes) is."""
    network = await store.network([targets.hub], depth=2, limit=limit)
    return {
        "nodes": len(network.nodes),
        "edges": len(network.relationships),
        "truncated": network.truncated,
    }


async def _limited_network(
    client: Connection, targets: workload.Targets, limit: int, plan: Plan
) -> dict[str, float]:
    """The network view over HTTP with a node budget of `limit` (median, p95)."""
    variables = targets.variables("network") | {"limit": limit}
    request = graphql_request(client.origin, "/graphql", workload.NETWORK_LIMITED, variables)
    samples = await in_turns(
        {"graphql": answered(client, "/graphql", _always(request))},
        warmup=plan.warmup,
        repeats=plan.repeats["network"],
    )
    return report.summary(samples["graphql"])


async def _paired(
    client: Connection,
    targets: workload.Targets,
    calls: dict[str, list[list[workload.Call]]],
    plan: Plan,
) -> dict[str, Any]:
    """Each operation as its direct Store calls and as GraphQL over HTTP, in turns.

    The server replays the direct calls on its own store (`POST /direct`) and times
    them there, so both sides run in the same process, on the same warm store, one
    right after the other (`in_turns`). Run i of both sides uses the same variables."""
    figures: dict[str, Any] = {}
    for name, query in workload.OPERATIONS.items():
        runs = plan.warmup + plan.repeats[name]
        requests = [
            graphql_request(client.origin, "/graphql", query, targets.variables(name, turn))
            for turn in range(runs)
        ]
        replays = [
            client.origin.post_json("/direct", {"operation": name, "turn": turn})
            for turn in range(runs)
        ]

        async def replayed(turn: int, replays: list[bytes] = replays) -> float:
            return float(checked("/direct", *await client.send(replays[turn]))["seconds"])

        samples = await in_turns(
            {"direct": replayed, "graphql": answered(client, "/graphql", requests.__getitem__)},
            warmup=plan.warmup,
            repeats=plan.repeats[name],
        )
        direct_figures = report.summary(samples["direct"])
        graphql_figures = report.summary(samples["graphql"])
        figures[name] = {
            "direct": direct_figures | {"store_calls": [call.method for call in calls[name][0]]},
            "graphql": graphql_figures,
            "ratio": graphql_figures["median_ms"] / direct_figures["median_ms"],
        }
    return figures


def _bare_requests(origin: Origin, targets: workload.Targets) -> list[bytes]:
    return [origin.get("/bare/node", {"id": node_id}) for node_id in targets.lookup_ids]


async def _bare_lookups(
    client: Connection, targets: workload.Targets, plan: Plan
) -> dict[str, float]:
    """Sequential lookups on the bare endpoint: what HTTP alone costs around the store call."""
    requests = _bare_requests(client.origin, targets)

    async def call(turn: int) -> None:
        status, body = await client.send(requests[turn % len(requests)])
        if status != 200:
            raise RuntimeError(f"/bare/node answered {status}: {body[:300]!r}")

    samples = await in_turns(
        {"bare": clocked(call)}, warmup=plan.warmup, repeats=plan.repeats["lookup"]
    )
    return report.summary(samples["bare"])


async def _naive(client: Connection, plan: Plan) -> dict[str, Any]:
    """The nested query on the naive baseline and on the real schema, in turns (see
    `_paired`); the speed-up is the ratio of the two medians."""

    def posting(path: str) -> Side:
        request = graphql_request(client.origin, path, workload.NESTED, {})
        return answered(client, path, lambda turn: request)

    samples = await in_turns(
        {"naive": posting("/naive"), "graphql": posting("/graphql")},
        warmup=min(plan.warmup, plan.naive_warmup),
        repeats=plan.repeats["naive"],
    )
    naive, graphql = report.summary(samples["naive"]), report.summary(samples["graphql"])
    return {
        "naive": naive,
        "graphql": graphql,
        "speedup": naive["median_ms"] / graphql["median_ms"],
    }


async def _same_json(client: Connection, targets: workload.Targets) -> bool:
    """The bare endpoint must answer exactly what the GraphQL lookup answers."""
    node_id = targets.lookup_ids[0]
    request = graphql_request(client.origin, "/graphql", workload.LOOKUP, {"id": node_id})
    graphql = await post(client, "/graphql", request)
    status, body = await client.send(client.origin.get("/bare/node", {"id": node_id}))
    bare = checked("/bare/node", status, body)
    return bool(graphql == bare)


async def _throughput(
    origin: Origin,
    process: subprocess.Popen[bytes],
    targets: workload.Targets,
    plan: Plan,
) -> tuple[dict[str, Any], dict[str, Any]]:
    graphql = [
        graphql_request(origin, "/graphql", workload.LOOKUP, {"id": node_id})
        for node_id in targets.lookup_ids
    ]
    bare = _bare_requests(origin, targets)
    seconds = plan.throughput_seconds
    async with (
        Pool(origin, CONCURRENCY, timeout=60.0) as pool,
        rss_sampler(process.pid) as samples,
    ):
        figures = await load_tests(
            pool,
            {"graphql": ("/graphql", graphql), "bare": ("/bare/node", bare)},
            seconds=seconds,
            rounds=plan.throughput_rounds,
        )
    throughput = {
        **figures,
        "rounds": plan.throughput_rounds,
        "ratio": figures["graphql"]["requests_per_second"] / figures["bare"]["requests_per_second"],
    }
    rss = {
        "under_load_peak_bytes": max(samples, default=0),
        "lifetime_peak_bytes": rss_bytes(process.pid, "VmHWM"),
    }
    return throughput, rss


# -- the run --------------------------------------------------------------------------


async def network_in_turns(
    smallest: tuple[Path, str], largest: tuple[Path, str], plan: Plan
) -> dict[str, Any]:
    """Bar 3: the network view of the smallest and of the largest size, each from its
    own server, the two taking turns (`in_turns`), as every other ratio here is taken.
    Each size's own figures in table (d) are medians taken minutes apart, and on
    this shared machine the seed's moved from 12.9 to 15.2 ms between two runs of the
    same code, enough to move the ratio by a fifth. (folder, hub) of each size."""
    async with contextlib.AsyncExitStack() as stack:
        sides: dict[str, Side] = {}
        for name, (folder, hub) in (("smallest", smallest), ("largest", largest)):
            _, url = await stack.enter_async_context(
                running_server(Where("embedded", folder / "store"))
            )
            client = await stack.enter_async_context(Connection(Origin.parse(url), timeout=300.0))
            request = graphql_request(client.origin, "/graphql", workload.NETWORK, {"seeds": [hub]})
            sides[name] = answered(client, "/graphql", _always(request))
        samples = await in_turns(sides, warmup=2 * plan.warmup, repeats=2 * plan.repeats["network"])
    figures: dict[str, Any] = {name: report.summary(times) for name, times in samples.items()}
    figures["ratio"] = figures["largest"]["median_ms"] / figures["smallest"]["median_ms"]
    return figures


async def run(plan: Plan) -> dict[str, Any]:
    """Measure every size of the plan, then write RESULTS.md and results.json to plan.out."""
    started = time.time()
    sizes: list[dict[str, Any]] = []
    ordered = sorted(plan.sizes, key=lambda s: s.relationships)
    # The smallest and largest sizes' stores are kept for bar 3 (`network_in_turns`).
    kept: list[Path] = []
    try:
        for position, size in enumerate(ordered):
            print(f"benchmark: {size.name}", file=sys.stderr, flush=True)
            folder = Path(tempfile.mkdtemp(prefix="peacegraph-bench-"))
            # on Neo4j each size's store goes with its server (or the next size
            # empties NEO4J_URI's), so bar 3 is taken from table (d) there
            keep = plan.store == "embedded" and len(ordered) > 1
            keep = keep and position in (0, len(ordered) - 1)
            try:
                # Sizes run smallest first (the seed counts as smallest); the first one's
                # answer is the budget of every size's view at equal answer size.
                equal_limit = sizes[0]["network_equal"]["limit"] if sizes else None
                sizes.append(await measure_size(size, plan, folder, equal_limit))
            finally:
                if keep:
                    kept.append(folder)
                else:
                    shutil.rmtree(folder, ignore_errors=True)
        growth = None
        if len(kept) == 2:
            print("benchmark: network view, smallest and largest in turns", file=sys.stderr)
            hubs = (sizes[0]["targets"]["hub"], sizes[-1]["targets"]["hub"])
            growth = await network_in_turns((kept[0], hubs[0]), (kept[1], hubs[1]), plan)
    finally:
        for folder in kept:
            shutil.rmtree(folder, ignore_errors=True)
    results = {
        "command": plan.command,
        "quick": plan.quick,
        "store": plan.store,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": time.time() - started,
        "machine": report.machine_facts(REPO),
        "plan": {
            "warmup": plan.warmup,
            "repeats": plan.repeats,
            "throughput_seconds": plan.throughput_seconds,
            "throughput_rounds": plan.throughput_rounds,
            "concurrency": CONCURRENCY,
        },
        "sizes": sizes,
        "network_in_turns": growth,
    }
    results["bars"] = report.bars(sizes, growth)
    report.write(results, plan.out)
    return results


def sizes_of(texts: Sequence[str] | None, quick: bool) -> list[Size] | None:
    if not texts:
        return None if quick else FULL_SIZES
    return [Size.parse(text) for text in texts]
