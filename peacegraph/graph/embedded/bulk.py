"""Bulk load for the embedded store: LadybugDB's `COPY ... FROM` a CSV file per table.

Why: UNWIND + MERGE writes relationships one index probe at a time (minutes for a
million); COPY builds the tables' columns and adjacency lists directly (about a
second for a million, DESIGN.md). COPY only appends, so this path is for empty
stores and new ids: everything is checked before the first COPY, and all the
COPY statements run in one transaction, so a refused load changes nothing.

Why CSV files rather than DataFrames: they need no pandas or pyarrow. Every text
value is quoted and backslash-escaped (an unquoted empty field is NULL, a quoted
one is ''), and the files are read serially because quoted values may hold
newlines. List columns travel as one text column split again by the COPY
statement (see `queries.LIST_SEPARATOR`); the rare list holding that separator is
set by a plain UNWIND afterwards.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from peacegraph.graph import validation
from peacegraph.graph.convert import node_row, rel_row
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.errors import Conflict, Invalid, NotFound
from peacegraph.graph.model import NODE_PROPS, REL_PROPS, Label, PropType, RelType, label_of_id
from peacegraph.graph.records import Node, Relationship

if TYPE_CHECKING:
    from peacegraph.graph.embedded.store import EmbeddedStore

Progress = Callable[[int], None]
LOOKUP_BATCH = 2_000
_LISTS = tuple(p.name for p in NODE_PROPS if p.type is PropType.STRING_LIST)
_NODE_COLUMNS = tuple(p.name for p in NODE_PROPS)
_REL_COLUMNS = ("s", "d", *(p.name for p in REL_PROPS))
RelGroup = tuple[RelType, Label, Label]


class _Writes(Protocol):
    """What bulk load needs of the embedded store's transaction object.

    Its search-index entries (`indexed`) are written after COMMIT by the store's
    own transaction path, so the SQLite index stays in step with the graph.
    """

    indexed: dict[str, tuple[str, str, str]]

    async def run(self, statement: str, parameters: dict[str, Any]) -> list[dict[str, Any]]: ...


async def bulk_load(
    store: EmbeddedStore,
    nodes: Sequence[Node],
    relationships: Sequence[Relationship],
    progress: Progress | None = None,
) -> None:
    """Check, then COPY every label's nodes and every group's relationships in one transaction."""
    validation.check_nodes(nodes)
    validation.check_relationships(relationships)
    groups = _group_relationships(relationships)
    await _check_nodes_are_new(store, nodes)
    await _check_ends_exist(store, nodes, relationships)
    with tempfile.TemporaryDirectory(prefix="peacegraph-bulk-") as folder:
        node_files, patches = await asyncio.to_thread(_write_node_files, Path(folder), nodes)
        rel_files = await asyncio.to_thread(_write_rel_files, Path(folder), groups)
        async with store.transaction() as tx:
            writes = cast(_Writes, tx)  # the embedded store's own transaction object
            await _check_relationships_are_new(writes, nodes, groups)
            for label, (path, count) in node_files.items():
                await writes.run(q.copy_nodes(label, str(path)), {})
                _tell(progress, count)
            for label, rows in patches.items():
                await writes.run(q.set_node_lists(label), {"rows": rows})
            for (rel_type, source, target), (path, count) in rel_files.items():
                await writes.run(q.copy_relationships(rel_type, source, target, str(path)), {})
                _tell(progress, count)
            for node in nodes:
                writes.indexed[node.id] = (node.id, node.label.value, node_row(node)["searchKey"])


def _tell(progress: Progress | None, count: int) -> None:
    if progress is not None:
        progress(count)


def _group_relationships(
    relationships: Sequence[Relationship],
) -> dict[RelGroup, list[Relationship]]:
    """Relationships by (type, from label, to label); the same one twice is refused."""
    groups: dict[RelGroup, list[Relationship]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for index, rel in enumerate(relationships):
        if rel.key in seen:
            field = f"relationships[{index}]"
            raise Invalid(f"{field}: {' '.join(rel.key)} appears twice", field=field)
        seen.add(rel.key)
        source, target = label_of_id(rel.source), label_of_id(rel.target)
        assert source is not None and target is not None  # validated above
        groups[(rel.type, source, target)].append(rel)
    return groups


async def _existing(store: EmbeddedStore, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_BATCH):
        found.update(await store.get_nodes(wanted[start : start + LOOKUP_BATCH]))
    return found


async def _check_nodes_are_new(store: EmbeddedStore, nodes: Sequence[Node]) -> None:
    """COPY cannot update: an id already stored is a Conflict (labels still empty are skipped)."""
    counts = await store.count_by_label()
    clashes = await _existing(store, (n.id for n in nodes if counts[n.label] > 0))
    if clashes:
        shown = ", ".join(sorted(clashes)[:5])
        raise Conflict(f"bulk load is for new ids; {len(clashes)} already exist: {shown}")


async def _check_ends_exist(
    store: EmbeddedStore, nodes: Sequence[Node], relationships: Sequence[Relationship]
) -> None:
    loaded = {n.id for n in nodes}
    ends = {r.source for r in relationships} | {r.target for r in relationships}
    outside = ends - loaded
    missing = sorted(outside - await _existing(store, outside)) if outside else []
    if missing:
        raise NotFound(f"relationship end not found: {', '.join(missing[:5])}")


async def _check_relationships_are_new(
    writes: _Writes, nodes: Sequence[Node], groups: dict[RelGroup, list[Relationship]]
) -> None:
    """A relationship between two stored nodes may exist already: COPY would double it."""
    loaded = {n.id for n in nodes}
    for (rel_type, source, target), rels in groups.items():
        rows = [
            {"s": r.source, "d": r.target}
            for r in rels
            if r.source not in loaded and r.target not in loaded
        ]
        if not rows:
            continue
        found = await writes.run(q.existing_relationships(rel_type, source, target), {"rows": rows})
        if found:
            first = found[0]
            raise Conflict(
                f"bulk load is for new relationships; {first['s']} {rel_type.value} "
                f"{first['d']} already exists"
            )


def _field(value: object) -> str:
    """One CSV field as LadybugDB reads it: NULL empty, text quoted and escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _line(values: Iterable[object]) -> str:
    return ",".join(_field(v) for v in values) + "\n"


