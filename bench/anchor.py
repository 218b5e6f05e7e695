"""Side by side with the anchor, @neo4j/graphql, over the same Neo4j database.

`python -m bench.anchor [--sizes seed 10k:100k]` loads each graph into Neo4j (the
server at NEO4J_URI, emptied first, or a fresh one per size), then serves it twice:
PeaceGraph on the Neo4j store (`python -m bench.server --neo4j-uri`, the real app)
and @neo4j/graphql under Apollo Server (bench/anchor/server.mjs, with our model's
type definitions, bench/anchor/typeDefs.graphql, written by `--write-typedefs` from
`graph.model`). Four measures, each as the equivalent query of each API:
  - network: the hub's 2-hop neighbourhood by participation, with edges, at most
    ~500 nodes (PeaceGraph's `network`; the anchor's nested connections);
  - nested: 100 organisations, 10 events each, 10 participants each;
  - lookup: an organisation by id (50 ids in turn);
  - page: organisations of one kind, sorted by name, first 20, with totalCount.
For each: median and p95 latency, the two APIs taking turns request by request,
then throughput at concurrency 32, the two taking turns in rounds. The section
"Side by side with @neo4j/graphql" of RESULTS.md gets the figures.

Run `npm ci` in bench/anchor once (node_modules is not committed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from bench import harness, report, stores, workload
from bench.client import Connection, Origin, Pool
from bench.stores import Where
from peacegraph.app import eventloop
from peacegraph.graph.model import ENDPOINTS, NODE_PROPS, REL_PROPS, Label, PropType, RelType

BENCH = Path(__file__).resolve().parent
ANCHOR = BENCH / "anchor"
TYPEDEFS = ANCHOR / "typeDefs.graphql"
FIGURES = BENCH / "anchor-neo4j.json"
HEADING = "## Side by side with @neo4j/graphql"
#: The node kinds the anchor serves: the domain, without the source documents.
KINDS = (
    Label.ORGANIZATION,
    Label.PERSON,
    Label.EVENT,
    Label.PROGRAMME,
    Label.PLACE,
    Label.OBSERVATION,
)
_GRAPHQL_TYPES = {
    PropType.STRING: "String",
    PropType.STRING_LIST: "[String!]",
    PropType.INT: "Int",
    PropType.FLOAT: "Float",
    PropType.BOOL: "Boolean",
}
_EVENT_ROLES = "ORGANIZED|FUNDED|PARTICIPATED_IN|ATTENDED"

# -- type definitions -----------------------------------------------------------------


def _camel(rel_type: RelType) -> str:
    first, *rest = rel_type.value.lower().split("_")
    return first + "".join(word.title() for word in rest)


def relationship_fields(label: Label) -> list[str]:
    """A field for each (type, other label) the model allows, out of and into `label`:
    `participatedInEvent` (out), `participatedInFromOrganization` (in)."""
    fields: list[str] = []
    for rel_type, pairs in ENDPOINTS.items():
        for source, target in pairs:
            if source not in KINDS or target not in KINDS:
                continue
            common = f'type: "{rel_type.value}", properties: "Link"'
            if source is label:
                fields.append(
                    f"  {_camel(rel_type)}{target.value}: [{target.value}!]! "
                    f"@relationship({common}, direction: OUT)"
                )
            if target is label:
                fields.append(
                    f"  {_camel(rel_type)}From{source.value}: [{source.value}!]! "
                    f"@relationship({common}, direction: IN)"
                )
    return fields


#: What PeaceGraph's Organization.events and Event.participants mean, as @cypher fields.
_CYPHER_FIELDS = {
    Label.ORGANIZATION: [
        '  "Events it organised, funded, took part in or attended (as PeaceGraph\'s events)."',
        "  events(first: Int = 50): [Event!]! @cypher(statement: "
        f'"MATCH (this)-[:{_EVENT_ROLES}]->(e:Event) RETURN DISTINCT e ORDER BY e.id '
        'LIMIT $first", columnName: "e")',
    ],
    Label.EVENT: [
        '  "Organisations and people that organised, funded, took part or attended."',
        "  participantActors(first: Int = 50): [Actor!]! @cypher(statement: "
        f'"MATCH (this)<-[:{_EVENT_ROLES}]-(x:Organization|Person) RETURN DISTINCT x '
        'ORDER BY x.id LIMIT $first", columnName: "x")',
    ],
}


def type_definitions() -> str:
    """The anchor's type definitions for our model (graph.model): every node kind with
    its properties, every allowed relationship with its properties (`Link`)."""
    lines = [
        "# Written by `python -m bench.anchor --write-typedefs` from peacegraph/graph/model.py.",
        "",
        "type Link @relationshipProperties {",
        *(f"  {p.name}: {_GRAPHQL_TYPES[p.type]}" for p in REL_PROPS),
        "}",
        "",
        "union Actor = Organization | Person",
    ]
    for label in KINDS:
        lines += ["", f'type {label.value} @node(labels: ["{label.value}", "Entity"]) {{']
        lines += ["  id: ID!", "  name: String!"]
        for prop in NODE_PROPS:
            if prop.name not in {"id", "name"}:
                lines.append(f"  {prop.name}: {_GRAPHQL_TYPES[prop.type]}")
        lines += relationship_fields(label)
        lines += _CYPHER_FIELDS.get(label, [])
        lines.append("}")
    return "\n".join(lines) + "\n"


# -- the equivalent queries -------------------------------------------------------------

_EDGES = "edges { properties { role } node { id name } }"
QUERIES: dict[str, tuple[str, str]] = {
    "network": (
        """query Network($id: ID!) {
  network(seeds: [$id], depth: 2, relationshipTypes: [PARTICIPATED_IN], limit: 500) {
    truncated elements } }""",
        """query Network($id: ID!) {
  organizations(where: {id: {eq: $id}}) { id name
    participatedInEventConnection(first: 20, sort: [{node: {id: ASC}}]) {
      edges { properties { role } node { id name dateFrom dateTo
        participatedInFromOrganizationConnection(first: 12) { """
        + _EDGES
        + """ }
        participatedInFromPersonConnection(first: 12) { """
        + _EDGES
        + """ } } } } } }""",
    ),
    "nested": (
        workload.NESTED,
        """query Nested {
  organizations(limit: 100, sort: [{name: ASC}]) { id name
    events(first: 10) { id name
      participantActors(first: 10) {
        ... on Organization { id name } ... on Person { id name } } } } }""",
    ),
    "lookup": (
        "query Lookup($id: ID!) { node(id: $id) { id name kind nodeKind } }",
        "query Lookup($id: ID!) { organizations(where: {id: {eq: $id}}) { id name kind } }",
    ),
    "page": (
        """query Page($kind: String!) {
  organizations(filter: {kinds: [$kind]}, sort: {field: NAME}, first: 20) {
    totalCount nodes { id name kind } } }""",
        """query Page($kind: String!) {
  organizationsConnection(where: {kind: {eq: $kind}}, sort: [{name: ASC}], first: 20) {
    totalCount edges { node { id name kind } } } }""",
    ),
}
#: The path each API answers at.
PATHS = {"peacegraph": "/graphql", "anchor": "/"}


def variables(name: str, hub: str, organisations: Sequence[str], turn: int) -> dict[str, Any]:
    if name == "network":
        return {"id": hub}
    if name == "lookup":
        return {"id": organisations[turn % len(organisations)]}
    if name == "page":
        return {"kind": "ngo"}
    return {}


# -- running the two servers ------------------------------------------------------------


@contextlib.asynccontextmanager
async def anchor_server(uri: str) -> AsyncIterator[str]:
    """`node server.mjs` on a free loopback port, serving the Neo4j database at `uri`."""
    port = stores.free_port()
    env = dict(os.environ, NEO4J_URI=uri, PORT=str(port))
    process = subprocess.Popen(["node", "server.mjs"], cwd=ANCHOR, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        origin = Origin.parse(url)
        probe = origin.post_json("/", {"query": "{ __typename }"})
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"the anchor exited with {process.returncode}")
            with contextlib.suppress(OSError, TimeoutError):
                async with Connection(origin, timeout=5.0) as client:
                    if (await client.send(probe))[0] == 200:
                        break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("the anchor did not start within 60 s")
        yield url
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)


async def compare(
    origins: dict[str, Origin], hub: str, organisations: Sequence[str], plan: harness.Plan
) -> dict[str, Any]:
    """Each measure: latency with the two APIs in turns, then throughput at 32."""
    figures: dict[str, Any] = {}
    async with contextlib.AsyncExitStack() as stack:
        clients = {
            api: await stack.enter_async_context(Connection(origin, timeout=300.0))
            for api, origin in origins.items()
        }
        for name, texts in QUERIES.items():
            repeats = plan.repeats.get(name, plan.repeats["nested"])
            runs = plan.warmup + repeats
            requests = {
                api: [
                    harness.graphql_request(
                        origins[api], PATHS[api], text, variables(name, hub, organisations, turn)
                    )
                    for turn in range(runs)
                ]
                for api, text in zip(origins, texts, strict=True)
            }
            sides = {
                api: harness.answered(clients[api], PATHS[api], requests[api].__getitem__)
                for api in origins
            }
            samples = await harness.in_turns(sides, warmup=plan.warmup, repeats=repeats)
            answers = {
                api: harness.checked(PATHS[api], *await clients[api].send(requests[api][0]))
                for api in origins
            }
            figures[name] = {
                api: report.summary(samples[api]) | {"answer_bytes": len(json.dumps(answers[api]))}
                for api in origins
            }
            print(f"anchor: {name}: {figures[name]}", file=sys.stderr, flush=True)
    for name, texts in QUERIES.items():
        loads = {}
        for api, text in zip(origins, texts, strict=True):
            sent = [
                harness.graphql_request(
                    origins[api], PATHS[api], text, variables(name, hub, organisations, turn)
                )
                for turn in range(harness.CONCURRENCY * 2)
            ]
            loads[api] = (PATHS[api], sent)
        pools = {}
        async with contextlib.AsyncExitStack() as stack:
            for api, origin in origins.items():
                pools[api] = await stack.enter_async_context(
                    Pool(origin, harness.CONCURRENCY, timeout=120.0)
                )
            tallies = {api: harness.LoadTally() for api in origins}
            for _ in range(plan.throughput_rounds):
                for api in origins:
                    await harness.load_round(
                        pools[api],
                        loads[api][0],
                        loads[api][1],
                        tallies[api],
                        seconds=plan.throughput_seconds / plan.throughput_rounds,
                    )
        for api, tally in tallies.items():
            figures[name][api]["throughput"] = tally.summary()
        print(f"anchor: {name} at 32: {figures[name]}", file=sys.stderr, flush=True)
    return figures


async def measure_size(size: harness.Size, plan: harness.Plan, folder: Path) -> dict[str, Any]:
    nodes, relationships = await asyncio.to_thread(harness.graph_of, size)
    targets = workload.choose_targets(nodes, relationships)
    every = [n.id for n in nodes if n.label is Label.ORGANIZATION]
    organisations = every[:: max(1, len(every) // 50)][:50]
    result: dict[str, Any] = {"name": size.name, "nodes": len(nodes), "hub": targets.hub}
    async with stores.where_to_load("neo4j", folder) as where:
        store = await where.open()
        try:
            await store.migrate()
            started = time.perf_counter()
            await store.bulk_load(nodes, relationships)
            result["load_seconds"] = time.perf_counter() - started
        finally:
            await store.close()
        del nodes, relationships
        async with (
            harness.running_server(Where("neo4j", folder, where.uri)) as (_, ours),
            anchor_server(where.uri) as theirs,
        ):
            origins = {"peacegraph": Origin.parse(ours), "anchor": Origin.parse(theirs)}
            result["measures"] = await compare(origins, targets.hub, organisations, plan)
    return result


def _rate(figure: dict[str, Any]) -> str:
    """Requests a second at concurrency 32, or a dash when not measured."""
    throughput = figure.get("throughput")
    return f"{throughput['requests_per_second']:.0f}" if throughput else "–"


def section(results: dict[str, Any]) -> str:
    lines = [
        HEADING,
        "",
        f"Command: `{results['command']}` (bench/anchor.py). Run {results['started']}, "
        f"commit {results['commit']}, load average at the start {results['load_average']}; "
        f"@neo4j/graphql {results['anchor_version']} under Apollo Server (Node "
        f"{results['node']}), PeaceGraph as `bench.server` on the Neo4j store, both on "
        "the same Neo4j 5.26 database, one process each. Latencies: the two APIs in "
        f"turns, request by request, {results['warmup']} warm-up runs, then "
        f"{results['repeats']} runs (lookup: 200); throughput: concurrency 32, "
        f"{results['throughput_seconds']:g} s each in {results['throughput_rounds']} rounds "
        "taken in turns. Median / p95 ms; req/s; answer size in bytes of JSON.",
        "",
        "| size | measure | PeaceGraph | @neo4j/graphql | PeaceGraph / anchor (median) "
        "| PeaceGraph req/s | anchor req/s | answer bytes (ours / anchor) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size in results["sizes"]:
        for name, figure in size["measures"].items():
            ours, theirs = figure["peacegraph"], figure["anchor"]
            lines.append(
                f"| {size['name']} | {name} | {ours['median_ms']:.2f} / {ours['p95_ms']:.2f} | "
                f"{theirs['median_ms']:.2f} / {theirs['p95_ms']:.2f} | "
                f"{ours['median_ms'] / theirs['median_ms']:.2f} | "
                f"{_rate(ours)} | {_rate(theirs)} | "
                f"{ours['answer_bytes']} / {theirs['answer_bytes']} |"
            )
    lines += ["", "The queries, PeaceGraph's first, then the anchor's:", ""]
    for name, (ours_text, theirs_text) in QUERIES.items():
        lines += [f"{name}:", "", "```graphql", ours_text, "```", "", "```graphql"]
        lines += [theirs_text, "```", ""]
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace) -> int:
    sizes = [harness.Size.parse(text) for text in args.sizes]
    plan = harness.Plan(
        sizes=sizes,
        out=args.out,
        command="",
        warmup=3,
        repeats={"lookup": 200, "network": 30, "nested": 20, "page": 50},
        throughput_seconds=args.seconds,
        throughput_rounds=3,
    )
    started = time.time()
    measured = []
    for size in sizes:
        print(f"anchor: {size.name}", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="peacegraph-anchor-") as folder:
            measured.append(await measure_size(size, plan, Path(folder)))
    machine = report.machine_facts(BENCH.parent)
    package = json.loads((ANCHOR / "node_modules/@neo4j/graphql/package.json").read_text())
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True)
    results = {
        "command": "python -m bench.anchor --sizes " + " ".join(args.sizes),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "commit": machine["commit"],
        "load_average": machine.get("load_average_at_start", ""),
        "anchor_version": package["version"],
        "node": node.stdout.strip(),
        "warmup": plan.warmup,
        "repeats": plan.repeats["network"],
        "throughput_seconds": plan.throughput_seconds,
        "throughput_rounds": plan.throughput_rounds,
        "sizes": measured,
    }
    FIGURES.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    report.put_section(args.out / "RESULTS.md", HEADING, section(results))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.anchor", description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["seed", "10k:100k"], metavar="SIZE")
    parser.add_argument("--seconds", type=float, default=6.0, help="load test per API and measure")
    parser.add_argument("--out", type=Path, default=BENCH, help="folder of RESULTS.md")
    parser.add_argument(
        "--write-typedefs", action="store_true", help=f"write {TYPEDEFS.name} and stop"
    )
    args = parser.parse_args(argv)
    if args.write_typedefs:
        TYPEDEFS.write_text(type_definitions())
        return 0
    return eventloop.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
