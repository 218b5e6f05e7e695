"""Guardrails on every GraphQL request, set from the environment by app.settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Guardrails applied to every GraphQL request."""

    max_depth: int = 10
    max_aliases: int = 30
    max_fields: int = 300
    max_tokens: int = 2000
    max_page_size: int = 100
    max_body_bytes: int = 1_000_000
    max_batch: int = 10
    timeout_seconds: float = 10.0
    max_network_nodes: int = 1000
    #: Items an operation could return at most, page sizes multiplied (schema.cost).
    max_result_items: int = 100_000
