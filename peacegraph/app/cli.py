"""The `peacegraph` command: serve, migrate, seed. Every command has --help.

Errors a user can act on are printed as one line on stderr with a non-zero exit,
never as a traceback.

While `peacegraph serve` runs on the embedded store it holds the store's lock, so a
command that needs the store hands its command line to the service over the admin
socket (`admin_socket`), which runs the same command function (`execute`) on its open
store. Command bodies therefore print to `cli_io.console()` and get their store from
`store_session`, never from the process around them.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from peacegraph.app import admin_socket, eventloop, heap
from peacegraph.app.cli_io import Console, console, using
from peacegraph.app.settings import Settings, SettingsError
from peacegraph.app.stores import describe, open_store
from peacegraph.graph.errors import PeaceGraphError, StoreUnavailable
from peacegraph.graph.store import Store

log = logging.getLogger("peacegraph")
Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def package_version() -> str:
    try:
        return version("peacegraph")
    except PackageNotFoundError:
        return "0+unknown"


@asynccontextmanager
async def store_session(settings: Settings) -> AsyncIterator[tuple[Store, bool]]:
    """The store a command works on, and whether it was opened here: the running
    service's when the command runs there (lent, left open), else the configured one,
    opened and closed around the command. A stale admin socket found once the store's
    lock is ours is removed, with a line saying so."""
    lent = console().store
    if lent is not None:
        yield lent, False
        return
    try:
        store = await open_store(settings)
    except StoreUnavailable as error:
        if settings.store == "embedded" and "lock" in str(error).lower():
            # The service takes commands only once it serves: it opens, migrates and
            # seeds the store first, and a CLI command meanwhile finds only the lock.
            raise StoreUnavailable(
                f"{error}; if `peacegraph serve` is starting on this folder, try again "
                "once it serves (it then runs this command for you)"
            ) from None
        raise
    try:
        if settings.store == "embedded":
            admin_socket.remove_stale(settings.data_dir, console().err)
        yield store, True
    finally:
        await store.close()


async def with_store(settings: Settings, work: Callable[[Store], Coroutine[Any, Any, int]]) -> int:
    """Run `work` on the command's store, migrated (the service migrated its own at start)."""
    async with store_session(settings) as (store, opened):
        if opened:
            await store.migrate()
        return await work(store)


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
    async with store_session(settings) as (store, _):
        applied = await store.migrate()
    out = console().out
    for line in applied:
        print(f"applied {line}", file=out)
    print(f"{describe(settings)}: {len(applied)} migration(s) applied, schema up to date", file=out)
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
        "it must exist unless --init is given; while `peacegraph serve` runs on it, "
        "commands that need the store are run by the service, over its admin socket",
    )
    parser.add_argument(
        "--init",
        action="store_true",
        help="create the --data-dir folder (and a new, empty store in it) when it does not exist",
    )


def build_parser() -> argparse.ArgumentParser:
    from peacegraph.app import cli_admin, cli_data, cli_extract, cli_review, cli_synth

    parser = argparse.ArgumentParser(
        prog="peacegraph",
        description="PeaceGraph: a GraphQL knowledge base of peacebuilding actors, "
        "partnerships and events.",
    )
    parser.add_argument("--version", action="version", version=f"peacegraph {package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    serve = commands.add_parser(
        "serve",
        help="run the GraphQL service (seeded, GraphiQL on)",
        description="Run the GraphQL service. On the embedded store it also listens on "
        "an admin socket, DATA_DIR/admin/serve.sock (mode 600 in a 700 folder, its owner "
        "only), so that the other commands keep working while it runs: they hand their "
        "command line to the service, which runs it on its open store.",
    )
    _add_store_options(serve)
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument(
        "--no-seed", action="store_true", help="do not load the seed into an empty store"
    )
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="create or update the store's schema")
    _add_store_options(migrate)
    migrate.set_defaults(handler=cmd_migrate, via_service=True)

    schema = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    schema.set_defaults(handler=cmd_schema)

    cli_data.add_commands(commands, _add_store_options)
    cli_admin.add_commands(commands, _add_store_options)
    cli_synth.add_commands(commands, _add_store_options)
    cli_extract.add_commands(commands, _add_store_options)
    cli_review.add_commands(commands, _add_store_options)
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


def served(args: argparse.Namespace) -> bool:
    """Whether the command needs the store, so runs in the service when one holds it:
    its parser sets `via_service`, True or a rule on its arguments (synth only with --load)."""
    rule = getattr(args, "via_service", False)
    return bool(rule(args) if callable(rule) else rule)


def exit_code(error: PeaceGraphError, err: Any) -> int:
    """Report an error as the one line a user sees; the exit code it gives."""
    print(f"peacegraph: error: {error}", file=err)
    return 2 if error.code in ("BAD_USER_INPUT", "CONFLICT") else 1


async def run_command(args: argparse.Namespace, settings: Settings, argv: list[str]) -> int:
    """Run the command here, or in the running service when it holds the embedded store."""
    if served(args) and settings.store == "embedded":
        code = await admin_socket.forward(settings.data_dir, argv, package_version())
        if code is not None:
            return code
    handler: Command = args.handler
    return await handler(args, settings)


async def execute(argv: list[str], chosen: Console, settings: Settings) -> int:
    """Run a CLI's command line in the service (the admin socket's side): the same
    parser, the same command function, errors reported as `main` reports them."""
    with using(chosen):
        try:
            # argparse writes its errors to sys.stderr; parsing does not await, so no
            # other task of the service writes there meanwhile.
            with contextlib.redirect_stderr(chosen.err), contextlib.redirect_stdout(chosen.out):
                args = build_parser().parse_args(argv)
        except SystemExit as stop:
            return stop.code if isinstance(stop.code, int) else 2
        if not served(args):
            print(
                "peacegraph: error: the service runs only commands that need the store",
                file=chosen.err,
            )
            return 2
        try:
            handler: Command = args.handler
            return await handler(args, settings)
        except PeaceGraphError as error:
            return exit_code(error, chosen.err)


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
    line = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(line)
    try:
        settings = settings_from(args)
        check_data_dir(args, settings)
        logging.basicConfig(
            level=settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        return eventloop.run(run_command(args, settings, line))
    except PeaceGraphError as error:
        return exit_code(error, sys.stderr)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
