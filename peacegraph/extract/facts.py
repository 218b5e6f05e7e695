"""What extraction proposes: entities and links, each with its quotes and review status."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from peacegraph.graph.model import Label

#: Review statuses a draft fact may carry.
PROPOSED = "proposed"  # a fact read from the text (events, observations, links)
NEW = "new"  # an entity the graph does not know
KNOWN = "known"  # an entity the graph knows: its id is reused
AMBIGUOUS = "ambiguous"  # several known entities fit the mention: review picks one


@dataclass(frozen=True)
class Quote:
    section: str
    text: str


def key_of(name: str) -> str:
    """A name's comparison key: no accents, case, articles, hyphens or punctuation."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn"
    ).lower()
    plain = re.sub(r"^(l'|l’|la |le |les |du |de la |des |de l'|d'|au |aux )", "", plain.strip())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def slug(name: str) -> str:
    return "-".join(key_of(name).split())[:60].strip("-") or "x"


@dataclass
class Entity:
    """A proposed node; `id` is a draft id until linking reuses a known one."""

    id: str
    label: Label
    kind: str
    name: str
    aliases: list[str] = field(default_factory=list)
    sources: list[Quote] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)
    status: str = PROPOSED
    candidates: list[str] = field(default_factory=list)
    #: Words around the mentions, for resolving an ambiguous one by context.
    context: list[str] = field(default_factory=list)

    def cite(self, quote: Quote) -> None:
        if quote not in self.sources:
            self.sources.append(quote)

    def alias(self, name: str) -> None:
        known = {key_of(self.name), *(key_of(a) for a in self.aliases)}
        if key_of(name) and key_of(name) not in known:
            self.aliases.append(name)


@dataclass
class Link:
    """A proposed relationship between two entity ids."""

    type: str
    source: str
    target: str
    sources: list[Quote] = field(default_factory=list)
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type, self.target)


@dataclass
class Draft:
    """Everything proposed for one report."""

    report_name: str
    entities: dict[str, Entity] = field(default_factory=dict)
    links: dict[tuple[str, str, str], Link] = field(default_factory=dict)

    def link(self, type_: str, source: str, target: str, quote: Quote, **props: Any) -> None:
        if source == target:
            return
        found = self.links.setdefault(
            (source, type_, target), Link(type_, source, target, props=dict(props))
        )
        if quote not in found.sources:
            found.sources.append(quote)


@dataclass(frozen=True)
class Mention:
    label: Label
    kind: str
    name: str
    start: int  # character offsets in the paragraph
    end: int
    role_of: str | None = None  # for a role: the organisation's name
    part_of: str | None = None  # for a unit ("la cellule ... de la mission X"): X's name
    #: A body named by a territorial adjective ("les autorités régionales"): its name
    #: takes the place the passage is about.
    local: bool = False
    #: The town a body is named after ("les autorités municipales de X"): its seat.
    seat: str | None = None
    #: Another name the mention gives the entity ("le réseau X": X, with "réseau X").
    alias: str | None = None
