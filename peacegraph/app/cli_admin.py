"""CLI commands for administrators: tokens, export and import.

They print to `console()` and open files through `console().path`, so the running
service can run them for a CLI over the admin socket (see `cli` and `admin_socket`)."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peacegraph.app import auth
from peacegraph.app.cli_data import export_json, import_large
from peacegraph.app.cli_io import console
from peacegraph.app.progress import progress_of
from peacegraph.app.settings import Settings
from peacegraph.exchange import bulk_import, formats, spreadsheets
from peacegraph.exchange.dump import (
    Validated,
    read_graph,
    validate_document,
    write_validated,
)
from peacegraph.exchange.reading import read_document
from peacegraph.graph.errors import Conflict, Invalid
from peacegraph.graph.records import Node, Relationship
from peacegraph.graph.store import Store
from peacegraph.graph.writing import ImportMode

AddStoreOptions = Callable[[argparse.ArgumentParser], None]
FORMATS = ("json", "csv", "xlsx", "graphml", "gexf", "cytoscape")


async def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    async def work(store: Store) -> int:
        info, token = await auth.create_token(store, args.name, args.role)
        out = console().out
        print(
            f"token {info.id} for '{info.name}' ({info.role}); shown once, keep it safe:", file=out
        )
        print(token, file=out)
        return 0

    return await with_store(settings, work)


async def cmd_token_list(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    async def work(store: Store) -> int:
        out = console().out
        print(f"{'id':<12}  {'role':<7}  {'created':<25}  {'revoked':<25}  name", file=out)
        for info in await auth.list_tokens(store):
            print(
                f"{info.id:<12}  {info.role:<7}  {info.created_at:<25}  "
                f"{info.revoked_at or '-':<25}  {info.name}",
                file=out,
            )
        return 0

    return await with_store(settings, work)


async def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    async def work(store: Store) -> int:
        info = await auth.revoke_token(store, args.id)
        print(f"revoked token {info.id} ('{info.name}')", file=console().out)
        return 0

    return await with_store(settings, work)


def _write(out: Path | None, files: dict[str, str | bytes]) -> None:
    """One file to `out` (or stdout), or several into the folder `out`."""
    if out is None:
        for content in files.values():
            if isinstance(content, bytes):
                console().out.flush()
                console().out_bytes.write(content)
            else:
                console().out.write(content)
        return
    if len(files) > 1:
        out.mkdir(parents=True, exist_ok=True)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = out / name if len(files) > 1 else out
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


#: Each format but json: its writer, from all nodes and relationships to named files.
WRITERS: dict[str, Callable[[list[Node], list[Relationship]], dict[str, str | bytes]]] = {
    "csv": lambda n, r: dict(formats.to_csv(n, r)),
    "xlsx": lambda n, r: {"graph.xlsx": formats.to_xlsx(n, r)},
    "graphml": lambda n, r: {"graph.graphml": formats.to_graphml(n, r)},
    "gexf": lambda n, r: {"graph.gexf": formats.to_gexf(n, r)},
    "cytoscape": lambda n, r: {"graph.cyjs": formats.to_cytoscape(n, r)},
}


async def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.app.cli import with_store

    if args.format == "csv" and args.out is None:
        raise Invalid("export --format csv: give --out FOLDER for nodes.csv and edges.csv")

    async def work(store: Store) -> int:
        files: dict[str, str | bytes]
        if args.format == "json":
            # Streamed, in bounded memory (issue 24); the same bytes as canonical.dumps.
            target = None if args.out is None else console().path(args.out)
            await export_json(store, target, quiet=args.quiet)
            files = {}
        else:
            nodes, rels, _ = await read_graph(store)
            nodes.sort(key=lambda n: n.id)
            rels.sort(key=lambda r: r.key)
            files = await asyncio.to_thread(WRITERS[args.format], nodes, rels)
        _write(None if args.out is None else console().path(args.out), files)
        await console().drain()
        if args.out:
            print(f"exported to {args.out}", file=console().err)
        return 0

    return await with_store(settings, work)


async def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    """Read and check the whole file before the store is opened: a bad file is one
    line naming it and what is wrong, and the store is left untouched."""
    from peacegraph.app.cli import with_store

    path = console().path(args.file)
    if bulk_import.takes(path, ImportMode(args.mode)):  # bounded memory (issue 24)
        return await import_large(args, settings, path)

    def validated_file() -> Validated:
        if spreadsheets.handles(path):
            return spreadsheets.load(path)
        return validate_document(read_document(path))

    try:
        # In a thread: run by the service for a CLI, a large file must not hold up
        # the requests the service is answering meanwhile.
        validated = await asyncio.to_thread(validated_file)
    except Invalid as error:
        message = " ".join(str(error).split("\n"))
        raise Invalid(f"{args.file}: {message}", field=error.field) from None
    nodes, rels, _ = validated

    async def work(store: Store) -> int:
        with console().bar(
            total=len(nodes) + len(rels), unit="item", desc="import", disable=args.quiet
        ) as bar:
            try:
                written = await write_validated(
                    store, validated, progress=progress_of(bar), mode=ImportMode(args.mode)
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
    token = commands.add_parser("token", help="create, list or revoke API tokens")
    token_commands = token.add_subparsers(dest="token_command", metavar="TOKEN_COMMAND")
    token_commands.required = True
    create = token_commands.add_parser("create", help="create a token (printed once)")
    create.add_argument("--name", required=True, help="who or what the token is for")
    create.add_argument("--role", required=True, choices=["reader", "editor", "admin"])
    add_store_options(create)
    create.set_defaults(handler=cmd_token_create, via_service=True)
    listing = token_commands.add_parser("list", help="list tokens (never their secrets)")
    add_store_options(listing)
    listing.set_defaults(handler=cmd_token_list, via_service=True)
    revoke = token_commands.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", help="token id, as `token list` shows it")
    add_store_options(revoke)
    revoke.set_defaults(handler=cmd_token_revoke, via_service=True)

    export = commands.add_parser("export", help="export the whole graph")
    export.add_argument("--format", choices=FORMATS, default="json", help="json is lossless")
    export.add_argument(
        "--out", type=Path, help="file, or folder for csv (nodes.csv, edges.csv); default stdout"
    )
    export.add_argument("--quiet", action="store_true", help="no progress bar")
    add_store_options(export)
    export.set_defaults(handler=cmd_export, via_service=True)

    importer = commands.add_parser("import", help="import a file in one transaction")
    importer.add_argument(
        "file",
        help="canonical JSON; a CSV folder or file, an .xlsx or a .graphml as export writes them",
    )
    importer.add_argument(
        "--mode",
        choices=[m.value for m in ImportMode],
        default=ImportMode.CREATE.value,
        help="ids the graph already holds: create (default) refuses them and writes nothing; "
        "merge updates the fields the file gives (aliases and sources unioned); "
        "replace puts the file's records in their place. Versions only go up.",
    )
    importer.add_argument("--quiet", action="store_true", help="no progress bar")
    add_store_options(importer)
    importer.set_defaults(handler=cmd_import, via_service=True)
