"""Load a report's seed folder and check every rule of FORMAT.md before anything is written.

The seed is reviewed by hand, so its mistakes must be shown the way a reviewer can fix
them: file, line and field, all of them at once. `load_seed` parses every YAML file with
line numbers, checks shapes, ids, references, endpoints, dates, counts and every quote
against the report's own text, computes which paragraphs are covered, and only then
turns the data into the plain records (`Node`, `Relationship`) that the stores take.

Every node also gets a generated `MENTIONED_IN` relationship to the report's `Source`
node, carrying the node's first provenance: it lets a graph query go from any fact to
the document without parsing the `sources` property. Data files may not write
`MENTIONED_IN` themselves. The `searchKey` is left to the store, which computes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from peacegraph.graph import figures
from peacegraph.graph.dates import date_props, first_day, last_day
from peacegraph.graph.model import (
    ID_PREFIX,
    KIND,
    NODE_PROP_NAMES,
    NODE_PROPS,
    REL_PROP_NAMES,
    Label,
    RelType,
    allowed,
    label_of_id,
)
from peacegraph.graph.records import Node, PropValue, Provenance, Relationship
from peacegraph.seed.fields import (
    COUNTS,
    DOCUMENT,
    LISTS,
    SHARES,
    Item,
    as_prop,
    check_shape,
    check_sources,
    date_text,
)
from peacegraph.seed.problems import DOCUMENT_FILE, Problems
from peacegraph.seed.report import Block, Report, heading_text, normalize
from peacegraph.seed.yaml_lines import LineMapping, read_yaml

SEED_DIR = Path(__file__).resolve().parent
DATA_DIR = SEED_DIR / "data"
REPORTS_DIR = SEED_DIR / "reports"

CoverageStatus = Literal["cited", "explained", "missing"]


# -------------------------------------------------------------------- reading files


@dataclass
class _Seed:
    """Everything read from the folder, before it becomes records."""

    readable: bool = True
    document: Item | None = None
    nodes: list[Item] = field(default_factory=list)
    relationships: list[Item] = field(default_factory=list)
    commentary: list[Item] = field(default_factory=list)


def _read_folder(data_dir: Path, problems: Problems) -> _Seed:
    """Read report.yaml and every other *.yaml file, sorting entries by list."""
    seed = _Seed()
    paths = sorted(data_dir.glob("*.yaml"))
    if not (data_dir / DOCUMENT_FILE).is_file():
        problems.add(DOCUMENT_FILE, None, None, f"missing in {data_dir}")
    for path in paths:
        data = read_yaml(path, problems)
        if data is None:
            seed.readable = False
            continue
        if path.name == DOCUMENT_FILE:
            seed.document = _read_document(path.name, data, problems)
        else:
            _read_lists(path.name, data, seed, problems)
    return seed


def _read_document(file: str, data: LineMapping, problems: Problems) -> Item | None:
    for key in data:
        if key != "document":
            problems.add(file, data.line_of(key), key, "unknown key (report.yaml holds `document`)")
    document = data.get("document")
    if not isinstance(document, LineMapping):
        problems.add(file, data.line_of("document"), "document", "must be a mapping")
        return None
    item = Item(file, document)
    return item if check_shape(item, DOCUMENT, "document.", problems) else None


def _read_lists(file: str, data: LineMapping, seed: _Seed, problems: Problems) -> None:
    for key, entries in data.items():
        if key not in LISTS:
            problems.add(
                file, data.line_of(key), key, "unknown list (nodes, relationships, commentary)"
            )
            continue
        if not isinstance(entries, list):
            problems.add(file, data.line_of(key), key, "must be a list")
            continue
        for number, entry in enumerate(entries):
            _read_entry(file, key, number, entry, data.line_of(key), seed, problems)


def _read_entry(
    file: str, key: str, number: int, entry: Any, line: int, seed: _Seed, problems: Problems
) -> None:
    if not isinstance(entry, LineMapping):
        problems.add(file, line, f"{key}[{number}]", "must be a mapping")
        return
    shape_ok = check_shape(Item(file, entry), LISTS[key], "", problems)
    sources_ok = key == "commentary" or check_sources(Item(file, entry), problems)
    quotable = shape_ok if key == "commentary" else sources_ok
    target: list[Item] = getattr(seed, key)
    target.append(Item(file, entry, valid=shape_ok and sources_ok, quotable=quotable))


# ------------------------------------------------------------------ model checks

#: Properties only some kinds carry (`model.Prop.on`), by seed key.
_KIND_ONLY = {prop.name: prop.on for prop in NODE_PROPS if prop.on}
_PLACE_ONLY = ("latitude", "longitude", "geonames")


def _check_node(item: Item, problems: Problems) -> Label | None:
    """Label, id prefix and label-specific keys; returns the label when it is valid."""
    data = item.data
    try:
        label = Label(data["label"])
    except ValueError:
        problems.add(item.file, data.line_of("label"), "label", f"unknown label {data['label']!r}")
        return None
    if not KIND[label].seeded:
        message = f"{label.value} is not declared in node lists (see FORMAT.md)"
        problems.add(item.file, data.line_of("label"), "label", message)
        return None
    if label_of_id(data["id"]) is not label:
        expected = f"{ID_PREFIX[label]}:"
        problems.add(
            item.file, data.line_of("id"), "id", f"id of a {label.value} starts {expected}"
        )
    _check_label_keys(item, label, problems)
    _check_span(item, problems)
    return label


def _check_label_keys(item: Item, label: Label, problems: Problems) -> None:
    data = item.data
    for key, kinds in _KIND_ONLY.items():
        if key in data and label not in kinds:
            only = " and ".join(f"{kind.value.lower()}s" for kind in kinds)
            problems.add(item.file, data.line_of(key), key, f"only {only} carry it")
    for key in KIND[label].required:
        if key not in data:
            problems.add(item.file, data.line, key, f"a {label.value.lower()} needs {key}")
    for key in _PLACE_ONLY:
        if key in data and label is not Label.PLACE:
            problems.add(item.file, data.line_of(key), key, "only places carry coordinates")
    if ("latitude" in data) != ("longitude" in data):
        missing = "longitude" if "latitude" in data else "latitude"
        problems.add(item.file, data.line, missing, "give both latitude and longitude, or neither")
    if "approximate" in data:
        stated = [key for key in figures.APPROXIMABLE if key in data]
        problem = figures.check_approximate(data["approximate"], stated)
        if problem:
            problems.add(item.file, data.line_of("approximate"), "approximate", problem)
    participants = data.get("participants")
    for key in ("women", "youth", "disabled"):
        if participants is not None and data.get(key, 0) > participants:
            problems.add(item.file, data.line_of(key), key, "more than the participants")


def _check_span(item: Item, problems: Problems) -> None:
    """An end needs a start and is not before it (compared by the days they may mean)."""
    data = item.data
    if "end" not in data:
        return
    if "start" not in data:
        problems.add(item.file, data.line_of("end"), "end", "an end needs a start")
        return
    start, end = date_text(data["start"]), date_text(data["end"])
    if last_day(end) < first_day(start):
        problems.add(item.file, data.line_of("end"), "end", f"{end} is before the start {start}")


def _check_relationship(item: Item, labels: dict[str, Label | None], problems: Problems) -> None:
    """Type, both ends, the label pair, the programme reference and the dates."""
    data = item.data
    try:
        rel_type = RelType(data["type"])
    except ValueError:
        problems.add(item.file, data.line_of("type"), "type", f"unknown type {data['type']!r}")
        return
    if rel_type is RelType.MENTIONED_IN:
        problems.add(item.file, data.line_of("type"), "type", "MENTIONED_IN is generated")
        return
    ends = [_end_label(item, key, labels, problems) for key in ("from", "to")]
    source, target = ends
    if source and target and not allowed(rel_type, source, target):
        message = f"{rel_type.value} does not join {source.value} to {target.value}"
        problems.add(item.file, data.line_of("type"), "type", message)
    _check_programme(item, rel_type, labels, problems)
    _check_span(item, problems)


def _end_label(
    item: Item, key: str, labels: dict[str, Label | None], problems: Problems
) -> Label | None:
    """The label of a relationship end; a node that is itself broken resolves quietly."""
    node_id = item.data[key]
    if node_id not in labels:
        problems.add(item.file, item.data.line_of(key), key, f"unknown node {node_id!r}")
    return labels.get(node_id)


def _check_programme(
    item: Item, rel_type: RelType, labels: dict[str, Label | None], problems: Problems
) -> None:
    if "programme" not in item.data:
        return
    line, programme = item.data.line_of("programme"), item.data["programme"]
    if rel_type is not RelType.PARTNER_OF:
        problems.add(item.file, line, "programme", "only PARTNER_OF names a programme")
    elif programme not in labels:
        problems.add(item.file, line, "programme", f"unknown node {programme!r}")
    elif labels[programme] not in (Label.PROGRAMME, None):
        problems.add(item.file, line, "programme", f"{programme!r} is not a Programme")


def _index_ids(seed: _Seed, problems: Problems) -> dict[str, Label | None]:
    """Ids are unique across files; maps each defined id to its label (None when broken)."""
    labels: dict[str, Label | None] = {}
    first_seen: dict[str, str] = {}
    if seed.document is not None:
        first_seen[seed.document.data["id"]] = f"{seed.document.file}:{seed.document.data.line}"
    for item in seed.nodes:
        node_id = item.data.get("id")
        if not isinstance(node_id, str):
            continue
        if node_id in first_seen:
            message = f"duplicate id {node_id!r} (first defined at {first_seen[node_id]})"
            problems.add(item.file, item.data.line_of("id"), "id", message)
            continue
        first_seen[node_id] = f"{item.file}:{item.data.line}"
        labels[node_id] = _check_node(item, problems) if item.valid else None
    return labels


def _check_duplicate_relationships(seed: _Seed, problems: Problems) -> None:
    """A pair of nodes has at most one relationship of each type: add sources instead."""
    seen: dict[tuple[str, str, str], str] = {}
    for item in (item for item in seed.relationships if item.valid):
        key = (item.data["from"], item.data["type"], item.data["to"])
        if key in seen:
            message = f"{key[1]} {key[0]} -> {key[2]} already at {seen[key]}"
            problems.add(item.file, item.data.line, "type", message)
        seen.setdefault(key, f"{item.file}:{item.data.line}")


def _check_document(seed: _Seed, reports_dir: Path, problems: Problems) -> Report | None:
    """The document's id is a Source id and its text file exists; returns the report."""
    if seed.document is None:
        return None
    data = seed.document.data
    if label_of_id(data["id"]) is not Label.SOURCE:
        problems.add(DOCUMENT_FILE, data.line_of("id"), "document.id", "must start source:")
    _check_span(seed.document, problems)
    path = reports_dir / data["text"]
    if not path.is_file():
        problems.add(DOCUMENT_FILE, data.line_of("text"), "document.text", f"no file {path}")
        return None
    return Report.read(path)


