"""The per-request context every resolver receives: no globals anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field

from peacegraph.graph.store import Store
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
    loaders: Loaders = field(init=False)
    #: What places of the operations ask for, worked out once (schema.selection).
    selections: dict[object, tuple[object, bool]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
