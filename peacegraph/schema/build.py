"""Building the schema with its guardrails, from the configured limits."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.extensions import DisableIntrospection

from peacegraph.resolvers.limits import Limits
from peacegraph.schema.errors import ErrorCodes
from peacegraph.schema.query import Query
from peacegraph.schema.types import ALL_TYPES


def build_schema(limits: Limits, *, introspection: bool = True) -> strawberry.Schema:
    """The GraphQL schema with depth, alias and token limits and parse/validation caches."""
    extensions: list[SchemaExtension | type[SchemaExtension]] = [
        ErrorCodes,
        MaxTokensLimiter(max_token_count=limits.max_tokens),
        QueryDepthLimiter(max_depth=limits.max_depth),
        MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        ParserCache(maxsize=256),
        ValidationCache(maxsize=256),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=Query,
        types=list(ALL_TYPES),
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )


