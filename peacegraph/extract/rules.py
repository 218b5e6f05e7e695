"""Relationships read from one sentence and the passage around it: where an event was
held and who came from where (the preposition before a place), who attended, partners,
memberships listed in brackets, places within places, what a figure is about, and the
counts of an event's participants. A mixin of `Extractor`: the rules share its draft and
what it remembers of the report so far (the author, the last alliance and programme)."""

from __future__ import annotations

import itertools
import re

from spacy.tokens import Doc, Span

from peacegraph.extract import dates, events, gazetteer, numbers
from peacegraph.extract.facts import Draft, Entity, Mention, Quote, key_of, slug
from peacegraph.graph.model import Label

#: Words (lemmas) that state a partnership, an organisation running a programme, and
#: membership of an alliance or network.
PARTNERSHIP = {"partenariat", "partenaire", "collaboration", "accord", "convention"}
IMPLEMENTING = {"œuvre", "oeuvre", "implémenter", "exécuter", "piloter", "coordonner",
                "produit", "produire", "partenariat", "appuyer"}  # fmt: skip
MEMBERSHIP = {"membre", "composer", "composé", "regrouper"}
#: Words (lemmas) that say a person was present rather than took an active part.
ATTENDING = {"assister", "rassembler", "réunir", "présence", "présent", "marquer"}
#: Prepositions that introduce where something happens ("à Kayes", "au Niger", "dans les
#: régions de ..."); a place after other words says where people come from.
LOCATIVE = {"à", "au", "aux", "en", "dans", "sur"}
_LIST_WORDS = {",", "et", "ou", "le", "la", "les", "l'", "l’", "de", "du", "des", "d'", "d’",
               "région", "régions", "district", "cercle", "commune", "(", ":"}  # fmt: skip
_INVITED_BY = re.compile(r"invitation (de|du|des|d'|d’)\s*(la |le |l'|l’)?$", re.IGNORECASE)
#: Longest quote, in characters; a longer sentence is cut to a window around the mention.
MAX_QUOTE = 220
_COUNTRIES_OF = re.compile(r"\bpays\b[^.;]{0,40}?\b(du|de ce|de notre) (programme|projet)\b",
                           re.IGNORECASE)  # fmt: skip


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


def place_role(doc: Doc, mention: Mention, places: list[Mention]) -> str:
    """HELD_AT when a locative preposition introduces the place, or the list it is in
    ("dans les régions de A, B et C"); PARTICIPATED_IN for a country, or places listed
    after a plural ("des régions de", "des pays"), named otherwise: where participants
    came from ("30 ambassadrices des régions de A et B", "les pays comme : A, B")."""
    spans = [(p.start, p.end) for p in places]
    at = next((t.i for t in doc if t.idx >= mention.start), len(doc)) - 1
    skipped: set[str] = set()
    while at >= 0 and (
        any(s <= doc[at].idx < e for s, e in spans) or doc[at].lower_ in _LIST_WORDS
    ):
        skipped.add(doc[at].lower_)
        if doc[at].text == "(":
            # "dans 04 pays de la X (A, B et C)": the bracket lists what the noun
            # phrase before it names; its preposition is the list's
            head = next((t.i for t in reversed(doc[max(0, at - 8) : at]) if t.pos_ == "ADP"
                         and t.lower_ not in _LIST_WORDS), None)  # fmt: skip
            if head is not None:
                at = head
                break
        at -= 1
    if at >= 0 and doc[at].lower_ in LOCATIVE:
        return "HELD_AT"
    if (
        mention.kind == "country"
        or skipped & {"régions", "pays"}
        or (at >= 0 and doc[at].lower_ in {"pays", "provenance", "issus", "issues", "venus"})
    ):
        return "PARTICIPATED_IN"
    return "HELD_AT"


#: Words that put a body beside another: "en collaboration avec", "en partenariat avec",
#: "avec l'appui de", "partenaire de", "un partenariat entre A et B".
_ALONGSIDE = {"collaboration", "partenariat", "partenaire", "partenaires", "appui", "accord",
              "convention", "coordination", "soutien", "concert"}  # fmt: skip


