"""How many items an operation may return at most, refused above a limit before it runs.

Depth, alias and field limits bound the document, not the answer: four nested lists
of `first: 100` fit in a few lines and ask for up to 100^4 items. On the 100k/1M
synthetic graph such a query ran into the request timeout after 10 s of CPU with
~700 MiB resident. As GitHub's API does with its node limit, every list a page size
argument bounds (`first`, and a network's `limit`) multiplies what is below it, and
the operation is refused when the total could pass `Limits.max_result_items`. The
count uses the request's own arguments (literals, variables, or the schema's
defaults), so it runs for every request, after validation: one walk of a document
of at most `max_fields` fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from peacegraph.resolvers.limits import Limits

TOO_MANY_RESULTS = "QUERY_TOO_COSTLY"


def size_caps(limits: Limits) -> dict[str, int]:
    """The arguments that bound how many items a list returns, each counted at most at
    its own maximum: a larger one is refused on its own, with a message naming it."""
    return {"first": limits.max_page_size, "limit": limits.max_network_nodes}


#: A type whose fields can be looked up (unions have none: fragments name their types).
Fielded = GraphQLObjectType | GraphQLInterfaceType


def _fielded(named: Any) -> Fielded | None:
    return named if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)) else None


def _size(
    field: FieldNode,
    parent: Fielded | None,
    variables: Mapping[str, Any],
    defaults: Mapping[str, Any],
    caps: Mapping[str, int],
) -> int | None:
    """The page size a field asks for: its `first`/`limit` argument as given, from a
    variable, or the schema's default; None when the field takes no such argument."""
    definition = parent.fields.get(field.name.value) if parent is not None else None
    if definition is None:
        return None
    for name, cap in caps.items():
        if name not in definition.args:
            continue
        given = next((a.value for a in field.arguments or () if a.name.value == name), None)
        if isinstance(given, VariableNode):
            value = variables.get(given.name.value, defaults.get(given.name.value))
        elif given is not None:
            value = value_from_ast_untyped(given, dict(variables))
        else:
            value = definition.args[name].default_value
        if not isinstance(value, int) or isinstance(value, bool):
            return 0  # not a number: refused by execution, with its own message
        return min(max(value, 0), cap)
    return None


class _Counter:
    """Walks one operation, multiplying page sizes down the tree."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        defaults: Mapping[str, Any],
        caps: Mapping[str, int],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.defaults = defaults
        self.caps = caps
        #: The list where the most items would be, and how many.
        self.worst: tuple[int, str] = (0, "")

    def count(
        self, selection_set: SelectionSetNode | None, parent: Fielded | None, scale: int, path: str
    ) -> int:
        """Items under `selection_set`, whose every list is repeated `scale` times."""
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                name = selection.name.value
                size = _size(selection, parent, self.variables, self.defaults, self.caps)
                inner, here = scale, path
                if size is not None:
                    inner, here = scale * size, f"{path}.{name}" if path else name
                    total += inner
                    self.worst = max(self.worst, (inner, here))
                definition = parent.fields.get(name) if parent is not None else None
                child = _fielded(get_named_type(definition.type)) if definition else None
                total += self.count(selection.selection_set, child, inner, here)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                named = self.schema.get_type(condition.name.value) if condition else parent
                total += self.count(selection.selection_set, _fielded(named), scale, path)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    named = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.count(fragment.selection_set, _fielded(named), scale, path)
        return total


def cost_error(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    limits: Limits,
) -> GraphQLError | None:
    """The refusal of `operation` (of `document`) when it could return more than
    `limits.max_result_items` items, naming the list where the most items would be;
    None when it may run."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    defaults = {
        v.variable.name.value: value_from_ast_untyped(v.default_value)
        for v in operation.variable_definitions or ()
        if v.default_value is not None
    }
    root = schema.get_root_type(operation.operation)
    given = variables if isinstance(variables, Mapping) else {}
    counter = _Counter(schema, fragments, given, defaults, size_caps(limits))
    limit = limits.max_result_items
    total = counter.count(operation.selection_set, root, 1, "")
    if total <= limit:
        return None
    worst, path = counter.worst
    return GraphQLError(
        f"the query could return up to {total:,} items ({worst:,} at {path}); at most "
        f"{limit:,} are allowed: ask for smaller pages (first, limit)",
        extensions={"code": TOO_MANY_RESULTS, "field": path},
    )
