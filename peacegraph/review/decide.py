"""Accepting, editing and rejecting a draft's facts.

An accepted fact is written through the one write path (`graph.importing.import_graph`,
in MERGE mode: the checks of every mutation and import, an audit entry naming the
editor), with its sources (the report's Source node, section and exact quote), and
its decision is recorded in the same transaction: both land, or neither.

- An ambiguous entity (several known nodes fit) whose draft id the graph holds needs
  a "same as" choice: accepting it as it is would merge it into whichever node happens
  to have that id.
- A node the graph does not hold yet is written as the draft (or the editor) gives it,
  with a MENTIONED_IN link to the report as a seed load makes. A node the graph holds
  (a known entity, a "same as" choice for an ambiguous one, or an id that happens to
  exist) keeps what it has: the report's names become aliases, its quotes are added to
  the sources, and only the fields the editor changed are written over it.
- A relationship is written only between nodes that are in the graph: an end the
  review has not accepted (still undecided or rejected) is refused with a message
  naming that end, rather than accepted with it, so that nothing enters the graph
  without its own review. An end accepted as "same as" another node is followed there.
"""

from __future__ import annotations

import re
from typing import Any

from peacegraph.extract.facts import AMBIGUOUS
from peacegraph.graph import validation
from peacegraph.graph.dates import parse_partial
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.importing import import_graph
from peacegraph.graph.model import RelType, allowed
from peacegraph.graph.records import Node, Provenance, Relationship
from peacegraph.graph.store import Store, StoreTransaction
from peacegraph.graph.writing import Author, ImportMode, Write, now
from peacegraph.review.drafts import Draft, Fact
from peacegraph.review.ledger import ACCEPTED, REJECTED, Decision, decision_in
from peacegraph.seed.report import heading_text, normalize
from peacegraph.seed.validate import document_record, node_record, relationship_record

MUTATION = "acceptDraftFact"
#: What an editor may change, in the seed's names: a node's and a relationship's.
NODE_FIELDS = (
    "name", "kind", "description", "note", "start", "end", "participants", "women", "youth",
    "disabled", "womenShare", "youthShare", "value", "unit",
)  # fmt: skip
RELATIONSHIP_FIELDS = ("type", "from", "to", "role", "start", "end", "count", "note")
_REQUIRED = ("name", "type", "from", "to", "kind")
_KIND = re.compile(r"[a-z][a-z0-9-]{0,59}")


def _checked(name: str, value: Any) -> Any:
    """One edited value, checked as the seed checks it; the field is named `edit.<name>`."""
    field = f"edit.{name}"
    if isinstance(value, str):
        validation.check_text(value, field=field, limit=2000)
        value = value.strip()
        if not value and name in _REQUIRED:
            raise Invalid(f"{field}: must not be empty", field=field)
    if not isinstance(value, str) or not value:
        if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
            raise Invalid(f"{field}: must not be negative", field=field)
        return value
    if name in ("start", "end"):
        parse_partial(value, field=field)
    elif name == "kind" and not _KIND.fullmatch(value):
        raise Invalid(f"{field}: {value!r} is not a kind (lower-case, e.g. workshop)", field=field)
    elif name == "type" and value not in RelType.__members__.values():
        raise Invalid(f"{field}: {value!r} is not a relationship type", field=field)
    elif name in ("from", "to"):
        validation.check_id(value, field=field)
    return value


def edited(fact: Fact, edit: dict[str, Any]) -> dict[str, Any]:
    """The fact's seed entry with the editor's changes (None: unchanged, '': removed)."""
    allowed_fields = NODE_FIELDS if fact.node else RELATIONSHIP_FIELDS
    data = dict(fact.data)
    for name, value in edit.items():
        if value is None:
            continue
        if name not in allowed_fields:
            kind = "an entity" if fact.node else "a relationship"
            raise Invalid(f"edit.{name}: not a field of {kind}", field=f"edit.{name}")
        value = _checked(name, value)
        if value == "":
            data.pop(name, None)
        else:
            data[name] = value
    if "end" in data and "start" not in data:
        raise Invalid("edit.end: an end needs a start", field="edit.end")
    if fact.node and data["name"] != fact.data["name"]:  # the report's spelling stays findable
        aliases = [fact.data["name"], *(data.get("aliases") or [])]
        data["aliases"] = [a for a in dict.fromkeys(aliases) if a != data["name"]]
    return data


def _author(draft: Draft, fact: Fact, document_id: str, actor: str) -> Author:
    first = fact.sources[0]
    source = Provenance(document_id, heading_text(first["section"]), normalize(first["quote"]))
    return Author(actor, source, note=f"review of draft {draft.name}: {fact.id}")


def _mention(node: Node, document: Node) -> Relationship:
    return Relationship(RelType.MENTIONED_IN, node.id, document.id, {}, node.sources[:1])