def partners(sentence: Span, pairs: list[tuple[Entity, Mention]]) -> list[tuple[Entity, Entity]]:
    """Pairs of partner bodies: "un partenariat entre A et B" joins A and B; "A, en
    collaboration avec B et C," joins A with B and with C (not B with C)."""
    doc = sentence.doc
    orgs = [(e, m) for e, m in pairs if e.label is Label.ORGANIZATION]
    found: list[tuple[Entity, Entity]] = []
    for cue in sentence:
        if cue.lower_ not in _ALONGSIDE or cue.pos_ != "NOUN":
            continue
        window = doc[cue.i + 1 : min(sentence.end, cue.i + 4)]
        after = [(e, m) for e, m in orgs if m.start > cue.idx]
        if any(t.lower_ == "entre" for t in window):
            if len(after) >= 2:  # "entre A et B"
                found.append((after[0][0], after[1][0]))
            continue
        if not any(t.lower_ in {"avec", "de", "du", "des", "d'"} for t in window):
            continue
        before = [e for e, m in orgs if m.end <= cue.idx]
        if not before:
            continue
        listed: list[tuple[Entity, Mention]] = []
        for entity, mention in after:
            gap = doc.text[
                (listed[-1][1].end if listed else cue.idx + len(cue.text)) : mention.start
            ]
            if listed and not re.fullmatch(r"\s*(,|et|ainsi que)?\s*(la |le |les |l'|l’)?", gap):
                break
            listed.append((entity, mention))
        found += [(before[0], e) for e, _ in listed]
    return [(a, b) for a, b in found if a.id != b.id]


def author_first(
    pairs: list[tuple[Entity, Entity]], author: str | None
) -> list[tuple[Entity, Entity]]:
    """Partners in the report's own voice: its author first ("entre X et l'auteur")."""
    return [(b, a) if b.id == author else (a, b) for a, b in pairs]


def _programme_of(
    figure: numbers.Figure, pairs: list[tuple[Entity, Mention]], figures: list[numbers.Figure]
) -> list[str]:
    """The programme a count in a sentence is about: the first named after it and before
    the next count ("123 incidents sur X, 76 sur Y"), else the last named before it."""
    doc = figure.span.doc
    start = figure.span.end_char
    later = [f.span.start_char for f in figures if f.span.start_char > start]
    stop = min(later) if later else len(doc.text)
    programmes = [(e, m) for e, m in pairs if e.label is Label.PROGRAMME]
    after = [e.id for e, m in programmes if start <= m.start < stop]
    before = [e.id for e, m in programmes if m.end <= figure.span.start_char]
    return after[:1] or before[-1:]


def attending(sentence: Span) -> bool:
    """Whether the sentence says people were present ("ont assisté", "a pris part",
    "a rassemblé", "la présence de") rather than took part ("ont participé")."""
    lemmas = {t.lemma_.lower() for t in sentence}
    if "participer" in lemmas:
        return False
    took_part = "prendre" in lemmas and any(t.lower_ == "part" for t in sentence)
    return took_part or bool(lemmas & ATTENDING)


#: What a count of people counts, by the noun after it.
PEOPLE = {"participant": "participants", "participante": "participants",
          "personne": "participants", "femme": "women", "jeune": "youth",
          "fille": "women", "garçon": "youth"}  # fmt: skip


def counts(sentence: Span, figures: list[numbers.Figure]) -> dict[str, int]:
    """An event's counts from the figures of its sentence: "a réuni 45 participants dont
    20 femmes (44 %) et 12 jeunes", "05 personnes vivant avec un handicap"."""
    found: dict[str, int] = {}
    last = None
    doc = sentence.doc
    for figure in figures:
        if not sentence.start <= figure.span.start < sentence.end:
            continue
        after = " ".join(t.lower_ for t in doc[figure.span.end : figure.span.end + 5])
        after = after.lstrip(") ")  # "51 personnes (90 %) des jeunes"
        if figure.kind == "COUNT":
            # the noun counted; "jeunes" is often tagged an adjective
            word = after.split()[0] if after.split() else ""
            what = PEOPLE.get(figure.noun) or PEOPLE.get(word.removesuffix("s"))
            if what == "participants" and "handicap" in after:
                what = "disabled"
            if what and what not in found:
                found[what] = figure.value
                last = what
        elif figure.kind == "SHARE":
            before = " ".join(t.lower_ for t in doc[max(0, figure.span.start - 4) :
                                                    figure.span.start])  # fmt: skip
            if re.match(r"(de |des )?jeunes", after):
                share = "youth"
            elif re.match(r"(de |des )?(femmes|filles)", after):
                share = "women"
            elif ("taux" in before or "soit" in before or before.endswith("(")) and last in (
                "women",
                "youth",
            ):  # "91 femmes soit un taux de 79 %", "18 femmes (45 %)"
                share = last
            else:
                continue
            found.setdefault(f"{share}Share", figure.value)
    return found


