"""How search hits are ranked, the same on every store.

Each store finds candidates with its own index, by the same rule: the nodes whose
folded names share a trigram with the folded query (SQLite FTS5 trigrams beside the
embedded store, Neo4j's trigram TEXT index); the candidates are then ranked here,
by how closely the folded query matches a node's best name or alias, so that one
query gives one order whichever store answers it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How many candidates a store hands over for ranking.
MAX_CANDIDATES = 300
#: Below this a candidate shares letters but is not a plausible spelling of the query.
MIN_SCORE = 0.6


def trigrams(query: str) -> list[str]:
    """The three-letter pieces of a folded query (spaces included) that candidates
    are found by: a typo costs a few of them instead of the whole match. Empty for
    a query shorter than three letters, which is matched as a substring instead."""
    return sorted({query[i : i + 3] for i in range(len(query) - 2)})


def score(query: str, keys: str) -> float:
    """How well the folded `query` matches the best of the ` | `-separated folded
    names in `keys` (a node's searchKey), from 0 to 1.5."""
    best = 0.0
    for name in keys.split(" | "):
        if name == query:
            return 1.5
        words = name.split()
        if query in words or name.startswith(query + " "):
            best = max(best, 1.2)
        elif query in name:
            best = max(best, 1.0 + 0.1 * len(query) / max(len(name), 1))
        else:
            ratio = difflib.SequenceMatcher(None, query, name).ratio()
            word_ratio = max(
                (difflib.SequenceMatcher(None, query, word).ratio() for word in words), default=0
            )
            best = max(best, ratio, word_ratio * 0.9)
    return best


def rank(query: str, candidates: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, float]]:
    """(id, label, score) of the plausible candidates, best first, ties by id.

    `candidates` are (id, label, searchKey); `query` is already folded.
    """
    scored = [(node_id, label, score(query, keys)) for node_id, label, keys in candidates]
    plausible = [hit for hit in scored if hit[2] >= MIN_SCORE]
    plausible.sort(key=lambda hit: (-hit[2], hit[0]))
    return plausible
