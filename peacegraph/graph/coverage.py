"""Do the numbered, frozen migrations create what the model declares?

Migrations are text that never changes once released (`graph/migration.py`), and the
model (`graph/model.py`) is the declaration everything else is derived from; this
module reads what the migrations of each store create and names what the declaration
needs that no migration creates yet, with the statements of the migration to add.
`python -m peacegraph.graph.coverage` prints those migrations, ready to save.

The embedded store needs a node table per label with every node property as a column,
in `NODE_PROPS` order (its bulk load copies columns by position) and an ordered index
on ids; a relationship table per type holding every declared pair of labels and every
relationship property. Neo4j needs a uniqueness constraint on each label's ids (it
needs no columns; the `Entity` label's indexes cover every kind).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from peacegraph.graph import model
from peacegraph.graph.embedded.migrations import MIGRATIONS as EMBEDDED
from peacegraph.graph.migration import Migration
from peacegraph.graph.neo4j.migrations import MIGRATIONS as NEO4J

_NODE_TABLE = re.compile(r"CREATE NODE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*)\)", re.S)
_REL_TABLE = re.compile(r"CREATE REL TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*)\)", re.S)
_ADD_PAIR = re.compile(r"ALTER TABLE (\w+) ADD (?:IF NOT EXISTS )?FROM (\w+) TO (\w+)")
_ADD_COLUMN = re.compile(r"ALTER TABLE (\w+) ADD (?:IF NOT EXISTS )?(\w+) (\S+)")
_ID_INDEX = re.compile(r"CREATE ART INDEX (\w+) FOR \(n:(\w+)\) ON \(n\.id\)")
_ID_CONSTRAINT = re.compile(
    r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.id IS UNIQUE"
)
_PAIR = re.compile(r"FROM (\w+) TO (\w+)")


@dataclass
class EmbeddedSchema:
    """What the embedded migrations create: tables with their columns in order."""

    nodes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    rels: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    pairs: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    id_indexes: set[str] = field(default_factory=set)


def _items(body: str) -> list[str]:
    return [item.strip() for item in body.split(",") if item.strip()]


def _column(item: str) -> tuple[str, str]:
    name, kind, *_ = item.split()
    return name, kind


def embedded_schema(migrations: Iterable[Migration] = EMBEDDED) -> EmbeddedSchema:
    """Replays the statements the coverage cares about; others (drops of the hash
    index, record tables) change nothing the model declares."""
    schema = EmbeddedSchema()
    for migration in migrations:
        for statement in migration.statements:
            _apply(schema, statement)
    return schema


def _apply(schema: EmbeddedSchema, statement: str) -> None:
    if match := _NODE_TABLE.fullmatch(statement):
        schema.nodes[match[1]] = [_column(item) for item in _items(match[2])]
    elif match := _REL_TABLE.fullmatch(statement):
        items = _items(match[2])
        pairs = [_PAIR.fullmatch(item) for item in items]
        schema.pairs[match[1]] = {(p[1], p[2]) for p in pairs if p}
        schema.rels[match[1]] = [_column(i) for i, p in zip(items, pairs, strict=True) if not p]
    elif match := _ADD_PAIR.fullmatch(statement):
        schema.pairs.setdefault(match[1], set()).add((match[2], match[3]))
    elif match := _ADD_COLUMN.fullmatch(statement):
        table = schema.nodes.get(match[1], schema.rels.get(match[1]))
        if table is not None and match[2] not in dict(table):
            table.append((match[2], match[3]))
    elif match := _ID_INDEX.fullmatch(statement):
        schema.id_indexes.add(match[2])


def neo4j_constrained(migrations: Iterable[Migration] = NEO4J) -> set[str]:
    """Labels whose ids a Neo4j migration makes unique."""
    return {
        match[2]
        for migration in migrations
        for statement in migration.statements
        if (match := _ID_CONSTRAINT.fullmatch(statement))
    }


@dataclass(frozen=True)
class Declaration:
    """The parts of the model the stores' schemas are made from (the model by
    default; a test passes a larger one to see what a new kind would need)."""

    labels: tuple[str, ...] = tuple(label.value for label in model.Label)
    node_props: tuple[model.Prop, ...] = model.NODE_PROPS
    rel_props: tuple[model.Prop, ...] = model.REL_PROPS
    endpoints: Mapping[str, tuple[tuple[str, str], ...]] = field(
        default_factory=lambda: {
            t.value: tuple((a.value, b.value) for a, b in pairs)
            for t, pairs in model.ENDPOINTS.items()
        }
    )


def _columns(props: Iterable[model.Prop]) -> list[tuple[str, str]]:
    return [(p.name, p.type.value) for p in props]


def embedded_gaps(
    declared: Declaration | None = None, schema: EmbeddedSchema | None = None
) -> list[tuple[str, str]]:
    """(what is missing, the statement that creates it), in the order to run them."""
    declared = declared or Declaration()
    schema = schema or embedded_schema()
    gaps: list[tuple[str, str]] = []
    wanted = _columns(declared.node_props)
    for label in declared.labels:
        gaps.extend(_node_gaps(label, wanted, schema))
    rel_columns = _columns(declared.rel_props)
    for rel_type, pairs in declared.endpoints.items():
        gaps.extend(_rel_gaps(rel_type, pairs, rel_columns, schema))
    return gaps


def _node_gaps(
    label: str, wanted: list[tuple[str, str]], schema: EmbeddedSchema
) -> list[tuple[str, str]]:
    gaps: list[tuple[str, str]] = []
    have = schema.nodes.get(label)
    if have is None:
        rest = ", ".join(f"{name} {kind}" for name, kind in wanted[1:])
        statement = f"CREATE NODE TABLE IF NOT EXISTS {label}(id STRING PRIMARY KEY, {rest})"
        gaps.append((f"node table {label}", statement))
        have = list(wanted)
    for name, kind in wanted[len(have) :]:
        gaps.append(
            (f"column {label}.{name}", f"ALTER TABLE {label} ADD IF NOT EXISTS {name} {kind}")
        )
    if have[: len(wanted)] != wanted[: len(have)]:
        gaps.append((f"columns of {label} in NODE_PROPS order (found {have})", ""))
    if label not in schema.id_indexes:
        index = f"{label.lower()}_id"
        gaps.append((f"ordered id index of {label}", f"DROP INDEX IF EXISTS {label}._PK"))
        gaps.append((f"ordered id index of {label}", f"DROP INDEX IF EXISTS {label}.{index}"))
        statement = f"CREATE ART INDEX {index} FOR (n:{label}) ON (n.id)"
        gaps.append((f"ordered id index of {label}", statement))
    return gaps


def _rel_gaps(
    rel_type: str,
    pairs: tuple[tuple[str, str], ...],
    wanted: list[tuple[str, str]],
    schema: EmbeddedSchema,
) -> list[tuple[str, str]]:
    have = schema.pairs.get(rel_type)
    if have is None:
        ends = ", ".join(f"FROM {a} TO {b}" for a, b in pairs)
        columns = ", ".join(f"{name} {kind}" for name, kind in wanted)
        return [
            (
                f"relationship table {rel_type}",
                f"CREATE REL TABLE IF NOT EXISTS {rel_type}({ends}, {columns})",
            )
        ]
    gaps = [
        (f"pair {a}-[{rel_type}]->{b}", f"ALTER TABLE {rel_type} ADD IF NOT EXISTS FROM {a} TO {b}")
        for a, b in pairs
        if (a, b) not in have
    ]
    have_columns = dict(schema.rels.get(rel_type, []))
    gaps.extend(
        (f"column {rel_type}.{name}", f"ALTER TABLE {rel_type} ADD IF NOT EXISTS {name} {kind}")
        for name, kind in wanted
        if name not in have_columns
    )
    return gaps


def neo4j_gaps(
    declared: Declaration | None = None, constrained: set[str] | None = None
) -> list[tuple[str, str]]:
    declared = declared or Declaration()
    have = neo4j_constrained() if constrained is None else constrained
    return [
        (
            f"id constraint of {label}",
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE",
        )
        for label in declared.labels
        if label not in have
    ]


def draft(gaps: list[tuple[str, str]], description: str) -> str:
    """The text of the migration file that fills `gaps`."""
    body = "".join(f"{statement};\n" for _, statement in gaps if statement)
    return f"// {description}\n{body}"


def report(declared: Declaration | None = None) -> str:
    """What each store's migrations still lack, with the file to add; empty when none."""
    parts: list[str] = []
    for store, gaps, existing in (
        ("embedded", embedded_gaps(declared), EMBEDDED),
        ("neo4j", neo4j_gaps(declared), NEO4J),
    ):
        if not gaps:
            continue
        number = len(existing) + 1
        missing = "; ".join(dict.fromkeys(what for what, _ in gaps))
        parts.append(
            f"peacegraph/graph/{store}/migrations/{number:03d}_<name>.cypher is missing "
            f"(the model declares {missing}); it would read:\n"
            + draft(gaps, "what the model declares since migration " + f"{number - 1:03d}")
        )
    return "\n".join(parts)


if __name__ == "__main__":
    print(report() or "The migrations of both stores create everything the model declares.")
