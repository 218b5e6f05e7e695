"""From a report's text to a `Draft`: paragraphs through spaCy, then mentions, events,
observations and the links between them, each with its section and an exact quote."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from peacegraph.extract import acronyms, dates, events, gazetteer, mentions, numbers
from peacegraph.extract.facts import Draft, Entity, Link, Mention, Quote, key_of, slug
from peacegraph.extract.lexicon import PROGRAMME_HEADS
from peacegraph.extract.nlp import pipeline, sentences
from peacegraph.extract.rules import MAX_QUOTE, Rules, quote_around
from peacegraph.graph.model import ID_PREFIX, Label
from peacegraph.seed.report import Block, Report

Progress = Callable[[int], None]


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


class Extractor(Rules):
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
        #: The paragraphs (block indexes) that tell of each event.
        self.event_blocks: dict[str, set[int]] = {}
        self.block_index = 0
        #: Sections whose heading points back to an activity: all they say is about it.
        self.sections_about_event: set[str] = set()
        self.section_cue: dict[str, events.EventCue] = {}
        self.section_orgs: dict[str, list[str]] = {}
        #: Places in reading order: the nearest before a local body is the one it serves.
        self.places_read: list[str] = []
        self.previous_event: str | None = None
        self.groups_by_noun: dict[str, str] = {}

    # ------------------------------------------------------------------ entities

    def entity(self, mention: Mention, quote: Quote, context: str) -> Entity:
        """The draft entity a mention names, created on first sight."""
        label = mention.label
        name = gazetteer.canonical(mention.name) if label is Label.PLACE else mention.name
        long = self.expansions.get(name)
        short = next((s for s, lf in self.expansions.items() if key_of(lf) == key_of(name)), None)
        keys = [key_of(n) for n in (name, long, short, mention.alias) if n]
        if re.fullmatch(r"[A-Z]{2,8}", name):
            keys.append(f"^{name}")  # "OGE" after "Organes de Gestion des Elections"
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
        initials = "".join(w[0] for w in re.findall(r"[\w'’-]+", name) if w[0].isupper())
        if len(initials) >= 2 and " " in name and not name.isupper():
            self.by_key.setdefault((label, f"^{initials}"), found)
        for alias in (name, long, short, mention.alias):
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
        found = _as_programmes(found)
        orgs = Counter(m.name for _, _, ms in found for m in ms if m.label is Label.ORGANIZATION)
        groups: dict[str, set[str]] = {}
        for _, _, paragraph in found:
            for m in paragraph:
                for noun in GROUP_NOUNS.get(m.kind, ()) if m.label is Label.ORGANIZATION else ():
                    groups.setdefault(noun, set()).add(m.name)
        # "l'alliance" is the report's alliance when it names one only
        self.groups_by_noun = {n: names.pop() for n, names in groups.items() if len(names) == 1}
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
        self.block_index = block.index
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
                entity = self.mentioned(mention, quote, sentence.text)
                ids.append(entity)
                pairs.append((entity, mention))
                if entity.label is Label.PLACE:
                    self.places_read.append(entity.id)
            sentence_quote = Quote(
                section,
                quote_around(sentence, sentence.start_char, sentence.start_char + MAX_QUOTE),
            )
            if block.is_heading:
                self.heading_facts(section, sentence, ids)
            self.relations(sentence, ids, pairs, sentence_quote, date_mentions, heading_programme)
            current = self.section_event.get(section)
            cue = events.cue(sentence, date_mentions, undated=current is None)
            if cue is None and current is None and section in self.section_cue:
                cue = events.from_heading(self.section_cue[section], sentence, date_mentions)
            if cue is not None:
                self.event(cue, sentence, pairs, sentence_quote, heading_programme, section)
                self.fill_counts(self.draft.entities[self.section_event[section]], sentence,
                                 figures)  # fmt: skip
            elif current is not None and self.tells_of(current, sentence, date_mentions, section):
                self.attend(current, sentence, pairs, sentence_quote)
                self.fill_counts(self.draft.entities[current], sentence, figures)
            self.observations(
                sentence,
                figures,
                pairs,
                section,
                self.paragraph_event(section, block) or heading_programme or self.last_programme,
                self.topic(found),
            )
            for entity in ids:
                if entity.kind in ("alliance", "network", "coalition"):
                    self.last_group = entity.id
                elif entity.label is Label.PROGRAMME:
                    self.last_programme = entity.id

    def mentioned(self, mention: Mention, quote: Quote, context: str) -> Entity:
        """The entity of a mention, with what the mention says besides: the body a unit
        belongs to (PART_OF), the employer of an office (WORKS_FOR), where a programme
        named with its country runs (HELD_AT), the place a local body serves (the
        nearest place named before it)."""
        if mention.local:
            place = next(
                (
                    self.draft.entities[p].name.removeprefix("Région de ")
                    for p in reversed(self.places_read)
                    if self.draft.entities[p].kind in ("town", "region", "district", "cercle")
                ),
                None,
            )
            if place:  # "les autorités régionales" of the region the passage is about
                of = "d'" if place[:1].lower() in "aeiouyhàâéèêîôû" else "de "
                mention = replace(mention, name=f"{mention.name} {of}{place}")
        located = _LOCUS.match(mention.name) if mention.label is Label.PROGRAMME else None
        if (
            located
            and gazetteer.kind_of(located["place"])
            and (key_of(mention.name) not in {key_of(v) for v in self.expansions.values()})
        ):  # "Programme X au Mali": X, which runs in Mali
            mention = replace(mention, name=located["name"])
        entity = self.entity(mention, quote, context)
        if located and mention.name == located["name"]:
            where = self.entity(Mention(Label.PLACE, "country", located["place"], 0, 0), quote, "")
            self.draft.link("HELD_AT", entity.id, where.id, quote)
        if mention.seat:
            town = self.entity(Mention(Label.PLACE, "town", mention.seat, 0, 0), quote, "")
            self.places_read.append(town.id)
            self.draft.link("HELD_AT", entity.id, town.id, quote)
        if mention.part_of:
            parent = self.entity(Mention(Label.ORGANIZATION, "ngo", mention.part_of, 0, 0),
                                 quote, "")  # fmt: skip
            self.draft.link("PART_OF", entity.id, parent.id, quote)
        if mention.role_of:
            org = self.entity(Mention(Label.ORGANIZATION, "ngo", mention.role_of, 0, 0), quote, "")
            role = mention.name[: mention.name.rfind(mention.role_of)].strip()
            role = re.sub(r"\s+(de|du|des|de la|d'|d’)$", "", role).strip()
            self.draft.link("WORKS_FOR", entity.id, org.id, quote, role=role or "staff")
        return entity

    def paragraph_event(self, section: str, block: Block) -> str | None:
        """The section's event when this paragraph tells of it: a figure in another
        paragraph of the section is about something else."""
        current = self.section_event.get(section)
        return current if current and block.index in self.event_blocks.get(current, ()) else None

    def topic(self, found: list[Mention]) -> str | None:
        """The first programme a paragraph names, when it is already known."""
        for mention in found:
            if mention.label is Label.PROGRAMME:
                for name in (mention.name, mention.alias):
                    known = self.by_key.get((Label.PROGRAMME, key_of(name or "")))
                    if known:
                        return known
        return None

    def tells_of(
        self, event_id: str, sentence: Span, found: list[dates.DateMention], section: str
    ) -> bool:
        """Whether a later sentence of an event's section is about the event: it gives no
        other date, and its paragraph already told of the event, or it names an activity
        ("cet atelier", "la session") or says who came ("ont participé", "a réuni")."""
        if self.dated_otherwise(event_id, sentence, found):
            return False
        return (
            section in self.sections_about_event
            or self.block_index in self.event_blocks.get(event_id, ())
            or events.trigger_of(sentence) is not None
            or any(
                t.lemma_.lower() in TAKING_PART
                # "le présent rapport" is this report, "étaient présents" who came
                and not (t.lemma_.lower() == "présent" and t.nbor(1).pos_ == "NOUN")
                for t in sentence[:-1]
            )
        )

    def dated_otherwise(
        self, event_id: str, sentence: Span, found: list[dates.DateMention]
    ) -> bool:
        """Whether a sentence gives a date the event does not have: it tells of
        something else ("Le 20 mai, le comité s'est réuni"), not of the event."""
        event = self.draft.entities[event_id]
        own = [
            d.start for d in found if sentence.start <= d.span.start < sentence.end and not d.since
        ]
        first = str(event.props.get("start", ""))
        last = str(event.props.get("end", first))
        return bool(own) and not any(
            d.startswith(first) or first.startswith(d) or first <= d <= last for d in own
        )

    def heading_facts(self, section: str, heading: Span, present: list[Entity]) -> None:
        """What a heading says of its section: the bodies it names, and the activity it
        names when it gives no date ("Participation à l'atelier de X :"), which the
        section's first dated sentence then dates."""
        self.section_orgs[section] = [e.id for e in present if e.label is Label.ORGANIZATION]
        trigger = events.trigger_of(heading)
        if trigger is None or section in self.section_event:
            return
        if trigger.i and heading.doc[trigger.i - 1].lower_ in ANAPHORIC:
            if self.previous_event:  # "les résultats de ladite rencontre :": the one before
                self.section_event[section] = self.previous_event
                self.sections_about_event.add(section)
            return
        self.section_cue[section] = events.heading_cue(trigger, heading)

    def section_programme(self, headings: list[Block]) -> str | None:
        """The programme a section is about: the nearest heading that names one."""
        for heading in reversed(headings):
            text = heading.heading or ""
            first = text.split()[0].lower() if text.split() else ""
            if first not in PROGRAMME_HEADS and (
                heading.raw.lstrip().startswith(("# ", "## ")) or text.isupper()
            ):
                return None  # a chapter heading ends the programme's part of the report
            if first in PROGRAMME_HEADS:
                # "Programme Just Future ou Avenir Juste JFA": a name, "ou" another, and
                # an acronym at the end a third.
                whole, places = gazetteer.cut_places(text.split(":")[0])
                names = [n.strip() for n in whole.split(" ou ")]
                last = names[-1].split()
                if len(last) > 1 and re.fullmatch(r"[A-Z]{2,8}", last[-1]):
                    names[-1] = " ".join(last[:-1])
                    names.append(last[-1])
                name = names[0]
                entity = self.entity(
                    Mention(Label.PROGRAMME, PROGRAMME_HEADS[first], name, 0, 0),
                    Quote(text, text),
                    text,
                )
                for alias in names[1:]:
                    entity.alias(alias)
                    self.by_key[(Label.PROGRAMME, key_of(alias))] = entity.id
                for place in places:  # "Projet X entre le Mali et le Niger": where it runs
                    where = self.entity(Mention(Label.PLACE, gazetteer.kind_of(place) or "town",
                                                place, 0, 0), Quote(text, text), "")  # fmt: skip
                    self.draft.link("HELD_AT", entity.id, where.id, Quote(text, text))
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
            if programme:
                self.draft.link("PART_OF", event.id, programme, quote)
            if cue.heading is not None:
                event.cite(Quote(section, cue.heading))
            if _SAME_PLACES.search(sentence.text) and self.previous_event:
                # "Dans les mêmes localités": where the previous activity was held
                for link in list(self.draft.links.values()):
                    if link.type == "HELD_AT" and link.source == self.previous_event:
                        self.draft.link("HELD_AT", event.id, link.target, quote)
            self.section_event[section] = new_id
            self.previous_event = new_id
        event.cite(quote)
        organisers = events.organises(sentence) or section.lower().startswith("organisation")
        present = [e for e, _ in pairs]
        orgs = [e for e in present if e.label is Label.ORGANIZATION]
        others = [(e, m) for e, m in pairs if e.label is not Label.ORGANIZATION]
        self.attend(event.id, sentence, others, quote, dating=True)
        for entity in events.organisers(sentence, pairs) if organisers else []:
            self.draft.link("ORGANIZED", entity.id, event.id, quote)
        funders = {e.id for e, m in pairs if events.funded_by(sentence, m)}
        for entity in orgs:
            if (entity.id, "ORGANIZED", event.id) not in self.draft.links and (
                entity.id not in funders
            ):
                self.draft.link("PARTICIPATED_IN", entity.id, event.id, quote)
        author = self.author_id()
        if organisers and not orgs and author:
            self.draft.link("ORGANIZED", author, event.id, quote)
        if re.match(r"^(la |l')?participation\b", section, re.IGNORECASE):
            # "Participation (de X) à ...": X, or the report's author, took part
            for org in self.section_orgs.get(section) or ([author] if author else []):
                if (org, "ORGANIZED", event.id) not in self.draft.links:
                    self.draft.link("PARTICIPATED_IN", org, event.id, Quote(section, section))


