"""The benchmark's server process: the real app under uvicorn, plus two comparison routes.

Run as `python -m bench.server --data-dir DIR --port PORT` (or `--neo4j-uri URI`
for the Neo4j store). It owns the embedded store's directory (LadybugDB allows one
read-write process, hence one uvicorn worker) and serves, on loopback:
- `/graphql`: the real application, exactly as `create_app` builds it;
- `/naive`: the naive baseline schema (bench/naive.py) over the same store;
- `/bare/node?id=...`: a bare Starlette endpoint making the same store call as the
  GraphQL lookup and returning the same JSON, the floor for HTTP throughput;
- `/direct`: replays an operation's recorded Store calls (`--calls`, written by the
  harness) on this process's store and answers how long they took, so the direct
  side is timed in the same process as, and in turns with, the GraphQL side.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import tempfile
import time
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.naive import NaiveView
from bench.stores import Where
from bench.workload import Call, replay
from peacegraph.app import eventloop, heap
from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.records import Node
from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits


def lookup_json(node: Node | None) -> dict[str, object]:
    """The body the GraphQL lookup query returns (`bench.workload.LOOKUP`), built by hand."""
    if node is None:
        return {"data": {"node": None}}
    kind = node.props.get("kind")
    return {
        "data": {
            "node": {
                "id": node.id,
                "name": node.name,
                "kind": kind if isinstance(kind, str) else None,
                "nodeKind": node.label.name,
            }
        }
    }


def build_app(
    store: Store, settings: Settings, calls: dict[str, list[list[Call]]] | None = None
) -> Starlette:
    async def bare_node(request: Request) -> JSONResponse:
        node_id = request.query_params.get("id", "")
        found = await store.get_nodes([node_id])
        return JSONResponse(lookup_json(found.get(node_id)))

    async def direct(request: Request) -> JSONResponse:
        """Replays run `turn` of an operation's recorded Store calls; how long it took."""
        asked = await request.json()
        runs = (calls or {}).get(asked["operation"])
        if not runs:
            return JSONResponse({"errors": [{"message": "no such operation"}]}, 404)
        started = time.perf_counter()
        await replay(store, runs)(int(asked["turn"]))
        return JSONResponse({"seconds": time.perf_counter() - started})

    # The comparison routes go into the real application's own router, right after
    # /graphql, so they sit behind the same middleware and cost the same to route to,
    # and only the GraphQL work differs.
    app = create_app(settings, store=store)
    app.router.routes[1:1] = [
        Route("/bare/node", bare_node),
        Route("/direct", direct, methods=["POST"]),
        Route("/naive", NaiveView(store), methods=["POST"]),
    ]
    return app


async def serve(where: Where, port: int, calls: dict[str, list[list[Call]]]) -> None:
    store = await where.open()
    data_dir = where.folder
    try:
        await store.migrate()
        settings = Settings(
            data_dir=data_dir,
            auto_seed=False,
            graphiql=False,
            log_level="WARNING",
            limits=Limits(max_tokens=5000, timeout_seconds=120.0),
        )
        config = uvicorn.Config(
            build_app(store, settings, calls),
            host="127.0.0.1",
            port=port,
            workers=1,
            log_level="warning",
            access_log=False,
        )
        heap.settle()  # as `peacegraph serve` does
        await uvicorn.Server(config).serve()
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, help="the embedded store's folder")
    parser.add_argument("--neo4j-uri", help="serve the Neo4j store at this URI instead")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--calls", type=Path, help="pickled recorded Store calls to serve at /direct"
    )
    args = parser.parse_args()
    # Written by the harness itself, in its own temporary folder, for this run.
    calls = pickle.loads(args.calls.read_bytes()) if args.calls else {}
    logging.basicConfig(level=logging.WARNING)
    if args.neo4j_uri:
        where = Where("neo4j", Path(tempfile.gettempdir()), args.neo4j_uri)
    elif args.data_dir:
        where = Where("embedded", args.data_dir)
    else:
        parser.error("--data-dir or --neo4j-uri is required")
    eventloop.run(serve(where, args.port, calls))


if __name__ == "__main__":
    main()
