"""`python -m bench.fuzz`: send generated valid and hostile GraphQL requests to the
service and report any answer that breaks a rule (`bench.fuzzing`).

With no `--url` it runs the app in-process on a seeded temporary store, with an
admin token so that mutations reach the resolvers too. It needs the dev extras
(hypothesis, hypothesis-graphql, httpx).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peacegraph.app import eventloop
from peacegraph.app.settings import Settings


def base_url(url: str) -> str:
    """The server's base URL, whether `url` is it or its /graphql endpoint."""
    return url.rstrip("/").removesuffix("/graphql")


def _missing_extras(error: ImportError) -> int:
    print(
        f"bench.fuzz: error: this command needs the dev extras ({error.name}): "
        "pip install -e '.[dev]'",
        file=sys.stderr,
    )
    return 2


async def cmd_fuzz(args: argparse.Namespace, settings: Settings) -> int:
    """Send `--count` generated requests; exit 1 when any answer breaks a rule."""
    try:
        import httpx

        from bench import fuzzing
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
        async with httpx.AsyncClient(base_url=base_url(args.url)) as client:
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


def build_parser() -> argparse.ArgumentParser:
    fuzz = argparse.ArgumentParser(
        prog="python -m bench.fuzz",
        description="Send generated valid and hostile GraphQL requests, report any bad answer.",
    )
    fuzz.add_argument("--count", type=int, default=10_000, help="requests to send (10000)")
    fuzz.add_argument(
        "--url",
        help="a running server, its base URL or its /graphql address "
        "(default: the app in-process on a seeded temporary store)",
    )
    fuzz.add_argument("--token", help="token sent with mutations (with --url; admin reaches all)")
    fuzz.add_argument("--seed", type=int, default=0, help="generation seed, for reproducible runs")
    fuzz.add_argument("--concurrency", type=int, default=4, help="requests in flight (4)")
    fuzz.add_argument(
        "--save-failures", type=Path, help="write each failing request in full (JSON lines)"
    )
    return fuzz


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    return eventloop.run(cmd_fuzz(args, settings))


if __name__ == "__main__":
    raise SystemExit(main())
