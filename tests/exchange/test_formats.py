"""Exports for Gephi, Kumu, Excel and Cytoscape, and spreadsheets and GraphML imported back.

Round trips go through the Store protocol on every backend (export from a seeded
store, import into a second empty one, compare canonical JSON) and through the CLI.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from openpyxl import Workbook

from peacegraph.app.cli import main
from peacegraph.exchange import canonical, formats, spreadsheets
from peacegraph.exchange.dump import export_document, read_graph, write_validated
from peacegraph.graph.errors import Invalid
from peacegraph.graph.store import Store
from tests.conftest import StoreOpener
from tests.support.http import client_for, graphql

GEXF = {"g": "http://gexf.net/1.3"}


async def test_graphml_and_gexf_open_in_networkx_with_labels_and_numbers(
    seeded_copy: Store, tmp_path: Path
) -> None:
    nodes, rels, _ = await read_graph(seeded_copy)
    graphml = tmp_path / "graph.graphml"
    graphml.write_text(formats.to_graphml(nodes, rels), encoding="utf-8")
    gexf = tmp_path / "graph.gexf"
    gexf.write_text(formats.to_gexf(nodes, rels), encoding="utf-8")
    campaign = "event:2023-08-11-campagne-rss-bamako"
    for graph in (nx.read_graphml(graphml), nx.read_gexf(gexf, version="1.3")):
        assert graph.number_of_nodes() == len(nodes)
        assert graph.number_of_edges() == len(rels)
        cedeao = graph.nodes["org:cedeao"]
        assert (cedeao["label"], cedeao["type"], cedeao["kind"]) == (
            "CEDEAO",
            "Organization",
            "intergovernmental",
        )
        assert "Id" not in cedeao and "Label" not in cedeao
        event = graph.nodes[campaign]
        assert type(event["participants"]) is int and event["participants"] == 115
        assert type(event["womenShare"]) is float
        assert event["source_1_document"] == "source:wanep-mali-2023-q3"
        assert all(not str(v).startswith("[{") for v in event.values())


async def test_gexf_is_dynamic_with_dates_for_the_timeline(seeded_copy: Store) -> None:
    nodes, rels, _ = await read_graph(seeded_copy)
    root = ET.fromstring(formats.to_gexf(nodes, rels).split("\n", 1)[1])
    assert root.get("version") == "1.3"
    graph = root.find("g:graph", GEXF)
    assert graph is not None
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    by_id = {n.get("id"): n for n in graph.findall("g:nodes/g:node", GEXF)}
    event = by_id["event:2023-08-11-campagne-rss-bamako"]
    assert (event.get("start"), event.get("end")) == ("2023-08-11", "2023-08-11")
    dated = {n.id: n for n in nodes if n.props.get("startDate")}
    open_ended = next(
        n for n in dated.values() if n.label.value == "Programme" and not n.get("endDate")
    )
    assert by_id[open_ended.id].get("start") == open_ended.get("dateFrom")
    assert by_id[open_ended.id].get("end") is None
    undated = next(n for n in nodes if not n.props.get("startDate"))
    assert by_id[undated.id].get("start") is None
    dated_rels = [r for r in rels if r.props.get("dateFrom")]
    edges = {e.get("id"): e for e in graph.findall("g:edges/g:edge", GEXF)}
    assert dated_rels
    for rel in dated_rels:
        assert edges["|".join(rel.key)].get("start") == rel.props["dateFrom"]
    assert {e.get("label") for e in edges.values()} >= {"PARTNER_OF", "HELD_AT"}
    types = {a.get("title"): a.get("type") for a in graph.findall("g:attributes/g:attribute", GEXF)}
    assert (types["participants"], types["womenShare"], types["type"]) == (
        "long",
        "double",
        "string",
    )


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


async def test_csv_follows_gephi_and_kumu(seeded_copy: Store) -> None:
    nodes, rels, _ = await read_graph(seeded_copy)
    files = formats.to_csv(nodes, rels)
    assert set(files) == {"nodes.csv", "edges.csv"}
    node_rows = _csv_rows(files["nodes.csv"])
    edge_rows = _csv_rows(files["edges.csv"])
    assert node_rows[0][:4] == ["Id", "Label", "Type", "Kind"]
    assert edge_rows[0][:5] == ["Id", "Source", "Target", "Type", "Label"]
    assert {"source_1_document", "source_1_section", "source_1_quote"} <= set(node_rows[0])
    assert "source_2_quote" in node_rows[0] and "sources" not in node_rows[0]
    assert len(node_rows) == len(nodes) + 1 and len(edge_rows) == len(rels) + 1
    cedeao_row = next(r for r in node_rows if r[0] == "org:cedeao")
    cedeao = dict(zip(node_rows[0], cedeao_row, strict=True))
    assert (cedeao["Label"], cedeao["Type"]) == ("CEDEAO", "Organization")
    assert "ECOWAS | " in cedeao["aliases"]
    edge = dict(zip(edge_rows[0], edge_rows[1], strict=True))
    assert edge["Type"] == "Directed" and edge["Label"] in {t.type.value for t in rels}
    assert not any(cell.startswith("[{") for row in node_rows + edge_rows for cell in row)


async def test_cytoscape_is_the_apis_network_elements(seeded_copy: Store) -> None:
    nodes, rels, _ = await read_graph(seeded_copy)
    exported = json.loads(formats.to_cytoscape(nodes, rels))["elements"]
    async with client_for(seeded_copy) as client:
        body = await graphql(client, '{ network(seeds: ["org:cedeao"], depth: 2) { elements } }')
    assert "errors" not in body, body
    api: dict[str, list[dict[str, Any]]] = body["data"]["network"]["elements"]
    assert set(exported) == set(api) == {"nodes", "edges"}
    for group in ("nodes", "edges"):
        by_id = {e["data"]["id"]: e for e in exported[group]}
        assert api[group]
        for element in api[group]:
            assert by_id[element["data"]["id"]] == element


def _xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


async def _round_trip(seeded: Store, second: Store, path: Path) -> None:
    await write_validated(second, spreadsheets.load(path))
    assert canonical.dumps(await export_document(second)) == canonical.dumps(
        await export_document(seeded)
    )


@pytest.mark.parametrize("shape", ["csv", "xlsx", "graphml"])
async def test_an_export_imports_into_an_empty_store_as_the_same_graph(
    shape: str, seeded_copy: Store, open_second_store: StoreOpener, tmp_path: Path
) -> None:
    nodes, rels, _ = await read_graph(seeded_copy)
    path = tmp_path / f"graph.{shape}"
    if shape == "csv":
        path.mkdir()
        for name, text in formats.to_csv(nodes, rels).items():
            (path / name).write_text(text, encoding="utf-8")
    elif shape == "xlsx":
        path.write_bytes(formats.to_xlsx(nodes, rels))
    else:
        path.write_text(formats.to_graphml(nodes, rels), encoding="utf-8")
    async with open_second_store() as second:
        await _round_trip(seeded_copy, second, path)


def _export(data: Path, *extra: str) -> str:
    out = data.parent / f"{data.name}-export.json"
    assert main(["export", "--data-dir", str(data), "--out", str(out), *extra]) == 0
    return out.read_text(encoding="utf-8")


def test_csv_and_xlsx_exports_reimport_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    assert main(["seed", "load", "--quiet", "--init", "--data-dir", str(first)]) == 0
    original = _export(first)
    for fmt, out in (("csv", tmp_path / "csv"), ("xlsx", tmp_path / "graph.xlsx")):
        assert main(["export", "--format", fmt, "--data-dir", str(first), "--out", str(out)]) == 0
        again = tmp_path / f"again-{fmt}"
        assert main(["import", str(out), "--quiet", "--init", "--data-dir", str(again)]) == 0
        assert _export(again) == original, fmt
    assert "imported 153 nodes" in capsys.readouterr().out


PARTNERS: list[list[Any]] = [
    ["Label", "Type", "Kind", "Partner", "Since", "Quote", "Section", "Document"],
    ["WANEP-Mali", "Organization", "national secretariat", None, None, "WANEP-Mali", "Intro", "r"],
    ["Cordaid", "Organization", "ngo", "WANEP-Mali", "2021-01", "avec Cordaid", "JFA", "r"],
    ["FBA", "Organization", "academy", "WANEP-Mali", 2022, "la FBA", "Formations", "r"],
    ["DRC", "Organization", "ngo", "WANEP-Mali", "2023-09-05", "DRC", "Partenaires", "r"],
    ["Atelier", "Event", "workshop", None, None, "atelier", "Activités", "r"],
    ["Mopti", "Place", "region", None, None, "Mopti", "Activités", "r"],
]


async def test_a_partner_list_becomes_nodes_and_dated_partnerships_with_sources(
    store: Store, tmp_path: Path
) -> None:
    path = _xlsx(tmp_path / "partners.xlsx", {"Partenaires": PARTNERS})
    await write_validated(store, spreadsheets.load(path))
    document = await export_document(store)
    ids = [n["id"] for n in document["nodes"]]
    assert ids == sorted(
        ["org:wanep-mali", "org:cordaid", "org:fba", "org:drc", "event:atelier", "place:mopti"]
    )
    partnerships = {(r["from"], r["to"]): r for r in document["relationships"]}
    assert set(partnerships) == {(f"org:{n}", "org:wanep-mali") for n in ("cordaid", "fba", "drc")}
    fba = partnerships[("org:fba", "org:wanep-mali")]
    assert fba["type"] == "PARTNER_OF"
    assert fba["props"] == {
        "startDate": "2022",
        "startPrecision": "year",
        "dateFrom": "2022-01-01",
        "dateTo": "2022-12-31",
    }
    assert fba["sources"] == [{"document": "r", "section": "Formations", "quote": "la FBA"}]


def _nodes_sheet(bad_row: int, bad_date: str) -> list[list[Any]]:
    rows: list[list[Any]] = [["Id", "Label", "Type", "Kind", "startDate"]]
    for number in range(2, 10):
        date = bad_date if number == bad_row else f"2023-0{number}"
        rows.append([f"org:o{number}", f"Org {number}", "Organization", "ngo", date])
    return rows


def test_a_bad_date_in_row_7_is_refused_naming_sheet_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["seed", "load", "--quiet", "--init", "--data-dir", str(data)]) == 0
    before = _export(data)
    path = _xlsx(tmp_path / "partners.xlsx", {"nodes": _nodes_sheet(7, "2023-13-45")})
    capsys.readouterr()
    assert main(["import", str(path), "--quiet", "--data-dir", str(data)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"peacegraph: error: {path}: sheet 'nodes', row 7, column startDate: "
        "'2023-13-45' is not a real date (month must be in 1..12)"
    ]
    assert _export(data) == before


async def test_a_bad_sheet_writes_nothing_to_the_store(store: Store, tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "partners.xlsx", {"nodes": _nodes_sheet(7, "2023-13-45")})
    with pytest.raises(Invalid, match=r"^sheet 'nodes', row 7, column startDate: "):
        await write_validated(store, spreadsheets.load(path))
    assert sum((await store.count_by_label()).values()) == 0


BAD_SHEETS: list[tuple[str, dict[str, list[list[Any]]], str]] = [
    (
        "unknown_column",
        {"nodes": [["Id", "Label", "Type", "Colour"], ["org:a", "A", "Organization", "red"]]},
        "sheet 'nodes', row 1, column Colour: unknown column",
    ),
    (
        "unknown_type",
        {"nodes": [["Label", "Type"], ["A", "Organization"], ["B", "Company"]]},
        "sheet 'nodes', row 3, column Type: 'Company' is not a node type",
    ),
    (
        "not_a_number",
        {"nodes": [["Label", "Type", "participants"], ["A", "Event", "many"]]},
        "sheet 'nodes', row 2, column participants: 'many' is not a number",
    ),
    (
        "half_a_source",
        {"nodes": [["Label", "Type", "source_1_quote"], ["A", "Organization", "q"]]},
        "sheet 'nodes', row 2, column source_1_document: source 1 has no document",
    ),
    (
        "duplicate_id",
        {"nodes": [["Label", "Type"], ["A", "Organization"], ["a", "Organization"]]},
        "sheet 'nodes', row 3, column Label: 'org:a' appears twice",
    ),
    (
        "dangling_edge",
        {
            "nodes": [["Label", "Type"], ["A", "Organization"]],
            "edges": [["Source", "Target", "Label"], ["org:a", "org:b", "PARTNER_OF"]],
        },
        "sheet 'edges', row 2, column Target: 'org:b' is not among the document's nodes",
    ),
    (
        "wrong_ends",
        {
            "nodes": [["Label", "Type"], ["A", "Organization"], ["B", "Place"]],
            "edges": [["Source", "Target", "Label"], ["org:a", "place:b", "PARTNER_OF"]],
        },
        "sheet 'edges', row 2, column Label: PARTNER_OF cannot join Organization to Place",
    ),
    (
        "unknown_partner",
        {"Sheet1": [PARTNERS[0], ["A", "Organization", "ngo", "Nobody", "2020", "q", "s", "d"]]},
        "sheet 'Sheet1', row 2, column Partner: 'Nobody' is not the Label of any row",
    ),
    (
        "bad_since",
        {"Sheet1": [*PARTNERS[:3], ["B", "Organization", "ngo", "Cordaid", "2023-02-30"]]},
        "sheet 'Sheet1', row 4, column Since: '2023-02-30' is not a real date",
    ),
]


@pytest.mark.parametrize("bad", BAD_SHEETS, ids=[b[0] for b in BAD_SHEETS])
def test_a_bad_sheet_names_where(
    bad: tuple[str, dict[str, list[list[Any]]], str], tmp_path: Path
) -> None:
    _, sheets, says = bad
    with pytest.raises(Invalid) as caught:
        spreadsheets.load(_xlsx(tmp_path / "bad.xlsx", sheets))
    assert str(caught.value).startswith(says), str(caught.value)


def test_csv_files_from_french_excel_and_bad_encodings(tmp_path: Path) -> None:
    semicolons = tmp_path / "partners.csv"
    text = "\ufeffLabel;Type;Kind\nCoopération;Organization;ngo\n"
    semicolons.write_text(text, encoding="utf-8")
    nodes, _, _ = spreadsheets.load(semicolons)
    assert [(n.id, n.name) for n in nodes] == [("org:cooperation", "Coopération")]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Label,Type\nCoopération,Organization\n".encode("latin-1"))
    with pytest.raises(Invalid, match=r"file latin.csv, line 2: byte 0xe9 is not UTF-8"):
        spreadsheets.load(latin)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    with pytest.raises(Invalid, match="is not an XLSX workbook"):
        spreadsheets.load(broken)


def test_a_csv_export_needs_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["export", "--format", "csv", "--data-dir", str(tmp_path)]) == 2
    assert "--out FOLDER" in capsys.readouterr().err
