"""Mentions of organisations, places, people, roles and programmes in one paragraph.

The model's recogniser is the base (ORG, LOC, PER, MISC); rules cover what it misses in
reports written in title case: names headed by an organisation noun ("Coalition
Nationale des Femmes du Mali", "Direction Régionale des Eaux et Forêt"), programmes
("Programme WIPNET", "projet ..."), acronyms in capitals, job titles ("Directeur
Exécutif de WANEP"), and places from the gazetteer (public knowledge, and the graph's
names when extraction runs with the graph).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from peacegraph.extract import acronyms, gazetteer, names, people
from peacegraph.extract.facts import Mention
from peacegraph.extract.lexicon import (
    ORG_HEADS,
    PROGRAMME_HEADS,
    PROGRAMME_WORDS,
    ROLE_HEADS,
    VENUE_WORDS,
)
from peacegraph.extract.nlp import keep_compounds, pipeline, sentences
from peacegraph.extract.people import ENGLISH_ROLES
from peacegraph.graph.model import Label

_ARTICLES = {"la", "le", "les", "l'", "l’", "du", "de", "des"}
_CONNECTORS = {"de", "du", "des", "la", "le", "les", "l'", "l’", "d'", "d’", "pour", "et", "aux",
               "au"}  # fmt: skip
_TITLES = re.compile(r"^(Madame|Monsieur|Mme|M\.|Mlle|Dr|Docteur|Pr)\s+")
#: Words the model tags as entities in title-case prose that never name one alone.
_NOT_NAMES = {
    "atelier", "participation", "centre", "régional", "jeunes", "samedi", "ecole", "école",
    "conférence", "communication", "mission", "résolution", "plaidoyer", "weekly", "quinzaine",
    "renforcer", "outillées", "ambassadrices", "police", "organisation", "folke",
}  # fmt: skip


def _title(token: object) -> bool:
    text = getattr(token, "text", "")
    return bool(text[:1].isupper()) or bool(text[:1].isdigit())


def _in_region_list(doc: Doc, index: int) -> bool:
    """Whether the token at `index` is in a list that "région(s) de" opens."""
    for token in reversed(doc[max(0, index - 12) : index]):
        if token.lower_ in ("région", "régions"):
            return True
        if not (
            token.is_punct or token.lower_ in ("de", "et", "du", "des") or token.text[:1].isupper()
        ):
            return False
    return False


def _starts_name(doc: Doc, index: int) -> bool:
    """Whether a new name starts at `index`, after an article: a head noun or capitals."""
    while index < len(doc) and doc[index].lower_ in {"la", "le", "les", "l'", "l’"}:
        index += 1
    if index >= len(doc):
        return False
    word = doc[index]
    return (
        word.lower_ in ORG_HEADS or word.lower_ in PROGRAMME_HEADS or bool(_CAPS.match(word.text))
    )


def _headed(doc: Doc, heads: dict[str, str], label: Label) -> Iterable[Mention]:
    """Names that start with a head noun and go on in title case ("Coalition Nationale
    des Femmes du Mali"), or with lower-case words between capitalised ones ("Conseil de
    sécurité des Nations unies"); a head in lower case counts when a capital follows it
    ("la cour Constitutionnelle", "la mission EUCAP Sahel")."""
    if _capitals(doc):
        return  # a heading in capitals: where a name ends cannot be told
    for token in doc:
        if token.lower_ not in heads:
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if not _title(token) and not (following is not None and following.text[:1].isupper()):
            continue
        if token.i and doc[token.i - 1].lower_ in {"un", "une"}:
            continue  # "une agence Suédoise": a description, not a name
        end = token.i + 1
        last = token.i
        while end < len(doc) and end - token.i < 14:
            nxt = doc[end]
            if nxt.lower_ in {"et", ","} and _starts_name(doc, end + 1):
                break  # "Association X et la Direction Y": two names
            if (
                nxt.lower_ in {"de", "du", "d'"}
                and end + 1 < len(doc)
                and _CAPS.match(doc[end + 1].text)
            ):
                break  # "Programme WIPNET de WANEP-Mali": the owner is a name of its own
            if nxt.lower_ in _CONNECTORS or (
                nxt.text == "," and end + 1 < len(doc) and doc[end + 1].lower_ in _CONNECTORS
            ):
                end += 1
                continue
            if (
                _title(nxt)
                or nxt.is_upper
                or (nxt.pos_ == "ADJ" and end == last + 1 and _title(doc[last]))
            ):
                last = end
                end += 1
                continue
            if nxt.is_alpha and nxt.pos_ in ("NOUN", "ADJ") and doc[end - 1].lower_ in _CONNECTORS:
                end += 1  # a lower-case word kept only if a capital follows it
                continue
            break
        while (
            last > token.i
            and doc[last].is_upper
            and len(doc[last].text) >= 2
            and (last - 1 > token.i)
        ):
            last -= 1  # "Conseil Danois pour les Réfugiés DRC": the acronym is its own
        while (
            last > token.i + 1
            and gazetteer.kind_of(doc[last].text) == "country"
            and (doc[last - 1].lower_ == "et" or _title(doc[last - 1]))
        ):
            # "Alliance Just Future Mali et Niger": the countries are not in the name
            last -= 2 if doc[last - 1].lower_ == "et" else 1
        if (
            label is Label.ORGANIZATION
            and last > token.i + 2
            and gazetteer.kind_of(doc[last].text) == "country"
            and doc[last - 1].lower_ in {"au", "en", "aux"}
        ):
            last -= 2  # "les Organes X au Mali": where they are, not their name ("du Mali")
        while last > token.i and doc[last].lower_ in _CONNECTORS:
            last -= 1
        if last == token.i:
            continue
        span = doc[token.i : last + 1]
        rest = doc[token.i + 1 : last + 1]
        if label is Label.PROGRAMME and _of_members(rest):
            # "la Plateforme des Acteurs Non Étatiques": a platform of bodies is a body
            yield Mention(Label.ORGANIZATION, "coalition", span.text, span.start_char,
                          span.end_char)  # fmt: skip
            continue
        generic = token.text in GENERIC  # "l'ONG X"
        appositive = generic or not _title(token) or label is Label.PROGRAMME
        if appositive and (
            _CAPS.match(rest[0].text)
            or generic
            or (label is Label.PROGRAMME and not _title(token))  # "le projet Voix de X"
        ):
            # "le réseau X", "la plateforme X", "Programme X", "l'ONG X": X is the name,
            # the noun says what it is; the whole is kept as an alias.
            yield Mention(label, heads[token.lower_], rest.text, span.start_char,
                          span.end_char, alias=span.text)  # fmt: skip
            continue
        yield Mention(label, heads[token.lower_], span.text, span.start_char, span.end_char)


#: Acronyms of common nouns in French development writing (civil-society organisations,
#: internally displaced people, security sector reform...): they name no one entity.
GENERIC = {"ONG", "ONGs", "OSC", "OCB", "PDI", "RSS", "VBG", "DDR", "PTF", "FPS", "AGR", "OMD",
           "ODD", "TIC", "CV", "PV"}  # fmt: skip
_CAPS = re.compile(r"^[A-ZÀ-Ý]{2,}[A-Za-zÀ-ÿ]*$|^[A-Z]+-[A-Z][A-Za-zÀ-ÿ]+$")


def _expanded(doc: Doc) -> list[Mention]:
    """A long form the paragraph gives with its acronym ("Centre d'information et de
    documentation-Cidoc", "Agence X (AX)") names a body or a programme by its head noun,
    lower-case words and all; the acronym is its alias."""
    found = []
    for expansion in acronyms.find(doc.text):
        head = expansion.long.split()[0].lower() if expansion.long.split() else ""
        if head in ORG_HEADS:
            label, kind = Label.ORGANIZATION, ORG_HEADS[head]
        elif head in PROGRAMME_HEADS:
            label, kind = Label.PROGRAMME, PROGRAMME_HEADS[head]
        else:
            continue
        found.append(Mention(label, kind, expansion.long, expansion.start, expansion.end,
                             alias=expansion.short))  # fmt: skip
    return found


#: Nouns (lemmas) whose plural after "plateforme des" makes it a body of members.
MEMBERS = {"acteur", "organisation", "association", "ong", "osc", "femme", "jeune",
           "syndicat", "réseau", "mouvement", "partenaire", "leader"}  # fmt: skip


def _of_members(rest: Span) -> bool:
    """Whether a name goes on "des Acteurs ...", "des Organisations ..."."""
    words = [t for t in rest if t.lower_ not in _CONNECTORS]
    return (
        bool(words)
        and rest[0].lower_ in {"des", "de"}
        and (words[0].lemma_.lower() in MEMBERS or words[0].lower_.rstrip("s") in MEMBERS)
    )


def _capitals(doc: Doc) -> bool:
    """Whether most words of a block are in capitals (a heading written so)."""
    words = [t for t in doc if t.is_alpha and len(t.text) > 2]
    return bool(words) and sum(t.is_upper for t in words) > len(words) / 2


def _acronyms(doc: Doc) -> Iterable[Mention]:
    """Names in capitals ("CEDEAO", "WANEP-Mali", "UN-CIMIC", "MASAI LODGE", "CAD Mali"),
    with the title-case words that follow them; a programme word just before ("plateforme
    NEWS", "Programme WIPNET") makes it a programme."""
    if _capitals(doc):
        return  # a heading in capitals: every word is in capitals, none is a name
    index = 0
    while index < len(doc):
        token = doc[index]
        head = re.split(r"[-–]", token.text)[0]
        head = head[:-1] if head.endswith("s") else head  # "FAMAs", "ONGs"
        if (
            not (_CAPS.match(token.text) and head.isupper() and sum(c.isalpha() for c in head) >= 3)
            or token.text in GENERIC
            or head in GENERIC
        ):
            index += 1
            continue
        if index and doc[index - 1].lower_ in {"un", "une"}:
            index += 1  # "un CHIWARA": a thing; a body's name takes the definite article
            continue
        end = index + 1
        while (
            end < len(doc)
            and doc[end].text[:1].isupper()
            and doc[end].is_alpha
            and (doc[end].lower_ not in ORG_HEADS and doc[end].lower_ not in PROGRAMME_HEADS)
            and doc[end].lower_ not in ENGLISH_ROLES
        ):
            end += 1
        span = doc[index:end]
        if end < len(doc) and doc[end].lower_ in ENGLISH_ROLES:
            role = doc[index : end + 1]  # "the NEWS Manager": a person, by title
            yield Mention(Label.PERSON, "person", role.text, role.start_char, role.end_char)
            index = end + 1
            continue
        if end < len(doc) and re.fullmatch(r"(19|20)\d\d", doc[end].text):
            index = end + 1  # "la JIJ 2023": an edition of a yearly event, not a body
            continue
        before = [t for t in doc[max(0, index - 3) : index] if t.lower_ not in _ARTICLES]
        label, kind = Label.ORGANIZATION, "ngo"
        lead = {t.lemma_.lower() for t in doc[max(0, index - 8) : index]}
        if before and before[-1].lemma_.lower() in PROGRAMME_WORDS:
            label, kind = Label.PROGRAMME, "programme"
        elif index > 0 and doc[index - 1].text == "(" and lead & PROGRAMME_WORDS:
            label, kind = Label.PROGRAMME, "platform"  # "systèmes d'alerte (ECOWARN)"
        elif {t.lower_ for t in span} & VENUE_WORDS:
            label, kind = Label.PLACE, "venue"  # "MASAI LODGE"
        yield Mention(label, kind, span.text, span.start_char, span.end_char)
        index = end


def _roles(doc: Doc, orgs: list[Mention]) -> Iterable[Mention]:
    """A job title followed, within a few words, by the organisation it serves."""
    for token in doc:
        if token.lower_ not in ROLE_HEADS:
            continue
        if (
            token.lower_ == "point"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ != "focal"
        ):
            continue
        window_end = doc[min(len(doc) - 1, token.i + 8)].idx
        org = next((m for m in orgs if token.idx < m.start <= window_end), None)
        if org is None:
            continue
        if token.lower_.endswith("s"):
            continue  # plural titles name several people: left to review
        text = doc.text[token.idx : org.end]
        if "," in text or ";" in text or "." in text[:-1]:
            continue
        yield Mention(Label.PERSON, "person", text, token.idx, org.end, role_of=org.name)


def _clean(text: str) -> str:
    text = text.strip(" ,;:.«»\"'()")
    words = text.split()
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    while words and words[0].lower() in {"le", "la", "les", "du", "des", "de", "l'", "au"}:
        words.pop(0)
    return " ".join(words)


_PHRASES: dict[tuple[int, int], PhraseMatcher] = {}


def _phrases(doc: Doc, phrases: tuple[str, ...]) -> PhraseMatcher:
    """A phrase matcher for `phrases`, tokenised as the pipeline does; built once per list."""
    key = (id(doc.vocab), hash(phrases))
    if key not in _PHRASES:
        make_doc = pipeline().make_doc
        matcher = PhraseMatcher(doc.vocab, attr="LOWER")
        # hyphenated names are one token in the pipeline ("Guinée-Bissau"): so in patterns
        matcher.add("NAME", [keep_compounds(make_doc(name)) for name in phrases])
        _PHRASES[key] = matcher
    return _PHRASES[key]


def find(doc: Doc, known: dict[str, Label] | None = None) -> list[Mention]:
    """Every mention in a paragraph, longest first where two overlap."""
    found: list[Mention] = []
    gazetteer_names = tuple(gazetteer.names())
    for _, start, end in _phrases(doc, gazetteer_names)(doc):
        span = doc[start:end]
        name = gazetteer.canonical(gazetteer.spelled(span.text))
        kind = gazetteer.kind_of(name)
        if kind is not None and span.text[:1].isupper():
            if kind == "region" and name in gazetteer.MALI_REGIONS:
                # "les régions de Tombouctou, Gao et Mopti": regions; "à Mopti": the town
                kind, name = (
                    ("region", f"Région de {name}")
                    if _in_region_list(doc, start)
                    else ("town", name)
                )
            found.append(Mention(Label.PLACE, kind, name, span.start_char, span.end_char))
    if known:
        known_names = tuple(sorted(known))
        for _, start, end in _phrases(doc, known_names)(doc):
            span = doc[start:end]
            label = known.get(span.text)
            if label is not None:
                found.append(Mention(label, "", span.text, span.start_char, span.end_char))
    found += names.shared_adjective(doc)
    found += _headed(doc, ORG_HEADS, Label.ORGANIZATION)
    found += _headed(doc, PROGRAMME_HEADS, Label.PROGRAMME)
    found += _acronyms(doc)
    found += names.venues(doc)
    found += _expanded(doc)
    found += names.english_names(doc)
    found += names.described_programmes(doc)
    for ent in doc.ents:
        found += _from_model(ent)
    found += names.institutions(doc, found)
    orgs = [m for m in found if m.label is Label.ORGANIZATION]
    places = [m for m in found if m.label is Label.PLACE]
    found += _roles(doc, orgs)
    found += people.distributed(doc, orgs)
    found += people.titled(doc, sentences(doc), orgs, places)
    found += names.towns(doc)
    kept = _longest(found)
    return _in_lists(doc.text, _longest(kept + _listed(doc, kept)))


def _listed(doc: Doc, found: list[Mention]) -> list[Mention]:
    """A title-case name the model tags (ORG, MISC) that the rules leave out, listed
    among organisations ("Oxfam, CARE-Niger et Plan International"): an organisation too,
    since an enumeration names things of one kind."""
    orgs = [m for m in found if m.label is Label.ORGANIZATION]
    listed = []
    for ent in doc.ents:
        name = _clean(ent.text)
        words = [w for w in name.split() if w.lower() not in _CONNECTORS]
        if (
            ent.label_ not in ("ORG", "MISC")
            or len(words) < 2
            or not all(w[:1].isupper() for w in words)
        ):
            continue
        start = ent.start_char + ent.text.find(name)
        end = start + len(name)
        if any(m.start < end and start < m.end for m in found):
            continue
        if any(_LIST_GLUE.match(doc.text[min(o.end, end) : max(o.start, start)]) for o in orgs):
            listed.append(Mention(Label.ORGANIZATION, "ngo", name, start, end))
    return listed


_LIST_GLUE = re.compile(r"^\s*(,|et|ou)\s*(la |le |l'|les )?$")


def _in_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    """A name the model took for a town, listed among organisations ("RENEDEP et Point
    Sud"), is an organisation: an enumeration names things of one kind."""
    kept = list(mentions)
    for index, mention in enumerate(kept):
        if mention.label is not Label.PLACE or mention.kind != "town":
            continue
        neighbours = [
            other
            for other in (kept[index - 1] if index else None,
                          kept[index + 1] if index + 1 < len(kept) else None)
            if other is not None
            and _LIST_GLUE.match(text[min(other.end, mention.end) : max(other.start,
                                                                          mention.start)])
        ]  # fmt: skip
        if neighbours and all(n.label is Label.ORGANIZATION for n in neighbours):
            kept[index] = Mention(Label.ORGANIZATION, "ngo", mention.name, mention.start,
                                  mention.end)  # fmt: skip
    for index, mention in enumerate(kept):
        # a name the model took for a person, listed among places ("les communes de A,
        # B et C D E"), is a place
        if mention.label is not Label.PERSON or mention.role_of or index == 0:
            continue
        before = kept[index - 1]
        if before.label is Label.PLACE and _LIST_GLUE.match(text[before.end : mention.start]):
            kept[index] = Mention(Label.PLACE, "town", mention.name, mention.start, mention.end)
    return kept


def _from_model(ent: Span) -> list[Mention]:
    name = _clean(ent.text)
    if not name or name.lower() in _NOT_NAMES or not name[:1].isupper() or len(name) < 3:
        return []
    start = ent.start_char + ent.text.find(name)
    mention = None
    head = re.split(r"[-–\s]", name)[0]
    if len(head) >= 3 and head.isupper() and head.isalpha():
        return []  # names in capitals are `_acronyms`' to judge
    if ent.label_ == "LOC" and all(
        t.pos_ == "PROPN" for t in ent if t.is_alpha and t.lower_ not in _CONNECTORS
    ):
        mention = Mention(Label.PLACE, "town", name, start, start + len(name))
    elif (ent.label_ == "ORG" and " " not in name and not name.isupper()) or (
        ent.label_ == "MISC" and _english_name(name)
    ):
        mention = Mention(Label.ORGANIZATION, "ngo", name, start, start + len(name))
    elif ent.label_ == "PER" and len(name.split()) >= 2:
        person = _TITLES.sub("", name)
        offset = name.find(person)
        mention = Mention(
            Label.PERSON, "person", person, start + offset, start + offset + len(person)
        )
    return [mention] if mention else []


_ENGLISH = {"for", "of", "the", "and", "in", "on"}


def _english_name(name: str) -> bool:
    """An English name in title case ("Search for Common Ground"): international NGOs
    keep them in French text, and the French model tags them MISC."""
    words = name.split()
    return (
        len(words) >= 3
        and any(w in _ENGLISH for w in words)
        and all(w[:1].isupper() or w in _ENGLISH for w in words)
    )


def _longest(mentions: list[Mention]) -> list[Mention]:
    """Drop a mention inside a longer one (a role keeps the organisation it names)."""
    ordered = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for mention in ordered:
        inside = any(
            k.start <= mention.start
            and mention.end <= k.end
            and k != mention
            and k.role_of is None
            and k.part_of is None
            and not (k.label is Label.PERSON and mention.label is Label.PLACE)
            for k in kept
        )
        if not inside and mention not in kept:
            kept.append(mention)
    return kept