# ------------------------------------------------------------------------ quotes


@dataclass
class _Citations:
    """Which facts cite which report blocks: the input of the coverage table."""

    facts: dict[int, set[int]] = field(default_factory=dict)
    explained: dict[int, str] = field(default_factory=dict)

    def cite(self, block: Block, fact: int) -> None:
        self.facts.setdefault(block.index, set()).add(fact)


def _check_quotes(seed: _Seed, report: Report, problems: Problems) -> _Citations:
    """Every quote is in one paragraph, after its section; commentary names one paragraph."""
    citations = _Citations()
    facts = [item for item in (*seed.nodes, *seed.relationships) if item.quotable]
    for fact, item in enumerate(facts):
        for number, source in enumerate(item.data["sources"]):
            _check_source(item.file, number, source, report, problems, citations, fact)
    for item in (item for item in seed.commentary if item.quotable):
        _check_commentary(item, report, problems, citations)
    return citations


def _check_source(
    file: str,
    number: int,
    source: LineMapping,
    report: Report,
    problems: Problems,
    citations: _Citations,
    fact: int,
) -> None:
    where = f"sources[{number}]."
    quote_line = source.line_of("quote")
    sections = report.headings_named(source["section"])
    if not sections:
        message = f"unknown section {source['section']!r}: not a heading of the report"
        problems.add(file, source.line_of("section"), where + "section", message)
    blocks = _quote_blocks(file, quote_line, where + "quote", source["quote"], report, problems)
    if not blocks or not sections:
        return
    after = [block for block in blocks if block.index >= sections[0].index]
    if not after:
        message = f"section {source['section']!r} comes after the quote in the report"
        problems.add(file, source.line_of("section"), where + "section", message)
        return
    citations.cite(after[0], fact)
    citations.cite(sections[0], fact)


