"""The `peacegraph` command: serve, migrate, seed. Every command has --help.

Errors a user can act on are printed as one line on stderr with a non-zero exit,
never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Callable, Coroutine, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from peacegraph.app import eventloop, heap
from peacegraph.app.settings import Settings, SettingsError
from peacegraph.app.stores import describe, open_store
from peacegraph.graph.errors import PeaceGraphError
from peacegraph.graph.store import Store

log = logging.getLogger("peacegraph")
Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def package_version() -> str:
    try:
        return version("peacegraph")
    except PackageNotFoundError:
        return "0+unknown"


async def with_store(settings: Settings, work: Callable[[Store], Coroutine[Any, Any, int]]) -> int:
    """Open the configured store, migrate it, run `work`, close it."""
    store = await open_store(settings)
    try:
        await store.migrate()
        return await work(store)
    finally:
        await store.close()


async def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve; a store that cannot be opened or a port in use ends it with one line,
    unless PEACEGRAPH_START_NOT_READY asks to start not ready and keep retrying the
    store. The port is bound before the store is migrated and seeded, so a busy port
    is found before anything is written."""
    import uvicorn

    from peacegraph.app import serving
    from peacegraph.app.factory import create_app, prepare_store

    store = None if settings.start_not_ready else await open_store(settings)
    listener: socket.socket | None = None
    try:
        listener = serving.listen(settings.host, settings.port)
        if store is not None:
            await prepare_store(store, settings)
        app = create_app(settings, store=store, owned=True)
        server = uvicorn.Server(serving.server_config(app, settings))
        port = listener.getsockname()[1]
        heap.settle()
        print(f"PeaceGraph on the {describe(settings)}", flush=True)
        print(f"GraphiQL: http://{settings.host}:{port}/graphql", flush=True)
        await server.serve(sockets=[listener])
        return 0 if server.started else 1
    finally:
        if listener is not None:
            listener.close()
        if store is not None:
            await store.close()


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        applied = await store.migrate()
    finally:
        await store.close()
    for line in applied:
        print(f"applied {line}")
    print(f"{describe(settings)}: {len(applied)} migration(s) applied, schema up to date")
    return 0


async def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from peacegraph.schema.build import build_schema

    print(build_schema(settings.limits).as_str())
    return 0


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        choices=["embedded", "neo4j"],
        help="which store to use (default: neo4j when NEO4J_URI is set, else embedded)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="folder of the embedded store "
        "(default: PEACEGRAPH_DATA_DIR or ~/.local/share/peacegraph); "
        "it must exist unless --init is given",
    )
    parser.add_argument(
        "--init",
        action="store_true",
        help="create the --data-dir folder (and a new, empty store in it) when it does not exist",
    )


def build_parser() -> argparse.ArgumentParser:
    from peacegraph.app import cli_admin, cli_data, cli_synth

    parser = argparse.ArgumentParser(
        prog="peacegraph",
        description="PeaceGraph: a GraphQL knowledge base of peacebuilding actors, "
        "partnerships and events.",
    )
    parser.add_argument("--version", action="version", version=f"peacegraph {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    serve = commands.add_parser("serve", help="run the GraphQL service (seeded, GraphiQL on)")
    _add_store_options(serve)
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument(
        "--no-seed", action="store_true", help="do not load the seed into an empty store"
    )
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="create or update the store's schema")
    _add_store_options(migrate)
    migrate.set_defaults(handler=cmd_migrate)

    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(handler=cmd_schema)

    cli_data.add_commands(commands, _add_store_options)
    cli_admin.add_commands(commands, _add_store_options)
    cli_synth.add_commands(commands, _add_store_options)
    return parser


def check_data_dir(args: argparse.Namespace, settings: Settings) -> None:
    """A --data-dir that does not exist is a typo until --init says otherwise: opening
    it would quietly create a new, empty store where the user expects theirs."""
    given: Path | None = getattr(args, "data_dir", None)
    if given is None or settings.store != "embedded" or getattr(args, "init", False):
        return
    if not given.exists():
        raise SettingsError(
            f"--data-dir {given}: no such folder (pass --init to create a new store there)",
            field="--data-dir",
        )


def settings_from(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    return settings.with_overrides(
        store=getattr(args, "store", None),
        data_dir=getattr(args, "data_dir", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        auto_seed=False if getattr(args, "no_seed", False) else None,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from(args)
        check_data_dir(args, settings)
        logging.basicConfig(
            level=settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        handler: Command = args.handler
        return eventloop.run(handler(args, settings))
    except PeaceGraphError as error:
        print(f"peacegraph: error: {error}", file=sys.stderr)
        return 2 if error.code in ("BAD_USER_INPUT", "CONFLICT") else 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
