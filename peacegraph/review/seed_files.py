"""The reviewed facts of a draft as a seed folder (FORMAT.md) that `peacegraph seed
check` accepts: report.yaml, the report itself, and reviewed.yaml with the accepted
nodes and relationships (edits applied, ids as written) and a commentary entry for
every paragraph no accepted fact cites.

A relationship goes in only when both its ends are accepted nodes of the file; one
whose end is only in the graph (a known entity not reviewed here) is left out and
named in `left_out`, since a seed folder must define every id it uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from peacegraph.graph.model import label_of_id
from peacegraph.review.drafts import Draft
from peacegraph.review.ledger import ACCEPTED, Decision
from peacegraph.seed.problems import DOCUMENT_FILE
from peacegraph.seed.report import Report, heading_text, normalize

REVIEWED_FILE = "reviewed.yaml"


@dataclass
class SeedFiles:
    """File name to text, and the accepted relationships that could not go in."""

    files: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _union(entry: dict[str, Any], more: dict[str, Any], key: str) -> None:
    entry[key] = list(dict.fromkeys([*(entry.get(key) or []), *(more.get(key) or [])]))
    entry[key] = (
        [x for x in entry[key] if x != entry.get("name")] if key == "aliases" else entry[key]
    )


def _nodes(taken: list[Decision]) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    for decision in (d for d in taken if "label" in (d.data or {})):
        data = dict(decision.data or {})
        node_id = decision.written[0] if decision.written else str(data["id"])
        label = label_of_id(node_id)
        if node_id != data["id"]:  # accepted as the same as another node: its names
            data = {**data, "aliases": [data["name"], *(data.get("aliases") or [])]}
        data.update(id=node_id, label=label.value if label else data["label"])
        if node_id in nodes:
            for key in ("aliases", "sources"):
                _union(nodes[node_id], data, key)
        else:
            nodes[node_id] = data
    return nodes


def _relationships(
    taken: list[Decision], node_ids: set[str], left_out: list[str]
) -> list[dict[str, Any]]:
    relationships: dict[tuple[str, str, str], dict[str, Any]] = {}
    for decision in (d for d in taken if "type" in (d.data or {})):
        data = dict(decision.data or {})
        if len(decision.written) == 2:
            data.update({"from": decision.written[0], "to": decision.written[1]})
        if not {data["from"], data["to"]} <= node_ids:
            left_out.append(decision.fact)
            continue
        key = (data["from"], data["type"], data["to"])
        if key in relationships:
            _union(relationships[key], data, "sources")
        else:
            relationships[key] = data
    return list(relationships.values())


def _commentary(draft: Draft, entries: list[dict[str, Any]]) -> list[dict[str, str]]:
    """A paragraph no accepted quote lies in, and no accepted quote's section heads."""
    report = Report.parse(draft.report, str(draft.document["text"]))
    sources = [s for entry in entries for s in entry.get("sources") or []]
    quotes = [normalize(s["quote"]) for s in sources]
    sections = {heading_text(s["section"]) for s in sources}
    return [
        {"quote": block.text, "reason": "review: no fact accepted"}
        for block in report.blocks
        if block.heading not in sections and not any(q in block.text for q in quotes)
    ]


def seed_files(draft: Draft, decisions: dict[str, Decision]) -> SeedFiles:
    """The seed folder of a draft's accepted facts."""
    taken = [d for d in decisions.values() if d.status == ACCEPTED]
    result = SeedFiles()
    nodes = _nodes(taken)
    relationships = _relationships(taken, set(nodes), result.left_out)
    commentary = _commentary(draft, [*nodes.values(), *relationships])
    reviewed = {"nodes": list(nodes.values()), "relationships": relationships}
    result.files = {
        DOCUMENT_FILE: _dump({"document": draft.document}),
        REVIEWED_FILE: _dump({**reviewed, "commentary": commentary}),
        str(draft.document["text"]): draft.report,
    }
    return result