def _quote_blocks(
    file: str, line: int, field_name: str, quote: str, report: Report, problems: Problems
) -> list[Block]:
    blocks = report.blocks_containing(quote)
    if blocks:
        return blocks
    shown = normalize(quote)
    if report.spans_blocks(quote):
        problems.add(file, line, field_name, f'quote spans paragraphs: "{shown}"')
    else:
        problems.add(file, line, field_name, f'quote not found in the report: "{shown}"')
    return []


def _check_commentary(
    item: Item, report: Report, problems: Problems, citations: _Citations
) -> None:
    line = item.data.line_of("quote")
    blocks = _quote_blocks(item.file, line, "quote", item.data["quote"], report, problems)
    if len(blocks) > 1:
        lines = ", ".join(str(block.line) for block in blocks)
        message = f"quote is in several paragraphs (lines {lines}): quote more to name one"
        problems.add(item.file, line, "quote", message)
    elif blocks:
        citations.explained[blocks[0].index] = item.data["reason"]


# ---------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class ParagraphCoverage:
    """How one paragraph of the report is accounted for in the seed."""

    line: int
    excerpt: str
    status: CoverageStatus
    count: int
    reason: str | None
    heading: bool = False


def _coverage(report: Report, citations: _Citations) -> list[ParagraphCoverage]:
    """One row per block: cited by facts, explained in commentary, or missing."""
    rows: list[ParagraphCoverage] = []
    for block in report.blocks:
        count = len(citations.facts.get(block.index, ()))
        reason = citations.explained.get(block.index)
        status: CoverageStatus = "cited" if count else "explained" if reason else "missing"
        rows.append(
            ParagraphCoverage(block.line, block.excerpt, status, count, reason, block.is_heading)
        )
    return rows


