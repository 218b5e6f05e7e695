"""What a document selects: its field count, and the operation a request runs."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

TOO_MANY_FIELDS = "TOO_MANY_FIELDS"


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


def operation_in(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation to run, as graphql-core picks it: by name, else the only one; None
    when there is no such operation, or several and no name (graphql-core refuses)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name is not None and o.name.value == name), None)
