"""CLI commands that attack our own service: `fuzz` and `loadtest`.

Both need the dev extras (hypothesis, hypothesis-graphql, httpx), imported only when
a command runs, so `peacegraph serve` never depends on them.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peacegraph.app.settings import Settings

AddStoreOptions = Callable[[argparse.ArgumentParser], None]
LOAD_SECTION = re.compile(r"^## Load test\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)


def _missing_extras(error: ImportError) -> int:
    print(
        f"peacegraph: error: this command needs the dev extras ({error.name}): "
        "pip install -e '.[dev]'",
        file=sys.stderr,
    )
    return 2


async def cmd_fuzz(args: argparse.Namespace, settings: Settings) -> int:
    """Send `--count` generated requests; exit 1 when any answer breaks a rule."""
    try:
        import httpx

        from peacegraph.app import fuzzing
    except ImportError as error:
        return _missing_extras(error)
    from peacegraph.schema.build import build_schema

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    schema = build_schema(settings.limits)._schema
    timeout = settings.limits.timeout_seconds
    headers = (("authorization", f"Bearer {args.token}"),) if args.token else ()

    def progress(kind: str, count: int) -> None:
        print(f"generated {count} {kind} probes", flush=True)

    if args.url:
        probes = fuzzing.plan(
            schema, args.count, headers=headers, seed=args.seed, progress=progress
        )
        async with httpx.AsyncClient(base_url=args.url.rstrip("/")) as client:
            campaign = await fuzzing.run_campaign(
                client, probes, timeout=timeout, concurrency=args.concurrency
            )
    else:
        campaign = await _fuzz_in_process(args, settings, fuzzing, progress)
    print(campaign.report())
    if args.save_failures and campaign.failing:
        args.save_failures.write_text("".join(p.as_json() + "\n" for p in campaign.failing))
        print(f"wrote {len(campaign.failing)} failing request(s) to {args.save_failures}")
    return 1 if campaign.problems else 0


async def _fuzz_in_process(
    args: argparse.Namespace, settings: Settings, fuzzing: Any, progress: Any
) -> Any:
    """A seeded embedded store in a temporary folder, the app in-process, an editor token."""
    import httpx

    from peacegraph.app.auth import create_token
    from peacegraph.app.factory import create_app, prepare_store
    from peacegraph.graph.embedded.store import EmbeddedStore
    from peacegraph.schema.build import build_schema

    with tempfile.TemporaryDirectory(prefix="peacegraph-fuzz-") as folder:
        store = await EmbeddedStore.open(Path(folder) / "store")
        try:
            local = settings.with_overrides(data_dir=Path(folder) / "store", auto_seed=True)
            await prepare_store(store, local)
            _, token = await create_token(store, "fuzz", "admin")
            headers = (("authorization", f"Bearer {token}"),)
            schema = build_schema(settings.limits)._schema
            probes = fuzzing.plan(
                schema, args.count, headers=headers, seed=args.seed, progress=progress
            )
            app = create_app(local, store=store)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://fuzz") as client:
                return await fuzzing.run_campaign(
                    client,
                    probes,
                    timeout=settings.limits.timeout_seconds,
                    concurrency=args.concurrency,
                )
        finally:
            await store.close()


async def cmd_loadtest(args: argparse.Namespace, settings: Settings) -> int:
    """Run the load test; exit 1 when a write was lost or an answer was an internal error."""
    try:
        from peacegraph.app import loadtest
    except ImportError as error:
        return _missing_extras(error)

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    with tempfile.TemporaryDirectory(prefix="peacegraph-load-") as folder:
        result = await loadtest.run_load_test(
            Path(folder) / "store",
            duration=args.duration,
            concurrency=args.concurrency,
            seed=args.seed,
        )
    print(result.summary())
    if args.results:
        command = (
            f"peacegraph loadtest --duration {args.duration:g} --concurrency {args.concurrency}"
        )
        write_section(args.results, result.markdown(command))
        print(f"wrote the load test section of {args.results}")
    return 1 if result.lost or result.internal else 0


def write_section(path: Path, section: str) -> None:
    """Put our "Load test" section in `path`, replacing an older one, leaving the rest."""
    text = path.read_text() if path.exists() else "# Results\n"
    if LOAD_SECTION.search(text):
        text = LOAD_SECTION.sub(lambda _: section.rstrip() + "\n\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n")


def add_commands(commands: Any, add_store_options: AddStoreOptions) -> None:
    fuzz = commands.add_parser(
        "fuzz", help="send generated valid and hostile GraphQL requests, report any bad answer"
    )
    fuzz.add_argument("--count", type=int, default=10_000, help="requests to send (10000)")
    fuzz.add_argument(
        "--url", help="a running server (default: the app in-process on a seeded temporary store)"
    )
    fuzz.add_argument("--token", help="token sent with mutations (with --url; admin reaches all)")
    fuzz.add_argument("--seed", type=int, default=0, help="generation seed, for reproducible runs")
    fuzz.add_argument("--concurrency", type=int, default=4, help="requests in flight (4)")
    fuzz.add_argument(
        "--save-failures", type=Path, help="write each failing request in full (JSON lines)"
    )
    fuzz.set_defaults(handler=cmd_fuzz)

    load = commands.add_parser(
        "loadtest", help="mixed reads and editor writes against a real server, then check writes"
    )
    load.add_argument("--duration", type=float, default=60.0, help="seconds of load (60)")
    load.add_argument("--concurrency", type=int, default=32, help="clients (32)")
    load.add_argument("--seed", type=int, default=0, help="seed of the request mix")
    load.add_argument("--results", type=Path, help="write a 'Load test' section into this file")
    load.set_defaults(handler=cmd_loadtest)
