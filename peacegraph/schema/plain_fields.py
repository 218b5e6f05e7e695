"""Plain leaf fields read straight from their object, without graphql-core's field
machinery.

A nested answer is mostly plain leaves: the 3-level nested query of the benchmark
(100 organisations, their events, their participants) completes ~18,000 fields, of
which ~11,500 are an `id` or a `name`. For each, graphql-core builds a resolve info
(a tuple of sixteen), calls Strawberry's default resolver through two wrappers,
tests the result for awaitability twice and completes it as a leaf: ~4 µs a field,
most of what GraphQL adds to the store's time for that query.

`PlainFieldsExecutionContext` (Strawberry's execution context, which the schema
takes as `execution_context_class`) answers a field that is plain in every respect
by reading the attribute and serialising it, exactly what graphql-core would do
with it. Plain means: a Strawberry field with no resolver, extensions or exception
handlers (Strawberry marks its resolver `_is_default`), no arguments, a scalar or
enum type, and the default resolver `getattr`, with no middleware in this
execution. Anything else, and any value the short path does not finish with (null
where not allowed, a value the scalar refuses, an error), goes through
graphql-core's own `execute_field`, which reports it as it always does.
`tests/schema/test_plain_fields.py` holds the two paths to the same answers and
errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

#: (attribute name, the type's `serialize`, whether null is an error) of a plain field.
PlainField = tuple[str, Callable[[Any], Any], bool]

_TABLES: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], PlainField]] = WeakKeyDictionary()


def _plain(field: GraphQLField) -> PlainField | None:
    """How to read `field` directly, or None when graphql-core must run it."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or field.args:
        return None
    if not getattr(field.resolve, "_is_default", False) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr:  # StrawberryConfig(default_resolver=...)
        return None
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return None
    name = definition.python_name
    return (name, leaf.serialize, non_null) if name else None


def plain_fields(schema: GraphQLSchema) -> dict[tuple[str, str], PlainField]:
    """The plain fields of every object type, by (type name, field name): found once
    per schema (from its Strawberry definitions, which do not change once built)."""
    table = _TABLES.get(schema)
    if table is None:
        table = {
            (type_.name, name): plain
            for type_ in schema.type_map.values()
            if isinstance(type_, GraphQLObjectType)
            for name, field in type_.fields.items()
            if (plain := _plain(field)) is not None
        }
        _TABLES[schema] = table
    return table


class PlainFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain leaf fields read directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware may wrap any resolver: with some, every field takes the long path.
        # (Strawberry passes a manager on every request, empty without extensions
        # that resolve.)
        middleware = self.middleware_manager
        wrapped = middleware is not None and bool(middleware.middlewares)
        self._plain = {} if wrapped else plain_fields(self.schema)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        plain = self._plain.get((parent_type.name, field_details_list[0].node.name.value))
        if plain is not None:
            name, serialize, non_null = plain
            try:
                value = getattr(source, name)
                if value is None:
                    if not non_null:
                        return None
                else:
                    serialized = serialize(value)
                    if serialized is not None and serialized is not Undefined:
                        return serialized
            except Exception:  # noqa: BLE001 - graphql-core's path reports it
                pass
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )
