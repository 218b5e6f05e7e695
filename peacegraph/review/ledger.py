"""The decisions taken on a draft's facts: one bookkeeping record per fact decided,
keyed by draft and fact, so that two editors deciding two facts never overwrite each
other's decision, and a reload shows every decision taken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peacegraph.graph.records import StoredRecord
from peacegraph.graph.store import Store, StoreTransaction

DECISION = "draft-decision"
ACCEPTED = "accepted"
REJECTED = "rejected"
PAGE = 500


def key(draft: str, fact: str) -> str:
    return f"{draft}/{fact}"


@dataclass(frozen=True)
class Decision:
    """What an editor decided on one fact; `data` is the fact as accepted (edits
    applied), `written` the ids it was written as (its node, or its two ends)."""

    draft: str
    fact: str
    status: str
    by: str
    at: str
    edited: bool = False
    data: dict[str, Any] | None = None
    written: tuple[str, ...] = ()
    reason: str = ""

    def record(self) -> StoredRecord:
        body = {
            "fact": self.fact,
            "status": self.status,
            "edited": self.edited,
            "data": self.data,
            "written": list(self.written),
            "reason": self.reason,
        }
        return StoredRecord(
            DECISION, key(self.draft, self.fact), self.at, self.draft, self.by, body
        )

    @classmethod
    def of_record(cls, record: StoredRecord) -> Decision:
        body = record.body
        return cls(
            record.ref,
            str(body["fact"]),
            str(body["status"]),
            record.actor,
            record.at,
            bool(body.get("edited")),
            body.get("data"),
            tuple(body.get("written") or ()),
            str(body.get("reason") or ""),
        )


async def decisions(store: Store, draft: str) -> dict[str, Decision]:
    """Every decision taken on a draft, by fact id."""
    found: dict[str, Decision] = {}
    offset = 0
    while True:
        page = await store.list_records(DECISION, ref=draft, offset=offset, limit=PAGE)
        for record in page.items:
            decision = Decision.of_record(record)
            found[decision.fact] = decision
        if not page.has_next:
            return found
        offset += len(page.items)


async def decision_in(tx: StoreTransaction, draft: str, fact: str) -> Decision | None:
    """The decision on one fact, as a write transaction sees it."""
    record = (await tx.get_records(DECISION, [key(draft, fact)])).get(key(draft, fact))
    return Decision.of_record(record) if record else None


async def forget(store: Store, draft: str) -> None:
    """Drop every decision taken on a draft (what was accepted stays in the graph)."""
    taken = await decisions(store, draft)
    if taken:
        await store.delete_records(DECISION, [key(draft, fact) for fact in taken])
