"""Names that are not in title case: French writes many institutions in lower case after
their first word, or entirely ("les autorités régionales", "le comité de pilotage
national", "la cellule société civile de la mission X"), shares one adjective between
listed bodies ("la Police, la Gendarmerie et la Garde nationale maliennes"), names
venues by a common noun and a proper name ("la salle de conférence Y") and towns the
model does not know after "à".

Every rule reads the grammar (a definite article, an institutional adjective, the
number of an adjective, a locative preposition) and the organisation nouns of
`lexicon`, never a list of one report's entities.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from peacegraph.extract.facts import Mention
from peacegraph.extract.lexicon import ORG_HEADS, PROGRAMME_HEADS
from peacegraph.graph.model import Label

#: Adjectives (lemmas) that make a common organisation noun the name of one body.
INSTITUTIONAL = {
    "national", "régional", "local", "communal", "municipal", "préfectoral", "départemental",
    "provincial", "central", "fédéral", "international", "consultatif", "exécutif", "permanent",
    "électoral", "judiciaire", "administratif", "militaire", "intérimaire", "sous-régional",
    "technique", "coutumier", "traditionnel", "constitutionnel", "indépendant",
}  # fmt: skip
#: Adjectives that tie a body to a territory the passage names ("les autorités
#: régionales" of the region the section is about).
TERRITORIAL = {"régional", "local", "communal", "municipal", "préfectoral", "départemental",
               "provincial", "coutumier"}  # fmt: skip
DEFINITE = {"le", "la", "les", "l'", "l’", "du", "des", "au", "aux"}
#: Words before an article that make the noun phrase generic ("tous les comités").
QUANTIFIERS = {"tous", "toutes", "chaque", "plusieurs", "certains", "certaines", "différents",
               "différentes", "leurs", "ces", "nos", "vos", "autres"}  # fmt: skip
ARTICLES = {"la", "le", "les", "l'", "l’"}
VENUE_HEADS = {"salle", "hôtel", "hotel", "campus", "stade", "palais", "auditorium", "amphithéâtre"}
_OF = {"de", "du", "des", "d'", "d’"}


def org_head(token: Token) -> str | None:
    """The organisation kind a noun heads, singular or plural ("autorités"), or None."""
    word = token.lower_
    for form in (word, word[:-1] if word.endswith(("s", "x")) else word):
        if form in ORG_HEADS:
            return ORG_HEADS[form]
    return None


def _plural(token: Token) -> bool:
    return "Plur" in token.morph.get("Number", [])


def _lower(token: Token) -> bool:
    return token.text[:1].islower()


def institutions(doc: Doc, found: list[Mention]) -> Iterable[Mention]:
    """Lower-case names of bodies: a definite article, an organisation noun, and either an
    institutional adjective ("le comité de pilotage national", "les autorités
    régionales") or the organisation it belongs to ("la cellule société civile de la
    mission X"), which becomes `part_of`."""
    orgs = {m.start: m for m in found if m.label is Label.ORGANIZATION}
    for token in doc:
        kind = org_head(token)
        if kind is None or not _lower(token) or token.i == 0:
            continue
        if doc[token.i - 1].lower_ not in DEFINITE:
            continue
        if token.i >= 2 and doc[token.i - 2].lower_ in QUANTIFIERS:
            continue
        end, adjectives, parent, complement = token.i + 1, [], None, False
        while end < len(doc) and end - token.i < 9 and parent is None:
            word = doc[end]
            if word.pos_ == "ADJ" and _lower(word) and word.is_alpha:
                adjectives.append(word)
                end += 1
            elif word.lower_ in _OF:
                at = end + 1
                while at < len(doc) and (
                    doc[at].lower_ in ARTICLES or (org_head(doc[at]) and _lower(doc[at]))
                ):
                    at += 1  # "de la mission X": the article and the noun before a name
                if at < len(doc) and doc[at].idx in orgs:
                    parent = orgs[doc[at].idx]
                elif (
                    at < len(doc)
                    and doc[at].pos_ == "NOUN"
                    and _lower(doc[at])
                    and org_head(doc[at]) is None
                ):
                    end = at + 1  # "comité de pilotage", "direction régionale de la santé"
                    complement = True
                else:
                    break
            elif word.pos_ == "NOUN" and _lower(word) and end == token.i + 1:
                end += 1  # "la cellule société civile"
            else:
                break
        institutional = [a for a in adjectives if a.lemma_.lower() in INSTITUTIONAL]
        if parent is None and not institutional:
            continue
        if parent is None and not complement:
            end = max(a.i for a in institutional) + 1
        seat = _seat(doc, end) if parent is None else None
        if seat is not None:  # "les autorités municipales de Zinder"
            end = seat.end
        stop = parent.end if parent else doc[end - 1].idx + len(doc[end - 1].text)
        name = doc.text[token.idx : stop]
        local = (
            parent is None
            and seat is None
            and any(a.lemma_.lower() in TERRITORIAL for a in adjectives)
        )
        yield Mention(Label.ORGANIZATION, kind, name[:1].upper() + name[1:], token.idx, stop,
                      part_of=parent.name if parent else None, local=local,
                      seat=seat.text if seat is not None else None)  # fmt: skip


def _seat(doc: Doc, end: int) -> Span | None:
    """The place a body's name ends with: "de Zinder", "d'Agadez" (a proper name)."""
    if end + 1 >= len(doc) or doc[end].lower_ not in {"de", "d'", "d’"}:
        return None
    name = doc[end + 1]
    if not (name.text[:1].isupper() and name.is_alpha and not name.is_upper):
        return None
    if org_head(name) is not None or name.lower_ in PROGRAMME_HEADS:
        return None
    return doc[end + 1 : end + 2]


def _singular(adjective: Token) -> str:
    text = adjective.text
    if text.endswith("aux"):
        return text[:-3] + "al"
    return text[:-1] if text.endswith(("s", "x")) else text


def shared_adjective(doc: Doc) -> Iterable[Mention]:
    """Bodies listed with one plural adjective after the last ("la Police, la Gendarmerie
    et la Garde nationale maliennes"): the adjective qualifies each of them."""
    for adjective in doc:
        if adjective.pos_ != "ADJ" or not _plural(adjective) or not _lower(adjective):
            continue
        members: list[tuple[int, int]] = []
        last = adjective.i - 1
        while last >= 0:
            head = last
            while head >= 0 and doc[head].pos_ == "ADJ" and not _plural(doc[head]):
                head -= 1
            if head < 0 or org_head(doc[head]) is None or _plural(doc[head]):
                break
            members.append((head, last))
            before = head - 1
            if before >= 0 and doc[before].lower_ in ARTICLES:
                before -= 1
            if before < 0 or doc[before].lower_ not in {",", "et"}:
                break
            last = before - 1
        if len(members) < 2:
            continue
        suffix = _singular(adjective)
        for head, last in members:
            span = doc[head : last + 1]
            end = adjective.idx + len(adjective.text) if last == adjective.i - 1 else span.end_char
            yield Mention(Label.ORGANIZATION, org_head(doc[head]) or "ngo",
                          f"{span.text} {suffix}", span.start_char, end)  # fmt: skip


def venues(doc: Doc) -> Iterable[Mention]:
    """A venue named by a common noun and a proper name: "la salle de conférence Y"."""
    for token in doc:
        if token.lower_ not in VENUE_HEADS or not _lower(token):
            continue
        end = token.i + 1
        if end + 1 < len(doc) and doc[end].lower_ in _OF and _lower(doc[end + 1]):
            end += 2  # "salle de conférence(s)"
        start_name = end
        while end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha:
            end += 1
        if end > start_name:
            span = doc[token.i : end]
            name = span.text[:1].upper() + span.text[1:]
            yield Mention(Label.PLACE, "venue", name, span.start_char, span.end_char)


_NOT_TOWNS = {"madame", "monsieur", "mme", "travers", "partir", "savoir", "propos", "cause"}


def towns(doc: Doc) -> Iterable[Mention]:
    """A proper name after "à" is a town ("à Lagos", "à N'Djamena"): French uses "à"
    without an article for towns, "au"/"en" for countries, "à la/l'" for the rest."""
    for token in doc[:-1]:
        if token.lower_ != "à":
            continue
        first = doc[token.i + 1]
        end = token.i + 2
        if first.text in {"N'", "N’"} and not first.whitespace_ and end < len(doc):
            end += 1  # "N'Djamena": the elided "N'" is part of the name
        elif not (first.text[:1].isupper() and first.is_alpha and not first.is_upper) or (
            first.lower_ in _NOT_TOWNS
            or org_head(first) is not None
            or first.lower_ in PROGRAMME_HEADS
            or first.pos_ in ("VERB", "AUX", "DET")
        ):
            continue
        name = doc[token.i + 1 : end]
        yield Mention(Label.PLACE, "town", name.text, name.start_char, name.end_char)


#: English function words inside organisation names kept in English in French text.
ENGLISH = {"for", "of", "the", "and", "in", "on", "without", "to"}


def english_names(doc: Doc) -> Iterable[Mention]:
    """English names in title case ("Search for Common Ground", "Save the Children"):
    international bodies keep them in French text, where "for", "of" or "the" between
    capitalised words is no French."""
    index = 0
    while index < len(doc):
        end = index
        while end < len(doc) and (
            (doc[end].text[:1].isupper() and doc[end].is_alpha) or doc[end].lower_ in ENGLISH
        ):
            end += 1
        while end > index and doc[end - 1].lower_ in ENGLISH:
            end -= 1
        span = doc[index:end]
        words = [t for t in span if t.lower_ not in ENGLISH]
        if (
            len(span) >= 3
            and span[0].text[:1].isupper()
            and any(t.text in ENGLISH for t in span)
            and len(words) >= 2
        ):
            yield Mention(Label.ORGANIZATION, "ngo", span.text, span.start_char, span.end_char)
        index = max(end, index + 1)


#: Adjectives that say which of several projects, not which project ("le projet actuel").
_DEICTIC = {"actuel", "présent", "même", "dernier", "prochain", "nouveau", "ancien", "suivant",
            "précédent", "global", "entier", "premier", "second", "futur", "principal"}  # fmt: skip


def described_programmes(doc: Doc) -> Iterable[Mention]:
    """A programme named by its noun and an adjective after a definite article ("du
    projet transfrontalier", "le programme pilote"): the report's name for it, with the
    bracket that may follow it ("(Mali, Niger)") kept in an alias."""
    for token in doc[1:]:
        if token.lower_ not in ("projet", "programme") or not _lower(token):
            continue
        if doc[token.i - 1].lower_ not in {"le", "du", "au", "l'", "l’"}:
            continue
        end = token.i + 1
        while (
            end < len(doc)
            and _lower(doc[end])
            and doc[end].is_alpha
            and (doc[end].pos_ == "ADJ" or (doc[end].pos_ == "NOUN" and end == token.i + 1))
        ):  # "transfrontalier", "pilote": the tagger calls some of them nouns
            end += 1
        adjectives = doc[token.i + 1 : end]
        if not adjectives or any(a.lemma_.lower() in _DEICTIC for a in adjectives):
            continue
        span = doc[token.i : end]
        alias = None
        if end < len(doc) and doc[end].text == "(":
            close = next((t.i for t in doc[end:] if t.text == ")"), None)
            if close is not None and close - end < 15:
                alias = doc[token.i : close + 1].text
        name = span.text[:1].upper() + span.text[1:]
        yield Mention(Label.PROGRAMME, "project" if token.lower_ == "projet" else "programme",
                      name, span.start_char, span.end_char, alias=alias)  # fmt: skip
