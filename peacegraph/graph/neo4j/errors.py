"""Driver exceptions translated into PeaceGraph errors, at the Neo4j backend's boundary.

Translation happens outside the driver's managed transaction functions, never inside
them: `execute_read`/`execute_write` retry only the driver's own retryable errors
(deadlocks, a leader switch, an expired session), and would not see them once
translated.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from peacegraph.graph.errors import Conflict, PeaceGraphError, StoreUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")


def reason(error: BaseException) -> str:
    """The first line of an error's text (the driver's messages run to several)."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def translate(error: Exception) -> PeaceGraphError:
    """The PeaceGraph error a driver exception means for a caller."""
    if isinstance(error, PeaceGraphError):
        return error
    if isinstance(error, neo4j_errors.ConstraintError):
        return Conflict(str(error.message or "constraint violated"))
    if isinstance(
        error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired | OSError
    ) or (isinstance(error, neo4j_errors.DriverError) and "closed" in str(error)):
        return StoreUnavailable(f"Neo4j is unavailable: {reason(error)}")
    if isinstance(error, neo4j_errors.TransientError):
        # Still failing after the driver's retries (a deadlock that keeps coming back,
        # a cluster without a leader): the caller may try again later.
        return StoreUnavailable(f"Neo4j is busy, try again: {reason(error)}")
    if isinstance(error, neo4j_errors.Neo4jError):
        log.error("neo4j error %s: %s", error.code, error.message)
        return PeaceGraphError(f"Neo4j error {error.code}")
    log.error("neo4j driver error: %s", reason(error))
    return PeaceGraphError(f"Neo4j driver error: {type(error).__name__}")


async def guarded(work: Awaitable[T]) -> T:
    """Await `work`, translating driver exceptions into PeaceGraph errors."""
    try:
        return await work
    except PeaceGraphError:
        raise
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as error:
        raise translate(error) from None


async def rollback_quietly(tx: neo4j.AsyncTransaction) -> None:
    """Roll back after a failure; a rollback that fails (the server went away) must not
    hide the failure that caused it."""
    try:
        await tx.rollback()
    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as error:
        log.warning("rollback after a failure did not complete: %s", reason(error))
