"""Plain fields read straight from their object, without graphql-core's field
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

A plain field of one object or interface type (a link's `node`, ~5,800 in that
query) is read the same way, and its value's fields executed directly, when its
object type is known without graphql-core's resolve info; errors are handled as
graphql-core handles them for the field. Values of an interface type take a short
path too: Strawberry's own type resolution of an interface depends only on the
value's class (unless the value is cast with `strawberry.cast`), so once a class
has been resolved for an interface in this execution, and checked as graphql-core
checks it, its next values skip the resolution, the check and `is_type_of` (~1 µs
each, 6 ms of the query's 112). An interface with its own `resolve_type`, a
generic type and a cast value always take graphql-core's path, unless its
`resolve_type` is marked as answering by class (`resolves_by_class`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLAbstractType,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import get_strawberry_type_cast
from strawberry.types.field import StrawberryField

#: (attribute name, the type's `coerce_output_value`, which graphql-core completes a
#: leaf with, whether null is an error) of a plain field.
PlainField = tuple[str, Callable[[Any], Any], bool]
#: (attribute name, the field's type, its object or interface type) of a plain field
#: of an object or interface type.
PlainObjectField = tuple[str, GraphQLOutputType, GraphQLObjectType | GraphQLInterfaceType]
_Tables = tuple[dict[tuple[str, str], PlainField], dict[tuple[str, str], PlainObjectField]]
#: The fields of an object whose selected fields are all plain leaves, in order.
_LeafSet = tuple[tuple[str, PlainField], ...]

_TABLES: WeakKeyDictionary[GraphQLSchema, _Tables] = WeakKeyDictionary()


def _attribute(field: GraphQLField) -> str | None:
    """The attribute a field reads when it is plain (no resolver, extensions,
    permissions or arguments, Strawberry's default resolver `getattr`), else None."""
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(definition, StrawberryField) or field.args:
        return None
    if not getattr(field.resolve, "_is_default", False) or not definition.is_basic_field:
        return None
    if definition.default_resolver is not getattr:  # StrawberryConfig(default_resolver=...)
        return None
    return definition.python_name or None


def _plain(field: GraphQLField) -> PlainField | None:
    """How to read a plain leaf `field` directly, or None when graphql-core must."""
    name = _attribute(field)
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if name is None or not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
        return None
    return (name, leaf.coerce_output_value, non_null)


def _plain_object(field: GraphQLField) -> PlainObjectField | None:
    """How to read a plain `field` of one object or interface (not a list) directly."""
    name = _attribute(field)
    named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if name is None or not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return None
    return (name, field.type, named)


def plain_fields(schema: GraphQLSchema) -> _Tables:
    """The plain leaf fields and the plain object fields of every object type, by
    (type name, field name): found once per schema (from its Strawberry definitions,
    which do not change once built)."""
    tables = _TABLES.get(schema)
    if tables is None:
        fields = [
            ((type_.name, name), field)
            for type_ in schema.type_map.values()
            if isinstance(type_, GraphQLObjectType)
            for name, field in type_.fields.items()
        ]
        leaves = {key: leaf for key, field in fields if (leaf := _plain(field)) is not None}
        objects = {key: obj for key, field in fields if (obj := _plain_object(field)) is not None}
        tables = (leaves, objects)
        _TABLES[schema] = tables
    return tables


class PlainFieldsExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, with plain fields read directly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware may wrap any resolver: with some, every field takes the long path.
        # (Strawberry passes a manager on every request, empty without extensions
        # that resolve.)
        middleware = self.middleware_manager
        wrapped = middleware is not None and bool(middleware.middlewares)
        self._plain, self._plain_objects = ({}, {}) if wrapped else plain_fields(self.schema)
        # (interface, value class) -> the object type its values were resolved to.
        self._resolved: dict[tuple[GraphQLAbstractType, type], GraphQLObjectType] = {}
        # (id of a grouped field set, its object type) -> (the set, kept alive so
        # that its id is not reused; its fields as (response name, plain leaf) when
        # all are plain leaves).
        self._leaf_sets: dict[tuple[int, str], tuple[Any, _LeafSet | None]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """An object whose selected fields are all plain leaves (a link's `node { id
        name }`, ~5,800 in the nested query) has them read in one loop: no path,
        no call and no awaitability test per field. Any value that loop does not
        finish with sends the whole object through graphql-core's loop, which
        reads it again (plain fields only read attributes) and reports it."""
        key = (id(grouped_field_set), parent_type.name)
        known = self._leaf_sets.get(key)
        if known is None:
            known = (grouped_field_set, self._leaf_set(parent_type, grouped_field_set))
            self._leaf_sets[key] = known
        leaves = known[1]
        if leaves is not None:
            results: dict[str, Any] = {}
            for response_name, plain in leaves:
                value = _leaf_value(source_value, plain)
                if value is _LONG_PATH:
                    break
                results[response_name] = value
            else:
                return results
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def _leaf_set(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> _LeafSet | None:
        """The fields of a grouped field set as (response name, plain leaf), when every
        one of them is a plain leaf of `parent_type`."""
        leaves = []
        for response_name, field_details_list in grouped_field_set.items():
            plain = self._plain.get((parent_type.name, field_details_list[0].node.name.value))
            if plain is None:
                return None
            leaves.append((response_name, plain))
        return tuple(leaves)

    def complete_abstract_value(
        self,
        return_type: GraphQLAbstractType,
        field_details_list: Any,
        info: Any,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        key = (return_type, type(result))
        runtime = self._resolved.get(key)
        if runtime is not None and get_strawberry_type_cast(result) is None:
            return self.collect_and_execute_subfields(
                runtime, field_details_list, path, result, position_context
            )
        if _resolved_by_class(return_type, result):
            name = return_type.resolve_type(result, info, return_type)  # type: ignore[misc]
            if isinstance(name, str):
                runtime = self.ensure_valid_runtime_type(
                    name, return_type, field_details_list, info, result
                )
                if runtime.is_type_of is None or runtime.is_type_of(result, info) is True:
                    self._resolved[key] = runtime
                    return self.collect_and_execute_subfields(
                        runtime, field_details_list, path, result, position_context
                    )
        return super().complete_abstract_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        key = (parent_type.name, field_details_list[0].node.name.value)
        plain = self._plain.get(key)
        if plain is not None:
            value = _leaf_value(source, plain)
            if value is not _LONG_PATH:
                return value
        else:
            plain_object = self._plain_objects.get(key)
            if plain_object is not None:
                completed = self._complete_plain_object(
                    plain_object, source, field_details_list, path, position_context
                )
                if completed is not _LONG_PATH:
                    return completed
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _complete_plain_object(
        self,
        plain: PlainObjectField,
        source: Any,
        field_details_list: Any,
        path: Path,
        position_context: Any,
    ) -> Any:
        """A plain object field's value completed as graphql-core completes it (its
        sub-fields executed, an error handled as the field's own), when the value is
        there and its object type is known without a resolve info: an object type
        without `is_type_of`, or an interface whose resolution of the value's class
        is remembered (`complete_abstract_value`). Else `_LONG_PATH`, having done
        nothing."""
        name, return_type, named = plain
        try:
            value = getattr(source, name)
        except Exception:  # noqa: BLE001 - graphql-core's path reports it
            return _LONG_PATH
        if value is None:
            return _LONG_PATH
        if isinstance(named, GraphQLInterfaceType):
            runtime = self._resolved.get((named, type(value)))
            if runtime is None or get_strawberry_type_cast(value) is not None:
                return _LONG_PATH
        elif named.is_type_of is None:
            runtime = named
        else:
            return _LONG_PATH
        try:
            completed = self.collect_and_execute_subfields(
                runtime, field_details_list, path, value, position_context
            )
        except Exception as raw_error:  # noqa: BLE001 - handled as graphql-core does
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return self._await_plain_object(completed, return_type, field_details_list, path)
        return completed

    async def _await_plain_object(
        self, completed: Any, return_type: GraphQLOutputType, field_details_list: Any, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:  # noqa: BLE001 - handled as graphql-core does
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None


#: What `_leaf_value` and `_complete_plain_object` answer when graphql-core's path
#: must complete the field instead.
_LONG_PATH = object()


def _leaf_value(source: Any, plain: PlainField) -> Any:
    """A plain leaf's completed value, as graphql-core would complete it; `_LONG_PATH`
    for any value it would report instead (null where none is allowed, a value the
    type refuses, an error reading it), which its own path then reads again."""
    name, coerce, non_null = plain
    try:
        value = getattr(source, name)
        if value is None:
            return _LONG_PATH if non_null else None
        coerced = coerce(value)
    except Exception:  # noqa: BLE001 - graphql-core's path reports it
        return _LONG_PATH
    return _LONG_PATH if coerced is None or coerced is Undefined else coerced


RESOLVES_BY_CLASS = "_peacegraph_resolves_by_class"


def resolves_by_class(resolve_type: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an interface's own `resolve_type` as answering by the value's class only,
    so that the short path may remember its answer for each class."""
    setattr(resolve_type, RESOLVES_BY_CLASS, True)
    return resolve_type


def by_class(resolve_type: Callable[..., Any]) -> bool:
    function = getattr(resolve_type, "__func__", resolve_type)
    return bool(getattr(function, RESOLVES_BY_CLASS, False))


def _resolved_by_class(return_type: GraphQLAbstractType, value: Any) -> bool:
    """Whether values of `value`'s class resolve to one object type for `return_type`:
    an interface without its own `resolve_type` (Strawberry's answers by class) or
    with one marked `resolves_by_class`, a value of a non-generic Strawberry type,
    not cast."""
    if not isinstance(return_type, GraphQLInterfaceType) or return_type.resolve_type is None:
        return False
    interface = (return_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    definition = getattr(type(value), "__strawberry_definition__", None)
    return (
        isinstance(interface, StrawberryObjectDefinition)
        and (interface.resolve_type is None or by_class(interface.resolve_type))
        and isinstance(definition, StrawberryObjectDefinition)
        and not definition.is_graphql_generic
        and get_strawberry_type_cast(value) is None
    )
