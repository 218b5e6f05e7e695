"""A `Draft` written as seed YAML (FORMAT.md), with the report beside it, so that the
seed validator checks it as it checks reviewed data; review statuses go to review.json
and, for people reading the YAML, into each entity's note."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from peacegraph.extract.extractor import Period
from peacegraph.extract.facts import AMBIGUOUS, Draft, Entity, Link, slug
from peacegraph.graph.model import Label, RelType, allowed
from peacegraph.seed.report import Report, normalize

FILES = {
    Label.ORGANIZATION: "organizations.yaml", Label.PLACE: "places.yaml",
    Label.PERSON: "people.yaml", Label.PROGRAMME: "programmes.yaml",
    Label.EVENT: "events.yaml", Label.OBSERVATION: "observations.yaml",
}  # fmt: skip
REVIEW_FILE = "review.json"


def _sources(quotes: list[Any]) -> list[dict[str, str]]:
    return [{"section": q.section, "quote": q.text} for q in quotes if q.text and q.section]


def _node(entity: Entity) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entity.id, "label": entity.label.value, "kind": entity.kind, "name": entity.name,
    }  # fmt: skip
    aliases = list(dict.fromkeys(a for a in entity.aliases if normalize(a) != entity.name))
    if aliases:
        data["aliases"] = aliases
    data.update(entity.props)
    note = f"review: {entity.status}"
    if entity.candidates:
        note += "; candidates: " + ", ".join(entity.candidates)
    data["note"] = note
    data["sources"] = _sources(entity.sources)
    return data


def _relationship(link: Link) -> dict[str, Any]:
    data: dict[str, Any] = {"type": link.type, "from": link.source, "to": link.target}
    data.update({k: v for k, v in link.props.items() if v})
    data["sources"] = _sources(link.sources)
    return data


def valid_links(draft: Draft) -> list[Link]:
    """Links whose both ends are written and whose type joins their labels."""
    kept = []
    for link in draft.links.values():
        source, target = draft.entities.get(link.source), draft.entities.get(link.target)
        if source is None or target is None or not _sources(link.sources):
            continue
        if (
            source.sources
            and target.sources
            and allowed(RelType(link.type), source.label, target.label)
        ):
            kept.append(link)
    return kept


def write(draft: Draft, report_path: Path, out: Path, period: Period) -> list[Path]:
    """Write the draft folder: report.yaml, the report, one file per label, commentary."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(report_path, out / report_path.name)
    report = Report.read(report_path)
    title = next((b.heading for b in report.blocks if b.heading), report_path.stem)
    document = {
        "id": f"source:{slug(report_path.stem)}", "name": title, "text": report_path.name,
        "language": "fr", "start": period.start, "end": period.end,
    }  # fmt: skip
    written = [_dump(out / "report.yaml", {"document": document})]
    entities = [e for e in draft.entities.values() if _sources(e.sources)]
    links = valid_links(draft)
    for label, file in FILES.items():
        nodes = [_node(e) for e in entities if e.label is label]
        rels = [_relationship(link) for link in links if _home(draft, link) is label]
        if nodes or rels:
            written.append(_dump(out / file, {"nodes": nodes, "relationships": rels}))
    written.append(_dump(out / "commentary.yaml", {"commentary": _commentary(report, draft)}))
    review = {
        "entities": {e.id: {"status": e.status, "candidates": e.candidates} for e in entities},
        "relationships": [{"type": k.type, "from": k.source, "to": k.target, "status": "proposed"}
                          for k in links],
    }  # fmt: skip
    (out / REVIEW_FILE).write_text(json.dumps(review, indent=1, ensure_ascii=False), "utf-8")
    written.append(out / REVIEW_FILE)
    return written


def _home(draft: Draft, link: Link) -> Label:
    """Which file a link is written in: an event's or observation's, else its source's."""
    for end in (link.source, link.target):
        if draft.entities[end].label in (Label.EVENT, Label.OBSERVATION):
            return draft.entities[end].label
    return draft.entities[link.source].label


def _commentary(report: Report, draft: Draft) -> list[dict[str, str]]:
    """Every paragraph no proposed fact cites, listed for review (FORMAT.md's coverage)."""
    quotes = [normalize(q.text) for e in draft.entities.values() for q in e.sources if q.text]
    quotes += [normalize(q.text) for k in draft.links.values() for q in k.sources if q.text]
    entries = []
    for block in report.blocks:
        if any(q in block.text for q in quotes):
            continue
        words = block.text.split()
        entries.append({"quote": " ".join(words[:8]), "reason": "review: no fact proposed"})
    return entries


def _dump(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return path


def read_review(folder: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((folder / REVIEW_FILE).read_text("utf-8"))
    return loaded


def ambiguous(folder: Path) -> list[str]:
    return [k for k, v in read_review(folder)["entities"].items() if v["status"] == AMBIGUOUS]
