"""Parsed and validated documents, cached by query text, and the field count limit."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Any

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
from strawberry.schema.schema import validate_document

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
        self._ready: OrderedDict[str, DocumentNode] = OrderedDict()
        self._maxsize = maxsize

    def _parse_text(self, text: str) -> DocumentNode:
        return parse(text, max_tokens=self.max_tokens)

    def document(self, text: str) -> DocumentNode:
        """The parsed document; raises graphql's GraphQLError on a syntax or token error."""
        return self._parse(text)

    def ready(self, text: str) -> DocumentNode | None:
        """The document of a query text that passed every check of the schema it was
        run against (`mark_ready`), or None: it has to go through them."""
        document = self._ready.get(text)
        if document is not None:
            self._ready.move_to_end(text)
        return document

    def mark_ready(self, text: str, document: DocumentNode) -> None:
        """Remember that this text parsed and validated without errors, with every rule."""
        self._ready[text] = document
        if len(self._ready) > self._maxsize:
            self._ready.popitem(last=False)

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


def operation_in(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation to run, found as Strawberry finds it: by name, else the first."""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
            name is None or (definition.name is not None and definition.name.value == name)
        ):
            return definition
    return None
