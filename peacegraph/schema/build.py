"""Building the schema with its guardrails, from the configured limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import strawberry
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from strawberry.extensions import (
    AddValidationRules,
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

TOO_MANY_FIELDS = "TOO_MANY_FIELDS"


class QuietSchema(strawberry.Schema):
    """Leaves error logging to the HTTP view, which knows the request id and masks."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        return None


def selected_fields(document: DocumentNode) -> int:
    """How many fields the operations select, every fragment spread counted in full.

    Counting spreads in full is what makes `{ ...A ...A }` with `A { ...B ...B }` (an
    exponential document in a few tokens) as expensive here as it would be to run. Each
    fragment is counted once and remembered, so this stays linear in the document; a
    cycle counts as nothing here and is left to validation to name.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    sizes: dict[str, int] = {}

    def count(selection_set: SelectionSetNode | None, visiting: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += 1 + count(selection.selection_set, visiting)
            elif isinstance(selection, InlineFragmentNode):
                total += count(selection.selection_set, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragment(selection.name.value, visiting)
        return total

    def fragment(name: str, visiting: frozenset[str]) -> int:
        if name not in sizes:
            if name in visiting or name not in fragments:
                return 0
            sizes[name] = count(fragments[name].selection_set, visiting | {name})
        return sizes[name]

    return sum(
        count(d.selection_set, frozenset())
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


class BoundedValidation(ValidationCache):
    """Refuses documents that select too many fields, before validating them (cached).

    Validation itself is the cost to avoid: graphql-core's "fields can be merged" rule
    compares every pair of same-named fields, so a flood of duplicated fields that
    fits under the token limit still takes a core for a long time. Counting is linear,
    so the refusal is cheap and comes before any rule runs or the store is touched.
    """

    def __init__(self, max_fields: int, maxsize: int = 256) -> None:
        super().__init__(maxsize=maxsize)
        self.max_fields = max_fields

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        fields = selected_fields(document) if document is not None else 0
        if fields > self.max_fields:
            self.execution_context.pre_execution_errors = [
                GraphQLError(
                    f"the query selects {fields} fields; at most {self.max_fields} are allowed",
                    extensions={"code": TOO_MANY_FIELDS},
                )
            ]
            yield
            return
        yield from super().on_validate()


def build_schema(
    limits: Limits, *, introspection: bool = True, batching: bool = False
) -> strawberry.Schema:
    """The GraphQL schema with depth, alias, token and field limits and parse/validation
    caches; `batching` accepts JSON arrays of up to `limits.max_batch` operations."""
    # Factories, so each request gets fresh extension objects; the parse and
    # validation caches live at module level and are shared across requests.
    # The depth and alias rule classes are made once here: the validation cache is
    # keyed by the rule classes, and a fresh class per request would never hit it.
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: ParserCache(maxsize=256),
        lambda: BoundedValidation(max_fields=limits.max_fields),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        types=list(ALL_TYPES),
        extensions=extensions,
        config=StrawberryConfig(
            auto_camel_case=True,
            batching_config={"max_operations": limits.max_batch} if batching else None,
        ),
    )
