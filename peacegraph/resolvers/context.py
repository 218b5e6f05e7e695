"""The per-request context every resolver receives: no globals anywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from peacegraph.graph.store import Store
from peacegraph.resolvers.changes import ChangeFeed
from peacegraph.resolvers.limits import Limits
from peacegraph.resolvers.loaders import Loaders


@dataclass
class Caller:
    """Who is asking: a token's name and role, or an anonymous reader."""

    name: str = "anonymous"
    role: str = "anonymous"


@dataclass
class Context:
    """Store, per-request DataLoaders, limits and the caller of one request."""

    store: Store
    limits: Limits
    request_id: str
    caller: Caller = field(default_factory=Caller)
    #: Where committed writes are announced (subscriptions); None: nowhere.
    feed: ChangeFeed | None = None
    #: A websocket's connection_init payload (Strawberry sets it), where browsers
    #: put the Authorization they cannot send as a header.
    connection_params: object = None
    #: Ends the websocket this context serves (its handler sets it): the change
    #: feed calls it when the client lets events pile up (a slow consumer).
    drop_connection: Callable[[], None] | None = None
    loaders: Loaders = field(init=False)
    #: What places of the operations ask for, worked out once (schema.selection).
    selections: dict[object, tuple[object, bool]] = field(init=False, default_factory=dict)
    #: ... and which properties of the nodes at the links' other ends they read.
    node_selections: dict[object, tuple[object, frozenset[str] | None]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
