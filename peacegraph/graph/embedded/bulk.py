"""Bulk load for the embedded store: LadybugDB's `COPY ... FROM` CSV files.

Why: UNWIND + MERGE writes relationships one index probe at a time (minutes for a
million); COPY builds the tables' columns and adjacency lists directly. COPY only
appends, so this path is for empty stores and new ids: everything that can be
checked (validation, ids new, relationship ends present, no relationship twice)
is checked before the first COPY.

Transactions: a load of up to TRANSACTION_ROWS records is one transaction, so a
failure changes nothing. A larger one commits every TRANSACTION_ROWS records or
so: LadybugDB keeps a transaction's new pages in its buffer pool, and a million
relationships with their provenance overflow a 512 MiB pool in one transaction
(measured: "buffer pool is full"); with the default 384 MiB pool, transactions of
250k relationships committed but their checkpoints failed for want of room. After
the checks, what is left to fail there is the machine (disk, memory), and the
error says how far it got.

Why CSV files rather than DataFrames: they need no pandas or pyarrow. Every text
value is quoted and backslash-escaped (an unquoted empty field is NULL, a quoted
one is ''), and the files are read serially because quoted values may hold
newlines. List columns travel as one text column split again by the COPY
statement (see `queries.LIST_SEPARATOR`); the rare list holding that separator is
set by a plain UNWIND afterwards. Files are written in a worker thread one chunk
ahead of the COPY that reads them, so Python's formatting and LadybugDB's parsing
overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from peacegraph.graph import validation
from peacegraph.graph.convert import node_row, rel_row
from peacegraph.graph.embedded import native_memory
from peacegraph.graph.embedded import queries as q
from peacegraph.graph.errors import Conflict, Invalid, NotFound, PeaceGraphError
from peacegraph.graph.model import NODE_PROPS, REL_PROPS, Label, PropType, RelType, label_of_id
from peacegraph.graph.records import Node, Relationship

if TYPE_CHECKING:
    from peacegraph.graph.embedded.store import EmbeddedStore

Progress = Callable[[int], None]
LOOKUP_BATCH = 2_000
CHUNK_ROWS = 100_000
TRANSACTION_ROWS = 100_000
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

    def note_pair(self, pair: RelGroup) -> None: ...


@dataclass
class _Job:
    """One COPY: a chunk of one label's nodes or of one (type, from, to) group."""

    label: Label | None = None
    group: RelGroup | None = None
    nodes: Sequence[Node] = ()
    relationships: Sequence[Relationship] = ()
    patches: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.relationships)


async def bulk_load(
    store: EmbeddedStore,
    nodes: Sequence[Node],
    relationships: Sequence[Relationship],
    progress: Progress | None = None,
) -> None:
    """Check everything, then COPY chunk by chunk, TRANSACTION_ROWS records a transaction."""
    validation.check_nodes(nodes)
    validation.check_relationships(relationships)
    groups = _group_relationships(relationships)
    await _check_nodes_are_new(store, nodes)
    await _check_ends_exist(store, nodes, relationships)
    jobs = _jobs(nodes, groups)
    done = 0
    with tempfile.TemporaryDirectory(prefix="peacegraph-bulk-") as folder:
        files = _Files(Path(folder), jobs)
        try:
            for number, batch in enumerate(_transactions(jobs)):
                async with store.transaction() as tx:
                    writes = cast(_Writes, tx)  # the embedded store's own transaction object
                    if number == 0:
                        await _check_relationships_are_new(writes, nodes, groups)
                    for job in batch:
                        await _copy(writes, job, await files.next())
                        _tell(progress, job.size)
                done += sum(job.size for job in batch)
                native_memory.trim()  # COPY's buffers, freed, back to the system
        except PeaceGraphError as error:
            if done:
                raise PeaceGraphError(
                    f"bulk load stopped after {done} of {len(nodes) + len(relationships)} "
                    f"records were committed: {error}"
                ) from error
            raise
        finally:
            await files.close()


async def _copy(writes: _Writes, job: _Job, path: Path) -> None:
    if job.label is not None:
        await writes.run(q.copy_nodes(job.label, str(path)), {})
        if job.patches:
            await writes.run(q.set_node_lists(job.label), {"rows": job.patches})
        for node in job.nodes:
            writes.indexed[node.id] = (node.id, node.label.value, node_row(node)["searchKey"])
    elif job.group is not None:
        writes.note_pair(job.group)
        await writes.run(q.copy_relationships(*job.group, str(path)), {})