def _travels_in_csv(items: list[str]) -> bool:
    """Whether a list survives join-then-split ([''] would come back as [''] or [])."""
    return items != [""] and not any(q.LIST_SEPARATOR in item for item in items)


def _write_node_files(
    folder: Path, nodes: Sequence[Node]
) -> tuple[dict[Label, tuple[Path, int]], dict[Label, list[dict[str, Any]]]]:
    """One CSV per label; lists that cannot travel in it are returned as patches."""
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in nodes:
        by_label[node.label].append(node)
    files: dict[Label, tuple[Path, int]] = {}
    patches: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    for label, members in by_label.items():
        path = folder / f"{label.value}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            for node in members:
                row = node_row(node)
                if all(_travels_in_csv(row[name]) for name in _LISTS):
                    for name in _LISTS:
                        row[name] = q.LIST_SEPARATOR.join(row[name]) if row[name] else None
                else:
                    patches[label].append({"id": node.id, **{n: row[n] for n in _LISTS}})
                    for name in _LISTS:
                        row[name] = None
                out.write(_line(row[column] for column in _NODE_COLUMNS))
        files[label] = (path, len(members))
    return files, dict(patches)


def _write_rel_files(
    folder: Path, groups: dict[RelGroup, list[Relationship]]
) -> dict[RelGroup, tuple[Path, int]]:
    files: dict[RelGroup, tuple[Path, int]] = {}
    for (rel_type, source, target), rels in groups.items():
        path = folder / f"{rel_type.value}-{source.value}-{target.value}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            for rel in rels:
                row = rel_row(rel)
                out.write(_line(row[column] for column in _REL_COLUMNS))
        files[(rel_type, source, target)] = (path, len(rels))
    return files
