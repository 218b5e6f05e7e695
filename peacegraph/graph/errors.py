"""The one exception hierarchy of PeaceGraph.

Every failure a caller can act on is a `PeaceGraphError`; the GraphQL layer turns
each subclass into an error with a stable `extensions.code`. Driver exceptions never
leave `graph/`: backends translate them here.
"""

from __future__ import annotations


class PeaceGraphError(Exception):
    """Root of every error PeaceGraph raises on purpose."""

    code = "INTERNAL"


class NotFound(PeaceGraphError):
    """A node or relationship named by the caller does not exist."""

    code = "NOT_FOUND"


class Invalid(PeaceGraphError):
    """Input that breaks a rule of the model; `field` names where."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Conflict(PeaceGraphError):
    """A write that clashes with the current state (stale version, duplicate)."""

    code = "CONFLICT"


class Unauthorized(PeaceGraphError):
    """The caller is not allowed to do this."""

    code = "UNAUTHENTICATED"


class Forbidden(Unauthorized):
    """The caller is known but lacks the role."""

    code = "FORBIDDEN"


class StoreUnavailable(PeaceGraphError):
    """The store cannot be reached or opened; the message says why."""

    code = "STORE_UNAVAILABLE"
