"""From a report's text to a `Draft`: paragraphs through spaCy, then mentions, events,
observations and the links between them, each with its section and an exact quote."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from peacegraph.extract import acronyms, dates, events, gazetteer, mentions, numbers
from peacegraph.extract.facts import Draft, Entity, Link, Quote, key_of, slug
from peacegraph.extract.mentions import Mention
from peacegraph.extract.nlp import pipeline, sentences
from peacegraph.graph.model import ID_PREFIX, Label
from peacegraph.seed.report import Block, Report

Progress = Callable[[int], None]
#: Words (lemmas) that state a partnership, an organisation running a programme, and
#: membership of an alliance or network.
PARTNERSHIP = {"partenariat", "partenaire", "collaboration", "accord", "convention"}
IMPLEMENTING = {"œuvre", "oeuvre", "implémenter", "exécuter", "piloter", "coordonner",
                "produit", "produire", "partenariat", "financer", "appuyer"}  # fmt: skip
BRANCH = {"mission", "branche", "organe", "antenne", "démembrement", "cellule", "secrétariat"}
MEMBERSHIP = {"membre", "composer", "composé", "regrouper", "réunir", "alliance"}
#: Longest quote, in characters; a longer sentence is cut to a window around the mention.
MAX_QUOTE = 220


@dataclass(frozen=True)
class Period:
    """The period a report covers, read from its own dates: the quarter most dates fall in."""

    start: str
    end: str
    year: int


def period_of(docs: list[Doc]) -> Period:
    months: Counter[tuple[int, int]] = Counter()
    years: Counter[int] = Counter()
    for doc in docs:
        for token in doc:
            if token.is_digit and len(token.text) == 4 and token.text[:2] in ("19", "20"):
                years[int(token.text)] += 1
    year = years.most_common(1)[0][0] if years else 2000
    for doc in docs:
        for mention in dates.find(doc, year):
            if mention.kind in ("DAY", "DAYS", "DURING", "MONTH") and len(mention.start) >= 7:
                months[(int(mention.start[:4]), int(mention.start[5:7]))] += 1
    if not months:
        return Period(f"{year}", f"{year}", year)
    (year, month), _ = months.most_common(1)[0]
    first = 3 * ((month - 1) // 3) + 1
    return Period(f"{year}-{first:02d}", f"{year}-{first + 2:02d}", year)


def quote_around(sentence: Span, start: int, end: int) -> str:
    """The sentence, or a window of it around characters [start, end) of the paragraph."""
    text = sentence.text.strip()
    if len(text) <= MAX_QUOTE:
        return text.rstrip(".")
    doc = sentence.doc
    first = next(t.i for t in sentence if t.idx + len(t.text) > start)
    last = max(t.i for t in sentence if t.idx < end)
    lo, hi = max(sentence.start, first - 10), min(sentence.end, last + 11)
    return doc[lo:hi].text.strip(" ,;")


class Extractor:
    """One run of extraction over one report."""

    def __init__(self, report_name: str, known: dict[str, Label] | None = None) -> None:
        self.draft = Draft(report_name)
        self.known = known
        self.by_key: dict[tuple[Label, str], str] = {}
        self.expansions: dict[str, str] = {}
        self.author: str | None = None
        self.section_event: dict[str, str] = {}
        #: The alliance or network and the programme named last: what "l'alliance" and a
        #: figure without a name of its own refer to.
        self.last_group: str | None = None
        self.last_programme: str | None = None
        self.section_programmes: set[str] = set()

    # ------------------------------------------------------------------ entities

    def entity(self, mention: Mention, quote: Quote, context: str) -> Entity:
        """The draft entity a mention names, created on first sight."""
        label = mention.label
        name = gazetteer.canonical(mention.name) if label is Label.PLACE else mention.name
        long = self.expansions.get(name)
        short = next((s for s, lf in self.expansions.items() if key_of(lf) == key_of(name)), None)
        keys = (
            [key_of(name)] + ([key_of(long)] if long else []) + ([key_of(short)] if short else [])
        )
        found = next((self.by_key[(label, k)] for k in keys if (label, k) in self.by_key), None)
        if found is None and label is Label.ORGANIZATION:
            found = next(
                (
                    self.by_key[(Label.PROGRAMME, k)]
                    for k in keys
                    if (Label.PROGRAMME, k) in self.by_key
                ),
                None,
            )
        if found is None:
            display = short or name
            new_id = f"{ID_PREFIX[label]}:{slug(display)}"
            while new_id in self.draft.entities:
                new_id += "-2"
            entity = Entity(new_id, label, mention.kind or "ngo", display)
            self.draft.entities[new_id] = entity
            found = new_id
        entity = self.draft.entities[found]
        for alias in (name, long, short):
            if alias:
                entity.alias(alias)
                self.by_key[(entity.label, key_of(alias))] = found
        entity.cite(quote)
        entity.context.append(context)
        return entity

    # ------------------------------------------------------------------ the run

    def run(self, report: Report, progress: Progress | None = None) -> Draft:
        blocks = list(report.blocks)
        whole = "\n\n".join(b.text for b in report.blocks)
        for expansion in acronyms.find(whole) + acronyms.find_reverse(whole):
            if expansion.long[:1].isupper():
                self.expansions.setdefault(expansion.short, expansion.long)
        nlp = pipeline()
        docs: list[Doc] = []
        for doc in nlp.pipe(b.heading or b.text for b in blocks):
            docs.append(doc)
            if progress:
                progress(1)
        period = period_of(docs)
        self.period = period
        found = [
            (block, doc, mentions.find(doc, self.known))
            for block, doc in zip(blocks, docs, strict=True)
        ]
        orgs = Counter(m.name for _, _, ms in found for m in ms if m.label is Label.ORGANIZATION)
        self.author = orgs.most_common(1)[0][0] if orgs else None
        for block, doc, paragraph in found:
            self.paragraph(report, block, doc, paragraph, period)
            if progress:
                progress(1)
        self.merge_programmes()
        author = self.by_key.get((Label.ORGANIZATION, key_of(self.author or "")))
        for programme in self.section_programmes:
            # A report's sections are about its author's own programmes.
            quote = next((q for q in self.draft.entities[programme].sources if q.text), None)
            if author and quote and programme in self.draft.entities:
                self.draft.link("IMPLEMENTS", author, programme, quote)
        return self.draft

    def merge_programmes(self) -> None:
        """An organisation that shares a name with a programme is that programme: "NEWS"
        reads as a name in capitals until "la plateforme NEWS" says what it is."""
        programmes = {
            key_of(n): e.id
            for e in self.draft.entities.values()
            if e.label is Label.PROGRAMME
            for n in [e.name, *e.aliases]
        }
        moved: dict[str, str] = {}
        for entity in list(self.draft.entities.values()):
            if entity.label is not Label.ORGANIZATION:
                continue
            target = next(
                (
                    programmes[k]
                    for k in map(key_of, [entity.name, *entity.aliases])
                    if k in programmes
                ),
                None,
            )
            if target is not None:
                for quote in entity.sources:
                    self.draft.entities[target].cite(quote)
                moved[entity.id] = target
                del self.draft.entities[entity.id]
        links: dict[tuple[str, str, str], Link] = {}
        for link in self.draft.links.values():
            link.source = moved.get(link.source, link.source)
            link.target = moved.get(link.target, link.target)
            if link.source != link.target:
                links.setdefault(link.key, link)
        self.draft.links = links

    def paragraph(
        self, report: Report, block: Block, doc: Doc, found: list[Mention], period: Period
    ) -> None:
        headings = report.headings_before(block.index)
        section = headings[-1].heading if headings else ""
        assert section is not None
        date_mentions = dates.find(doc, period.year)
        date_tokens = {t.i for d in date_mentions for t in d.span}
        figures = numbers.find(doc, date_tokens)
        heading_programme = self.section_programme(headings)
        if heading_programme:
            self.section_programmes.add(heading_programme)
        if block.is_heading and heading_programme:
            found = [m for m in found if not (m.label is Label.PROGRAMME and m.start == 0)]
        for sentence in sentences(doc):
            here = [m for m in found if sentence.start_char <= m.start < sentence.end_char]
            ids: list[Entity] = []
            pairs: list[tuple[Entity, Mention]] = []
            for mention in here:
                quote = Quote(section, quote_around(sentence, mention.start, mention.end))
                entity = self.entity(mention, quote, sentence.text)
                ids.append(entity)
                pairs.append((entity, mention))
                if mention.role_of:
                    org = self.entity(
                        Mention(Label.ORGANIZATION, "ngo", mention.role_of, 0, 0), quote, ""
                    )
                    role = mention.name[: mention.name.rfind(mention.role_of)].strip()
                    role = re.sub(r"\s+(de|du|des|de la|d'|d’)$", "", role).strip()
                    self.draft.link("WORKS_FOR", entity.id, org.id, quote, role=role or "staff")
            sentence_quote = Quote(
                section,
                quote_around(sentence, sentence.start_char, sentence.start_char + MAX_QUOTE),
            )
            self.relations(sentence, ids, pairs, sentence_quote, date_mentions, heading_programme)
            cue = events.cue(sentence, date_mentions, undated=section not in self.section_event)
            current = self.section_event.get(section)
            if cue is not None:
                self.event(cue, sentence, pairs, sentence_quote, heading_programme, section)
            elif current is not None:
                self.attend(current, pairs, sentence_quote)
            self.observations(
                sentence,
                figures,
                ids,
                section,
                self.section_event.get(section) or heading_programme or self.last_programme,
            )
            for entity in ids:
                if entity.kind in ("alliance", "network", "coalition"):
                    self.last_group = entity.id
                elif entity.label is Label.PROGRAMME:
                    self.last_programme = entity.id

    def section_programme(self, headings: list[Block]) -> str | None:
        """The programme a section is about: the nearest heading that names one."""
        for heading in reversed(headings):
            text = heading.heading or ""
            first = text.split()[0].lower() if text.split() else ""
            if first in mentions.PROGRAMME_HEADS:
                # "Programme Just Future ou Avenir Juste JFA": a name, "ou" another, and
                # an acronym at the end a third.
                names = [n.strip() for n in text.split(":")[0].split(" ou ")]
                last = names[-1].split()
                if len(last) > 1 and last[-1].isupper():
                    names[-1] = " ".join(last[:-1])
                    names.append(last[-1])
                entity = self.entity(
                    Mention(Label.PROGRAMME, mentions.PROGRAMME_HEADS[first], names[0], 0, 0),
                    Quote(text, text),
                    text,
                )
                for alias in names[1:]:
                    entity.alias(alias)
                    self.by_key[(Label.PROGRAMME, key_of(alias))] = entity.id
                return entity.id
        return None

    def event(
        self,
        cue: events.EventCue,
        sentence: Span,
        pairs: list[tuple[Entity, Mention]],
        quote: Quote,
        programme: str | None,
        section: str,
    ) -> None:
        """An event, or more about the section's event when the dates agree: a heading
        and the paragraph under it often state the same activity twice."""
        date = cue.date
        start = date.start if date else self.period.start
        end = date.end if date else (self.period.end if cue.undated else None)
        current = self.section_event.get(section)
        event: Entity | None = self.draft.entities.get(current) if current else None
        if event is None or event.props.get("start") != start:
            new_id = f"event:{start}-{slug(cue.name)[:40]}"
            while new_id in self.draft.entities:
                new_id += "-2"
            event = Entity(new_id, Label.EVENT, cue.kind, cue.name)
            event.aliases = [f"{cue.name} ({start})"]
            event.props["start"] = start
            if end and end != start:
                event.props["end"] = end
            self.draft.entities[new_id] = event
            self.section_event[section] = new_id
            if programme:
                self.draft.link("PART_OF", event.id, programme, quote)
        event.cite(quote)
        organisers = events.organises(sentence)
        present = [e for e, _ in pairs]
        orgs = [e for e in present if e.label is Label.ORGANIZATION]
        for entity in present:
            if entity.label is Label.PLACE:
                self.draft.link("HELD_AT", event.id, entity.id, quote)
            elif entity.label is Label.PROGRAMME:
                self.draft.link("PART_OF", event.id, entity.id, quote)
            elif entity.label is Label.ORGANIZATION:
                kind = "ORGANIZED" if organisers else "PARTICIPATED_IN"
                self.draft.link(kind, entity.id, event.id, quote)
            elif entity.label is Label.PERSON:
                self.draft.link("PARTICIPATED_IN", entity.id, event.id, quote)
        if organisers and not orgs and self.author:
            author = self.by_key.get((Label.ORGANIZATION, key_of(self.author)))
            if author:
                self.draft.link("ORGANIZED", author, event.id, quote)

    def attend(self, event_id: str, pairs: list[tuple[Entity, Mention]], quote: Quote) -> None:
        """Who and what a later sentence of an event's section names took part in it."""
        for entity, _ in pairs:
            if entity.label in (Label.ORGANIZATION, Label.PERSON):
                self.draft.link("PARTICIPATED_IN", entity.id, event_id, quote)
            elif entity.label is Label.PLACE:
                kind = "PARTICIPATED_IN" if entity.kind == "country" else "HELD_AT"
                if kind == "HELD_AT":
                    self.draft.link(kind, event_id, entity.id, quote)
                else:
                    self.draft.link(kind, entity.id, event_id, quote)
            elif entity.label is Label.PROGRAMME:
                self.draft.link("PART_OF", event_id, entity.id, quote)

    def observations(
        self,
        sentence: Span,
        figures: list[numbers.Figure],
        present: list[Entity],
        section: str,
        programme: str | None,
    ) -> None:
        for figure in figures:
            if not sentence.start <= figure.span.start < sentence.end:
                continue
            observed = events.observed(figure)
            if observed is None:
                continue
            kind, unit = observed
            tail = sentence.doc[figure.span.start : min(sentence.end, figure.span.end + 4)]
            name = tail.text.split(",")[0].strip()
            quote = Quote(section, quote_around(sentence, tail.start_char, tail.end_char))
            new_id = f"obs:{slug(name)}-{slug(section)[:20]}"
            while new_id in self.draft.entities:
                new_id += "-2"
            obs = Entity(new_id, Label.OBSERVATION, kind, name, sources=[quote])
            obs.aliases = [f"{figure.value} {unit} ({section[:40]})"]
            obs.props.update(value=figure.value, unit=unit)
            self.draft.entities[new_id] = obs
            about = [e.id for e in present if e.label is Label.PROGRAMME]
            for target in about or ([programme] if programme else []):
                self.draft.link("ABOUT", obs.id, target, quote)

    def relations(
        self,
        sentence: Span,
        present: list[Entity],
        pairs: list[tuple[Entity, Mention]],
        quote: Quote,
        found: list[dates.DateMention],
        programme: str | None,
    ) -> None:
        """Links a sentence states outside events: partners, places within places,
        organisations implementing programmes."""
        lemmas = {t.lemma_.lower() for t in sentence}
        # Names in capitals may turn out to be programmes (`merge_programmes`): links
        # between any two named actors are proposed, and the write keeps the pairs whose
        # labels the type joins.
        actors = _unique([e for e in present if e.label in (Label.ORGANIZATION, Label.PROGRAMME)])
        places = _unique([e for e in present if e.label is Label.PLACE])
        programmes = [e.id for e in actors if e.label is Label.PROGRAMME]
        if programme and not programmes:
            programmes = [programme]
        if lemmas & PARTNERSHIP:
            since = next(
                (
                    d.start
                    for d in found
                    if d.since and sentence.start <= d.span.start < sentence.end
                ),
                None,
            )
            props = {"start": since} if since else {}
            for a, b in itertools.combinations(actors, 2):
                self.draft.link("PARTNER_OF", a.id, b.id, quote, **props)
        if lemmas & IMPLEMENTING:
            for actor in actors:
                for target in [*programmes, *(e.id for e in actors)]:
                    self.draft.link("IMPLEMENTS", actor.id, target, quote)
            for place in places:
                for target in programmes:
                    self.draft.link("HELD_AT", target, place.id, quote)
        named = [(e, m) for e, m in pairs if e.label in (Label.ORGANIZATION, Label.PROGRAMME)]
        located = [(e, m) for e, m in pairs if e.label is Label.PLACE]
        for actor, at in named:
            for place, where in located:
                between = sentence.doc.text[at.end : where.start]
                if where.start > at.end and _SEATED.match(between):
                    self.draft.link("HELD_AT", actor.id, place.id, quote)
        if lemmas & BRANCH and "être" in lemmas:
            for a, b in itertools.pairwise(actors):
                self.draft.link("PART_OF", a.id, b.id, quote)  # "A est une mission de B"
        for (owned, at), (owner, by) in itertools.pairwise(named):
            between = sentence.doc.text[at.end : by.start]
            if owned.label is Label.PROGRAMME and _OWNED.match(between):
                self.draft.link("IMPLEMENTS", owner.id, owned.id, quote)  # "Programme X de Y"
        groups = [e for e in actors if e.kind in ("alliance", "network", "coalition")]
        if not groups and self.last_group and lemmas & {"alliance", "réseau", "consortium"}:
            groups = [self.draft.entities[self.last_group]]
        if lemmas & MEMBERSHIP:
            for group in groups:
                for actor in actors:
                    self.draft.link("MEMBER_OF", actor.id, group.id, quote)
        for place in places:
            if (
                place.kind == "region"
                and place.name.removeprefix("Région de ") in gazetteer.MALI_REGIONS
            ):
                mali = self.by_key.get((Label.PLACE, key_of("Mali")))
                if mali:
                    self.draft.link("WITHIN", place.id, mali, quote)
        located = [(e, m) for e, m in pairs if e.label is Label.PLACE]
        for (inner, at), (outer, around) in itertools.pairwise(located):
            between = sentence.doc.text[at.end : around.start]
            if inner.kind not in ("country", "continent") and _WITHIN.match(between):
                self.draft.link("WITHIN", inner.id, outer.id, quote)


