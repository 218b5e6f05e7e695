"""`python -m bench`: run the benchmark of issue 8 (what `make bench` runs) and write
RESULTS.md and results.json (see harness.py)."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence
from pathlib import Path

from bench import harness, stores
from peacegraph.app import eventloop

#: Where the results are written by default: beside the harness.
BENCH = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run the benchmark (embedded store, or Neo4j)."
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few runs (seconds)")
    parser.add_argument(
        "--sizes",
        nargs="+",
        metavar="SIZE",
        help="'seed' or NODES:RELS such as 10k:100k (default: seed 10k:100k 100k:1M)",
    )
    parser.add_argument(
        "--store",
        choices=stores.BACKENDS,
        default="embedded",
        help="neo4j: the server at NEO4J_URI (emptied first), else one started per size "
        "with tools/neo4j/run.sh; writes the section 'On Neo4j' of RESULTS.md",
    )
    parser.add_argument(
        "--at-most",
        type=int,
        metavar="N",
        help="at most N timed runs of each operation, 2 warm-up runs and 5 s load tests "
        "(for a slow store or a busy machine)",
    )
    parser.add_argument("--out", type=Path, help="folder for RESULTS.md and results.json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write RESULTS.md and results.json."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out: Path = args.out or BENCH
    command = ["python -m bench"]
    if args.quick:
        command.append("--quick")
    if args.store != "embedded":
        command += ["--store", args.store]
    if args.at_most:
        command += ["--at-most", str(args.at_most)]
    if args.sizes:
        command += ["--sizes", *args.sizes]
    if args.out:
        command += ["--out", str(args.out)]
    try:
        sizes = harness.sizes_of(args.sizes, args.quick)
    except ValueError as error:
        parser.error(f"--sizes: {error}")
    if args.quick:
        plan = harness.Plan.quick_plan(out, " ".join(command), sizes, args.store)
    else:
        plan = harness.Plan(
            sizes=sizes or harness.FULL_SIZES,
            out=out,
            command=" ".join(command),
            store=args.store,
        )
        if args.at_most:
            plan = dataclasses.replace(
                plan,
                warmup=2,
                repeats={name: min(n, args.at_most) for name, n in plan.repeats.items()},
                throughput_seconds=5.0,
            )
    results = eventloop.run(harness.run(plan))
    for bar in results["bars"]:
        status = "met" if bar["met"] else "NOT met"
        value = f"{bar['value']:.2f} (limit {bar['limit']:g})"
        print(f"bar {bar['bar']}: {bar['what']} = {value} {status}")
    data = "results.json" if args.store == "embedded" else "results-neo4j.json"
    print(f"wrote {out / 'RESULTS.md'} and {out / data}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
