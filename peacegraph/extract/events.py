"""Events and observations read from sentences: a sentence that names an activity (an
event noun: atelier, campagne, réunion...) and a date is an event; a figure that counts
what a programme produced ("123 incidents", "15 produits d'alerte") is an observation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from peacegraph.extract.dates import DateMention
from peacegraph.extract.facts import Entity, Mention
from peacegraph.extract.numbers import Figure
from peacegraph.graph.model import Label

#: Event nouns (lemmas) and the seed's event kinds.
TRIGGERS = {
    "atelier": "workshop", "formation": "training", "stage": "training", "réunion": "meeting",
    "rencontre": "meeting", "campagne": "campaign", "visite": "visit", "mission": "visit",
    "conférence": "conference", "colloque": "conference", "forum": "conference",
    "séminaire": "workshop", "cérémonie": "award-ceremony", "remise": "award-ceremony",
    "session": "awareness-session", "sensibilisation": "awareness-session",
    "plaidoyer": "advocacy-meeting", "planification": "planning-workshop",
    "table": "meeting", "webinaire": "conference", "dialogue": "meeting",
    "lancement": "meeting", "commémoration": "conference", "échange": "workshop",
    "audience": "advocacy-meeting", "caravane": "campaign", "journée": "conference",
}  # fmt: skip
#: Verbs whose subject organised the event.
ORGANISE = {
    "organiser", "tenir", "animer", "conduire", "lancer", "initier", "mener", "abriter",
    "accueillir", "faciliter", "réaliser", "co-organiser", "organisé", "former",
}  # fmt: skip
#: Nouns counted by observations, and the seed's observation kinds.
OBSERVED = {
    "incident": ("incidents-submitted", "incidents"), "produit": ("alert-products", "products"),
    "rapport": ("reports-produced", "reports"), "bulletin": ("reports-produced", "bulletins"),
    "note": ("reports-produced", "notes"), "pays": ("countries-covered", "countries"),
    "personne": ("people-reached", "people"), "participant": ("people-reached", "people"),
    "femme": ("people-reached", "women"), "campagne": ("campaigns-held", "campaigns"),
    "session": ("sessions-held", "sessions"),
}  # fmt: skip


@dataclass(frozen=True)
class EventCue:
    trigger: Token
    kind: str
    name: str
    date: DateMention | None
    undated: bool = False  # an activity the report dates only by its period
    heading: str | None = None  # the heading that named the activity, when one did


def trigger_of(sentence: Span) -> Token | None:
    """The first event noun of a sentence, or None."""
    for token in sentence:
        if token.lemma_.lower() in TRIGGERS and token.pos_ in ("NOUN", "PROPN"):
            return token
        if token.lower_ in TRIGGERS and token.pos_ in ("NOUN", "PROPN"):
            return token
    return None


def name_from(trigger: Token, sentence: Span, stop: set[int]) -> str:
    """The event's name: its noun and what qualifies it, up to a comma, verb or date."""
    end = trigger.i + 1
    while end < sentence.end and end - trigger.i < 16:
        token = sentence.doc[end]
        if token.i in stop or token.text in {",", ".", ";", ":", "(", "«", "»"}:
            break
        if token.pos_ in ("VERB", "AUX") or token.lower_ in ("qui", "dont", "afin"):
            break
        end += 1
    text = sentence.doc[trigger.i : end].text.strip()
    while text.split() and text.split()[-1].lower() in {
        "de",
        "du",
        "des",
        "la",
        "le",
        "à",
        "au",
        "en",
        "et",
        "sur",
        "pour",
        "d'",
        "l'",
    }:
        text = " ".join(text.split()[:-1])
    return text[:1].upper() + text[1:]


def cue(sentence: Span, dates: list[DateMention], *, undated: bool = False) -> EventCue | None:
    """An event in this sentence: an event noun and a date that is not "since"; with
    `undated`, also an event noun that a verb of organising governs ("a organisé cinq
    campagnes"), dated by the report's period."""
    trigger = trigger_of(sentence)
    usable = [d for d in dates if not d.since and sentence.start <= d.span.start < sentence.end]
    usable = [d for d in usable if d.start[:4] == (d.end or d.start)[:4]]
    if trigger is None or not (usable or (undated and organises(sentence))):
        return None
    kind = TRIGGERS.get(trigger.lemma_.lower(), TRIGGERS.get(trigger.lower_, "meeting"))
    if not usable:
        return EventCue(trigger, kind, name_from(trigger, sentence, set()), None, undated=True)
    date = min(usable, key=lambda d: abs(d.span.start - trigger.i))
    stop = {t.i for d in usable for t in d.span}
    return EventCue(trigger, kind, name_from(trigger, sentence, stop), date)


