"""Acronyms and their expansions: "Réseau Ouest Africain pour l'Édification de la Paix
(WANEP)", and the reverse "AIGE (Autorité Indépendante de Gestion des Elections)".

The long form is found as Schwartz and Hearst do (A simple algorithm for identifying
abbreviation definitions in biomedical text, 2003): walking back from the bracket, the
shortest run of words whose letters hold the acronym's letters in order, the first
letter starting a word. French function words ("de", "la", "pour") need not give a letter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_BRACKETED_SHORT = re.compile(r"\(\s*([A-ZÀ-Ý][A-Za-zÀ-ÿ0-9&\-]{1,11})\s*\)")
_WORD = re.compile(r"[\wÀ-ÿ'’\-]+")
#: Brackets that hold no acronym: figures and the report's own asides.
_MAX_WORDS = 12


@dataclass(frozen=True)
class Expansion:
    short: str
    long: str
    start: int  # character offset of the long form in the text
    end: int


def _plain(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    ).lower()


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)


def _matches(short: str, words: list[str]) -> bool:
    """Whether the acronym's letters occur in order in `words`, the first one starting
    the first word (Schwartz-Hearst, backwards)."""
    letters = [c for c in _plain(short) if c.isalnum()]
    text = _plain(" ".join(words))
    if not letters or not text.startswith(letters[0]):
        return False
    position = len(text)
    for index in range(len(letters) - 1, 0, -1):
        position = text.rfind(letters[index], 1, position)
        if position < 0:
            return False
    return True


#: An acronym glued to its long form by a hyphen, in title case: "... citoyennes-Cidoc".
_GLUED_SHORT = re.compile(r"(?<=[a-zà-ÿ])[-–]([A-Z][a-zà-ÿ]{2,10})\b")


def find(text: str) -> list[Expansion]:
    """Every "long form (ACRONYM)" of `text`, with where the long form lies; also "long
    form-Acronyme", when the acronym's letters are the long form's in order."""
    found = []
    glued = [m for m in _GLUED_SHORT.finditer(text)]
    for match in [*_BRACKETED_SHORT.finditer(text), *glued]:
        short = match.group(1)
        if not _is_acronym(short) and match not in glued:
            continue
        before = text[: match.start()]
        words = list(_WORD.finditer(before))[-_MAX_WORDS:]
        chosen = next(
            (
                words[-size:]
                for size in range(1, len(words) + 1)
                if _capital(words[-size].group())
                and _matches(short, [_unelided(w.group()) for w in words[-size:]])
            ),
            None,
        ) or (_title_run(words) if match not in glued else None)
        if chosen and (match not in glued or len(chosen) >= 3):
            start, end = chosen[0].start(), chosen[-1].end()
            start += len(chosen[0].group()) - len(_unelided(chosen[0].group()))
            found.append(Expansion(short, before[start:end], start, end))
    return found


_CONNECTORS = {"de", "du", "des", "la", "le", "les", "pour", "et", "en", "aux", "au", "sur"}


def _capital(word: str) -> bool:
    """A capitalised word, or one elided after l' or d' ("l'Édification")."""
    return word[:1].isupper() or bool(re.match(r"^[ldLD]['’]\w", word) and word[2:3].isupper())


def _unelided(word: str) -> str:
    """A word without the elided article before it: "l'Institut" is "Institut"."""
    return word[2:] if re.match(r"^[ldLD]['’]\w", word) else word


def _title_run(words: list[re.Match[str]]) -> list[re.Match[str]]:
    """The name in title case right before the bracket, when its initials are not the
    acronym's: an acronym of another language ("Réseau Ouest Africain pour l'Édification
    de la Paix (WANEP)", for West Africa Network for Peacebuilding)."""
    run: list[re.Match[str]] = []
    for word in reversed(words):
        text = word.group()
        if not (_capital(text) or text.lower() in _CONNECTORS):
            break
        run.insert(0, word)
    while run and not _capital(run[0].group()):
        run.pop(0)
    return run if sum(_capital(w.group()) for w in run) >= 2 else []


def find_reverse(text: str) -> list[Expansion]:
    """Every "ACRONYM (long form)": the long form in brackets after the acronym."""
    found = []
    for match in re.finditer(r"\b([A-Z][A-Z0-9\-]{1,11})\s*\(([^()]{6,120})\)", text):
        short, long = match.group(1), match.group(2).strip()
        if _is_acronym(short) and _matches(short, long.split()):
            found.append(Expansion(short, long, match.start(2), match.end(2)))
    return found
