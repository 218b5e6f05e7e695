"""Restoring a large canonical JSON file into an empty store, in bounded memory, by the
store's bulk path (issue 24: a million relationships).

Why a route of its own: the in-memory import parses the whole file (several GiB of
Python objects for a million relationships), then writes every record through
UNWIND statements in one transaction. Here the file is read twice, one record at a
time (ijson's C backend): the first pass checks every record with the write path's
own rules (`canonical` shape, `validation.check_node` / `check_relationship`, ids
and relationships once each, every end among the file's nodes) and keeps only ids
and digests of relationship keys; the second pass hands chunks to
`Store.bulk_load` (COPY on the embedded store, UNWIND batches on Neo4j), which
checks each chunk again before it writes.

Atomicity: a chunk is a transaction, so a failure in the second pass (after every
check passed: the disk, memory, a killed process) can leave part of the file
stored. The route is taken only for an empty store, so the error says so and how to
recover (empty the store, import again); `cmd_import` tells the user.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from peacegraph.exchange.canonical import FORMAT, VERSION, node_from_json, relationship_from_json
from peacegraph.exchange.dump import AUDIT, IMPORT_ACTOR, audit_record
from peacegraph.graph import validation
from peacegraph.graph.errors import Invalid, PeaceGraphError
from peacegraph.graph.records import Node, Relationship, StoredRecord
from peacegraph.graph.store import Store, StoreTransaction
from peacegraph.graph.writing import Author, ImportMode, merge_sources

Progress = Callable[[int], None]
#: File size from which `peacegraph import` of canonical JSON (mode create) into an
#: empty store takes this route (about 60k relationships); below it the whole file
#: is one transaction through the write path, audited as it writes.
BULK_FROM_BYTES = 32 * 1024 * 1024
#: Records handed to `Store.bulk_load` at a time, each chunk a transaction. A chunk
#: is held as records, then as CSV lines: 100k relationships took ~300 MiB of the
#: import's RSS, 25k take a quarter, for a few more COPY statements.
CHUNK = 25_000


@dataclass(frozen=True)
class Checked:
    """What the first pass found: counts, and the file's audit trail (small)."""

    nodes: int
    relationships: int
    audit: list[StoredRecord]


def takes(path: Path, mode: ImportMode) -> bool:
    """Whether an import of `path` in `mode` takes this route (if the store is empty)."""
    try:
        return (
            mode is ImportMode.CREATE
            and path.is_file()
            and path.stat().st_size >= (BULK_FROM_BYTES)
        )
    except OSError:
        return False


def _items(path: Path, prefix: str) -> Iterator[Any]:
    with path.open("rb") as file:
        yield from ijson.items(file, prefix, use_float=True)


def _first(path: Path, prefix: str) -> Any:
    for value in _items(path, prefix):
        return value
    return None


def _key_digest(rel: Relationship) -> bytes:
    """A relationship's key in 16 bytes: a million keys as tuples of text take ~250 MB."""
    return hashlib.blake2b("\x00".join(rel.key).encode("utf-8"), digest_size=16).digest()


def check_file(path: Path, progress: Progress | None = None) -> Checked:
    """First pass: every record checked as `dump.validate_document` checks it."""
    found = _first(path, "format")
    if found != FORMAT:
        raise Invalid(
            f"format: {found!r} is not {FORMAT!r} (not a PeaceGraph canonical JSON document)",
            field="format",
        )
    version = _first(path, "version")
    if isinstance(version, bool) or version != VERSION:
        raise Invalid(f"version: {version!r} is not {VERSION}", field="version")
    ids: set[str] = set()
    for index, raw in enumerate(_items(path, "nodes.item")):
        field = f"nodes[{index}]"
        node = node_from_json(raw, field)
        validation.check_node(node, field=field)
        if node.id in ids:
            raise Invalid(f"{field}.id: {node.id!r} appears twice", field=f"{field}.id")
        ids.add(node.id)
        _tell(progress, index)
    keys: set[bytes] = set()
    count = 0
    for count, raw in enumerate(_items(path, "relationships.item"), 1):
        field = f"relationships[{count - 1}]"
        rel = relationship_from_json(raw, field)
        validation.check_relationship(rel, field=field)
        digest = _key_digest(rel)
        if digest in keys:
            raise Invalid(
                f"{field}: {rel.type.value} from {rel.source!r} to {rel.target!r} appears twice",
                field=field,
            )
        keys.add(digest)
        for end, node_id in (("from", rel.source), ("to", rel.target)):
            if node_id not in ids:
                raise Invalid(
                    f"{field}.{end}: {node_id!r} is not among the document's nodes",
                    field=f"{field}.{end}",
                )
        _tell(progress, count - 1)
    records = [audit_record(e, f"audit[{i}]") for i, e in enumerate(_items(path, "audit.item"))]
    if len({r.key for r in records}) != len(records):
        raise Invalid("audit: an entry id appears twice", field="audit")
    return Checked(len(ids), count, records)


def _tell(progress: Progress | None, index: int) -> None:
    if progress is not None and index % 10_000 == 9_999:
        progress(10_000)


async def is_empty(store: Store) -> bool:
    labels = await store.count_by_label()
    records = await store.list_records(AUDIT, offset=0, limit=1)
    return sum(labels.values()) == 0 and not records.items


async def load_file(
    store: Store, path: Path, checked: Checked, progress: Progress | None = None
) -> tuple[int, int]:
    """Second pass: the checked file into the (empty) store, chunk by chunk, with the
    sources the write path would stamp; then the file's audit trail."""
    author = Author(IMPORT_ACTOR, note=f"import ({ImportMode.CREATE.value})")
    stamp = author.sources()
    done = 0
    try:
        chunk: list[Node] = []
        for raw in _items(path, "nodes.item"):
            node = node_from_json(raw, "nodes")
            chunk.append(
                Node(node.label, node.id, node.name, node.props, merge_sources(node.sources, stamp))
            )
            if len(chunk) >= CHUNK:
                await store.bulk_load(chunk, [], progress)
                done += len(chunk)
                chunk = []
        await store.bulk_load(chunk, [], progress)
        done += len(chunk)
        rels: list[Relationship] = []
        for raw in _items(path, "relationships.item"):
            rel = relationship_from_json(raw, "relationships")
            rels.append(
                Relationship(
                    rel.type, rel.source, rel.target, rel.props, merge_sources(rel.sources, stamp)
                )
            )
            if len(rels) >= CHUNK:
                await store.bulk_load([], rels, progress)
                done += len(rels)
                rels = []
        await store.bulk_load([], rels, progress)
        done += len(rels)

        async def put(tx: StoreTransaction) -> None:
            for start in range(0, len(checked.audit), CHUNK):
                await tx.put_records(checked.audit[start : start + CHUNK])

        if checked.audit:
            await store.write(put)
    except PeaceGraphError as error:
        if done:
            raise PeaceGraphError(
                f"the import stopped after {done} of {checked.nodes + checked.relationships} "
                f"records were committed ({error}); the store was empty before it: empty it "
                "again (a new data folder, or delete its nodes) and import the file again"
            ) from error
        raise
    return checked.nodes, checked.relationships
