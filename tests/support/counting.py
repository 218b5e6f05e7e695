"""A Store wrapper that records every call made through the Store protocol.

Used to prove that nested GraphQL queries cost store round trips per level, and
that pagination reaches the store as a limit rather than a full fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from peacegraph.graph.store import Store


class CountingStore:
    """Delegates to a real store and keeps (method, kwargs) of each call."""

    def __init__(self, inner: Store) -> None:
        self._inner = inner
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.backend = inner.backend

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if not callable(target) or name == "transaction":
            return target
        return self._wrap(name, target)

    def _wrap(self, name: str, target: Callable[..., Any]) -> Callable[..., Any]:
        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return await target(*args, **kwargs)

        return call

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]

    def reset(self) -> None:
        self.calls.clear()
