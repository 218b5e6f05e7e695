"""How search hits are ranked, the same on every store.

Each store finds candidates with its own index, by the same rule: the nodes whose
folded names share a trigram with the folded query (SQLite FTS5 trigrams beside the
embedded store, Neo4j's trigram TEXT index); the candidates are then ranked here, so
that one query gives one order whichever store answers it.

A candidate is ranked by its best name or alias (`score`): by how well *all* the
query's words match, each word exactly, as the start of a word, or with a typo. A
name that holds every word beats one that holds some, however close; a name that
holds some is still returned, below. Among names that hold every word, one holding
the query as a phrase, then one that is mostly the query's words, comes first. Small
words (de, la, the, of...) count only when the query has nothing else. Observations,
whose names repeat their event's ("25 participants à l'atelier de Djenné"), yield
to the event on an equal match.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How many candidates a store hands over for ranking.
MAX_CANDIDATES = 300
#: Below this a candidate shares letters, but not a plausible part of the query.
MIN_SCORE = 0.3
#: The score of a name equal to the query (above any other match).
EXACT = 3.0
#: Words that carry no meaning of their own in a name, French and English, folded.
_FRENCH = ("a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par")
_ENGLISH = ("and", "at", "by", "for", "in", "of", "on", "s", "the", "to", "with")
STOPWORDS = frozenset((*_FRENCH, "pour", "sur", *_ENGLISH))
#: How much a typo'd word may differ (difflib ratio), and how long it must be.
TYPO_RATIO = 0.75
TYPO_MIN_LENGTH = 4
#: Scores of one query word against one name word.
WORD_EXACT = 1.0
WORD_PREFIX = 0.9  # "ambassad" → "ambassadrices", "campagne" → "campagnes"
WORD_TYPO = 0.85  # times the difflib ratio
#: Bonuses on top of how much of the query matched.
ALL_WORDS = 1.0
PHRASE = 0.2
STARTS_WITH = 0.1
NAME_COVERED = 0.1
#: What an observation gives up against a node of another label on an equal match.
OBSERVATION_PENALTY = 0.15


def trigrams(query: str) -> list[str]:
    """The three-letter pieces of a folded query (spaces included) that candidates
    are found by: a typo costs a few of them instead of the whole match. Empty for
    a query shorter than three letters, which is matched as a substring instead."""
    return sorted({query[i : i + 3] for i in range(len(query) - 2)})


def _content(words: list[str]) -> list[str]:
    """The words that carry meaning; all of them if none does."""
    kept = [w for w in words if w not in STOPWORDS]
    return kept or words


class _WordMatcher:
    """Scores query words against name words, each pair once per ranking."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}

    def __call__(self, word: str, other: str) -> float:
        key = (word, other)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = _word_score(word, other)
        return found


def _word_score(word: str, other: str) -> float:
    """How well a query word matches a name word, 0 when it does not."""
    if word == other:
        return WORD_EXACT
    if len(word) < 3 or len(other) < 3:
        return 0.0
    if other.startswith(word) or (len(other) >= TYPO_MIN_LENGTH and word.startswith(other)):
        return WORD_PREFIX
    if len(word) < TYPO_MIN_LENGTH:
        return 0.0
    # A ratio is at most 2·shorter/(sum of lengths): skip pairs that cannot reach it.
    shorter, total = min(len(word), len(other)), len(word) + len(other)
    if 2 * shorter / total < TYPO_RATIO:
        return 0.0
    matcher = difflib.SequenceMatcher(None, word, other)
    if matcher.quick_ratio() < TYPO_RATIO:
        return 0.0
    ratio = matcher.ratio()
    return WORD_TYPO * ratio if ratio >= TYPO_RATIO else 0.0


def _name_score(query: str, words: list[str], name: str, match: _WordMatcher) -> float:
    if name == query:
        return EXACT
    name_words = name.split()
    best = [max((match(w, n) for n in name_words), default=0.0) for w in words]
    score = sum(best) / len(words)
    if all(best):
        score += ALL_WORDS
        if f" {query} " in f" {name} ":
            score += PHRASE + (STARTS_WITH if name.startswith(query) else 0.0)
        content = _content(name_words)
        covered = sum(1 for n in content if any(match(w, n) for w in words))
        score += NAME_COVERED * covered / len(content)
    return score


def score(query: str, keys: str, match: _WordMatcher | None = None) -> float:
    """How well the folded `query` matches the best of the ` | `-separated folded
    names in `keys` (a node's searchKey): EXACT for an equal name, above
    ALL_WORDS when every word of the query matches, below 1 when only some do."""
    words = _content(query.split())
    if not words:
        return 0.0
    matcher = match or _WordMatcher()
    return max(_name_score(query, words, name, matcher) for name in keys.split(" | "))


def rank(query: str, candidates: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, float]]:
    """(id, label, score) of the plausible candidates, best first, ties by id.

    `candidates` are (id, label, searchKey); `query` is already folded.
    """
    match = _WordMatcher()
    scored = []
    for node_id, label, keys in candidates:
        value = score(query, keys, match)
        if label == "Observation" and value < EXACT:
            value -= OBSERVATION_PENALTY
        if value >= MIN_SCORE:
            scored.append((node_id, label, round(value, 6)))
    scored.sort(key=lambda hit: (-hit[2], hit[0]))
    return scored
