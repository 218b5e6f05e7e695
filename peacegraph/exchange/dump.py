"""Reading a whole graph out of a store, and writing a whole document into one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from peacegraph.exchange.canonical import from_document, to_document
from peacegraph.graph import validation
from peacegraph.graph.errors import Invalid
from peacegraph.graph.importing import import_graph
from peacegraph.graph.records import Node, Page, Relationship, StoredRecord
from peacegraph.graph.store import Store, StoreTransaction
from peacegraph.graph.writing import Author, ImportMode, Write

PAGE = 5000
AUDIT = "audit"
#: Who the audit trail names for a change made by `peacegraph import`.
IMPORT_ACTOR = "peacegraph import"
Progress = Callable[[int], None]
T = TypeVar("T")


async def _every_page(fetch: Callable[[int], Awaitable[Page[T]]]) -> list[T]:
    """All items of a paged listing, PAGE at a time."""
    items: list[T] = []
    while True:
        page = await fetch(len(items))
        items.extend(page.items)
        if not page.has_next or not page.items:
            return items


async def read_graph(store: Store) -> tuple[list[Node], list[Relationship], list[dict[str, Any]]]:
    """Every node, relationship and audit entry, page by page."""
    nodes = await _every_page(lambda offset: store.all_nodes(offset=offset, limit=PAGE))
    rels = [rel async for batch in store.relationship_batches() for rel in batch]
    audit = await _every_page(lambda offset: store.list_records(AUDIT, offset=offset, limit=PAGE))
    return nodes, rels, [audit_entry(r) for r in audit]


def audit_entry(record: StoredRecord) -> dict[str, Any]:
    return {
        "id": record.key,
        "at": record.at,
        "actor": record.actor,
        "target": record.ref,
        **record.body,
    }


def audit_record(entry: dict[str, Any], where: str) -> StoredRecord:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("id", "at")):
        raise Invalid(f"{where}: needs id and at as text", field=where)
    for key in ("id", "at", "actor", "target"):
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise Invalid(f"{where}.{key}: must be text", field=f"{where}.{key}")
        if isinstance(value, str):
            validation.check_text(value, field=f"{where}.{key}", limit=validation.MAX_ID)
    body = {k: v for k, v in entry.items() if k not in {"id", "at", "actor", "target"}}
    return StoredRecord(
        AUDIT,
        entry["id"],
        entry["at"],
        str(entry.get("target", "")),
        str(entry.get("actor", "")),
        body,
    )


async def export_document(store: Store) -> dict[str, Any]:
    nodes, rels, audit = await read_graph(store)
    return to_document(nodes, rels, audit)


Validated = tuple[list[Node], list[Relationship], list[StoredRecord]]


def validate_document(document: Any) -> Validated:
    """Check the whole document before anything is written; Invalid names the field."""
    nodes, rels, audit = from_document(document)
    validation.check_nodes(nodes)
    validation.check_relationships(rels)
    validation.check_unique_relationships(rels)
    known = {n.id for n in nodes}
    for index, rel in enumerate(rels):
        for end, node_id in (("from", rel.source), ("to", rel.target)):
            if node_id not in known:
                raise Invalid(
                    f"relationships[{index}].{end}: {node_id!r} is not among the document's nodes",
                    field=f"relationships[{index}].{end}",
                )
    records = [audit_record(e, f"audit[{i}]") for i, e in enumerate(audit)]
    seen: set[str] = set()
    for index, record in enumerate(records):
        if record.key in seen:
            raise Invalid(
                f"audit[{index}].id: {record.key!r} appears twice", field=f"audit[{index}].id"
            )
        seen.add(record.key)
    return nodes, rels, records


async def import_document(
    store: Store,
    document: Any,
    progress: Progress | None = None,
    *,
    mode: ImportMode = ImportMode.CREATE,
) -> tuple[int, int]:
    """Validate, then write everything in one transaction: the whole file lands, or nothing."""
    return await write_validated(store, validate_document(document), progress, mode=mode)


async def write_validated(
    store: Store,
    validated: Validated,
    progress: Progress | None = None,
    *,
    mode: ImportMode = ImportMode.CREATE,
    actor: str = IMPORT_ACTOR,
) -> tuple[int, int]:
    """Write what `validate_document` returned through the one write path, in one
    transaction: ids that exist are refused (Conflict) unless `mode` says otherwise.

    A file that only creates is its own record and brings its own audit trail if it
    has one (a dump restored gives the same export); an import that changes stored
    records gets an audit entry with their before and after images."""
    nodes, rels, records = validated
    author = Author(actor, note=f"import ({mode.value})")

    async def work(tx: StoreTransaction) -> tuple[int, int]:
        return await import_graph(
            Write(tx, author),
            nodes,
            rels,
            mode=mode,
            mutation="import",
            records=records,
            audit_creations=False,
            progress=progress,
        )

    return await store.write(work)
