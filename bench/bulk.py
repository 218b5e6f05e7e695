"""`python -m bench.bulk`: bulk load against the store's own COPY, and the round trip
at scale (issue 24, acceptance 2 and 3), in one run.

1. A synthetic graph (`peacegraph.synth`, default 100k nodes / 1M relationships).
2. COPY: into a fresh embedded store holding the nodes, LadybugDB's own `COPY ...
   FROM` of the relationships' CSV files (written beforehand, untimed): the floor.
3. Bulk load: into another fresh store holding the nodes, `Store.bulk_load` of the
   same relationships (validation, checks, CSV writing and COPY), timed whole.
4. Round trip, each step a `peacegraph` CLI process whose peak RSS is read from its
   /proc status (VmHWM): export the bulk-loaded store, import that file into an empty
   store, export again; the two files must be byte-identical (`--round-trip-only`
   repeats this step alone on the store an earlier run left in `--folder`).

With `--neo4j-uri`, the bulk load of the same graph into that (emptied) Neo4j
database is timed too. Prints a Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from bench import report, stores
from peacegraph.graph.embedded import bulk
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.records import Node, Relationship
from peacegraph.synth.generator import generate

MIB = 1024 * 1024
HEADING = "## Bulk load against COPY, and the round trip at scale"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
#: Seconds between two reads of a CLI step's peak RSS.
POLL = 0.1


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    peak_rss_mib: float
    returncode: int


def run_cli(name: str, args: list[str], data_dir: Path) -> Step:
    """One CLI process, its wall time and peak RSS.

    The peak is the child's VmHWM (/proc/PID/status), read every POLL seconds while
    it runs: exec gives the child a memory map of its own, so this is the CLI's peak
    alone. `ru_maxrss` from wait4 is not: it keeps the high-water mark of the memory
    map the child had before exec, a copy of this process, which holds the whole
    generated graph (it read 3.3 GiB for every step)."""
    env = {**os.environ, "PEACEGRAPH_DATA_DIR": str(data_dir), "PEACEGRAPH_STORE": "embedded"}
    env.pop("NEO4J_URI", None)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "peacegraph.app.cli", *args, "--quiet"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        peak_kib = 0
        while process.poll() is None:
            peak_kib = max(peak_kib, _high_water_kib(process.pid))
            time.sleep(POLL)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            errors.seek(0)
            text = errors.read().decode(errors="replace")[-2000:]
            print(f"{name} failed: {text}", file=sys.stderr)
    return Step(name, seconds, peak_kib / 1024, process.returncode)


def _high_water_kib(pid: int) -> int:
    """VmHWM of a running process in KiB (0 once it has exited)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


async def fresh_with_nodes(folder: Path, nodes: list[Node]) -> EmbeddedStore:
    store = await EmbeddedStore.open(folder)
    await store.migrate()
    await store.bulk_load(nodes, [])
    return store


async def time_copy(folder: Path, nodes: list[Node], rels: list[Relationship]) -> float:
    """The store's own COPY of `rels` from CSV files written beforehand (untimed), in
    the same transactions as the bulk path makes: what no loader can beat."""
    store = await fresh_with_nodes(folder, nodes)
    try:
        groups = bulk._group_relationships(rels)
        jobs = bulk._jobs([], groups)
        files = Path(tempfile.mkdtemp(prefix="bench-copy-"))
        paths = [bulk._write_file(files / f"{i:04d}.csv", job) for i, job in enumerate(jobs)]
        by_job = dict(zip((id(job) for job in jobs), paths, strict=True))
        started = time.perf_counter()
        for batch in bulk._transactions(jobs):
            async with store.transaction() as tx:
                writes = cast(Any, tx)
                for job in batch:
                    assert job.group is not None
                    writes.note_pair(job.group)
                    await writes.run(q.copy_relationships(*job.group, str(by_job[id(job)])), {})
        seconds = time.perf_counter() - started
        shutil.rmtree(files)
        return seconds
    finally:
        await store.close()


async def time_bulk(folder: Path, nodes: list[Node], rels: list[Relationship]) -> float:
    store = await fresh_with_nodes(folder, nodes)
    try:
        started = time.perf_counter()
        await store.bulk_load([], rels)
        return time.perf_counter() - started
    finally:
        await store.close()