def _check_coverage(report: Report, rows: list[ParagraphCoverage], problems: Problems) -> None:
    for row in rows:
        if row.status == "missing":
            message = f'paragraph neither cited nor explained in commentary: "{row.excerpt}"'
            problems.add(report.name, row.line, None, message)


# ----------------------------------------------------------------------- records


def _dates(data: Mapping[str, Any], names: frozenset[str]) -> dict[str, PropValue]:
    """The store's date properties (graph.dates), kept to those the record type has."""
    start = date_text(data["start"]) if "start" in data else None
    end = date_text(data["end"]) if "end" in data else None
    props = date_props(start, end)
    return {name: value for name, value in props.items() if name in names and value is not None}


_NODE_TEXT = ("kind", "description", "note", "wikidata", "iati", "unit")


def _node_props(data: Mapping[str, Any]) -> dict[str, PropValue]:
    props: dict[str, PropValue] = {key: data[key] for key in _NODE_TEXT if key in data}
    for key in ("aliases", "themes"):
        if key in data:
            props[key] = [str(value) for value in data[key]]
    props.update({key: int(data[key]) for key in COUNTS if key in data})
    props.update({key: float(data[key]) for key in (*SHARES, "value") if key in data})
    props.update({key: float(data[key]) for key in ("latitude", "longitude") if key in data})
    if "geonames" in data:
        props["geonamesId"] = int(data["geonames"])
    props.update(_dates(data, NODE_PROP_NAMES))
    for key in _KIND_ONLY:  # a kind's own properties the lines above do not name
        if key in data and key not in props:
            props[key] = as_prop(key, data[key])
    return props