async def _node_records(
    tx: StoreTransaction, document: Node, fact: Fact, data: dict[str, Any], same_as: str | None
) -> tuple[list[Node], list[Relationship], str]:
    target = same_as or str(data["id"])
    stored = await tx.get_nodes([target, document.id])
    existing = stored.get(target)
    if same_as and existing is None:
        raise NotFound(f"sameAs: no node {same_as} in the graph")
    if fact.status == AMBIGUOUS and same_as is None and existing is not None:
        raise Invalid(
            f"sameAs: {fact.id} ({fact.data['name']}) is ambiguous: say which node it is "
            f"(candidates: {', '.join(fact.candidates)})",
            field="sameAs",
        )
    if existing is None:
        node = node_record(document.id, data)
    else:
        names = [fact.data["name"], *(fact.data.get("aliases") or [])]
        changes = {k: v for k, v in data.items() if k in NODE_FIELDS and fact.data.get(k) != v}
        entry = {
            **{k: v for k, v in changes.items() if k != "name"},
            "id": target,
            "label": existing.label.value,
            "name": changes.get("name", existing.name),
            "aliases": [n for n in names if n != changes.get("name", existing.name)],
            "sources": data["sources"],
        }
        node = node_record(document.id, entry)
    nodes = [node] if document.id in stored else [document, node]
    return nodes, [_mention(node, document)], target


async def _end(tx: StoreTransaction, draft: Draft, data: dict[str, Any], field: str) -> str:
    """A relationship end as the graph knows it: an accepted entity's written id."""
    draft_id = str(data[field])
    decision = await decision_in(tx, draft.name, draft_id)
    if decision is not None and decision.status == ACCEPTED and decision.written:
        return decision.written[0]
    if await tx.get_nodes([draft_id]):
        return draft_id
    proposed = draft.node_fact(draft_id)
    if proposed is None:
        raise Invalid(f"{field}: no node {draft_id} in the graph or the draft", field=field)
    why = "was rejected" if decision is not None else "is not accepted yet"
    raise Invalid(
        f"{field}: {draft_id} ({proposed.data['name']}) {why} and is not in the graph: "
        "accept it first, or change this end",
        field=field,
    )


async def _relationship_records(
    tx: StoreTransaction, draft: Draft, document: Node, data: dict[str, Any]
) -> tuple[list[Node], list[Relationship], tuple[str, str]]:
    source, target = await _end(tx, draft, data, "from"), await _end(tx, draft, data, "to")
    if source == target:
        raise Invalid("to: a relationship joins two different nodes", field="to")
    stored = await tx.get_nodes([source, target, document.id])
    rel_type = RelType(data["type"])
    if not allowed(rel_type, stored[source].label, stored[target].label):
        message = (
            f"type: {rel_type.value} does not join {stored[source].label.value} to "
            f"{stored[target].label.value}"
        )
        raise Invalid(message, field="type")
    rel = relationship_record(document.id, {**data, "from": source, "to": target})
    return ([] if document.id in stored else [document]), [rel], (source, target)


async def accept(
    store: Store,
    draft: Draft,
    fact_id: str,
    edit: dict[str, Any],
    *,
    actor: str,
    same_as: str | None = None,
) -> Decision:
    """Write one fact (with the editor's changes) and record the decision, in one
    transaction; refused with a message naming the field when anything is wrong."""
    fact = draft.fact(fact_id)
    data = edited(fact, edit)
    if same_as is not None:
        if not fact.node:
            raise Invalid("sameAs: only an entity can be the same as a node", field="sameAs")
        validation.check_id(same_as, field="sameAs")
    document = document_record(draft.document)
    author = _author(draft, fact, document.id, actor)

    async def work(tx: StoreTransaction) -> Decision:
        await _undecided(tx, draft, fact)
        written: tuple[str, ...]
        if fact.node:
            nodes, rels, node_id = await _node_records(tx, document, fact, data, same_as)
            written = (node_id,)
        else:
            nodes, rels, written = await _relationship_records(tx, draft, document, data)
        await import_graph(Write(tx, author), nodes, rels, mode=ImportMode.MERGE, mutation=MUTATION)
        decision = Decision(
            draft.name, fact.id, ACCEPTED, actor, now(), data != fact.data, data, written
        )
        await tx.put_records([decision.record()])
        return decision

    return await store.write(work)


async def _undecided(tx: StoreTransaction, draft: Draft, fact: Fact) -> None:
    taken = await decision_in(tx, draft.name, fact.id)
    if taken is not None:
        raise Conflict(f"fact: {fact.id} was already {taken.status} by {taken.by} at {taken.at}")


async def reject(store: Store, draft: Draft, fact_id: str, reason: str, *, actor: str) -> Decision:
    """Record that a fact stays out of the graph (nothing is written to the graph)."""
    fact = draft.fact(fact_id)
    validation.check_text(reason, field="reason", limit=2000)

    async def work(tx: StoreTransaction) -> Decision:
        await _undecided(tx, draft, fact)
        decision = Decision(draft.name, fact.id, REJECTED, actor, now(), reason=reason.strip())
        await tx.put_records([decision.record()])
        return decision

    return await store.write(work)