#: What lies between an organisation or programme and where it works or comes from:
#: "la MINUSMA au Mali", "WANEP régional en provenance des Pays-Bas et du Ghana".
_SEATED = re.compile(
    r"^\s*(\w+\s+)?(au|en|en provenance (des|du|de la|de)|basée? (au|en|à)|implantée? (au|en)"
    r"|du|de la)\s*$"
    r"|^\s*(\w+\s+)?en provenance (des|du|de la|de)\s+[\w\s'-]+\s+et\s+(du|de la|des)\s*$",
    re.IGNORECASE,
)
_OWNED = re.compile(r"^\s*(de|du|de la|de l'|d')\s*$", re.IGNORECASE)
#: What lies between a place and the place that holds it: "Lagos au Nigeria", "Nairobi,
#: la capitale du Kenya", "Djenné (région de Mopti)".
_WITHIN = re.compile(
    r"^\s*(,\s*)?(\(|au|en|aux|dans la région de|région de|la capitale du|la capitale de la"
    r"|capitale du|du cercle de|cercle de)\s*$",
    re.IGNORECASE,
)


def _unique(entities: list[Entity]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for entity in entities:
        seen.setdefault(entity.id, entity)
    return list(seen.values())


def extract(
    text: str,
    report_name: str,
    known: dict[str, Label] | None = None,
    progress: Progress | None = None,
) -> tuple[Draft, Period]:
    """Extract a draft from a report's text; `progress` is told of each step done."""
    report = Report.parse(text, report_name)
    extractor = Extractor(report_name, known)
    draft = extractor.run(report, progress)
    return draft, extractor.period


def steps(text: str) -> int:
    """How many progress steps `extract` reports for a text."""
    report = Report.parse(text, "report")
    return 2 * len(report.blocks)
