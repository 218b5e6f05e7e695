"""The one write path: every change to the graph, whatever its entrance, goes through here.

Mutations (`resolvers.writes`), `peacegraph import` (`exchange.dump`) and seed loads
(`seed.loader`) decide *what* to change; a `Write` makes the change the same way for
all of them, inside the transaction it is given:
- every node and relationship is validated before it is written (`validation`: ids,
  labels, types, dates and their precisions, sizes, sources), and the author's
  provenance (a source passage or a note) is checked once;
- the version rule: a node that exists gets its stored version + 1, whatever the
  caller says its version is (a stale version is refused by the caller's check, see
  `check_version`), so versions never go backwards;
- every change is kept as a before and an after image (canonical JSON), and the audit
  entry written in the same transaction holds them all, so it can be undone (`revert`).

The store keeps its own search index in step with what its transaction committed.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peacegraph.exchange.canonical import node_to_json, relationship_to_json
from peacegraph.graph import validation
from peacegraph.graph.errors import Conflict, Invalid
from peacegraph.graph.records import Node, Provenance, Relationship, StoredRecord
from peacegraph.graph.store import StoreTransaction

AUDIT = "audit"
RelKey = tuple[str, str, str]
#: How many ids a conflict message or an audit entry's target names before "and N more".
SHOWN_IDS = 10


class ImportMode(enum.StrEnum):
    """What an import does with ids the graph already holds."""

    CREATE = "create"
    MERGE = "merge"
    REPLACE = "replace"


@dataclass(frozen=True)
class Author:
    """Who makes a change and why: a source passage, a note, or both."""

    actor: str
    source: Provenance | None = None
    note: str | None = None

    def sources(self) -> tuple[Provenance, ...]:
        return (self.source,) if self.source else ()

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source.as_dict() if self.source else None, "note": self.note}

    def check(self) -> None:
        """Refuse a change without provenance, or with provenance that breaks a rule."""
        if self.source is None and not (self.note and self.note.strip()):
            raise Invalid(
                "source: give a source (document, section, quote) or a note", field="source"
            )
        if self.source is not None:
            for part in ("document", "section", "quote"):
                value = getattr(self.source, part)
                if not value.strip():
                    raise Invalid(f"source.{part}: must not be empty", field=f"source.{part}")
                validation.check_text(value, field=f"source.{part}")
        if self.note is not None:
            validation.check_text(self.note, field="note", limit=2000)


def version_of(node: Node | None) -> int:
    """A node's version: 0 when it does not exist, 1 when it never had one."""
    value = node.props.get("version") if node else 0
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def check_version(node_id: str, existing: Node | None, expected: object, *, field: str) -> None:
    """A caller that says which version it edited is refused when that is not the
    stored one: it would overwrite a change it has not seen."""
    if expected is None:
        return
    current = version_of(existing)
    if expected != current:
        raise Conflict(
            f"{field}: {node_id} is at version {current}, not {expected}: reload and retry"
        )


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def merge_sources(*groups: Sequence[Provenance]) -> tuple[Provenance, ...]:
    return tuple(dict.fromkeys(s for group in groups for s in group))


def named(ids: Sequence[str]) -> str:
    """Ids for a message: the first few, then how many more."""
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown if len(ids) <= SHOWN_IDS else f"{shown} and {len(ids) - SHOWN_IDS} more"


def rel_key_json(key: RelKey) -> dict[str, str]:
    return {"from": key[0], "type": key[1], "to": key[2]}


