"""How bookkeeping records are stored: one table/label `_Record`, keyed `kind:key`.

Tokens, audit entries and deleted-node snapshots share one storage shape so both
backends need only four statements for all of them.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from typing import Any

from peacegraph.graph.records import StoredRecord

#: The graph's change stamp: one record that every committed write transaction sets
#: to a new random value, in the same transaction as its writes. Readers compare it
#: (HTTP ETags): it changes with every commit, through any entrance (API, CLI import,
#: seed load, bulk load) and from any process sharing the database. A new value
#: rather than a counter, so that no transaction needs to read it first: the write
#: locks the record until the commit, so the last commit's value is the one stored.
CHANGE_KIND = "change"
CHANGE_KEY = "graph"


def change_stamp() -> StoredRecord:
    """The change stamp record a write transaction puts just before it commits."""
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    return StoredRecord(CHANGE_KIND, CHANGE_KEY, at, "", "", {"stamp": uuid.uuid4().hex})


def storage_key(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def record_row(record: StoredRecord) -> dict[str, Any]:
    return {
        "key": storage_key(record.kind, record.key),
        "kind": record.kind,
        "at": record.at,
        "ref": record.ref,
        "actor": record.actor,
        "body": json.dumps(record.body, ensure_ascii=False, sort_keys=True),
    }


def record_from_row(row: Mapping[str, Any]) -> StoredRecord:
    kind = str(row["kind"])
    return StoredRecord(
        kind=kind,
        key=str(row["key"])[len(kind) + 1 :],
        at=str(row.get("at") or ""),
        ref=str(row.get("ref") or ""),
        actor=str(row.get("actor") or ""),
        body=json.loads(row.get("body") or "{}"),
    )
