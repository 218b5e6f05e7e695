"""CLI commands for assisted extraction: `extract` (a report to draft seed YAML) and
`extract-eval` (a draft scored against a reviewed dataset)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from peacegraph.app.progress import progress_of
from peacegraph.app.settings import Settings
from peacegraph.graph.errors import PeaceGraphError
from peacegraph.graph.records import Node
from peacegraph.graph.store import Store

AddStoreOptions = Callable[[argparse.ArgumentParser], None]
PAGE = 500


async def _graph_nodes(settings: Settings) -> list[Node]:
    from peacegraph.app.cli import with_store

    nodes: list[Node] = []

    async def work(store: Store) -> int:
        offset = 0
        while True:
            page = await store.all_nodes(offset=offset, limit=PAGE)
            nodes.extend(page.items)
            if not page.has_next:
                return 0
            offset += PAGE

    await with_store(settings, work)
    return nodes


def _seed_nodes(folder: Path) -> list[Node]:
    from peacegraph.seed.loader import REPORTS_DIR
    from peacegraph.seed.validate import load_seed

    reports = folder if any(folder.glob("*.md")) else REPORTS_DIR
    return load_seed(folder, reports, require_coverage=False).nodes


async def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    """Extract a draft from a report; link it to the graph unless --no-graph."""
    from peacegraph.extract import draft, extractor, linking
    from peacegraph.extract.nlp import pipeline
    from peacegraph.seed.validate import load_seed

    report: Path = args.report
    if not report.is_file():
        raise PeaceGraphError(f"report: no file {report}")
    text = report.read_text(encoding="utf-8")
    started = time.perf_counter()
    known: list[linking.Known] = []
    if not args.no_graph:
        nodes = _seed_nodes(args.known) if args.known else await _graph_nodes(settings)
        known = linking.known_of(nodes)
    with tqdm(
        total=1 + extractor.steps(text), unit="step", desc="extract", disable=args.quiet
    ) as bar:
        pipeline()
        bar.update(1)
        result, period = extractor.extract(
            text, report.name, linking.gazetteer(known) if known else None, progress_of(bar)
        )
    if known:
        linking.Linker(known).link(result)
    written = draft.write(result, report, args.out, period)
    load_seed(args.out, args.out, require_coverage=True)  # the draft passes `seed check`
    statuses: dict[str, int] = {}
    for entity in result.entities.values():
        statuses[entity.status] = statuses.get(entity.status, 0) + 1
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    print(
        f"{len(result.entities)} entities ({summary}), {len(draft.valid_links(result))} "
        f"relationships in {len(written)} files under {args.out} in {elapsed:.1f} s"
    )
    for entity_id in draft.ambiguous(args.out):
        candidates = result.entities[entity_id].candidates
        print(f"ambiguous: {entity_id} could be {', '.join(candidates)}")
    return 0


async def cmd_extract_eval(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.extract.evaluate import evaluate

    for folder in (args.draft, args.key):
        if not folder.is_dir():
            raise PeaceGraphError(f"no folder {folder}")
    print("\n".join(evaluate(args.draft, args.key).lines()))
    return 0


def add_commands(commands: Any, add_store_options: AddStoreOptions) -> None:
    extract = commands.add_parser(
        "extract", help="propose draft seed YAML (nodes, relationships, quotes) from a report"
    )
    extract.add_argument("report", type=Path, help="the report, as markdown (the seed's format)")
    extract.add_argument("--out", type=Path, required=True, help="folder to write the draft in")
    extract.add_argument(
        "--no-graph", action="store_true", help="do not link to the graph's known entities"
    )
    extract.add_argument(
        "--known", type=Path, help="link to a seed folder's entities instead of the store's"
    )
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    add_store_options(extract)
    extract.set_defaults(handler=cmd_extract)
    score = commands.add_parser(
        "extract-eval", help="score a draft against a reviewed seed folder (the answer key)"
    )
    score.add_argument("draft", type=Path, help="the draft folder `extract` wrote")
    score.add_argument("--key", type=Path, required=True, help="the reviewed seed folder")
    score.set_defaults(handler=cmd_extract_eval)
