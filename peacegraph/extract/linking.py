"""Entity linking against what the graph already holds.

A draft entity whose name or an alias is a known node's name or alias reuses that
node's id (status "known"); one no known node names is "new"; one that several known
nodes fit (DRC: the Danish Refugee Council, the Democratic Republic of the Congo) is
resolved by context when the words around its mentions point to one candidate, and
otherwise kept "ambiguous" with every candidate listed for review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from peacegraph.extract.facts import AMBIGUOUS, KNOWN, NEW, Draft, Entity, Link, key_of
from peacegraph.graph.model import Label
from peacegraph.graph.records import Node

#: Labels a mention may be linked across: the recogniser confuses these.
_CROSS = {Label.ORGANIZATION, Label.PLACE, Label.PROGRAMME}


@dataclass(frozen=True)
class Known:
    id: str
    label: Label
    kind: str
    name: str
    names: frozenset[str]
    words: frozenset[str]
    surface: tuple[str, ...]


def _words(text: str) -> set[str]:
    return {w for w in key_of(text).split() if len(w) > 3}


def known_of(nodes: Iterable[Node]) -> list[Known]:
    """The graph's nodes as linking needs them: every name and the words describing them."""
    found = []
    for node in nodes:
        if node.label in (Label.SOURCE, Label.EVENT, Label.OBSERVATION):
            continue
        aliases = [str(a) for a in node.get("aliases") or []]
        names = frozenset(key_of(n) for n in [node.name, *aliases]) - {""}
        words = _words(" ".join([node.name, *aliases, str(node.get("description") or "")]))
        surface = tuple(n for n in [node.name, *aliases] if len(n) >= 3)
        found.append(
            Known(
                node.id,
                node.label,
                str(node.get("kind") or ""),
                node.name,
                names,
                frozenset(words),
                surface,
            )
        )
    return found


def gazetteer(known: list[Known]) -> dict[str, Label]:
    """Names to look for in the text, as written, with their label; a name two labels
    share is left to the recogniser."""
    labels: dict[str, set[Label]] = defaultdict(set)
    for entry in known:
        for name in entry.surface:
            labels[name].add(entry.label)
    return {name: next(iter(found)) for name, found in labels.items() if len(found) == 1}


class Linker:
    def __init__(self, known: list[Known]) -> None:
        self.known = {k.id: k for k in known}
        self.index: dict[str, set[str]] = defaultdict(set)
        for entry in known:
            for name in entry.names:
                self.index[name].add(entry.id)

    def candidates(self, entity: Entity) -> list[Known]:
        keys = {key_of(n) for n in [entity.name, *entity.aliases]} - {""}
        ids = {i for k in keys for i in self.index.get(k, ())}
        found = [self.known[i] for i in sorted(ids)]
        same = [k for k in found if k.label is entity.label]
        if len(found) > 1 and len(same) == 1 and not _short(entity):
            return same
        return [k for k in found if k.label is entity.label or {k.label, entity.label} <= _CROSS]

    def resolve(self, entity: Entity, found: list[Known]) -> Known | None:
        """The candidate the entity's own names or its context single out, if any."""
        full = {key_of(n) for n in [entity.name, *entity.aliases] if not _acronym(n)}
        by_name = [k for k in found if k.names & full]
        if len(by_name) == 1:
            return by_name[0]
        context = _words(" ".join(entity.context))
        scored = sorted(((len(k.words & context), k.id) for k in found), reverse=True)
        if len(scored) >= 2 and scored[0][0] >= 2 and scored[0][0] >= 2 * scored[1][0]:
            return self.known[scored[0][1]]
        return None

    def link(self, draft: Draft) -> None:
        """Give every named entity of the draft its status, reusing known ids."""
        renamed: dict[str, str] = {}
        for entity in list(draft.entities.values()):
            if entity.label in (Label.EVENT, Label.OBSERVATION):
                continue
            found = self.candidates(entity)
            chosen = (
                found[0] if len(found) == 1 else (self.resolve(entity, found) if found else None)
            )
            if chosen is not None:
                entity.status = KNOWN
                if len(found) > 1:
                    entity.candidates = [k.id for k in found]  # resolved: shown for review
                renamed[entity.id] = chosen.id
                entity.label, entity.kind = chosen.label, chosen.kind or entity.kind
                written, entity.name = entity.name, chosen.name
                entity.alias(written)
            elif found:
                entity.status = AMBIGUOUS
                entity.candidates = [k.id for k in found]
            else:
                entity.status = NEW
        _rename(draft, renamed)


def _acronym(name: str) -> bool:
    head = re.split(r"[-–\s]", name)[0]
    return head.isupper() and len(head) <= 8


def _short(entity: Entity) -> bool:
    return all(_acronym(n) for n in [entity.name, *entity.aliases])


def _rename(draft: Draft, renamed: dict[str, str]) -> None:
    """Move entities to their known ids, merging two that link to the same node."""
    entities: dict[str, Entity] = {}
    for entity in draft.entities.values():
        new_id = renamed.get(entity.id, entity.id)
        if new_id in entities:
            target = entities[new_id]
            for quote in entity.sources:
                target.cite(quote)
            for alias in [entity.name, *entity.aliases]:
                target.alias(alias)
            continue
        entity.id = new_id
        entities[new_id] = entity
    draft.entities = entities
    links: dict[tuple[str, str, str], Link] = {}
    for link in draft.links.values():
        link.source = renamed.get(link.source, link.source)
        link.target = renamed.get(link.target, link.target)
        if link.source == link.target:
            continue
        existing = links.get(link.key)
        if existing is None:
            links[link.key] = link
        else:
            existing.sources += [q for q in link.sources if q not in existing.sources]
    draft.links = links