def heading_cue(trigger: Token, heading: Span) -> EventCue:
    """The activity a heading names, not yet dated."""
    kind = TRIGGERS.get(trigger.lemma_.lower(), TRIGGERS.get(trigger.lower_, "meeting"))
    name = name_from(trigger, heading, set())
    return EventCue(trigger, kind, name, None, heading=heading.text.strip())


def from_heading(named: EventCue, sentence: Span, dates: list[DateMention]) -> EventCue | None:
    """The heading's activity dated by the first sentence under it that gives a date
    and names no activity of its own ("Du 5 au 7 mai, X a contribué à ...")."""
    usable = [d for d in dates if not d.since and sentence.start <= d.span.start < sentence.end]
    usable = [d for d in usable if d.start[:4] == (d.end or d.start)[:4]]
    if not usable:
        return None
    return replace(named, date=usable[0])


def organiser_verb(sentence: Span) -> Token | None:
    """The verb of organising of a sentence, if any: "X a organisé", "a tenu"; not the
    pronominal "s'est tenue" (took place), which says nothing of who organised."""
    for token in sentence:
        visit = token.lemma_.lower() == "rendre" and any(
            t.lower_ == "visite" for t in token.doc[token.i + 1 : token.i + 4]
        )  # "X a rendu une visite à Y": X made the visit
        if not visit and (
            token.lemma_.lower() not in ORGANISE or token.pos_ not in ("VERB", "AUX")
        ):
            continue
        before = [t.lower_ for t in token.doc[max(0, token.i - 3) : token.i]]
        if not {"s'", "s’", "se"} & set(before):
            return token
    return None


def organises(sentence: Span) -> bool:
    """Whether a verb of organising, or the noun "organisation" opening an activity
    ("Le 11 mai, organisation d'une campagne"), says who organised."""
    if organiser_verb(sentence) is not None:
        return True
    # a heading "Organisation de ..." names an activity; the noun inside a sentence dates it
    return any(
        t.lower_ == "organisation"
        and t.i > sentence.start
        and t.i + 1 < len(t.doc)
        and t.doc[t.i + 1].lower_ in {"d'", "d’", "de", "des", "du"}
        for t in sentence
    )


def observed(figure: Figure) -> tuple[str, str] | None:
    """The observation kind and unit of a count, or None when it counts nothing observed."""
    if figure.kind != "COUNT":
        return None
    return OBSERVED.get(figure.noun)


def funded_by(sentence: Span, mention: Mention) -> bool:
    """Whether a body is named as a funder ("financé par X"): not a participant."""
    before = sentence.doc.text[max(sentence.start_char, mention.start - 30) : mention.start]
    return bool(re.search(r"financ\w* (par|de|du|des|d')\s*(la |le |l'|l’)?$", before))


def organisers(sentence: Span, pairs: list[tuple[Entity, Mention]]) -> list[Entity]:
    """The bodies that organised: the subject side of the verb of organising ("X, en
    collaboration avec Y, a organisé"), the body right before an infinitive ("ont permis
    à X d'organiser"); all the sentence's bodies when a noun says it ("organisation
    d'une campagne par X")."""
    orgs = [(e, m) for e, m in pairs if e.label is Label.ORGANIZATION]
    verb = organiser_verb(sentence)
    if verb is None:
        return [e for e, _ in orgs]
    doc = sentence.doc
    after = [(e, m) for e, m in orgs if m.start > verb.idx]
    agent = next((t for t in doc[verb.i + 1 : verb.i + 6] if t.lower_ == "par"), None)
    if agent is not None and not any(t.pos_ == "VERB" for t in doc[verb.i + 1 : agent.i]):
        return [e for e, _ in after]  # "organisée par X et Y": the agents
    before = [(e, m) for e, m in orgs if m.end <= verb.idx]
    if "Inf" in verb.morph.get("VerbForm", []):
        near = [e for e, m in before if len(doc.text[m.end : verb.idx].split()) <= 2]
        if near:
            return near
    beside = [  # "a tenu ... avec la collaboration du X": a co-organiser
        e
        for e, m in after
        if re.search(r"(collaboration|partenariat|coordination) (avec|de|du|des|d')\s*(la |l')?$",
                     doc.text[max(verb.idx, m.start - 40) : m.start])
    ]  # fmt: skip
    return [e for e, _ in before] + beside
