"""Full-text search for the embedded store: SQLite FTS5 with a trigram tokenizer.

LadybugDB's own full-text extension is downloaded at run time and cannot be had
offline, so the embedded store keeps this index beside the graph, written in the
same write path under the same lock. It is derived data: when it is missing or
out of step it is rebuilt from the graph.

Why trigrams: a query is split into trigrams and matched with OR, so a typo costs
a few trigrams instead of the whole match; candidates are then ranked by how
closely the folded query matches the best name or alias.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from peacegraph.graph.text import fold

_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS node_text USING fts5("
    "id UNINDEXED, label UNINDEXED, keys, tokenize = 'trigram')"
)
MAX_CANDIDATES = 300
#: Below this a candidate shares trigrams but is not a plausible spelling of the query.
MIN_SCORE = 0.6


class SearchIndex:
    """A small FTS5 database of node ids and their folded names and aliases."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        row = self._db.execute("SELECT count(*) FROM node_text").fetchone()
        return int(row[0])

    def replace(self, entries: Iterable[tuple[str, str, str]], deleted: Iterable[str]) -> None:
        """Put (id, label, searchKey) entries and drop deleted ids, atomically."""
        rows = list(entries)
        gone = [(node_id,) for node_id in deleted] + [(node_id,) for node_id, _, _ in rows]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM node_text WHERE id = ?", gone)
            self._db.executemany("INSERT INTO node_text(id, label, keys) VALUES (?, ?, ?)", rows)

    def clear(self) -> None:
        self._db.execute("DELETE FROM node_text")

    def search(self, text: str, labels: Iterable[str]) -> list[tuple[str, str, float]]:
        """(id, label, score) of the best matches, best first, at most MAX_CANDIDATES."""
        query = fold(text)
        if not query:
            return []
        wanted = set(labels)
        rows = self._candidates(query)
        scored = [
            (node_id, label, _score(query, keys))
            for node_id, label, keys in rows
            if not wanted or label in wanted
        ]
        scored = [hit for hit in scored if hit[2] >= MIN_SCORE]
        scored.sort(key=lambda hit: (-hit[2], hit[0]))
        return scored

    def _candidates(self, query: str) -> list[tuple[str, str, str]]:
        grams = {query[i : i + 3] for i in range(len(query) - 2)}
        if not grams:
            pattern = f"%{query}%"
            cursor = self._db.execute(
                "SELECT id, label, keys FROM node_text WHERE keys LIKE ? LIMIT ?",
                (pattern, MAX_CANDIDATES),
            )
            return [(str(a), str(b), str(c)) for a, b, c in cursor]
        match = " OR ".join('"' + gram.replace('"', '""') + '"' for gram in sorted(grams))
        cursor = self._db.execute(
            "SELECT id, label, keys FROM node_text WHERE node_text MATCH ? ORDER BY rank LIMIT ?",
            (match, MAX_CANDIDATES),
        )
        return [(str(a), str(b), str(c)) for a, b, c in cursor]


def _score(query: str, keys: str) -> float:
    """How well `query` matches the best of the ` | `-separated folded names (0..1.5)."""
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
