"""Building the schema with its guardrails, from the configured limits."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any

import strawberry
from graphql import ExecutionResult, GraphQLError, GraphQLSchema
from graphql import build_schema as schema_from_sdl
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types import ExecutionContext

from peacegraph.graph import notices
from peacegraph.resolvers.limits import Limits
from peacegraph.schema import mutation
from peacegraph.schema.cost import cost_error
from peacegraph.schema.documents import TOO_MANY_FIELDS, operation_in, selected_fields
from peacegraph.schema.query import Query
from peacegraph.schema.review import ReviewMutation
from peacegraph.schema.subscription import Subscription
from peacegraph.schema.types import ALL_TYPES

#: How many query texts the parse and validation caches keep (least recently used
#: first out), so that unique texts sent to a public endpoint cannot grow memory.
CACHED_DOCUMENTS = 256


class QuietSchema(strawberry.Schema):
    """Leaves error logging to the HTTP view, which knows the request id and masks."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None

    @cached_property
    def sizing_schema(self) -> GraphQLSchema:
        """The schema as graphql-core reads it, built from its SDL, for sizing operations."""
        return schema_from_sdl(self.as_str())


class CachedNames(NameConverter):
    """camelCase names remembered: Strawberry converts each argument's name again on
    every call of a field that takes arguments (thousands in a nested query)."""

    def __init__(self) -> None:
        super().__init__(auto_camel_case=True)
        self.converted: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        converted = self.converted.get(name)
        if converted is None:
            converted = self.converted[name] = super().apply_naming_config(name)
        return converted


#: graphql-core's answer to a document of several operations and no operation name.
NAME_REQUIRED = "Must provide operation name if query contains multiple operations."


class OperationGuard(SchemaExtension):
    """Which operation a request runs, how many fields its document selects and how
    many items it could return, each refused as the spec or our limits say.

    The field count is checked before validation (this extension comes before
    `ValidationCache`), because graphql-core's "fields can be merged" rule is
    quadratic in duplicated fields and `selected_fields` is linear. After
    validation, a document of several operations with no operation name is refused
    (Strawberry would run the first), and how many items the operation could
    return, which depends on the request's variables, is counted (`schema.cost`).
    A result set before execution is answered instead of executing.
    """

    def __init__(self, limits: Limits) -> None:
        super().__init__()
        self.limits = limits
        self.operation_name: str | None = None

    def on_operation(self) -> Iterator[None]:
        # Before parsing, the context's operation name is only the one the request
        # gave; once the document is parsed, it defaults to the first operation's.
        self.operation_name = self.execution_context.operation_name
        yield

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        fields = selected_fields(document) if document is not None else 0
        if fields > self.limits.max_fields:
            raise GraphQLError(
                f"the query selects {fields} fields; at most {self.limits.max_fields} are allowed",
                extensions={"code": TOO_MANY_FIELDS},
            )
        yield

    def on_execute(self) -> Iterator[None]:
        refused = self.refusal()
        if refused is not None:
            self.execution_context.result = ExecutionResult(data=None, errors=[refused])
        yield

    def refusal(self) -> GraphQLError | None:
        context = self.execution_context
        document = context.graphql_document
        schema = context.schema
        if document is None or not isinstance(schema, QuietSchema):
            return None
        operation = operation_in(document, self.operation_name)
        if operation is None:
            if self.operation_name is None:
                return GraphQLError(NAME_REQUIRED, extensions={"code": "BAD_REQUEST"})
            return None
        return cost_error(schema.sizing_schema, document, operation, context.variables, self.limits)


class Warnings(SchemaExtension):
    """Hands the client what the store said though nothing failed, such as a write
    that committed while the checkpoint after it failed (`graph.notices`), in the
    response's `extensions.warnings`."""

    def __init__(self) -> None:
        super().__init__()
        self.heard: list[str] = []

    def on_operation(self) -> Iterator[None]:
        with notices.listening() as heard:
            self.heard = heard
            yield

    def get_results(self) -> dict[str, Any]:
        return {"warnings": list(self.heard)} if self.heard else {}


@strawberry.type(name="Mutation", description=mutation.DESCRIPTION)
class Mutation(mutation.Mutation, ReviewMutation):  # type: ignore[misc]
    """The graph's mutations, then the review's (`schema.review`)."""


def build_schema(
    limits: Limits, *, introspection: bool = True, batching: bool = False
) -> QuietSchema:
    """The GraphQL schema with depth, alias, token, field and result size limits and
    parse/validation caches; `batching` accepts JSON arrays of up to
    `limits.max_batch` operations."""
    # The rule classes are made once here: validation outcomes are cached by rule
    # classes, and the limiters make a fresh class each time they are built.
    rules: list[type[ASTValidationRule]] = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
        *([] if introspection else [NoSchemaIntrospectionCustomRule]),
    ]
    # Factories, so that each request gets fresh extension objects.
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: AddValidationRules(rules),
        lambda: OperationGuard(limits),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
        Warnings,
    ]
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=list(ALL_TYPES),
        extensions=extensions,
        config=StrawberryConfig(
            name_converter=CachedNames(),
            batching_config={"max_operations": limits.max_batch} if batching else None,
        ),
    )