def _jobs(nodes: Sequence[Node], groups: dict[RelGroup, list[Relationship]]) -> list[_Job]:
    """Nodes first (relationships need their ends), every table cut in CHUNK_ROWS chunks."""
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in nodes:
        by_label[node.label].append(node)
    jobs = [
        _Job(label=label, nodes=members[start : start + CHUNK_ROWS])
        for label, members in by_label.items()
        for start in range(0, len(members), CHUNK_ROWS)
    ]
    jobs += [
        _Job(group=group, relationships=rels[start : start + CHUNK_ROWS])
        for group, rels in groups.items()
        for start in range(0, len(rels), CHUNK_ROWS)
    ]
    return jobs


def _transactions(jobs: list[_Job]) -> list[list[_Job]]:
    batches: list[list[_Job]] = [[]]
    rows = 0
    for job in jobs:
        if batches[-1] and rows + job.size > TRANSACTION_ROWS:
            batches.append([])
            rows = 0
        batches[-1].append(job)
        rows += job.size
    return batches


class _Files:
    """Writes each job's CSV file in a worker thread, one job ahead of its COPY."""

    def __init__(self, folder: Path, jobs: list[_Job]) -> None:
        self._folder = folder
        self._jobs = iter(enumerate(jobs))
        self._ahead: asyncio.Task[Path] | None = self._start()

    def _start(self) -> asyncio.Task[Path] | None:
        number, job = next(self._jobs, (0, None))
        if job is None:
            return None
        path = self._folder / f"{number:04d}.csv"
        return asyncio.create_task(asyncio.to_thread(_write_file, path, job))

    async def next(self) -> Path:
        assert self._ahead is not None, "more COPY statements than files"
        path = await self._ahead
        self._ahead = self._start()
        return path

    async def close(self) -> None:
        if self._ahead is not None:  # a thread cannot be cancelled: let it finish its file
            with contextlib.suppress(OSError):
                await self._ahead


def _tell(progress: Progress | None, count: int) -> None:
    if progress is not None:
        progress(count)


def _group_relationships(
    relationships: Sequence[Relationship],
) -> dict[RelGroup, list[Relationship]]:
    """Relationships by (type, from label, to label); the same one twice is refused."""
    groups: dict[RelGroup, list[Relationship]] = defaultdict(list)
    seen: set[tuple[str, RelType, str]] = set()
    for index, rel in enumerate(relationships):
        key = (rel.source, rel.type, rel.target)
        if key in seen:
            field = f"relationships[{index}]"
            raise Invalid(f"{field}: {' '.join(rel.key)} appears twice", field=field)
        seen.add(key)
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
    """One non-null CSV field as LadybugDB reads it: text quoted and backslash-escaped."""
    if isinstance(value, str):
        text = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _field(str(value))


def _line(row: dict[str, Any], columns: tuple[str, ...]) -> str:
    """A CSV line; NULL is an empty unquoted field (most columns, so tested first)."""
    values = [row[column] for column in columns]
    return ",".join(["" if v is None else _field(v) for v in values]) + "\n"


def _travels_in_csv(items: list[str]) -> bool:
    """Whether a list survives join-then-split ([''] would come back as [''] or [])."""
    return items != [""] and not any(q.LIST_SEPARATOR in item for item in items)


def _node_line(node: Node, patches: list[dict[str, Any]]) -> str:
    """A node's CSV line; lists that cannot travel in it go to `patches` instead."""
    row = node_row(node)
    if all(_travels_in_csv(row[name]) for name in _LISTS):
        for name in _LISTS:
            row[name] = q.LIST_SEPARATOR.join(row[name]) if row[name] else None
    else:
        patches.append({"id": node.id, **{name: row[name] for name in _LISTS}})
        for name in _LISTS:
            row[name] = None
    return _line(row, _NODE_COLUMNS)


def _write_file(path: Path, job: _Job) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        if job.label is not None:
            out.writelines(_node_line(node, job.patches) for node in job.nodes)
        else:
            out.writelines(_line(rel_row(rel), _REL_COLUMNS) for rel in job.relationships)
    return path