class Rules:
    """The sentence rules; `Extractor` holds the state they read."""

    draft: Draft
    by_key: dict[tuple[Label, str], str]
    author: str | None
    last_group: str | None
    last_programme: str | None
    #: Collective nouns ("alliance", "réseau") that name one body of the report.
    groups_by_noun: dict[str, str]
    event_blocks: dict[str, set[int]]
    block_index: int

    def author_id(self) -> str | None:
        return self.by_key.get((Label.ORGANIZATION, key_of(self.author or "")))

    def attend(
        self,
        event_id: str,
        sentence: Span,
        pairs: list[tuple[Entity, Mention]],
        quote: Quote,
        *,
        dating: bool = False,
    ) -> None:
        """Who and what a sentence names took part in an event: the sentence that
        states the event (`dating`), or a later one of its section; a country is where
        it was held only in the sentence that states it ("du 1er au 4 mai au Togo")."""
        self.event_blocks.setdefault(event_id, set()).add(self.block_index)
        places = [m for e, m in pairs if e.label is Label.PLACE]
        person_link = "ATTENDED" if attending(sentence) else "PARTICIPATED_IN"
        titles = [m for e, m in pairs if e.label is Label.PERSON]
        for entity, mention in pairs:
            if entity.label in (Label.PLACE, Label.PROGRAMME) and any(
                t.start <= mention.start and mention.end <= t.end for t in titles
            ):
                continue  # "le gouverneur de X", "la chargée du programme Y": the office's
            if entity.label is Label.ORGANIZATION:
                invited = _INVITED_BY.search(
                    sentence.doc.text[max(sentence.start_char, mention.start - 30) : mention.start]
                )  # "sur invitation du X": X is the host
                if invited:
                    self.draft.link("ORGANIZED", entity.id, event_id, quote)
                elif (entity.id, "ORGANIZED", event_id) not in self.draft.links:
                    self.draft.link("PARTICIPATED_IN", entity.id, event_id, quote)
            elif entity.label is Label.PERSON:
                self.draft.link(person_link, entity.id, event_id, quote)
            elif entity.label is Label.PLACE:
                role = place_role(sentence.doc, mention, places)
                if entity.kind == "venue" or (
                    role == "HELD_AT" and (entity.kind != "country" or dating)
                ):
                    self.draft.link("HELD_AT", event_id, entity.id, quote)
                elif role == "PARTICIPATED_IN":
                    self.draft.link("PARTICIPATED_IN", entity.id, event_id, quote)
                # else: "les réformes en cours au Mali" after the event: background
            elif entity.label is Label.PROGRAMME:
                self.draft.link("PART_OF", event_id, entity.id, quote)

    def fill_counts(self, event: Entity, sentence: Span, figures: list[numbers.Figure]) -> None:
        for name, value in counts(sentence, figures).items():
            event.props.setdefault(name, value)

    def observations(
        self,
        sentence: Span,
        figures: list[numbers.Figure],
        pairs: list[tuple[Entity, Mention]],
        section: str,
        programme: str | None,
        topic: str | None,
    ) -> None:
        """Observations from counts of things a programme or body produced; each is about
        the programmes its sentence names, else the body the sentence opens with ("X est
        un réseau implanté dans 15 pays"), else the passage's event or programme."""
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
            about = _programme_of(figure, pairs, figures)
            subject = next(
                (
                    e.id
                    for e, m in pairs
                    if e.label is Label.ORGANIZATION
                    and m.end <= figure.span.start_char
                    and len(sentence.doc.text[sentence.start_char : m.start].split()) <= 1
                ),
                None,
            )
            if not about and subject:
                about = [subject]
            if not about:
                # the paragraph's first programme: what it reports on ("15 produits
                # ..., 123 incidents soumis sur la plateforme X")
                about = [topic] if topic else []
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
        # Names in capitals may turn out to be programmes (`merge_programmes`): links
        # between any two named actors are proposed, and the write keeps the pairs whose
        # labels the type joins.
        actors = _unique([e for e in present if e.label in (Label.ORGANIZATION, Label.PROGRAMME)])
        places = _unique([e for e in present if e.label is Label.PLACE])
        programmes = [e.id for e in actors if e.label is Label.PROGRAMME]
        named_programmes = set(programmes)
        if programme and not programmes:
            programmes = [programme]
        since = next(
            (d.start for d in found if d.since and sentence.start <= d.span.start < sentence.end),
            None,
        )
        for a, b in author_first(partners(sentence, pairs), self.author_id()):
            self.draft.link("PARTNER_OF", a.id, b.id, quote, **({"start": since} if since else {}))
        cue = next((t for t in sentence if t.lemma_.lower() in IMPLEMENTING), None)
        if cue is not None:
            # the bodies before "met en œuvre", "produit d'un partenariat entre": the
            # programmes the sentence names, or the passage's when the body opens it
            doers = [e for e, m in pairs if e.label is Label.ORGANIZATION]
            opening = [e for e, m in pairs[:1] if e.label is Label.ORGANIZATION]
            for actor in doers:
                for target in programmes:
                    if target in named_programmes or actor in opening:
                        self.draft.link("IMPLEMENTS", actor.id, target, quote)
            for place, mention in ((e, m) for e, m in pairs if e.label is Label.PLACE):
                if place_role(sentence.doc, mention, [m for _, m in pairs]) == "HELD_AT":
                    for target in programmes:
                        self.draft.link("HELD_AT", target, place.id, quote)
        named = [(e, m) for e, m in pairs if e.label in (Label.ORGANIZATION, Label.PROGRAMME)]
        located = [(e, m) for e, m in pairs if e.label is Label.PLACE]
        for actor, at in named:
            for place, where in located:
                between = sentence.doc.text[at.end : where.start]
                if where.start > at.end and _SEATED.match(between):
                    self.draft.link("HELD_AT", actor.id, place.id, quote)
        for (a, at), (b, by) in itertools.pairwise(named):
            if _BRANCH_OF.match(sentence.doc.text[at.end : by.start]):
                self.draft.link("PART_OF", a.id, b.id, quote)  # "A est une mission de B"
        for (owned, at), (owner, by) in itertools.pairwise(named):
            # "Programme X de Y", "projet X (A, B) de Y": Y runs it
            between = re.sub(r"^\s*\([^()]*\)", "", sentence.doc.text[at.end : by.start])
            if owned.label is Label.PROGRAMME and _OWNED.match(between):
                self.draft.link("IMPLEMENTS", owner.id, owned.id, quote)  # "Programme X de Y"
        self.memberships(sentence, pairs, quote)
        self.funding(sentence, pairs, quote, programmes)
        for place in places:
            for holder_name in gazetteer.holders(place.name, place.kind):
                # public knowledge: Mali's regions and district are in Mali, a town in
                # the region of its name, "Afrique de l'Ouest" in "Afrique"
                holder = self.by_key.get((Label.PLACE, key_of(holder_name)))
                if holder:
                    self.draft.link("WITHIN", place.id, holder, quote)
        located = [(e, m) for e, m in pairs if e.label is Label.PLACE]
        for (inner, at), (outer, around) in itertools.pairwise(located):
            between = sentence.doc.text[at.end : around.start]
            if inner.kind not in ("country", "continent") and _WITHIN.match(between):
                self.draft.link("WITHIN", inner.id, outer.id, quote)
        self.more_relations(sentence, pairs, quote, programme)

    def more_relations(
        self,
        sentence: Span,
        pairs: list[tuple[Entity, Mention]],
        quote: Quote,
        programme: str | None,
    ) -> None:
        """Memberships listed in brackets, countries of a programme, venues in towns,
        an alliance named by its common noun, units of a body, offices' employers."""
        doc = sentence.doc
        orgs = [(e, m) for e, m in pairs if e.label is Label.ORGANIZATION]
        for group, at in orgs:
            # "les organes de gestion (A ; B ; C)": A, B and C are members of the group
            opening = at.end + len(doc.text[at.end :]) - len(doc.text[at.end :].lstrip())
            if doc.text[opening : opening + 1] != "(":
                continue
            close = _closing(doc.text, opening)
            listed = _unique([e for e, m in orgs if opening < m.start < close and e.id != group.id])
            if len(listed) >= 2:
                for member in listed:
                    self.draft.link("MEMBER_OF", member.id, group.id, quote)
        target = programme or self.last_programme
        match = _COUNTRIES_OF.search(sentence.text)
        if match and target:
            after = sentence.start_char + match.end()
            for entity, mention in pairs:
                if entity.kind == "country" and mention.start >= after:
                    self.draft.link("PARTICIPATED_IN", entity.id, target, quote)
        for programme_entity, at in [(e, m) for e, m in pairs if e.label is Label.PROGRAMME]:
            opening = at.end + len(doc.text[at.end :]) - len(doc.text[at.end :].lstrip())
            if doc.text[opening : opening + 1] == "(":  # "projet X (Mali, Niger)"
                close = _closing(doc.text, opening)
                for place, where in ((e, m) for e, m in pairs if e.label is Label.PLACE):
                    if opening < where.start < close:
                        self.draft.link("HELD_AT", programme_entity.id, place.id, quote)
        venues = [e for e, _ in pairs if e.label is Label.PLACE and e.kind == "venue"]
        towns = _unique([e for e, _ in pairs if e.label is Label.PLACE and
                         e.kind in ("town", "district", "commune")])  # fmt: skip
        if len(towns) == 1:
            for venue in venues:
                self.draft.link("WITHIN", venue.id, towns[0].id, quote)
        lemmas = {t.lemma_.lower() for t in sentence}
        nouns = [t.lower_ for t in sentence[1:5]
                 if t.lower_ in self.groups_by_noun and
                 doc[t.i - 1].lower_ in {"l'", "l’", "le", "la"}]  # fmt: skip
        if lemmas & IMPLEMENTING and nouns and programme:
            # "L'alliance ... met en œuvre un programme": the report's one alliance
            name = self.groups_by_noun[nouns[0]]
            group = self.entity(Mention(Label.ORGANIZATION, "alliance", name, 0, 0), quote, "")
            self.draft.link("IMPLEMENTS", group.id, programme, quote)

    def memberships(
        self, sentence: Span, pairs: list[tuple[Entity, Mention]], quote: Quote
    ) -> None:
        """ "A est membre de B", "A et B sont membres du réseau C": the bodies before the
        word are members of the first body after it, or of the report's one alliance
        ("membres de l'alliance"); "B, composé de A et C" / "B regroupe A et C": the
        body before holds the ones after."""
        doc = sentence.doc
        orgs = [(e, m) for e, m in pairs if e.label is Label.ORGANIZATION]
        for cue in sentence:
            lemma = cue.lemma_.lower()
            if lemma not in MEMBERSHIP or lemma == "alliance":
                continue
            before = [e for e, m in orgs if m.end <= cue.idx]
            after = [e for e, m in orgs if m.start > cue.idx]
            if lemma == "membre":
                group = after[0] if after else None
                if group is None:
                    nouns = [t.lower_ for t in doc[cue.i + 1 : cue.i + 4]
                             if t.lower_ in self.groups_by_noun]  # fmt: skip
                    if nouns:  # "les membres de l'alliance"
                        name = self.groups_by_noun[nouns[0]]
                        group = self.entity(Mention(Label.ORGANIZATION, "alliance", name, 0, 0),
                                            quote, "")  # fmt: skip
                members, groups = before, [group] if group else []
            else:
                members, groups = after, before[-1:]
            for group in groups:
                for member in _unique(members):
                    self.draft.link("MEMBER_OF", member.id, group.id, quote)

    def funding(
        self,
        sentence: Span,
        pairs: list[tuple[Entity, Mention]],
        quote: Quote,
        programmes: list[str],
    ) -> None:
        """ "financé par X", "avec le financement de X", "avec l'appui financier de X":
        X funded the sentence's (or the passage's) programme."""
        doc = sentence.doc
        for cue in sentence:
            if cue.lemma_.lower() not in {"financer", "financement", "financier", "bailleur"}:
                continue
            after = [(e, m) for e, m in pairs if e.label is Label.ORGANIZATION
                     and cue.idx < m.start <= cue.idx + 40]  # fmt: skip
            if after and re.match(r"\s*(par|de|du|des|d'|d’)\b", doc.text[
                    cue.idx + len(cue.text) : after[0][1].start] + " "):  # fmt: skip
                for target in programmes:
                    self.draft.link("FUNDED", after[0][0].id, target, quote)

    def entity(self, mention: Mention, quote: Quote, context: str) -> Entity:
        raise NotImplementedError  # `Extractor.entity`


#: What lies between an organisation or programme and where it works or comes from:
#: "la MINUSMA au Mali", "WANEP régional en provenance des Pays-Bas et du Ghana".
_SEATED = re.compile(
    r"^\s*(\w+\s+)?(au|en|en provenance (des|du|de la|de)|basée? (au|en|à)|implantée? (au|en)"
    r"|du|de la)\s*$"
    r"|^\s*(\w+\s+)?en provenance (des|du|de la|de)\s+[\w\s'-]+\s+et\s+(du|de la|des)\s*$",
    re.IGNORECASE,
)
#: What lies between a unit and its body: "A est une mission civile de B".
_BRANCH_OF = re.compile(
    r"^\s*(est|sont|constitue)\s+(un|une|le|la|l'|l’)\s*(mission|branche|organe|antenne"
    r"|démembrement|cellule|secrétariat|bureau|section|division|agence|composante)\b[^,;]{0,40}"
    r"\b(de|du|des|d'|d’)\s*(la |le |l'|l’)?\s*$",
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


def _closing(text: str, opening: int) -> int:
    """The index of the bracket that closes the one at `opening` (or the text's end)."""
    depth = 0
    for index in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return len(text)
