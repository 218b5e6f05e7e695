"""Full-text search for the embedded store: SQLite FTS5 with a trigram tokenizer.

LadybugDB's own full-text extension is downloaded at run time and cannot be had
offline, so the embedded store keeps this index beside the graph, written in the
same write path under the same lock. It is derived data: when it is missing or
out of step it is rebuilt from the graph.

Why trigrams: a query is split into trigrams and matched with OR, so a typo costs
a few trigrams instead of the whole match; candidates are then ranked by
`graph.ranking`, as on every store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from peacegraph.graph import ranking
from peacegraph.graph.text import fold

_SCHEMA = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS node_text USING fts5("
    "id UNINDEXED, label UNINDEXED, keys, tokenize = 'trigram')"
)
MAX_CANDIDATES = ranking.MAX_CANDIDATES


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
        return ranking.rank(query, (row for row in rows if not wanted or row[1] in wanted))

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