def _provenance(document_id: str, data: Mapping[str, Any]) -> tuple[Provenance, ...]:
    return tuple(
        Provenance(document_id, heading_text(source["section"]), normalize(source["quote"]))
        for source in data["sources"]
    )


def _node(document_id: str, data: Mapping[str, Any]) -> Node:
    label = Label(data["label"])
    return Node(label, data["id"], data["name"], _node_props(data), _provenance(document_id, data))


def _relationship(document_id: str, data: Mapping[str, Any]) -> Relationship:
    props: dict[str, PropValue] = {
        key: data[key] for key in ("role", "programme", "note") if key in data
    }
    if "count" in data:
        props["count"] = int(data["count"])
    props.update(_dates(data, REL_PROP_NAMES))
    return Relationship(
        RelType(data["type"]), data["from"], data["to"], props, _provenance(document_id, data)
    )


def _document(data: Mapping[str, Any]) -> Node:
    props = _dates(data, NODE_PROP_NAMES)
    if "description" in data:
        props["description"] = data["description"]
    return Node(Label.SOURCE, data["id"], data["name"], props)


def _mentioned_in(node: Node, document: Node) -> Relationship:
    return Relationship(RelType.MENTIONED_IN, node.id, document.id, {}, node.sources[:1])


@dataclass(frozen=True)
class SeedBundle:
    """A validated report seed, as records ready for a store.

    `nodes` holds the domain nodes; `document` is the report's Source node, kept apart
    because it has no provenance of its own (it *is* the provenance). `relationships`
    ends with one generated MENTIONED_IN per node.
    """

    document: Node
    nodes: list[Node]
    relationships: list[Relationship]
    coverage: list[ParagraphCoverage]

    @property
    def all_nodes(self) -> list[Node]:
        """The document first, then every domain node: what a store must write."""
        return [self.document, *self.nodes]


def load_seed(data_dir: Path, reports_dir: Path, *, require_coverage: bool = True) -> SeedBundle:
    """Read and validate a report's seed folder; raise one SeedError listing every problem.

    With `require_coverage=False`, paragraphs that nothing cites are not an error: the
    bundle's coverage table then shows them as "missing" (for `peacegraph seed check`).
    """
    problems = Problems()
    seed = _read_folder(data_dir, problems)
    if not seed.readable:
        problems.raise_if_any()  # a file that does not parse would make every id dangle
    report = _check_document(seed, reports_dir, problems)
    labels = _index_ids(seed, problems)
    for item in (item for item in seed.relationships if item.valid):
        _check_relationship(item, labels, problems)
    _check_duplicate_relationships(seed, problems)
    coverage: list[ParagraphCoverage] = []
    if report is not None:
        coverage = _coverage(report, _check_quotes(seed, report, problems))
        if require_coverage:
            _check_coverage(report, coverage, problems)
    problems.raise_if_any()
    assert seed.document is not None  # a missing document was reported above
    return _bundle(seed.document.data, seed, coverage)


def node_record(document_id: str, data: Mapping[str, Any]) -> Node:
    """A node entry in the seed's form, already checked, as the record a store takes
    (what a reviewed draft's facts are written as)."""
    return _node(document_id, data)


def relationship_record(document_id: str, data: Mapping[str, Any]) -> Relationship:
    """A relationship entry in the seed's form, already checked, as a record."""
    return _relationship(document_id, data)


def document_record(data: Mapping[str, Any]) -> Node:
    """A report.yaml `document` entry, already checked, as the report's Source node."""
    return _document(data)


def _bundle(
    document_data: LineMapping, seed: _Seed, coverage: list[ParagraphCoverage]
) -> SeedBundle:
    document = _document(document_data)
    nodes = [_node(document.id, item.data) for item in seed.nodes]
    relationships = [_relationship(document.id, item.data) for item in seed.relationships]
    relationships += [_mentioned_in(node, document) for node in nodes]
    return SeedBundle(document, nodes, relationships, coverage)
