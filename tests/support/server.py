"""A real uvicorn server for the app, on a free loopback port, in the test's event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn


@asynccontextmanager
async def running(app: Any, **config: Any) -> AsyncIterator[int]:
    """Serve `app` on 127.0.0.1 (port chosen by the system); yields the port."""
    # log_config=None: uvicorn's loggers propagate to the root (and to caplog) instead
    # of being given handlers of their own for the rest of the test session.
    config.setdefault("log_config", None)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **config))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.02)
        port: int = server.servers[0].sockets[0].getsockname()[1]
        yield port
    finally:
        server.should_exit = True
        await task
