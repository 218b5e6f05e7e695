"""Building the schema with its guardrails, from the configured limits."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

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
    parse,
)
from strawberry.extensions import DisableIntrospection, MaxAliasesLimiter, QueryDepthLimiter
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from peacegraph.resolvers.limits import Limits
from peacegraph.schema.mutation import Mutation
from peacegraph.schema.query import Query
from peacegraph.schema.types import ALL_TYPES

TOO_MANY_FIELDS = "TOO_MANY_FIELDS"


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


class DocumentCache:
    """Parsed documents and validation outcomes of one schema, keyed by query text.

    Strawberry's ParserCache and ValidationCache key validation by the parsed
    document, and hashing a document walks its whole tree on every request: for a
    one-field lookup that walk cost more than running the query. The text is
    hashed once by Python and kept, so here a repeated query costs two dict hits.
    Both maps are bounded (least recently used entries go first), so unique query
    texts sent to a public endpoint cannot grow memory without limit.
    """

    def __init__(self, max_tokens: int, max_fields: int, maxsize: int = 256) -> None:
        self.max_tokens = max_tokens
        self.max_fields = max_fields
        self._parse = lru_cache(maxsize=maxsize)(self._parse_text)
        self._validated: OrderedDict[tuple[str, tuple[type, ...]], list[GraphQLError]] = (
            OrderedDict()
        )
        self._maxsize = maxsize

    def _parse_text(self, text: str) -> DocumentNode:
        return parse(text, max_tokens=self.max_tokens)

    def document(self, text: str) -> DocumentNode:
        """The parsed document; raises graphql's GraphQLError on a syntax or token error."""
        return self._parse(text)

    def errors(
        self, schema: Any, text: str, document: DocumentNode, rules: tuple[type, ...]
    ) -> list[GraphQLError]:
        """The refusal or validation errors of a document (none when it may run)."""
        key = (text, rules)
        found = self._validated.get(key)
        if found is not None:
            self._validated.move_to_end(key)
            return found
        fields = selected_fields(document)
        if fields > self.max_fields:
            errors = [
                GraphQLError(
                    f"the query selects {fields} fields; at most {self.max_fields} are allowed",
                    extensions={"code": TOO_MANY_FIELDS},
                )
            ]
        else:
            errors = validate_document(schema, document, rules)
        self._validated[key] = errors
        if len(self._validated) > self._maxsize:
            self._validated.popitem(last=False)
        return errors


class Guardrails(SchemaExtension):
    """Token, depth, alias and field limits, with parsing and validation cached.

    One extension rather than Strawberry's four (MaxTokensLimiter,
    AddValidationRules, ParserCache, ValidationCache): each extension hook costs
    every request, and a lookup is only a few fields. Refusals are the same:
    the token limit is graphql-core's own (`max_tokens`), depth and aliases are
    Strawberry's rules, and the field count is checked before any rule runs,
    because graphql-core's "fields can be merged" rule is quadratic in duplicated
    fields (`selected_fields` is linear).
    """

    def __init__(self, cache: DocumentCache, rules: Sequence[type]) -> None:
        super().__init__()
        self._cache = cache
        self._rules = tuple(rules)

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
            context.pre_execution_errors = self._cache.errors(
                context.schema._schema, context.query, document, context.validation_rules
            )
        yield


def build_schema(
    limits: Limits, *, introspection: bool = True, batching: bool = False
) -> strawberry.Schema:
    """The GraphQL schema with depth, alias, token and field limits and parse/validation
    caches; `batching` accepts JSON arrays of up to `limits.max_batch` operations."""
    # A factory, so each request gets a fresh extension object; the document cache
    # belongs to the schema and is shared across requests. The depth and alias rule
    # classes are made once here: validation outcomes are cached by rule classes,
    # and a fresh class per request would never hit the cache.
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    cache = DocumentCache(max_tokens=limits.max_tokens, max_fields=limits.max_fields)
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: Guardrails(cache, rules),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return QuietSchema(
        query=Query,
        mutation=Mutation,
        types=list(ALL_TYPES),
        extensions=extensions,
        config=StrawberryConfig(
            name_converter=CachedNames(),
            batching_config={"max_operations": limits.max_batch} if batching else None,
        ),
    )
