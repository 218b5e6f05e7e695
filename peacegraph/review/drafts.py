"""A draft folder (what `peacegraph extract --out` writes), read as untrusted input and
kept in the store as one bookkeeping record.

Drafts live beside the graph rather than in a folder of the server, so that every app
process of a deployment (several behind a load balancer, on one Neo4j) sees the same
drafts, and so that a decision on a fact is written in the same transaction as the
facts it accepts. A folder is refused unless it passes the seed's own validation
(`seed.validate.load_seed`: ids, labels, types and their ends from the model's
allow-list, every quote verbatim in the report), within the size limits below, with
plain file names only; its review.json may only name the draft's own ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peacegraph.extract.facts import AMBIGUOUS, KNOWN, NEW, PROPOSED
from peacegraph.graph import validation
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.records import StoredRecord
from peacegraph.graph.store import Store
from peacegraph.graph.writing import now
from peacegraph.review.ledger import forget
from peacegraph.seed.fields import date_text
from peacegraph.seed.problems import DOCUMENT_FILE, Problems
from peacegraph.seed.validate import load_seed
from peacegraph.seed.yaml_lines import read_yaml

DRAFT = "draft"
REVIEW_FILE = "review.json"
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
REPORT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.md")
#: Limits on what a folder may bring: a 20-page report's draft is about 300 KB.
MAX_FILE_BYTES = 2_000_000
MAX_FOLDER_BYTES = 8_000_000
MAX_FILES = 40
MAX_FACTS = 5000
MAX_CANDIDATES = 10
STATUSES = (PROPOSED, NEW, KNOWN, AMBIGUOUS)


@dataclass(frozen=True)
class Fact:
    """One proposed node or relationship, as the draft's seed entry (`data`)."""

    id: str
    node: bool
    status: str
    candidates: tuple[str, ...]
    data: dict[str, Any]

    @property
    def sources(self) -> list[dict[str, str]]:
        return list(self.data.get("sources") or [])

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "node": self.node,
            "status": self.status,
            "candidates": list(self.candidates),
            "data": self.data,
        }


def fact_id(data: dict[str, Any], node: bool) -> str:
    """A node fact is named by its node id; a relationship by its ends and type."""
    return str(data["id"]) if node else f"{data['from']}|{data['type']}|{data['to']}"


@dataclass(frozen=True)
class Draft:
    """A report's proposed facts, with the report itself and its document entry."""

    name: str
    document: dict[str, Any]
    report: str
    facts: tuple[Fact, ...]
    added_at: str = ""
    added_by: str = ""

    def fact(self, wanted: str) -> Fact:
        for fact in self.facts:
            if fact.id == wanted:
                return fact
        raise NotFound(f"fact: draft {self.name} has no fact {wanted!r}")

    def node_fact(self, node_id: str) -> Fact | None:
        return next((f for f in self.facts if f.node and f.id == node_id), None)

    def record(self) -> StoredRecord:
        body = {
            "document": self.document,
            "report": self.report,
            "facts": [fact.as_json() for fact in self.facts],
        }
        return StoredRecord(DRAFT, self.name, self.added_at, self.name, self.added_by, body)

    @classmethod
    def of_record(cls, record: StoredRecord) -> Draft:
        facts = tuple(
            Fact(f["id"], f["node"], f["status"], tuple(f["candidates"]), f["data"])
            for f in record.body["facts"]
        )
        body = record.body
        return cls(record.key, body["document"], body["report"], facts, record.at, record.actor)


# ---------------------------------------------------------------- reading a folder


def check_name(name: str, *, field: str = "name") -> str:
    if not NAME.fullmatch(name):
        raise Invalid(
            f"{field}: {name!r} is not a draft name (lower-case letters, digits and "
            "hyphens, at most 60)",
            field=field,
        )
    return name


def _files(folder: Path) -> Iterator[Path]:
    """The files a draft is read from, checked for kind and size before any is read."""
    if not folder.is_dir():
        raise Invalid(f"draft: no folder {folder}", field="draft")
    wanted = [p for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".json", ".md")]
    if len(wanted) > MAX_FILES:
        raise Invalid(f"draft: more than {MAX_FILES} files in {folder}", field="draft")
    total = 0
    for path in wanted:
        if path.is_symlink() or not path.is_file():
            raise Invalid(f"draft: {path.name} is not a plain file", field=path.name)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise Invalid(f"draft: {path.name} is over {MAX_FILE_BYTES} bytes", field=path.name)
        total += size
        yield path
    if total > MAX_FOLDER_BYTES:
        raise Invalid(f"draft: the folder is over {MAX_FOLDER_BYTES} bytes", field="draft")