#: Words (lemmas) that say who came to an activity.
TAKING_PART = {"participer", "participant", "participante", "participation", "assister", "présent",
               "présence", "réunir", "rassembler", "regrouper", "prendre", "délégué", "délégation",
               "représentant"}  # fmt: skip
#: Determiners that point back to an activity already told of ("ladite rencontre").
ANAPHORIC = {"ce", "cet", "cette", "ces", "ladite", "ledit", "lesdits", "lesdites", "même"}
#: Common nouns that name a report's one body of a kind ("l'alliance", "le réseau").
GROUP_NOUNS = {"alliance": ("alliance",), "network": ("réseau",),
               "coalition": ("coalition", "consortium")}  # fmt: skip


def _as_programmes(
    found: list[tuple[Block, Doc, list[Mention]]],
) -> list[tuple[Block, Doc, list[Mention]]]:
    """A name in capitals that the report calls a programme anywhere ("la plateforme X")
    is a programme everywhere ("X a produit ...")."""
    programmes = {
        key_of(n)
        for _, _, mentions_ in found
        for m in mentions_
        if m.label is Label.PROGRAMME
        for n in (m.name, m.alias)
        if n
    }
    return [
        (
            block,
            doc,
            [
                replace(m, label=Label.PROGRAMME, kind="programme")
                if m.label is Label.ORGANIZATION and key_of(m.name) in programmes
                else m
                for m in mentions_
            ],
        )
        for block, doc, mentions_ in found
    ]


#: A programme's name ending with the country it runs in: "Programme X au Mali".
_LOCUS = re.compile(r"^(?P<name>.+\S)\s+(au|en|aux)\s+(?P<place>[A-ZÀ-Ý][\w' -]+)$")
_SAME_PLACES = re.compile(r"\bm[êe]mes (localités|lieux|régions|zones|villes|communes|sites)\b",
                          re.IGNORECASE)  # fmt: skip


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
