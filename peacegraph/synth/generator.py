"""A deterministic generator of synthetic peacebuilding networks.

Why synthetic: the one real report holds a few hundred facts; the knowledge base
must stay fast at tens of thousands of actors and millions of links, and the
benchmark needs such graphs on any machine, the same for a given seed.

Shape, after the networks the reports describe:
- places in a hierarchy, country → region → town (`WITHIN`); every event is held in
  a town, every programme in a country or region;
- heavy-tailed degrees: one end of each link is drawn by Zipf rank, so a few hubs
  (the regional network, the intergovernmental body, the big donors) take part in
  a large share of events while most actors appear a handful of times;
- dates spread over several years, with the day, month or year precision the
  reports give;
- every node and relationship cites a synthetic quarterly report (`Source`), the
  one of its quarter for events and their links;
- only the relationship types and endpoint pairs `graph.model.allowed` permits,
  so the result passes `graph.validation` and loads through any store.

Everything comes from one `random.Random(seed)` and lists (never a set's iteration
order), so the same arguments give the same graph, byte for byte once serialised.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from peacegraph.graph.dates import date_props
from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import (
    EVT,
    ID_PREFIX,
    OBS,
    ORG,
    PER,
    PLC,
    PRG,
    SRC,
    Label,
    RelType,
    allowed,
)
from peacegraph.graph.records import Node, PropValue, Provenance, Relationship
from peacegraph.synth import names

FIRST_YEAR = 2019
YEARS = 6
MIN_NODES = 20
#: Share of each label in the node budget (events take what is left); a kind of
#: `model.KINDS` not listed here gets no synthetic nodes until it is given a share
#: and the links that would join it (`MIX`).
SHARES: dict[Label, float] = {
    Label.SOURCE: 0.002,
    Label.PLACE: 0.03,
    Label.PROGRAMME: 0.03,
    Label.ORGANIZATION: 0.12,
    Label.PERSON: 0.35,
    Label.OBSERVATION: 0.05,
}
#: Zipf exponent of each label when it is the "actor" end of a link: higher, fewer bigger hubs.
ZIPF: dict[Label, float] = {
    Label.ORGANIZATION: 1.05,
    Label.PERSON: 0.7,
    Label.PROGRAMME: 0.9,
    Label.PLACE: 0.8,
    Label.SOURCE: 0.3,
    Label.EVENT: 0.0,
    Label.OBSERVATION: 0.0,
}
#: The mix of the links drawn after the structural ones: (type, from, to, weight).
MIX: tuple[tuple[RelType, Label, Label, int], ...] = (
    (RelType.PARTICIPATED_IN, ORG, EVT, 22),
    (RelType.PARTICIPATED_IN, PER, EVT, 15),
    (RelType.ATTENDED, PER, EVT, 20),
    (RelType.ORGANIZED, ORG, EVT, 8),
    (RelType.ORGANIZED, PER, EVT, 2),
    (RelType.FUNDED, ORG, EVT, 3),
    (RelType.MENTIONED_IN, ORG, SRC, 5),
    (RelType.MENTIONED_IN, EVT, SRC, 5),
    (RelType.MENTIONED_IN, PER, SRC, 2),
    (RelType.PARTNER_OF, ORG, ORG, 5),
    (RelType.MEMBER_OF, ORG, ORG, 3),
    (RelType.MEMBER_OF, PER, ORG, 2),
    (RelType.IMPLEMENTS, ORG, PRG, 3),
    (RelType.FUNDED, ORG, PRG, 2),
    (RelType.PARTICIPATED_IN, ORG, PRG, 2),
    (RelType.PARTICIPATED_IN, PLC, EVT, 1),
)
VERBS: dict[RelType, str] = {
    RelType.MEMBER_OF: "est membre de",
    RelType.PART_OF: "fait partie de",
    RelType.WORKS_FOR: "travaille pour",
    RelType.PARTNER_OF: "est partenaire de",
    RelType.ORGANIZED: "a organisé",
    RelType.FUNDED: "a financé",
    RelType.PARTICIPATED_IN: "a pris part à",
    RelType.ATTENDED: "a assisté à",
    RelType.IMPLEMENTS: "met en œuvre",
    RelType.HELD_AT: "s'est tenu à",
    RelType.WITHIN: "se trouve dans",
    RelType.ABOUT: "porte sur",
    RelType.MENTIONED_IN: "est cité dans",
}
_TYPE_NUMBER = {rel_type: number for number, rel_type in enumerate(RelType)}


@dataclass(frozen=True)
class SynthGraph:
    """A generated graph, and its biggest hub (the organisation with the most links)."""

    nodes: list[Node]
    relationships: list[Relationship]
    hub: str


def plan(total: int) -> dict[Label, int]:
    """How many nodes of each label a budget of `total` nodes gives."""
    if total < MIN_NODES:
        raise Invalid(f"nodes: at least {MIN_NODES}", field="nodes")
    counts = {label: max(1, int(total * share)) for label, share in SHARES.items()}
    counts[Label.PLACE] = max(3, counts[Label.PLACE])
    counts[Label.ORGANIZATION] = max(len(names.HUBS), counts[Label.ORGANIZATION])
    counts[Label.EVENT] = total - sum(counts.values())
    return counts


def generate(
    nodes: int, relationships: int, seed: int, hub_degree: int | None = None
) -> SynthGraph:
    """A network of `nodes` nodes and at most `relationships` links (fewer only when
    the node budget cannot hold that many distinct links). With `hub_degree`, the
    top hub is given at least that many links (within the same budget): what the
    hub-safety benchmark reads around."""
    if relationships < 0:
        raise Invalid("rels: must not be negative", field="rels")
    if hub_degree is not None and not 0 <= hub_degree <= relationships:
        raise Invalid("hub degree: between 0 and the number of relationships", field="hubDegree")
    return _Generator(plan(nodes), relationships, seed, hub_degree or 0).run()


class _Zipf:
    """Draws members of a list, the first ones far more often (rank-frequency law)."""

    def __init__(self, members: Sequence[int], exponent: float) -> None:
        self.members = list(members)
        weights = (1.0 / (rank + 1) ** exponent for rank in range(len(self.members)))
        self.cumulative = list(accumulate(weights))

    def draw(self, rng: random.Random, k: int) -> list[int]:
        return rng.choices(self.members, cum_weights=self.cumulative, k=k)


class _Generator:
    """Builds one graph; node indexes are positions in `self.nodes`."""

    def __init__(
        self, counts: dict[Label, int], budget: int, seed: int, hub_degree: int = 0
    ) -> None:
        self.rng = random.Random(seed)
        self.counts = counts
        self.total = budget
        self.hub_degree = hub_degree
        # room for the hub's links is kept until they are drawn (`_hub`)
        self.budget = budget - hub_degree
        self.nodes: list[Node] = []
        self.members: dict[Label, list[int]] = {label: [] for label in Label}
        self.source_of: dict[int, str] = {}  # node index -> id of the report of its quarter
        self.seen: set[int] = set()
        self.relationships: list[Relationship] = []
        self.zipf: dict[Label, _Zipf] = {}

    # -- nodes -------------------------------------------------------------------------

    def run(self) -> SynthGraph:
        self._sources()
        self._places()
        self._programmes()
        self._organisations()
        self._people()
        self._events()
        self._observations()
        self.zipf = {label: _Zipf(self.members[label], ZIPF.get(label, 0.0)) for label in Label}
        self._structure()
        self._mix()
        if self.hub_degree:
            self.budget = self.total
            self._hub()
            self._mix()
        hub = self.nodes[self.members[ORG][0]].id
        return SynthGraph(nodes=self.nodes, relationships=self.relationships, hub=hub)

    def _add_node(
        self, label: Label, name: str, props: dict[str, PropValue], source: str | None = None
    ) -> int:
        index = len(self.nodes)
        number = len(self.members[label])
        node_id = f"{ID_PREFIX[label]}:synth-{number:06d}"
        document = source or self._any_source()
        section = self.rng.choice(names.SECTIONS)
        quote = f"{name} ({props.get('kind') or label.value.lower()})."
        self.nodes.append(
            Node(label, node_id, name, props, (Provenance(document, section, quote),))
        )
        self.members[label].append(index)
        if source is not None:
            self.source_of[index] = source
        return index

    def _any_source(self) -> str:
        return self.nodes[self.rng.choice(self.members[SRC])].id

    def _quarter_source(self, day: dt.date) -> str:
        """The report of the quarter a date falls in (reports cover the years in turn)."""
        sources = self.members[SRC]
        quarter = (day.year - FIRST_YEAR) * 4 + (day.month - 1) // 3
        position = min(len(sources) - 1, max(0, quarter * len(sources) // (YEARS * 4)))
        return self.nodes[sources[position]].id

    def _sources(self) -> None:
        total = self.counts[SRC]
        for number in range(total):
            quarter = number * YEARS * 4 // total
            year, q = FIRST_YEAR + quarter // 4, quarter % 4 + 1
            name = f"Rapport trimestriel synthétique {year} T{q} n°{number + 1}"
            props: dict[str, PropValue] = {"kind": "report"}
            props.update(date_props(f"{year}-{(q - 1) * 3 + 1:02d}", None))
            index = len(self.nodes)
            source_id = f"{ID_PREFIX[SRC]}:synth-{number:06d}"
            self.nodes.append(
                Node(SRC, source_id, name, props, (Provenance(source_id, "Couverture", name),))
            )
            self.members[SRC].append(index)

    def _word(self) -> str:
        syllables = self.rng.choices(names.SYLLABLES, k=self.rng.randint(2, 3))
        return "".join(syllables).capitalize()

    def _places(self) -> None:
        total = self.counts[PLC]
        countries = min(len(names.COUNTRIES), max(1, total // 40))
        regions = max(1, (total - countries) // 6)
        towns = total - countries - regions
        for number in range(countries):
            self._add_node(PLC, names.COUNTRIES[number], {"kind": "country"})
        for _ in range(regions):
            self._add_node(PLC, f"Région de {self._word()}", {"kind": "region"})
        for _ in range(towns):
            self._add_node(PLC, self._word(), {"kind": self.rng.choice(("town", "commune"))})
        self.countries = self.members[PLC][:countries]
        self.regions = self.members[PLC][countries : countries + regions]
        self.towns = self.members[PLC][countries + regions :]

    def _themes(self) -> list[str]:
        return self.rng.sample(names.THEMES, k=self.rng.randint(1, 2))

    def _programmes(self) -> None:
        for _ in range(self.counts[PRG]):
            start = self.rng.randint(FIRST_YEAR - 3, FIRST_YEAR + YEARS - 1)
            end = start + self.rng.randint(1, 5)
            name = f"{self.rng.choice(names.PROGRAMME_PREFIXES)} {self._word()} pour la paix"
            props: dict[str, PropValue] = {
                "kind": self.rng.choice(names.PROGRAMME_KINDS),
                "themes": self._themes(),
                **date_props(str(start), str(end)),
            }
            self._add_node(PRG, name, props)

    def _organisations(self) -> None:
        for name, acronym, kind in names.HUBS[: self.counts[ORG]]:
            props: dict[str, PropValue] = {
                "kind": kind,
                "aliases": [acronym],
                "themes": self._themes(),
            }
            self._add_node(ORG, f"{name} (synthétique)", props)
        for _ in range(self.counts[ORG] - len(self.members[ORG])):
            town = self.nodes[self.rng.choice(self.towns)].name
            prefix, purpose = (
                self.rng.choice(names.ORG_PREFIXES),
                self.rng.choice(names.ORG_PURPOSES),
            )
            name = f"{prefix} {purpose} de {town}"
            acronym = "".join(word[0] for word in name.split() if word[0].isupper())
            props = {"kind": self.rng.choice(names.ORG_KINDS), "aliases": [acronym]}
            if self.rng.random() < 0.5:
                props["themes"] = self._themes()
            if self.rng.random() < 0.3:
                props.update(date_props(str(self.rng.randint(1990, FIRST_YEAR)), None))
            self._add_node(ORG, name, props)

    def _people(self) -> None:
        for _ in range(self.counts[PER]):
            name = f"{self.rng.choice(names.GIVEN_NAMES)} {self.rng.choice(names.FAMILY_NAMES)}"
            self._add_node(PER, name, {})

    def _day(self) -> dt.date:
        return dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=self.rng.randrange(YEARS * 365))

    def _events(self) -> None:
        for _ in range(self.counts[EVT]):
            day = self._day()
            kind, title = self.rng.choice(names.EVENT_KINDS)
            town = self.nodes[self.rng.choice(self.towns)].name
            name = f"{title} {self.rng.choice(names.EVENT_TOPICS)} à {town}"
            props: dict[str, PropValue] = {"kind": kind, "themes": self._themes()}
            props.update(self._event_dates(day))
            if self.rng.random() < 0.6:
                participants = int(self.rng.lognormvariate(3.2, 0.7)) + 1
                props["participants"] = participants
                props["women"] = self.rng.randint(0, participants)
                props["youth"] = self.rng.randint(0, participants)
            self._add_node(EVT, name, props, source=self._quarter_source(day))

    def _event_dates(self, day: dt.date) -> dict[str, str | None]:
        roll = self.rng.random()
        if roll < 0.05:
            return date_props(str(day.year), None)
        if roll < 0.15:
            return date_props(day.strftime("%Y-%m"), None)
        if roll < 0.35:
            end = day + dt.timedelta(days=self.rng.randint(1, 4))
            return date_props(day.isoformat(), end.isoformat())
        return date_props(day.isoformat(), None)

    def _observations(self) -> None:
        for _ in range(self.counts[OBS]):
            day = self._day()
            unit = self.rng.choice(names.UNITS)
            value = float(int(self.rng.paretovariate(1.5) * 10))
            name = f"{value:g} {unit} au T{(day.month - 1) // 3 + 1} {day.year}"
            props: dict[str, PropValue] = {"value": value, "unit": unit, "kind": "figure"}
            props.update(date_props(day.strftime("%Y-%m"), None))
            self._add_node(OBS, name, props, source=self._quarter_source(day))

    # -- relationships -----------------------------------------------------------------

    def _full(self) -> bool:
        return len(self.relationships) >= self.budget

    def _link(
        self, rel_type: RelType, source: int, target: int, props: dict[str, PropValue] | None = None
    ) -> bool:
        """Add a link unless it exists (or joins a node to itself); True when added."""
        if source == target or self._full():
            return False
        size = len(self.nodes)
        key = (_TYPE_NUMBER[rel_type] * size + source) * size + target
        if key in self.seen:
            return False
        self.seen.add(key)
        a, b = self.nodes[source], self.nodes[target]
        assert allowed(rel_type, a.label, b.label), (rel_type, a.label, b.label)
        document = self.source_of.get(target) or self.source_of.get(source) or self._any_source()
        quote = f"{a.name} {VERBS[rel_type]} {b.name}."
        provenance = (Provenance(document, self.rng.choice(names.SECTIONS), quote),)
        self.relationships.append(Relationship(rel_type, a.id, b.id, props or {}, provenance))
        return True

    def _structure(self) -> None:
        """The links every graph of the kind has: hierarchy, venues, employers, parts."""
        rng = self.rng
        steps: list[Callable[[], None]] = [
            lambda: self._each(self.regions, RelType.WITHIN, lambda: rng.choice(self.countries)),
            lambda: self._each(self.towns, RelType.WITHIN, lambda: rng.choice(self.regions)),
            lambda: self._each(self.members[EVT], RelType.HELD_AT, self._zipf_town),
            lambda: self._each(
                self.members[PRG],
                RelType.HELD_AT,
                lambda: rng.choice(self.countries + self.regions),
            ),
            lambda: self._each(
                self.members[PER], RelType.WORKS_FOR, self._zipf_one(ORG), self._job
            ),
            self._secretariats,
            lambda: self._each(self.members[EVT][::2], RelType.PART_OF, self._zipf_one(PRG)),
            lambda: self._each(self.members[OBS], RelType.ABOUT, self._observed),
        ]
        for step in steps:
            if self._full():
                return
            step()

    def _each(
        self,
        sources: Sequence[int],
        rel_type: RelType,
        target: Callable[[], int],
        props: Callable[[], dict[str, PropValue]] | None = None,
    ) -> None:
        for source in sources:
            self._link(rel_type, source, target(), props() if props else None)

    def _zipf_one(self, label: Label) -> Callable[[], int]:
        return lambda: self.zipf[label].draw(self.rng, 1)[0]

    def _zipf_town(self) -> int:
        return self.towns[int(len(self.towns) * self.rng.random() ** 2)]

    def _job(self) -> dict[str, PropValue]:
        role = self.rng.choice(("coordinateur", "point focal", "chargée de programme", "membre"))
        return {
            "role": role,
            **date_props(str(self.rng.randint(2005, FIRST_YEAR + YEARS - 1)), None),
        }

    def _secretariats(self) -> None:
        """National secretariats and networks are PART_OF the regional network (the top hub)."""
        hub = self.members[ORG][0]
        for index in self.members[ORG][1:]:
            if self.nodes[index].props.get("kind") in {"national-secretariat", "network"}:
                self._link(RelType.PART_OF, index, hub)

    def _hub(self) -> None:
        """Links of the top hub to events, organisations and programmes, in a random
        order, until it has `hub_degree` links."""
        hub = self.members[ORG][0]
        hub_id = self.nodes[hub].id
        degree = sum(hub_id in (rel.source, rel.target) for rel in self.relationships)
        kinds = [
            (rel_type, target)
            for rel_type in (RelType.PARTICIPATED_IN, RelType.ORGANIZED, RelType.FUNDED)
            for target in self.members[EVT]
        ]
        kinds += [(RelType.PARTNER_OF, target) for target in self.members[ORG]]
        kinds += [(RelType.IMPLEMENTS, target) for target in self.members[PRG]]
        self.rng.shuffle(kinds)
        for rel_type, target in kinds:
            if degree >= self.hub_degree:
                return
            degree += self._link(rel_type, hub, target, self._props(rel_type, hub, target))

    def _observed(self) -> int:
        label = self.rng.choice((PRG, PRG, ORG, PLC, EVT))
        return self.rng.choice(self.members[label])

    def _mix(self) -> None:
        """Fill the budget with participation, funding, partnership and citation links."""
        total_weight = sum(weight for *_, weight in MIX)
        for _ in range(20):
            missing = self.budget - len(self.relationships)
            if missing <= 0:
                return
            added = 0
            for rel_type, source, target, weight in MIX:
                wanted = max(1, missing * weight // total_weight)
                added += self._draw(rel_type, source, target, wanted)
            if added == 0:
                return  # the node budget holds no more distinct links of these kinds

    def _draw(self, rel_type: RelType, source: Label, target: Label, wanted: int) -> int:
        """Draw `wanted` links: the source end by Zipf rank, the target end uniformly
        (both by rank between organisations, where partnerships cluster on hubs)."""
        sources = self.zipf[source].draw(self.rng, wanted)
        if source is target:
            targets = self.zipf[target].draw(self.rng, wanted)
        else:
            targets = self.rng.choices(self.members[target], k=wanted)
        added = 0
        for a, b in zip(sources, targets, strict=True):
            added += self._link(rel_type, a, b, self._props(rel_type, a, b))
        return added

    def _props(self, rel_type: RelType, source: int, target: int) -> dict[str, PropValue]:
        rng = self.rng
        if rel_type is RelType.PARTICIPATED_IN and rng.random() < 0.5:
            props: dict[str, PropValue] = {"role": rng.choice(names.ROLES)}
            if self.nodes[source].label is ORG and rng.random() < 0.4:
                props["count"] = rng.randint(1, 12)
            return props
        if rel_type is RelType.ORGANIZED:
            return {"role": "organisateur"}
        if rel_type in {RelType.PARTNER_OF, RelType.MEMBER_OF}:
            return dict(date_props(str(rng.randint(2000, FIRST_YEAR + YEARS - 1)), None))
        return {}
