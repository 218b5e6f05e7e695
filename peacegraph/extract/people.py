"""People named by their office: reports name staff by title more often than by name
("les chargés de suivi-évaluation et de communication de X", "la directrice exécutive
adjointe", "le gouverneur de la région de Y", "le NEWS Manager"). Each title is one
person, the organisation it serves its employer (WORKS_FOR), and an office held over a
territory is named with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from peacegraph.extract.facts import Mention
from peacegraph.extract.lexicon import ROLE_HEADS
from peacegraph.graph.model import Label

#: English job titles after a programme's or unit's name ("NEWS Manager").
ENGLISH_ROLES = {"manager", "officer", "coordinator", "director", "assistant", "adviser",
                 "advisor", "specialist", "lead", "focal"}  # fmt: skip
_DEFINITE = {"le", "la", "l'", "l’", "du", "au", "de"}
_TERRITORY = {"de", "la", "du", "l'", "l’", "région", "cercle", "commune", "district",
              "province", "préfecture", "département"}  # fmt: skip


def _of(name: str) -> str:
    """The preposition before a name: d' before a vowel ("directrice d'OXFAM"), else de."""
    return "d'" if name[:1].lower() in "aeiouyhàâéèêîôû" else "de "


def _singular(token: Token) -> str:
    text = token.text
    return text[:-1] if text.endswith("s") and len(text) > 3 else text


def _plural(token: Token) -> bool:
    return "Plur" in token.morph.get("Number", []) or token.lower_.endswith("s")


def _title_words(doc: Doc, start: int, *, nouns: bool = True) -> int:
    """The end of a title's qualifiers: capitalised words and adjectives ("Exécutive
    adjointe"), a noun right after a capitalised one ("Suivi évaluation")."""
    end = start
    while end < len(doc):
        word = doc[end]
        capital = word.text[:1].isupper() and (word.is_alpha or "-" in word.text)
        lower = word.is_alpha and word.text[:1].islower()
        joined = (
            word.lower_ == "et" and end + 1 < len(doc) and doc[end + 1].text[:1].isupper()
        )  # "Affaires Administratives et Juridiques"
        qualifier = lower and (
            word.pos_ == "ADJ"
            or (nouns and word.pos_ == "NOUN" and doc[end - 1].text[:1].isupper())
        )  # "Exécutive adjointe"
        if not (capital or qualifier or (joined and end > start)):
            break
        end += 1
    return end


def distributed(doc: Doc, orgs: list[Mention]) -> Iterable[Mention]:
    """A plural title with coordinated complements, one person each: "les chargés de
    suivi et de communication de X" are the officer for each, both of X."""
    by_start = {m.start: m for m in orgs}
    for token in doc:
        if token.lower_ not in ROLE_HEADS or not _plural(token):
            continue
        parts: list[Span] = []
        at = token.i + 1
        while at + 1 < len(doc) and doc[at].lower_ in {"de", "d'", "d’", "du", "des"}:
            end = at + 1
            named = by_start.get(doc[end].idx)
            while end < len(doc) and (
                doc[end].idx < named.end
                if named
                else doc[end].lower_ not in {"et", ",", "de", "du", "d'", "des"}
            ):
                end += 1
            parts.append(doc[at:end])  # "de Plaidoyer", with its "de"
            if doc[at + 1].idx in by_start and (
                end >= len(doc) or doc[end].lower_ not in {"de", "du", "des", "d'", "d’"}
            ):
                break  # "de X": the employer ends the list
            at = end + 1 if end < len(doc) and doc[end].lower_ in {"et", ","} else end
        org = by_start.get(parts[-1][1].idx) if parts and len(parts[-1]) > 1 else None
        parts = parts[:-1]
        if org is None or len(parts) < 2:
            continue
        head = _singular(token)
        for part in parts:
            name = f"{head} {part.text} {_of(org.name)}{org.name}"
            yield Mention(Label.PERSON, "person", name[:1].upper() + name[1:], part.start_char,
                          part.end_char, role_of=org.name)  # fmt: skip


def titled(
    doc: Doc, sentences: list[Span], orgs: list[Mention], places: list[Mention]
) -> Iterable[Mention]:
    """A singular title after a definite article, the organisation it serves named
    earlier in its sentence ("de X, ... la directrice exécutive adjointe"), the
    territory it governs after it ("le gouverneur de la région de Y"), or a capitalised
    office ("le Conseiller des Affaires Administratives et Juridiques")."""
    for token in doc[1:]:
        if token.lower_ not in ROLE_HEADS or _plural(token):
            continue
        if doc[token.i - 1].lower_ not in _DEFINITE or token.lower_ == "point":
            continue
        window = doc[min(len(doc) - 1, token.i + 8)].idx
        if any(token.idx < o.start <= window for o in orgs):
            continue  # "le directeur de programme de X": `mentions` reads it
        end = _title_words(doc, token.i + 1)
        sentence = next((s for s in sentences if s.start <= token.i < s.end), None)
        if sentence is None:
            continue
        territory = _territory(doc, end, places)
        if territory is not None:
            text = doc.text[token.idx : territory.end]
            yield Mention(Label.PERSON, "person", text[:1].upper() + text[1:], token.idx,
                          territory.end)  # fmt: skip
            continue
        after = doc[end] if end < len(doc) else None
        if after is not None and after.lower_ in {"de", "du", "des", "d'", "aux", "au"}:
            office = _title_words(doc, end + 1, nouns=False)
            words = [t for t in doc[end + 1 : office] if t.text[:1].isupper()]
            if len(words) >= 2 and not any(o.start == doc[end + 1].idx for o in orgs):
                span = doc[token.i : office]
                yield Mention(Label.PERSON, "person", span.text[:1].upper() + span.text[1:],
                              span.start_char, span.end_char)  # fmt: skip
            continue  # a complement: `mentions` reads "le directeur de X"
        before = [o for o in orgs if sentence.start_char <= o.end <= token.idx]
        if not before:
            continue
        org = before[-1]
        span = doc[token.i : end]
        text = f"{span.text} {_of(org.name)}{org.name}"
        yield Mention(Label.PERSON, "person", text[:1].upper() + text[1:], span.start_char,
                      span.end_char, role_of=org.name)  # fmt: skip


def _territory(doc: Doc, end: int, places: list[Mention]) -> Mention | None:
    """The place a title governs: "de la région de Y", "du cercle de Y", "de Y"."""
    at = end
    while at < len(doc) and doc[at].lower_ in _TERRITORY and at - end < 5:
        at += 1
    if at == end or doc[end].lower_ not in {"de", "du"} or at >= len(doc):
        return None
    return next((p for p in places if p.start == doc[at].idx), None)
