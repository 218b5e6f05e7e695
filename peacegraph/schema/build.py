"""Building the schema with its guardrails, from the configured limits."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from peacegraph.resolvers.limits import Limits
from peacegraph.schema.mutation import Mutation
from peacegraph.schema.query import Query
from peacegraph.schema.types import ALL_TYPES


class QuietSchema(strawberry.Schema):
    """Leaves error logging to the HTTP view, which knows the request id and masks."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def build_schema(limits: Limits, *, introspection: bool = True) -> strawberry.Schema:
    """The GraphQL schema with depth, alias and token limits and parse/validation caches."""
    # Factories, so each request gets fresh extension objects; the parse and
    # validation caches live at module level and are shared across requests.
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: QueryDepthLimiter(max_depth=limits.max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        types=list(ALL_TYPES),
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True),
    )
