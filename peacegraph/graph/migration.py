"""A versioned schema migration, shared by both backends' migration lists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """Statements that run once, in order, recorded under `version` when done."""

    version: int
    description: str
    statements: tuple[str, ...]
