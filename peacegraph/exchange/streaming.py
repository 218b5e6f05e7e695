"""Writing the canonical JSON of a whole store in bounded memory, byte for byte as
`canonical.dumps(export_document(store))` writes it.

Why: holding a million relationships as records, then as one JSON text, took
several GiB and a minute with nothing shown (issue 24). Here each record becomes
its JSON text as soon as its page is read, and the records are put in canonical
order by an external merge sort: runs of RUN records are sorted in memory and
spilled to temporary files, then merged (`heapq.merge`), so memory holds one run
and a page, whatever the size of the graph.

The bytes: `json.dumps(document, sort_keys=True, indent=2)` writes the document's
keys in order (audit, format, nodes, relationships, version), and every list item
at depth two as its own dump indented by four spaces; JSON text never holds a raw
newline, so indenting an item's lines is exact.
"""

from __future__ import annotations

import heapq
import json
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from peacegraph.exchange.canonical import FORMAT, VERSION, node_to_json, relationship_to_json
from peacegraph.exchange.dump import AUDIT, PAGE, audit_entry
from peacegraph.graph.scanning import BATCH
from peacegraph.graph.store import Store

Progress = Callable[[int], None]
#: Records a run holds in memory before it is sorted and spilled (their JSON text,
#: about 0.5 KiB each for a relationship with one source).
RUN = 100_000
#: Nodes read from the store at a time. Larger than `dump.PAGE`: the embedded
#: store sorts a node table for every page, so fewer pages cost less.
EXPORT_PAGE = 20_000
#: Relationships read from the store at a time (`graph.scanning`).
EXPORT_BATCH = BATCH
#: Records written between two waits for the output to drain.
DRAIN_EVERY = 2_000
Key = tuple[str, ...]
Drain = Callable[[], Awaitable[None]]
_INDENT = "    "
_ORJSON = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def item_text(item: Any) -> str:
    """A list item of the document as `json.dumps(document, indent=2)` writes it.

    orjson writes the same text as `json.dumps(ensure_ascii=False, sort_keys=True,
    indent=2)` (floats in their shortest repr, the same escapes; tested on the seed
    and on synthetic graphs) ten times faster: the standard library's encoder falls
    back to pure Python as soon as it indents. What orjson refuses (an integer past
    64 bits) is written by the standard library."""
    try:
        text = orjson.dumps(item, option=_ORJSON).decode("utf-8")
    except orjson.JSONEncodeError:
        text = json.dumps(item, ensure_ascii=False, sort_keys=True, indent=2)
    return _INDENT + text.replace("\n", "\n" + _INDENT)


class _Sorter:
    """An external merge sort of (key, text) pairs: runs in memory, spilled to files."""

    def __init__(self, folder: Path, name: str) -> None:
        self._folder = folder
        self._name = name
        self._run: list[tuple[Key, str]] = []
        self._files: list[Path] = []

    def add(self, key: Key, text: str) -> None:
        self._run.append((key, text))
        if len(self._run) >= RUN:
            self._spill()

    def _spill(self) -> None:
        self._run.sort()
        path = self._folder / f"{self._name}-{len(self._files):05d}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            out.writelines(orjson.dumps(pair).decode("utf-8") + "\n" for pair in self._run)
        self._files.append(path)
        self._run = []

    def sorted_texts(self) -> Iterator[str]:
        if not self._files:
            yield from (text for _, text in sorted(self._run))
            return
        if self._run:
            self._spill()
        files = [path.open(encoding="utf-8") for path in self._files]
        try:
            merged = heapq.merge(*(_read(f) for f in files))
            yield from (text for _, text in merged)
        finally:
            for f in files:
                f.close()


def _read(lines: IO[str]) -> Iterator[tuple[Key, str]]:
    for line in lines:
        key, text = orjson.loads(line)
        yield tuple(key), text


async def _write_list(
    out: IO[str], key: str, texts: Iterator[str], drain: Drain, last: bool = False
) -> None:
    """`"key": [items]` as json.dumps writes it at depth one, with the comma after."""
    first = next(texts, None)
    if first is None:
        out.write(f'  "{key}": []')
    else:
        out.write(f'  "{key}": [\n{first}')
        for count, text in enumerate(texts, 1):
            out.write(",\n")
            out.write(text)
            if count % DRAIN_EVERY == 0:
                await drain()
        out.write("\n  ]")
    out.write("\n" if last else ",\n")


async def _nothing() -> None:
    return None


async def export_to(
    store: Store, out: IO[str], progress: Progress | None = None, drain: Drain = _nothing
) -> int:
    """Write the store's canonical JSON to `out`; returns how many records it holds.

    `progress` is told of each page read (nodes and relationships); the merge that
    writes them is quick next to the reads. `drain` is awaited every DRAIN_EVERY
    records written: a socket's writer (the admin socket) buffers until drained."""
    with tempfile.TemporaryDirectory(prefix="peacegraph-export-") as folder:
        nodes = _Sorter(Path(folder), "nodes")
        rels = _Sorter(Path(folder), "relationships")
        count = 0
        offset = 0
        while True:
            node_page = await store.all_nodes(offset=offset, limit=EXPORT_PAGE)
            for node in node_page.items:
                nodes.add((node.id,), item_text(node_to_json(node)))
            offset += len(node_page.items)
            _tell(progress, len(node_page.items))
            if not node_page.has_next or not node_page.items:
                break
        count += offset
        async for batch in store.relationship_batches(batch=EXPORT_BATCH):
            for rel in batch:
                rels.add(rel.key, item_text(relationship_to_json(rel)))
            count += len(batch)
            _tell(progress, len(batch))
        audit = await _audit(store)
        out.write("{\n")
        await _write_list(out, "audit", iter(item_text(e) for e in audit), drain)
        out.write(f'  "format": {json.dumps(FORMAT)},\n')
        await _write_list(out, "nodes", nodes.sorted_texts(), drain)
        await _write_list(out, "relationships", rels.sorted_texts(), drain)
        out.write(f'  "version": {json.dumps(VERSION)}\n}}\n')
    return count


async def _audit(store: Store) -> list[dict[str, Any]]:
    """The audit trail, in memory: entries are few next to the graph (an import that
    only creates brings its own trail or none)."""
    entries: list[dict[str, Any]] = []
    while True:
        page = await store.list_records(AUDIT, offset=len(entries), limit=PAGE)
        entries.extend(audit_entry(r) for r in page.items)
        if not page.has_next or not page.items:
            break
    return sorted(entries, key=lambda e: (str(e.get("at")), str(e.get("id"))))


async def total_records(store: Store) -> int:
    """Nodes and relationships in the store, for a progress bar's total."""
    labels = await store.count_by_label()
    types = await store.count_by_type()
    return sum(labels.values()) + sum(types.values())


def _tell(progress: Progress | None, count: int) -> None:
    if progress is not None and count:
        progress(count)
