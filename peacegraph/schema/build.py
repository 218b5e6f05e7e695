"""Building the schema with its guardrails, from the configured limits."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter

from peacegraph.resolvers.limits import Limits
from peacegraph.schema.cost import cost_error
from peacegraph.schema.documents import DocumentCache, operation_in
from peacegraph.schema.execution import QuietSchema
from peacegraph.schema.mutation import Mutation
from peacegraph.schema.plain_fields import PlainFieldsExecutionContext
from peacegraph.schema.query import Query
from peacegraph.schema.types import ALL_TYPES


class CachedNames(NameConverter):
    """camelCase names remembered: Strawberry converts each argument's name again on
    every call of a field that takes arguments (thousands in a nested query)."""

    def __init__(self) -> None:
        super().__init__(auto_camel_case=True)
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        converted = self._names.get(name)
        if converted is None:
            converted = self._names[name] = super().apply_naming_config(name)
        return converted


class Guardrails(SchemaExtension):
    """Token, depth, alias and field limits (and introspection, when it is off), with
    parsing and validation cached.

    One extension rather than Strawberry's five (MaxTokensLimiter, AddValidationRules,
    ParserCache, ValidationCache, DisableIntrospection): each extension hook costs
    every request, and a lookup is only a few fields. Refusals are the same: the
    token limit is graphql-core's own (`max_tokens`), depth, aliases and
    introspection are Strawberry's and graphql-core's rules, and the field count is
    checked before any rule runs, because graphql-core's "fields can be merged" rule
    is quadratic in duplicated fields (`selected_fields` is linear). A text that
    passes every check is marked ready in the cache, and `QuietSchema` runs it
    without the extension machinery the next time. How many items the request could
    return depends on its variables, so that check (`schema.cost`) runs every time,
    here and on QuietSchema's short path.
    """

    def __init__(self, cache: DocumentCache, rules: Sequence[type], limits: Limits) -> None:
        super().__init__()
        self._cache = cache
        self._rules = tuple(rules)
        self._limits = limits

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self._cache.max_tokens
        if context.query is not None and context.graphql_document is None:
            # A failed parse is left to Strawberry, which raises the same error
            # with the same options and reports it as usual.
            with contextlib.suppress(GraphQLError):
                context.graphql_document = self._cache.document(context.query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = context.validation_rules + self._rules
        document = context.graphql_document
        if context.query is not None and document is not None:
            errors = self._cache.errors(
                context.schema._schema, context.query, document, context.validation_rules
            )
            if not errors:
                self._cache.mark_ready(context.query, document)
                # What the request's own arguments could return: checked every time.
                operation = operation_in(document, context.operation_name)
                refused = operation and cost_error(
                    context.schema._schema, document, operation, context.variables, self._limits
                )
                errors = [refused] if refused else errors
            context.pre_execution_errors = errors
        yield


def build_schema(
    limits: Limits, *, introspection: bool = True, batching: bool = False
) -> QuietSchema:
    """The GraphQL schema with depth, alias, token and field limits and parse/validation
    caches; `batching` accepts JSON arrays of up to `limits.max_batch` operations."""
    # A factory, so each request gets a fresh extension object; the document cache
    # belongs to the schema and is shared across requests. The rule classes are made
    # once here: validation outcomes are cached by rule classes, and a fresh class
    # per request would never hit the cache.
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
        *([] if introspection else [NoSchemaIntrospectionCustomRule]),
    ]
    cache = DocumentCache(max_tokens=limits.max_tokens, max_fields=limits.max_fields)
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        types=list(ALL_TYPES),
        # The only extension: QuietSchema's short path stands in for it alone.
        extensions=[lambda: Guardrails(cache, rules, limits)],
        documents=cache,
        limits=limits,
        execution_context_class=PlainFieldsExecutionContext,
        config=StrawberryConfig(
            name_converter=CachedNames(),
            batching_config={"max_operations": limits.max_batch} if batching else None,
        ),
    )
