"""CLI commands that move data: `seed check` and `seed load`; the streaming JSON export."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peacegraph.app.cli_io import console
from peacegraph.app.progress import progress_of
from peacegraph.app.settings import Settings
from peacegraph.exchange import bulk_import
from peacegraph.exchange.dump import validate_document, write_validated
from peacegraph.exchange.reading import read_document
from peacegraph.exchange.streaming import export_to, total_records
from peacegraph.graph.errors import Conflict, Invalid
from peacegraph.graph.store import Store
from peacegraph.graph.writing import ImportMode
from peacegraph.seed import loader
from peacegraph.seed.validate import SeedBundle, load_seed

AddStoreOptions = Callable[[argparse.ArgumentParser], None]


def _bundles_to_check(args: argparse.Namespace) -> list[SeedBundle]:
    """The built-in seed, or the one report folder given (a draft, a review's export)."""
    folder: Path | None = args.folder
    if folder is None:
        return loader.load_bundles()
    if not folder.is_dir():
        raise Invalid(f"seed check: no folder {folder}")
    reports: Path = args.reports or (folder if any(folder.glob("*.md")) else loader.REPORTS_DIR)
    if not reports.is_dir():
        raise Invalid(f"seed check --reports: no folder {reports}")
    return [load_seed(folder, reports, require_coverage=not args.partial)]


async def cmd_seed_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate the seed and print, for every paragraph of each report, what cites it."""
    missing = 0
    for bundle in _bundles_to_check(args):
        rows = bundle.coverage
        print(f"\n{bundle.document.name} ({bundle.document.id})")
        print(f"{'line':>5}  {'status':<9}  {'facts':>5}  paragraph / reason")
        print(f"{'-' * 5}  {'-' * 9}  {'-' * 5}  {'-' * 60}")
        for row in rows:
            detail = row.excerpt if row.status != "explained" else f"{row.excerpt} — {row.reason}"
            print(f"{row.line:>5}  {row.status:<9}  {row.count:>5}  {detail}")
        covered = sum(1 for r in rows if r.status != "missing")
        missing += len(rows) - covered
        share = 100.0 * covered / len(rows) if rows else 100.0
        print(
            f"\n{covered}/{len(rows)} paragraphs cited or explained ({share:.1f}%); "
            f"{len(bundle.nodes)} nodes, {len(bundle.relationships)} relationships"
        )
    if missing and not args.partial:
        print(f"{missing} paragraph(s) neither cited nor explained")
        return 1
    return 0


async def cmd_seed_load(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    bundles = loader.load_bundles()

    async def work(store: Store) -> int:
        started = time.perf_counter()
        bar_options = {"total": loader.size(bundles), "unit": "item", "desc": "seed"}
        with console().bar(**bar_options, disable=args.quiet) as bar:
            result = await loader.write_bundles(store, bundles, progress=progress_of(bar))
        elapsed = time.perf_counter() - started
        print(
            f"loaded {len(result.reports)} report(s): {result.nodes} nodes, "
            f"{result.relationships} relationships in {elapsed:.2f} s",
            file=console().out,
        )
        return 0

    return await with_store(settings, work)


async def export_json(store: Store, out: Path | None, *, quiet: bool) -> None:
    """The canonical JSON to `out` (or standard output) in bounded memory, with a
    progress bar of the records read (issue 24: a million relationships)."""
    total = await total_records(store)
    with console().bar(total=total, unit="item", desc="export", disable=quiet) as bar:
        if out is None:
            await export_to(store, console().out, progress_of(bar), console().drain)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as file:
            await export_to(store, file, progress_of(bar))


async def import_large(args: argparse.Namespace, settings: Settings, path: Path) -> int:
    """`import` of a large canonical JSON file: checked record by record, then bulk
    loaded if the store is empty (`exchange.bulk_import`), in bounded memory; into a
    store that holds data, the one-transaction write path as for any file."""
    from peacegraph.app.cli import with_store

    try:
        with console().bar(unit="item", desc="check", disable=args.quiet) as bar:
            checked = await asyncio.to_thread(bulk_import.check_file, path, progress_of(bar))
    except Invalid as error:
        message = " ".join(str(error).split("\n"))
        raise Invalid(f"{args.file}: {message}", field=error.field) from None

    async def work(store: Store) -> int:
        total = checked.nodes + checked.relationships
        with console().bar(total=total, unit="item", desc="import", disable=args.quiet) as bar:
            if await bulk_import.is_empty(store):
                written = await bulk_import.load_file(store, path, checked, progress_of(bar))
            else:
                validated = await asyncio.to_thread(lambda: validate_document(read_document(path)))
                try:
                    written = await write_validated(
                        store, validated, progress=progress_of(bar), mode=ImportMode.CREATE
                    )
                except Conflict as error:
                    raise Conflict(f"{args.file}: {error}") from None
        print(
            f"imported {written[0]} nodes and {written[1]} relationships from {args.file}",
            file=console().out,
        )
        return 0

    return await with_store(settings, work)


def add_commands(commands: Any, add_store_options: AddStoreOptions) -> None:
    seed = commands.add_parser("seed", help="check or load the reviewed seed data")
    seed_commands = seed.add_subparsers(dest="seed_command", metavar="SEED_COMMAND")
    seed_commands.required = True
    check = seed_commands.add_parser(
        "check", help="validate the seed and show which paragraphs each fact cites"
    )
    check.add_argument(
        "folder",
        nargs="?",
        type=Path,
        help="one report's seed folder to check, such as an extraction draft "
        "(`peacegraph extract --out`) or reviewed facts (`peacegraph review export`); "
        "default: the built-in seed",
    )
    check.add_argument(
        "--reports",
        type=Path,
        help="the folder holding the report's text (default: FOLDER itself when it holds "
        "a .md file, else the built-in reports)",
    )
    check.add_argument(
        "--partial",
        action="store_true",
        help="paragraphs nothing cites are listed, not an error (a draft or a review "
        "covers part of a report)",
    )
    check.set_defaults(handler=cmd_seed_check)
    load = seed_commands.add_parser("load", help="load the seed into the store (idempotent)")
    add_store_options(load)
    load.add_argument("--quiet", action="store_true", help="no progress bar")
    load.set_defaults(handler=cmd_seed_load, via_service=True)
