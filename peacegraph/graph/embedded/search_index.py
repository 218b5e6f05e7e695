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
#: Where each node's row of `node_text` is. An FTS5 table finds rows by their words
#: only: `DELETE … WHERE id = ?` read the whole table for every node, which made
#: writing the index quadratic (minutes for the 100k nodes of a bulk import).
_ROWS = "CREATE TABLE IF NOT EXISTS node_row (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)"
_DROP_TEXT = "DELETE FROM node_text WHERE rowid IN (SELECT n FROM node_row WHERE id = ?)"
_DROP_ROW = "DELETE FROM node_row WHERE id = ?"
_ADD_ROW = "INSERT INTO node_row(id) VALUES (?)"
_ADD_TEXT = (
    "INSERT INTO node_text(rowid, id, label, keys) SELECT n, ?, ?, ? FROM node_row WHERE id = ?"
)
MAX_CANDIDATES = ranking.MAX_CANDIDATES
#: Labels are given as one string "|Organization|Event|" (empty for any label).
_BY_TRIGRAMS = (
    "SELECT id, label, keys FROM node_text WHERE node_text MATCH :match "
    "AND (:labels = '' OR instr(:labels, '|' || label || '|') > 0) "
    "ORDER BY rank LIMIT :limit"
)
_BY_SUBSTRING = (
    "SELECT id, label, keys FROM node_text WHERE keys LIKE :pattern "
    "AND (:labels = '' OR instr(:labels, '|' || label || '|') > 0) LIMIT :limit"
)


class SearchIndex:
    """A small FTS5 database of node ids and their folded names and aliases."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute(_SCHEMA)
        self._db.execute(_ROWS)

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        """How many nodes the index holds, or -1 when its two tables disagree (an index
        written before `node_row` existed): the store then rebuilds it."""
        text = self._db.execute("SELECT count(*) FROM node_text").fetchone()[0]
        rows = self._db.execute("SELECT count(*) FROM node_row").fetchone()[0]
        return int(text) if text == rows else -1

    def replace(self, entries: Iterable[tuple[str, str, str]], deleted: Iterable[str]) -> None:
        """Put (id, label, searchKey) entries and drop deleted ids, atomically."""
        rows = list({entry[0]: entry for entry in entries}.values())  # an id once
        gone = [(node_id,) for node_id in deleted] + [(node_id,) for node_id, _, _ in rows]
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(_DROP_TEXT, gone)
            self._db.executemany(_DROP_ROW, gone)
            self._db.executemany(_ADD_ROW, ((node_id,) for node_id, _, _ in rows))
            self._db.executemany(_ADD_TEXT, ((*row, row[0]) for row in rows))

    def clear(self) -> None:
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM node_text")
            self._db.execute("DELETE FROM node_row")

    def search(self, text: str, labels: Iterable[str]) -> list[tuple[str, str, float]]:
        """(id, label, score) of the best matches, best first, at most MAX_CANDIDATES."""
        query = fold(text)
        if not query:
            return []
        return ranking.rank(query, self._candidates(query, sorted(set(labels))))

    def _candidates(self, query: str, labels: list[str]) -> list[tuple[str, str, str]]:
        """Nodes of `labels` (any when empty) sharing a trigram with `query`, best first."""
        params = {
            "labels": "|" + "|".join(labels) + "|" if labels else "",
            "limit": MAX_CANDIDATES,
        }
        grams = ranking.trigrams(query)
        if grams:
            statement = _BY_TRIGRAMS
            params["match"] = " OR ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
        else:
            statement = _BY_SUBSTRING
            params["pattern"] = f"%{query}%"
        cursor = self._db.execute(statement, params)
        return [(str(a), str(b), str(c)) for a, b, c in cursor]