def _document(folder: Path) -> dict[str, Any]:
    """report.yaml's document, whose `text` must name a report file in the folder."""
    problems = Problems()
    data = read_yaml(folder / DOCUMENT_FILE, problems)
    problems.raise_if_any()
    document = data.get("document") if data is not None else None
    text = document.get("text") if isinstance(document, dict) else None
    if not isinstance(text, str) or not REPORT_NAME.fullmatch(text):
        raise Invalid(
            f"{DOCUMENT_FILE}: document.text must be the report's file name, in the folder",
            field="document.text",
        )
    plain: dict[str, Any] = _plain(document)
    return plain


def _plain(value: Any) -> Any:
    """YAML data as JSON data: mappings and lists copied, dates written as text."""
    if isinstance(value, dict):
        return {
            str(k): (date_text(v) if k in ("start", "end") else _plain(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _entries(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name == DOCUMENT_FILE:
            continue
        problems = Problems()
        data: dict[str, Any] = read_yaml(path, problems) or {}
        problems.raise_if_any()
        nodes += [_plain(n) for n in data.get("nodes") or []]
        relationships += [_plain(r) for r in data.get("relationships") or []]
    return nodes, relationships


def _statuses(folder: Path, ids: set[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """review.json's status and candidates of each entity, checked (absent: proposed)."""
    path = folder / REVIEW_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entities = data["entities"]
        assert isinstance(entities, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        message = f"{REVIEW_FILE}: expected {{entities: {{id: ...}}}}"
        raise Invalid(message, field=REVIEW_FILE) from None
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for node_id, entry in entities.items():
        field = f"{REVIEW_FILE}: entities[{node_id!r}]"
        if node_id not in ids:
            raise Invalid(f"{field}: not a node of the draft", field=REVIEW_FILE)
        status = entry.get("status") if isinstance(entry, dict) else None
        if status not in STATUSES:
            raise Invalid(f"{field}.status: expected one of {', '.join(STATUSES)}", field=field)
        candidates = entry.get("candidates") or []
        if not isinstance(candidates, list) or len(candidates) > MAX_CANDIDATES:
            raise Invalid(f"{field}.candidates: at most {MAX_CANDIDATES} ids", field=field)
        for candidate in candidates:
            validation.check_id(str(candidate), field=f"{field}.candidates")
        found[node_id] = (status, tuple(str(c) for c in candidates))
    return found


def read_folder(folder: Path, name: str | None = None, *, actor: str = "") -> Draft:
    """Read and check a draft folder; raises Invalid (a SeedError lists every problem)."""
    name = check_name(name if name is not None else folder.name, field="name")
    files = {path.name: path for path in _files(folder)}
    if DOCUMENT_FILE not in files:
        raise Invalid(f"draft: no {DOCUMENT_FILE} in {folder}", field=DOCUMENT_FILE)
    document = _document(folder)
    if document["text"] not in files:
        raise Invalid(f"draft: the report {document['text']} is not in {folder}", field="text")
    load_seed(folder, folder, require_coverage=False)  # every rule of FORMAT.md
    nodes, relationships = _entries(folder)
    for node in nodes:  # the extractor's "review: new" note says what `status` says
        if str(node.get("note", "")).startswith("review:"):
            del node["note"]
    if len(nodes) + len(relationships) > MAX_FACTS:
        raise Invalid(f"draft: more than {MAX_FACTS} facts", field="draft")
    statuses = _statuses(folder, {str(n["id"]) for n in nodes})
    facts = [
        Fact(fact_id(n, True), True, *statuses.get(str(n["id"]), (PROPOSED, ())), n) for n in nodes
    ]
    facts += [Fact(fact_id(r, False), False, PROPOSED, (), r) for r in relationships]
    report = files[document["text"]].read_text(encoding="utf-8")
    return Draft(name, document, report, tuple(facts), now(), actor)


# ------------------------------------------------------------------ in the store


async def add(store: Store, draft: Draft, *, replace: bool = False) -> None:
    """Keep a draft; one of the same name is refused unless `replace` (which also
    forgets the decisions taken on it: its facts may have changed)."""
    if (await store.get_records(DRAFT, [draft.name])) and not replace:
        raise Conflict(f"a draft named {draft.name} exists: remove it, or replace it")
    await forget(store, draft.name)
    await store.put_records([draft.record()])


async def get(store: Store, name: str) -> Draft:
    check_name(name, field="draft")
    record = (await store.get_records(DRAFT, [name])).get(name)
    if record is None:
        raise NotFound(f"draft: no draft named {name}")
    return Draft.of_record(record)


async def every(store: Store) -> list[Draft]:
    """Every draft kept, newest first."""
    drafts: list[Draft] = []
    offset = 0
    while True:
        page = await store.list_records(DRAFT, offset=offset, limit=50)
        drafts += [Draft.of_record(record) for record in page.items]
        if not page.has_next:
            return drafts
        offset += len(page.items)


async def remove(store: Store, name: str) -> None:
    """Forget a draft and its decisions (what was accepted stays in the graph)."""
    await get(store, name)
    await forget(store, name)
    await store.delete_records(DRAFT, [name])
