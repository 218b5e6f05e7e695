"""How bookkeeping records are stored: one table/label `_Record`, keyed `kind:key`.

Tokens, audit entries and deleted-node snapshots share one storage shape so both
backends need only four statements for all of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from peacegraph.graph.records import StoredRecord


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