class Write:
    """The changes of one unit of work, made through its transaction and recorded.

    Everything it does goes through `tx`, so a store may run the unit of work again
    after a transient failure (`Store.write`).
    """

    def __init__(self, tx: StoreTransaction, author: Author) -> None:
        author.check()
        self.tx = tx
        self.author = author
        #: Before and after images of every record changed, in the order changed.
        self.changes: list[dict[str, Any]] = []

    async def put_nodes(
        self,
        nodes: Sequence[tuple[Node, str]],
        existing: Mapping[str, Node],
        *,
        versioned: bool = True,
    ) -> list[Node]:
        """Write nodes (each with the input field it came from), checked; `existing`
        holds those already stored, as this transaction read them. A stored node gets
        its version + 1 (`versioned`), unless an earlier image is being put back."""
        written: list[Node] = []
        for node, field in nodes:
            before = existing.get(node.id)
            if before is not None and before.label is not node.label:
                raise Conflict(
                    f"{field}: {node.id} is a {before.label.value}, not a {node.label.value}"
                )
            props = dict(node.props)
            if before is not None and versioned:
                props["version"] = version_of(before) + 1
            elif props.get("version") is None:
                props["version"] = 1  # as the stores write a node without one
            after = Node(node.label, node.id, node.name, props, node.sources)
            validation.check_node(after, field=field)
            written.append(after)
            self.changes.append(
                {
                    "node": node.id,
                    "before": node_to_json(before) if before else None,
                    "after": node_to_json(after),
                }
            )
        if written:
            await self.tx.upsert_nodes(written)
        return written

    async def remove_nodes(self, nodes: Sequence[Node]) -> list[Relationship]:
        """Delete nodes with their relationships (recorded first); returns those."""
        removed: dict[RelKey, Relationship] = {}
        for node in nodes:
            for neighbour in await self.tx.all_links(node.id):
                removed.setdefault(neighbour.relationship.key, neighbour.relationship)
        for key, rel in removed.items():
            self.changes.append(
                {
                    "relationship": rel_key_json(key),
                    "before": relationship_to_json(rel),
                    "after": None,
                }
            )
        for node in nodes:
            self.changes.append({"node": node.id, "before": node_to_json(node), "after": None})
        await self.tx.delete_nodes([n.id for n in nodes])
        return list(removed.values())

    async def put_relationships(
        self,
        relationships: Sequence[tuple[Relationship, str]],
        existing: Mapping[RelKey, Relationship],
    ) -> list[Relationship]:
        """Write relationships (each with its input field), checked; `existing` holds
        the stored ones they replace."""
        rels: list[Relationship] = []
        for rel, field in relationships:
            validation.check_relationship(rel, field=field)
            before = existing.get(rel.key)
            rels.append(rel)
            self.changes.append(
                {
                    "relationship": rel_key_json(rel.key),
                    "before": relationship_to_json(before) if before else None,
                    "after": relationship_to_json(rel),
                }
            )
        if rels:
            await self.tx.upsert_relationships(rels)
        return rels

    async def remove_relationships(self, relationships: Sequence[Relationship]) -> None:
        for rel in relationships:
            self.changes.append(
                {
                    "relationship": rel_key_json(rel.key),
                    "before": relationship_to_json(rel),
                    "after": None,
                }
            )
        await self.tx.delete_relationships(relationships)

    async def existing_links(self, keys: Iterable[RelKey]) -> dict[RelKey, Relationship]:
        """The stored relationships with these keys, as this transaction sees them."""
        wanted = set(keys)
        found: dict[RelKey, Relationship] = {}
        for source in sorted({k[0] for k in wanted}):
            for neighbour in await self.tx.all_links(source):
                rel = neighbour.relationship
                if rel.key in wanted:
                    found[rel.key] = rel
        return found

    async def audit(
        self,
        mutation: str,
        targets: Sequence[str],
        *,
        before: Any = None,
        after: Any = None,
        extra: Mapping[str, Any] | None = None,
    ) -> StoredRecord:
        """The audit entry of this unit of work, written in its transaction."""
        at = now()
        target = targets[0] if len(targets) == 1 else named(list(targets))[: validation.MAX_ID]
        record = StoredRecord(
            kind=AUDIT,
            key=f"{at}-{uuid.uuid4().hex[:8]}",
            at=at,
            ref=target,
            actor=self.author.actor,
            body={
                "mutation": mutation,
                "target": target,
                "targets": list(targets),
                "before": before,
                "after": after,
                "changes": self.changes,
                **self.author.as_dict(),
                **(extra or {}),
            },
        )
        await self.tx.put_records([record])
        return record
