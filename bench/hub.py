"""Hub safety on Neo4j: every read around a 50k-link hub answers within a second.

`python -m bench.hub [--load] [--label TEXT]` generates the 100k-node / 1M-link
synthetic graph whose top hub (the regional network) has 50,000 links
(`generate(..., hub_degree=50_000)`), plus a two-node island that nothing else
reaches, loads it (with `--load`; into the server at NEO4J_URI, emptied first, or
one this command starts), and times each read through the Store protocol: a
neighbours page of the hub (first and deep), its link count, the network around
it (depth 1 and 2), shortest paths that find nothing (to the island, to an id
that does not exist, between two nodes further apart than maxLength), the
timeline, and the totals (stats, counts by label and type). Each read runs once
to warm up, then `--runs` times; it passes when its slowest run is under 1 s.

The figures are kept in bench/hub-neo4j.json, one entry per `--label` (a later
run with the same label replaces it), and shown in the section "Hub safety on
Neo4j" of RESULTS.md, so a statement's before and after stay side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from bench import report, stores
from peacegraph.app import eventloop
from peacegraph.graph.dates import date_props
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, PropValue, Provenance, Relationship
from peacegraph.graph.store import Store
from peacegraph.synth.generator import generate

BENCH = Path(__file__).resolve().parent
FIGURES = BENCH / "hub-neo4j.json"
HEADING = "## Hub safety on Neo4j"
NODES, RELS, HUB_DEGREE, SEED = 100_000, 1_000_000, 50_000, 1
LIMIT_SECONDS = 1.0
#: How long one read may run before it is given up (and reported as over).
GIVE_UP_SECONDS = 60.0
ISLAND = ("org:hub-bench-island", "event:hub-bench-island")
MISSING = "person:hub-bench-does-not-exist"
#: maxLength of the path between two nodes that are further apart than that.
SHORT = 2


def island() -> tuple[list[Node], list[Relationship]]:
    """Two nodes linked to each other only: a component the hub cannot reach."""
    cite = (Provenance("src:synth-000000", "bench", "island"),)
    org = Node(Label.ORGANIZATION, ISLAND[0], "Island organisation", {"kind": "ngo"}, cite)
    dates: dict[str, PropValue] = dict(date_props("2023-07", None))
    event = Node(Label.EVENT, ISLAND[1], "Island event", dates, cite)
    link = Relationship(RelType.PARTICIPATED_IN, org.id, event.id, {}, cite)
    return [org, event], [link]


def far_apart(
    relationships: Sequence[Relationship], candidates: Sequence[str], distance: int, seed: int = 3
) -> tuple[str, str]:
    """Two of `candidates` with no path of `distance` links or fewer (breadth first)."""
    around: dict[str, list[str]] = defaultdict(list)
    for rel in relationships:
        around[rel.source].append(rel.target)
        around[rel.target].append(rel.source)
    rng = random.Random(seed)
    for _ in range(1_000):
        a, b = rng.sample(list(candidates), 2)
        if b not in _within(around, a, distance):
            return a, b
    raise RuntimeError(f"no two nodes more than {distance} links apart")


def two_neighbours(relationships: Sequence[Relationship], hub: str) -> tuple[str, str]:
    """Two events linked to the hub and not to each other: two links apart, through it."""
    events = sorted(
        {rel.target for rel in relationships if rel.source == hub and rel.target[:6] == "event:"}
    )
    linked = {(rel.source, rel.target) for rel in relationships}
    for a, b in itertools.pairwise(events):
        if (a, b) not in linked and (b, a) not in linked:
            return a, b
    raise RuntimeError("no two of the hub's events apart")


def _within(around: dict[str, list[str]], start: str, distance: int) -> set[str]:
    seen = {start}
    queue = deque([(start, 0)])
    while queue:
        node, steps = queue.popleft()
        if steps == distance:
            continue
        for other in around[node]:
            if other not in seen:
                seen.add(other)
                queue.append((other, steps + 1))
    return seen


Read = Callable[[], Awaitable[object]]


def reads(
    store: Store, hub: str, apart: tuple[str, str], through: tuple[str, str]
) -> dict[str, Read]:
    """Each read of the measure, by what it is called in the table."""
    return {
        "neighbours: first page of 50": lambda: store.neighbours(hub, limit=50),
        "neighbours: page of 50 at offset 25,000": lambda: store.neighbours(
            hub, offset=25_000, limit=50
        ),
        "count of the hub's links": lambda: store.count_neighbours(hub),
        "network, depth 1, at most 500 nodes": lambda: store.network([hub], depth=1, limit=500),
        "network, depth 2, at most 500 nodes": lambda: store.network([hub], depth=2, limit=500),
        "path: hub to the island (maxLength 4)": lambda: store.shortest_paths(
            hub, ISLAND[0], max_length=4
        ),
        "path: hub to the island (maxLength 10)": lambda: store.shortest_paths(
            hub, ISLAND[0], max_length=10
        ),
        "path: hub to an id that does not exist": lambda: store.shortest_paths(
            hub, MISSING, max_length=4
        ),
        f"path: two nodes further apart than maxLength {SHORT}": lambda: store.shortest_paths(
            *apart, max_length=SHORT
        ),
        "path: two of the hub's events, through it only (maxLength 1)": lambda: (
            store.shortest_paths(*through, max_length=1)
        ),
        "timeline of the hub": lambda: store.timeline(hub),
        "timeline of the hub, partners by id and name": lambda: store.timeline(
            hub, partner_props=()
        ),
        "neighbours: first page of 50, nodes by id and name": lambda: store.neighbours(
            hub, limit=50, node_props=()
        ),
        "stats, whole period": lambda: store.stats(),
        "stats, one quarter": lambda: store.stats(date_from="2023-07", date_to="2023-09"),
        "counts by label": store.count_by_label,
        "counts by type": store.count_by_type,
    }


async def timed(read: Read, runs: int) -> dict[str, Any]:
    """One warm-up, then `runs` timed runs (seconds); a run over GIVE_UP_SECONDS stops it."""
    samples: list[float] = []
    for turn in range(runs + 1):
        started = time.perf_counter()
        try:
            await asyncio.wait_for(read(), GIVE_UP_SECONDS)
        except TimeoutError:
            samples.append(GIVE_UP_SECONDS)
            break
        if turn:
            samples.append(time.perf_counter() - started)
    return {
        "median_ms": 1000 * sorted(samples)[len(samples) // 2],
        "max_ms": 1000 * max(samples),
        "runs": len(samples),
        "gave_up": max(samples) >= GIVE_UP_SECONDS,
    }


async def measure(where: stores.Where, *, load: bool, runs: int) -> dict[str, Any]:
    graph = await asyncio.to_thread(generate, NODES, RELS, SEED, HUB_DEGREE)
    extra_nodes, extra_links = island()
    nodes, links = graph.nodes + extra_nodes, graph.relationships + extra_links
    people = [node.id for node in graph.nodes if node.label is Label.PERSON]
    apart = await asyncio.to_thread(far_apart, graph.relationships, people, SHORT)
    through = two_neighbours(graph.relationships, graph.hub)
    store = await where.open()
    try:
        await store.migrate()
        loaded: dict[str, float] = {}
        if load:
            started = time.perf_counter()
            await store.bulk_load(nodes, links)
            seconds = time.perf_counter() - started
            loaded = {"seconds": seconds, "relationships_per_second": len(links) / seconds}
            print(f"hub: loaded in {seconds:.0f} s", file=sys.stderr, flush=True)
        degree = await store.count_neighbours(graph.hub)
        figures = {}
        for name, read in reads(store, graph.hub, apart, through).items():
            figures[name] = await timed(read, runs)
            print(f"hub: {name}: {figures[name]}", file=sys.stderr, flush=True)
    finally:
        await store.close()
    return {
        "graph": {"nodes": len(nodes), "relationships": len(links), "hub": graph.hub},
        "hub_degree": degree,
        "apart": list(apart),
        "through": list(through),
        "load": loaded,
        "reads": figures,
        "order": list(figures),
    }


def section(runs: dict[str, dict[str, Any]]) -> str:
    """The RESULTS.md section: one column of median / slowest ms for each labelled run."""
    labels = sorted(runs, key=lambda label: str(runs[label]["started"]))
    first = runs[labels[-1]]  # the latest run describes the graph and its targets
    names: list[str] = []
    for label in labels:  # every read any run timed, in the order the runs timed them
        run = runs[label]
        for name in run.get("order", run["reads"]):
            if name not in names:
                names.append(name)
    lines = [
        HEADING,
        "",
        "Command: `python -m bench.hub --load --label LABEL` (bench/hub.py). The synthetic "
        f"graph of {first['graph']['nodes']:,} nodes and {first['graph']['relationships']:,} "
        f"links, its hub `{first['graph']['hub']}` with {first['hub_degree']:,} links, and "
        "a two-node island; each read through the Store protocol, once to warm up, then "
        f"timed; milliseconds, median / slowest. Limit: {LIMIT_SECONDS * 1000:.0f} ms for "
        f"the slowest run; a run is given up at {GIVE_UP_SECONDS:.0f} s. "
        f"The two nodes further apart: {', '.join(first['apart'])}; the hub's two "
        f"events: {', '.join(first.get('through', []))}.",
        "",
    ]
    for label in labels:
        run = runs[label]
        facts = f"run {run['started']}, commit {run['commit']}"
        if run["load"]:
            load = run["load"]
            facts += (
                f"; loaded in {load['seconds']:.0f} s "
                f"({load['relationships_per_second']:.0f} links/s)"
            )
        lines.append(f"- {label}: {facts}, load average {run['load_average']}.")
    lines += ["", "| read | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    for name in names:
        cells = []
        for label in labels:
            figure = runs[label]["reads"].get(name)
            if figure is None:
                cells.append("")
                continue
            over = figure["max_ms"] >= LIMIT_SECONDS * 1000
            given = " (given up)" if figure["gave_up"] else ""
            cell = f"{figure['median_ms']:.1f} / {figure['max_ms']:.1f}{given}"
            cells.append(f"**{cell}**" if over else cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


async def main_async(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="peacegraph-hub-") as folder:
        if args.load:
            async with stores.where_to_load("neo4j", Path(folder)) as where:
                result = await measure(where, load=True, runs=args.runs)
        else:
            uri = os.environ.get("NEO4J_URI", "")
            if not uri:
                print("without --load, NEO4J_URI must name the loaded server", file=sys.stderr)
                return 2
            result = await measure(
                stores.Where("neo4j", Path(folder), uri), load=False, runs=args.runs
            )
    machine = report.machine_facts(BENCH.parent)
    result |= {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": machine["commit"],
        "load_average": machine.get("load_average_at_start", ""),
    }
    runs: dict[str, Any] = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    runs[args.label] = result
    FIGURES.write_text(json.dumps(runs, indent=2, sort_keys=True) + "\n")
    report.put_section(args.out / "RESULTS.md", HEADING, section(runs))
    over = [name for name, f in result["reads"].items() if f["max_ms"] >= LIMIT_SECONDS * 1000]
    print(f"over {LIMIT_SECONDS} s: {over or 'none'}")
    return 1 if over else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hub", description=__doc__)
    parser.add_argument("--load", action="store_true", help="empty the store and load the graph")
    parser.add_argument("--label", default="now", help="the column this run fills")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each read")
    parser.add_argument("--out", type=Path, default=BENCH, help="folder of RESULTS.md")
    return eventloop.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
