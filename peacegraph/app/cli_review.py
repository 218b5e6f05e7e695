"""CLI commands for the review of extraction drafts: `review add` keeps a draft folder
(what `peacegraph extract --out` wrote) in the store for the explorer's review page,
`review list` and `review remove` manage them, `review export` writes the reviewed
facts as a seed folder and checks it as `peacegraph seed check` does.

They run through the admin socket when `peacegraph serve` holds the embedded store,
as the token commands do."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peacegraph.app.cli_io import console
from peacegraph.app.settings import Settings
from peacegraph.graph.errors import Invalid
from peacegraph.graph.store import Store
from peacegraph.review import drafts, ledger
from peacegraph.review.seed_files import seed_files

AddStoreOptions = Callable[[argparse.ArgumentParser], None]


async def cmd_review_add(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    folder = console().path(args.folder)
    draft = await asyncio.to_thread(drafts.read_folder, folder, args.name, actor="cli")

    async def work(store: Store) -> int:
        await drafts.add(store, draft, replace=args.replace)
        print(
            f"draft {draft.name}: {len(draft.facts)} facts to review at /explore/review",
            file=console().out,
        )
        return 0

    return await with_store(settings, work)


async def cmd_review_list(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    async def work(store: Store) -> int:
        out = console().out
        print(f"{'name':<30}  {'facts':>6}  {'decided':>7}  added", file=out)
        for draft in await drafts.every(store):
            decided = len(await ledger.decisions(store, draft.name))
            print(
                f"{draft.name:<30}  {len(draft.facts):>6}  {decided:>7}  {draft.added_at}", file=out
            )
        return 0

    return await with_store(settings, work)


async def cmd_review_remove(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    async def work(store: Store) -> int:
        await drafts.remove(store, args.name)
        print(f"removed draft {args.name} (accepted facts stay in the graph)", file=console().out)
        return 0

    return await with_store(settings, work)


def _check(files: dict[str, str]) -> None:
    """The folder passes the seed's validation, coverage included."""
    from peacegraph.seed.validate import load_seed

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        load_seed(folder, folder, require_coverage=True)


async def cmd_review_export(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    out = console().path(args.out)
    if out.exists() and any(out.iterdir()):
        raise Invalid(f"--out: {out} is not empty", field="--out")

    async def work(store: Store) -> int:
        draft = await drafts.get(store, args.name)
        made = seed_files(draft, await ledger.decisions(store, args.name))
        _check(made.files)
        out.mkdir(parents=True, exist_ok=True)
        for name, text in made.files.items():
            (out / name).write_text(text, encoding="utf-8")
        print(
            f"reviewed seed of {draft.name} written to {out} (seed check passed)",
            file=console().out,
        )
        for fact in made.left_out:
            print(f"left out (an end is not accepted here): {fact}", file=console().out)
        return 0

    try:
        return await with_store(settings, work)
    except BaseException:
        if out.exists() and not any(out.iterdir()):
            shutil.rmtree(out)
        raise


def add_commands(commands: Any, add_store_options: AddStoreOptions) -> None:
    review = commands.add_parser(
        "review", help="keep extraction drafts for review in the explorer (/explore/review)"
    )
    review_commands = review.add_subparsers(dest="review_command", metavar="REVIEW_COMMAND")
    review_commands.required = True
    add = review_commands.add_parser(
        "add", help="keep a draft folder (`peacegraph extract --out`) for review"
    )
    add.add_argument("folder", help="the draft folder")
    add.add_argument("--name", help="the draft's name (default: the folder's name)")
    add.add_argument(
        "--replace", action="store_true", help="replace a draft of that name, and its decisions"
    )
    add_store_options(add)
    add.set_defaults(handler=cmd_review_add, via_service=True)
    listing = review_commands.add_parser("list", help="the drafts kept, with their progress")
    add_store_options(listing)
    listing.set_defaults(handler=cmd_review_list, via_service=True)
    remove = review_commands.add_parser("remove", help="forget a draft and its decisions")
    remove.add_argument("name", help="the draft's name")
    add_store_options(remove)
    remove.set_defaults(handler=cmd_review_remove, via_service=True)
    export = review_commands.add_parser(
        "export", help="write a draft's accepted facts as a seed folder (checked)"
    )
    export.add_argument("name", help="the draft's name")
    export.add_argument("--out", required=True, help="an empty or new folder")
    add_store_options(export)
    export.set_defaults(handler=cmd_review_export, via_service=True)
