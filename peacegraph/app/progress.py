"""Progress bars for long CLI work (tqdm), as plain callbacks the lower layers accept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def progress_of(bar: Any) -> Callable[[int], None]:
    """A callback that advances `bar` by the number of items just done."""

    def advance(done: int) -> None:
        bar.update(done)

    return advance