async def time_neo4j(uri: str, nodes: list[Node], rels: list[Relationship]) -> tuple[float, float]:
    store = await stores.open_neo4j(uri)
    try:
        await stores.wipe(store)
        await store.migrate()
        started = time.perf_counter()
        await store.bulk_load(nodes, [])
        middle = time.perf_counter()
        await store.bulk_load([], rels)
        return middle - started, time.perf_counter() - middle
    finally:
        await store.close()


async def measure(args: argparse.Namespace, work: Path) -> list[str]:
    started = time.perf_counter()
    graph = generate(args.nodes, args.rels, args.seed)
    nodes, rels = graph.nodes, graph.relationships
    made = f"{len(nodes)} nodes / {len(rels)} relationships"
    lines = [
        f"Graph: `peacegraph synth` seed {args.seed}, {made}, generated in "
        f"{time.perf_counter() - started:.1f} s.",
        "",
    ]
    copy = await time_copy(work / "copy", nodes, rels)
    ours = await time_bulk(work / "bulk", nodes, rels)
    lines += [
        "| load of the relationships | seconds | ratio to COPY |",
        "| --- | ---: | ---: |",
        f"| LadybugDB's own COPY (CSV written beforehand) | {copy:.2f} | 1.0 |",
        f"| `Store.bulk_load` (validated, checked, CSV written, COPY) | {ours:.2f} | "
        f"{ours / copy:.1f} |",
    ]
    if args.neo4j_uri:
        neo_nodes, neo_rels = await time_neo4j(args.neo4j_uri, nodes, rels)
        lines.append(
            f"| Neo4j `Store.bulk_load` (UNWIND batches; nodes took {neo_nodes:.1f} s) | "
            f"{neo_rels:.2f} | {neo_rels / copy:.1f} |"
        )
    del graph, nodes, rels
    if args.skip_round_trip:
        return lines
    return [*lines, "", *round_trip(work)]


def round_trip(work: Path) -> list[str]:
    """Export the store in `work/bulk`, import that into an empty store, export again."""
    shutil.rmtree(work / "empty", ignore_errors=True)
    first, second = work / "first.json", work / "second.json"
    steps = [
        run_cli("export", ["export", "--out", str(first)], work / "bulk"),
        run_cli("import into an empty store", ["import", str(first), "--init"], work / "empty"),
        run_cli("export again", ["export", "--out", str(second)], work / "empty"),
    ]
    same = first.exists() and second.exists() and _same_bytes(first, second)
    size = first.stat().st_size / MIB if first.exists() else 0.0
    return [
        f"Round trip (file {size:.0f} MiB; byte-identical: {'yes' if same else 'NO'}), each "
        "step a `peacegraph` process, its peak RSS read from /proc (VmHWM):",
        "",
        "| step | seconds | peak RSS (MiB) | exit |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {s.name} | {s.seconds:.1f} | {s.peak_rss_mib:.0f} | {s.returncode} |" for s in steps),
    ]


def _same_bytes(first: Path, second: Path) -> bool:
    with first.open("rb") as a, second.open("rb") as b:
        while True:
            x, y = a.read(1 << 20), b.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bulk", description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rels", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--skip-round-trip", action="store_true", help="only COPY and bulk")
    parser.add_argument(
        "--round-trip-only",
        action="store_true",
        help="only the round trip, from the store a run with --folder left in FOLDER/bulk",
    )
    parser.add_argument("--neo4j-uri", help="also time the bulk load into this Neo4j (emptied)")
    parser.add_argument("--write", action="store_true", help="put the section in RESULTS.md")
    args = parser.parse_args()
    begun = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load = os.getloadavg()
    if args.round_trip_only:
        if args.folder is None or not (args.folder / "bulk").is_dir():
            parser.error("--round-trip-only needs --folder holding bulk/ from an earlier run")
        lines = round_trip(args.folder)
    elif args.folder is None:
        with tempfile.TemporaryDirectory(prefix="bench-bulk-") as folder:
            lines = asyncio.run(measure(args, Path(folder)))
    else:
        args.folder.mkdir(parents=True, exist_ok=True)
        lines = asyncio.run(measure(args, args.folder))
    command = " ".join(["python -m bench.bulk", *sys.argv[1:]])
    section = [
        HEADING,
        "",
        f"Command: `{command}`. Run: {begun}; load average at the start "
        f"{load[0]:.1f} (the machine is shared).",
        "",
        *lines,
    ]
    print("\n".join(section))
    if args.write:
        report.put_section(RESULTS, HEADING, "\n".join(section))


if __name__ == "__main__":
    main()
