"""Scoring a draft against a reviewed dataset (the answer key): entity precision and
recall by kind, event dates, relationship recall by type, quote exactness, id reuse.

Entities of named kinds match when a name or alias of one is a name or alias of the
other (compared by `key_of`), or when their ids are equal. Events and observations have
no stable names, so they match when one of their quotes overlaps one of the key's in the
report's text. A key relationship is recalled when the draft joins the matched ends
with the same type. Relationship precision is judged only where the key can judge: among
drafted links whose two ends both match key entities, the share the key also states.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from peacegraph.extract.facts import key_of
from peacegraph.seed.report import Report, normalize

NAMED = ("Organization", "Place", "Person", "Programme")
BY_QUOTE = ("Event", "Observation")


@dataclass
class Folder:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)


def read(folder: Path) -> Folder:
    data = Folder()
    for path in sorted(folder.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        data.nodes += loaded.get("nodes") or []
        data.relationships += loaded.get("relationships") or []
        data.document = loaded.get("document") or data.document
    return data


def _names(node: dict[str, Any]) -> set[str]:
    return {key_of(str(n)) for n in [node["name"], *(node.get("aliases") or [])]} - {""}


def _spans(node: dict[str, Any], whole: str) -> list[tuple[int, int]]:
    spans = []
    for source in node.get("sources") or []:
        quote = normalize(source["quote"])
        at = whole.find(quote)
        if at >= 0:
            spans.append((at, at + len(quote)))
    return spans


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(x[1], y[1]) - max(x[0], y[0])) for x in a for y in b)


@dataclass
class Score:
    kind: str
    drafted: int
    key: int
    matched_draft: int
    matched_key: int

    @property
    def precision(self) -> float:
        return self.matched_draft / self.drafted if self.drafted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_key / self.key if self.key else 0.0


@dataclass
class Evaluation:
    entities: list[Score]
    relationships: dict[str, tuple[int, int]]  # type -> (recalled, in key)
    dates_right: tuple[int, int]  # matched key events whose dates the draft has right
    quotes: tuple[int, int]  # verbatim quotes, all quotes
    reused: tuple[int, int]  # matched known entities whose id the draft reused
    #: type -> (drafted links whose two ends match key entities, those in the key)
    linked: dict[str, tuple[int, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = ["| kind | draft | key | precision | recall |", "|---|---:|---:|---:|---:|"]
        for s in self.entities:
            out.append(f"| {s.kind} | {s.drafted} | {s.key} | {s.precision:.2f} | {s.recall:.2f} |")
        recalled = sum(r for r, _ in self.relationships.values())
        total = sum(t for _, t in self.relationships.values())
        out += [
            "",
            "| relationship | recalled | in key | recall | drafted | right | precision |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name in sorted(set(self.relationships) | set(self.linked)):
            r, t = self.relationships.get(name, (0, 0))
            d, k = self.linked.get(name, (0, 0))
            out.append(
                f"| {name} | {r} | {t} | {r / t if t else 0:.2f} | {d} | {k} | "
                f"{k / d if d else 0:.2f} |"
            )
        d = sum(n for n, _ in self.linked.values())
        k = sum(n for _, n in self.linked.values())
        out.append(
            f"| all | {recalled} | {total} | {recalled / total if total else 0:.2f} | {d} | {k} | "
            f"{k / d if d else 0:.2f} |"
        )
        d, e = self.dates_right
        q, n = self.quotes
        u, m = self.reused
        out += [
            "",
            f"- event dates right: {d}/{e} ({d / e if e else 0:.2f}) of the events recalled",
            f"- quotes verbatim in the report: {q}/{n} ({q / n if n else 0:.2%})",
            f"- matched entities whose key id the draft reuses: {u}/{m} ({u / m if m else 0:.2f})",
        ]
        return out


def evaluate(draft_dir: Path, key_dir: Path) -> Evaluation:
    draft, key = read(draft_dir), read(key_dir)
    report = Report.read(draft_dir / draft.document["text"])
    whole = "\n\n".join(b.text for b in report.blocks)
    matches: dict[str, set[str]] = defaultdict(set)  # draft id -> key ids
    scores = []
    for kind in (*NAMED, *BY_QUOTE):
        ours = [n for n in draft.nodes if n["label"] == kind]
        theirs = [n for n in key.nodes if n["label"] == kind]
        for mine in ours:
            for other in theirs:
                if (
                    mine["id"] == other["id"]
                    or (kind in NAMED and _names(mine) & _names(other))
                    or (kind in BY_QUOTE and _overlap(_spans(mine, whole), _spans(other, whole)))
                ):
                    matches[mine["id"]].add(other["id"])
        matched_key = {k for m in ours for k in matches[m["id"]]}
        scores.append(
            Score(
                kind,
                len(ours),
                len(theirs),
                sum(1 for m in ours if matches[m["id"]]),
                len(matched_key),
            )
        )
    dates = _dates(draft, key, whole, matches)
    relationships: dict[str, tuple[int, int]] = {}
    drafted = {
        (r["type"], k1, k2)
        for r in draft.relationships
        for k1 in matches.get(r["from"], ())
        for k2 in matches.get(r["to"], ())
    }
    for rel in key.relationships:
        recalled, total = relationships.get(rel["type"], (0, 0))
        hit = (rel["type"], rel["from"], rel["to"]) in drafted
        relationships[rel["type"]] = (recalled + hit, total + 1)
    in_key = {(r["type"], r["from"], r["to"]) for r in key.relationships}
    linked: dict[str, tuple[int, int]] = {}
    for rel in draft.relationships:
        ends = [(a, b) for a in matches.get(rel["from"], ()) for b in matches.get(rel["to"], ())]
        if ends:  # precision only where the key can judge: both ends are key entities
            d, k = linked.get(rel["type"], (0, 0))
            linked[rel["type"]] = (d + 1, k + any((rel["type"], a, b) in in_key for a, b in ends))
    quotes = [
        s["quote"]
        for item in (*draft.nodes, *draft.relationships)
        for s in item.get("sources") or []
    ]
    verbatim = sum(1 for q in quotes if len(report.blocks_containing(q)) >= 1)
    named = [n for n in draft.nodes if n["label"] in NAMED and matches[n["id"]]]
    reused = sum(1 for n in named if n["id"] in matches[n["id"]])
    return Evaluation(
        scores, relationships, dates, (verbatim, len(quotes)), (reused, len(named)), linked
    )


def _dates(draft: Folder, key: Folder, whole: str, matches: dict[str, set[str]]) -> tuple[int, int]:
    """For each key event some draft event matches, whether the best match's dates agree."""
    events = [n for n in draft.nodes if n["label"] == "Event"]
    right = total = 0
    for other in (n for n in key.nodes if n["label"] == "Event"):
        theirs = _spans(other, whole)
        candidates = [
            (_overlap(_spans(e, whole), theirs), e)
            for e in events
            if other["id"] in matches[e["id"]]
        ]
        if not candidates:
            continue
        total += 1
        best = max(candidates, key=lambda c: c[0])[1]
        same = str(best.get("start")) == str(other.get("start")) and str(
            best.get("end", best.get("start"))
        ) == str(other.get("end", other.get("start")))
        right += same
    return right, total
