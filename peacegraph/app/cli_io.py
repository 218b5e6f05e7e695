"""Where a CLI command writes, which files it means and which store it works on.

A command runs either in its own process (the usual case: standard output and error,
paths relative to the working directory, a store it opens itself) or inside the
running service, for a CLI that found the embedded store locked by that service
(`admin_socket`). The command bodies are the same functions in both cases: they
print to `console().out` / `console().err`, resolve the paths they open with
`console().path`, and get their store from `cli.store_session`, which uses the
store the console lends when there is one. The console is a context variable, so
each admin connection, a task of its own in the service, has its own.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from peacegraph.graph.store import Store


async def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Console:
    """A command's outputs, working directory and (in the service) lent store."""

    out: IO[str]
    err: IO[str]
    out_bytes: IO[bytes]
    #: The caller's working directory, when it is not this process's.
    cwd: Path | None = None
    #: The running service's store, lent to a command it runs for a CLI.
    store: Store | None = None
    #: The caller's terminal width, for progress bars drawn on its terminal.
    columns: int | None = None
    #: Waits until what was written has left (flow control on a socket).
    drain: Callable[[], Awaitable[None]] = _nothing

    def path(self, given: str | Path) -> Path:
        """`given` as the caller meant it: relative to the caller's working directory."""
        path = Path(given).expanduser()
        return path if self.cwd is None or path.is_absolute() else self.cwd / path

    def bar(self, **options: Any) -> tqdm[Any]:
        """A tqdm progress bar on this console's error stream."""
        return tqdm(file=self.err, ncols=self.columns, **options)


def _standard() -> Console:
    return Console(out=sys.stdout, err=sys.stderr, out_bytes=sys.stdout.buffer)


_current: ContextVar[Console | None] = ContextVar("peacegraph_console", default=None)


def console() -> Console:
    """The console of the command running in this task: standard streams by default
    (looked up on each call, so that a test capturing sys.stdout sees the output)."""
    return _current.get() or _standard()


@contextmanager
def using(chosen: Console) -> Iterator[Console]:
    """Run the enclosed command on `chosen`."""
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)
