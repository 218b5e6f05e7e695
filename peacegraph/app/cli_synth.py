"""The `synth` command: synthetic peacebuilding networks, for trying the service at scale."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peacegraph.app.cli_io import console
from peacegraph.app.progress import progress_of
from peacegraph.app.settings import Settings
from peacegraph.exchange.canonical import dumps, to_document
from peacegraph.graph.store import Store
from peacegraph.synth.generator import generate

AddStoreOptions = Callable[[argparse.ArgumentParser], None]


async def cmd_synth(args: argparse.Namespace, settings: Settings) -> int:
    """Generate a network; write it as canonical JSON, or load it by the store's bulk path."""
    started = time.perf_counter()
    graph = generate(args.nodes, args.rels, args.seed, args.hub_degree)
    made = f"{len(graph.nodes)} nodes, {len(graph.relationships)} relationships"
    print(f"generated {made} in {time.perf_counter() - started:.1f} s", file=console().err)
    if args.load:
        from peacegraph.app.cli import with_store

        async def work(store: Store) -> int:
            total = len(graph.nodes) + len(graph.relationships)
            with console().bar(
                total=total, unit="rec", desc="bulk load", disable=args.quiet
            ) as bar:
                begun = time.perf_counter()
                await store.bulk_load(graph.nodes, graph.relationships, progress=progress_of(bar))
            print(f"loaded {made} in {time.perf_counter() - begun:.1f} s", file=console().err)
            return 0

        return await with_store(settings, work)
    text = dumps(to_document(graph.nodes, graph.relationships))
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def add_commands(commands: Any, add_store_options: AddStoreOptions) -> None:
    synth = commands.add_parser(
        "synth", help="generate a synthetic peacebuilding network (canonical JSON, or --load)"
    )
    synth.add_argument("--nodes", type=int, required=True, help="how many nodes")
    synth.add_argument("--rels", type=int, required=True, help="how many relationships")
    synth.add_argument("--seed", type=int, default=1, help="random seed (same seed, same graph)")
    synth.add_argument(
        "--hub-degree",
        type=int,
        metavar="N",
        help="give the top hub (the regional network) at least N links within --rels",
    )
    synth.add_argument("--out", type=Path, help="write the JSON here (default: standard output)")
    synth.add_argument(
        "--load", action="store_true", help="load into the configured store instead of writing"
    )
    synth.add_argument("--quiet", action="store_true", help="no progress bar")
    add_store_options(synth)
    # Only --load needs the store; writing JSON stays in the CLI's own process.
    synth.set_defaults(handler=cmd_synth, via_service=lambda args: args.load)
