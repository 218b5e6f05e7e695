"""Warnings a request should hear about though nothing failed.

A write that committed is reported as done, never as failed, even when something
after its commit went wrong (the embedded store's checkpoint): the store says so
here, and the GraphQL layer hands what was said to the client in the response's
`extensions.warnings` (`schema.build.Warnings`). Outside a request nobody listens,
and the store's log line is the only record.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_heard: ContextVar[list[str] | None] = ContextVar("peacegraph_notices", default=None)


@contextmanager
def listening() -> Iterator[list[str]]:
    """Collect the warnings said while the block runs (in this task and its children)."""
    heard: list[str] = []
    token = _heard.set(heard)
    try:
        yield heard
    finally:
        _heard.reset(token)


def warn(message: str) -> None:
    """Tell whoever is listening; nothing when nobody is."""
    heard = _heard.get()
    if heard is not None and message not in heard:
        heard.append(message)
