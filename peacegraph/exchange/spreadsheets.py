"""Import files other than canonical JSON: a CSV folder or file, an XLSX workbook, GraphML.

Each is read whole into the rows of `tables`, which turn them into one canonical
document checked by `validate_document`: the same records, the same checks and the
same write (`dump.write_validated`) as a JSON import. A refusal is one `Invalid`
naming the place in the file (a sheet, row and column, or a GraphML node's key).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import networkx as nx
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from peacegraph.exchange import tables
from peacegraph.exchange.dump import Validated
from peacegraph.exchange.reading import read_bytes
from peacegraph.graph.errors import Invalid

#: What `import` reads besides canonical JSON, by the file's ending.
SUFFIXES = (".csv", ".xlsx", ".graphml")
NODES_CSV = "nodes.csv"
EDGES_CSV = "edges.csv"
_DELIMITERS = (",", ";", "\t")


def handles(path: Path) -> bool:
    """Whether `path` is read here: a spreadsheet, GraphML, or a folder of CSV files."""
    return path.suffix.lower() in SUFFIXES or (path.is_dir() and (path / NODES_CSV).is_file())


def load(path: Path) -> Validated:
    """The checked records of a CSV folder or file, an XLSX workbook or a GraphML file."""
    suffix = path.suffix.lower()
    if path.is_dir():
        return _from_sheets(_csv_folder(path))
    if suffix == ".xlsx":
        return _from_sheets(_workbook(path))
    if suffix == ".graphml":
        return _graphml(path)
    return _from_sheets({"": _csv_sheet(read_bytes(path), f"file {path.name}")})


def _from_sheets(sheets: dict[str, tables.Sheet]) -> Validated:
    """Nodes from the sheet named `nodes` (or the only or first one), edges from `edges`."""
    collector = tables.Collector()
    nodes = sheets.get("nodes") or next(iter(sheets.values()), None)
    if nodes is None:
        raise Invalid("has no sheet", field="FILE")
    if tables.is_partner_list(nodes):
        tables.add_partner_list(collector, nodes)
    else:
        tables.add_nodes(collector, nodes)
    edges = sheets.get("edges")
    if edges is not None:
        tables.add_relationships(collector, edges)
    return collector.validated()


def _csv_folder(folder: Path) -> dict[str, tables.Sheet]:
    sheets = {"nodes": _csv_sheet(read_bytes(folder / NODES_CSV), f"file {NODES_CSV}")}
    if (folder / EDGES_CSV).exists():
        sheets["edges"] = _csv_sheet(read_bytes(folder / EDGES_CSV), f"file {EDGES_CSV}")
    return sheets


def _decode(data: bytes, place: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise Invalid(f"{place}: is a zip or XLSX file, not CSV text", field="FILE")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Invalid(f"{place}: is UTF-16 text; save it as CSV UTF-8", field="FILE")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise Invalid(
            f"{place}, line {line}: byte 0x{data[error.start]:02x} is not UTF-8 "
            "(save it as CSV UTF-8)",
            field="FILE",
        ) from None


def _csv_sheet(data: bytes, place: str) -> tables.Sheet:
    """A CSV text as a sheet: comma-separated, or semicolons as a French Excel saves it."""
    text = _decode(data, place)
    first = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [[cell or None for cell in record] for record in reader]
    except csv.Error as error:
        raise Invalid(f"{place}, row {reader.line_num}: not CSV ({error})", field="FILE") from None
    if not records:
        raise Invalid(f"{place}: is empty", field="FILE")
    header = [str(cell or "") for cell in records[0]]
    rows = [(number, record) for number, record in enumerate(records[1:], start=2)]
    return tables.Sheet(place, header, rows)


def _workbook(path: Path) -> dict[str, tables.Sheet]:
    read_bytes(path)  # the same refusals as for any import file: missing, a folder, too big
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Invalid(f"is not an XLSX workbook ({error})", field="FILE") from None
    try:
        sheets: dict[str, tables.Sheet] = {}
        for sheet in book.worksheets:
            values = [list(row) for row in sheet.iter_rows(values_only=True)]
            header = [str(c).strip() if c is not None else "" for c in (values or [[]])[0]]
            rows = list(enumerate(values[1:], start=2))
            key = sheet.title.strip().lower()
            sheets[key] = tables.Sheet(f"sheet {sheet.title!r}", header, rows)
    finally:
        book.close()
    return sheets


def _graphml(path: Path) -> Validated:
    """A GraphML file as `export --format graphml` writes it."""
    read_bytes(path)
    try:
        graph = nx.read_graphml(path, force_multigraph=True, edge_key_type=str)
    except (ParseError, nx.NetworkXError, ValueError, KeyError) as error:
        raise Invalid(f"is not GraphML ({error})", field="FILE") from None
    collector = tables.Collector()
    for node_id, data in graph.nodes(data=True):
        place = f"node {node_id!r}"
        cells = {"id": ("id", node_id), **{k: (k, v) for k, v in data.items()}}
        record, columns = tables.read_record(place, tables.node_record, cells)
        collector.add_node(record, tables.Origin(place, columns))
    for source, target, key, data in graph.edges(keys=True, data=True):
        place = f"edge {key!r}"
        cells = {
            "source": ("source", source),
            "target": ("target", target),
            **{k: (k, v) for k, v in data.items() if k != "id"},
        }
        record, columns = tables.read_record(place, tables.relationship_record, cells)
        collector.add_relationship(record, tables.Origin(place, columns))
    return collector.validated()
