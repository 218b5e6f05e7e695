"""Bad import files, one table of them, each through the `peacegraph import` command.

Every one must end with exit code 2 and exactly one line on stderr that names the
file and what is wrong, and must leave the store as it was: an export before and
after is byte-identical.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from peacegraph.app.cli import main
from peacegraph.exchange import reading
from tests.app.test_cli import run
from tests.support.neo4j_server import Neo4jServers

SOURCE = {"document": "source:report", "section": "Intro", "quote": "a quote"}


def good() -> dict[str, Any]:
    """A small valid canonical document: three nodes, two relationships."""
    return {
        "format": "peacegraph",
        "version": 1,
        "nodes": [
            {
                "id": "org:alpha",
                "label": "Organization",
                "name": "Alpha",
                "props": {"kind": "ngo", "participants": 3},
                "sources": [dict(SOURCE)],
            },
            {
                "id": "event:beta",
                "label": "Event",
                "name": "Béta",
                "props": {
                    "startDate": "2023-09",
                    "startPrecision": "month",
                    "dateFrom": "2023-09-01",
                    "dateTo": "2023-09-30",
                },
                "sources": [dict(SOURCE)],
            },
            {"id": "place:gamma", "label": "Place", "name": "Gamma", "props": {}, "sources": []},
        ],
        "relationships": [
            {
                "type": "ORGANIZED",
                "from": "org:alpha",
                "to": "event:beta",
                "props": {},
                "sources": [dict(SOURCE)],
            },
            {
                "type": "HELD_AT",
                "from": "event:beta",
                "to": "place:gamma",
                "props": {},
                "sources": [dict(SOURCE)],
            },
        ],
        "audit": [],
    }


def text(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def changed(change: Callable[[dict[str, Any]], None]) -> bytes:
    """The good document with one change made to it."""
    document = copy.deepcopy(good())
    change(document)
    return text(document)


def node(index: int, **props: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["nodes"][index]["props"].update(props)

    return change


def set_at(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return change


def delete_at(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]

    return change


def append_copy(key: str, index: int) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document[key].append(copy.deepcopy(document[key][index]))

    return change


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_prop(depth: int) -> bytes:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return changed(node(0, kind=value))


@dataclass(frozen=True)
class Bad:
    name: str
    content: bytes | None  # None: the path is a directory
    says: str


BAD = [
    Bad("binary", bytes(range(256)) * 8, "is binary, not JSON"),
    Bad("gzip", gzip.compress(text(good())), "is gzip-compressed"),
    Bad("utf16_bom", json.dumps(good()).encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
    Bad("utf16_no_bom", json.dumps(good()).encode("utf-16-le"), "is UTF-16 or UTF-32 text"),
    Bad("utf32_bom", json.dumps(good()).encode("utf-32"), "is UTF-32 text"),
    Bad("latin1", json.dumps(good(), ensure_ascii=False).encode("latin-1"), "is not UTF-8"),
    Bad("empty", b"", "is empty"),
    Bad("blank", b"  \n\t\n", "is empty"),
    Bad("truncated", text(good())[:100], "line 1 column 101: not JSON ("),
    Bad("trailing_garbage", text(good()) + b" {}", "not JSON (Extra data)"),
    Bad("top_list", b"[]", "top level: must be an object with format 'peacegraph', not a list"),
    Bad("top_string", b'"peacegraph"', "top level: must be an object"),
    Bad("top_number", b"42", "not a number"),
    Bad("nested_100k", nested(100_000), "nested deeper than 32 levels"),
    Bad("nested_500", nested(500), "nested deeper than 32 levels"),
    Bad("deep_prop", deep_prop(40), "nested deeper than 32 levels"),
    Bad("directory", None, "is a directory, not a file"),
    Bad("nan", text(good()).replace(b'"participants": 3', b'"participants": NaN'), "NaN is not"),
    Bad("huge_number", text(good()).replace(b": 3", b": " + b"7" * 5000), "not JSON (Exceeds"),
    Bad(
        "duplicate_key",
        text(good()).replace(b'"kind": "ngo"', b'"kind": "ngo", "kind": "x"'),
        "the key 'kind' appears twice in one object",
    ),
    Bad("surrogate", text(good()).replace(b"Alpha", b"Al\\ud800pha"), "unpaired surrogate"),
    Bad("format", changed(set_at(("format",), "neo4j")), "format: 'neo4j' is not 'peacegraph'"),
    Bad("no_format", changed(delete_at(("format",))), "format: None is not 'peacegraph'"),
    Bad("version", changed(set_at(("version",), 2)), "version: 2 is not 1"),
    Bad("version_bool", changed(set_at(("version",), True)), "version: True is not 1"),
    Bad("top_unknown_key", changed(set_at(("edges",), [])), "edges: unknown key"),
    Bad("nodes_number", changed(set_at(("nodes",), 3)), "nodes: must be a list, not a number"),
    Bad("nodes_object", changed(set_at(("nodes",), {})), "nodes: must be a list, not an object"),
    Bad("rels_string", changed(set_at(("relationships",), "x")), "relationships: must be a list"),
    Bad("audit_object", changed(set_at(("audit",), {})), "audit: must be a list"),
    Bad("audit_entry", changed(set_at(("audit",), [{"id": 1}])), "audit[0]: needs id and at"),
    Bad("node_string", changed(set_at(("nodes", 1), "event:beta")), "nodes[1]: must be an object"),
    Bad("node_unknown_key", changed(set_at(("nodes", 0, "lable"), "x")), "nodes[0].lable: unknown"),
    Bad(
        "unknown_label",
        changed(set_at(("nodes", 0, "label"), "Company")),
        "nodes[0].label: unknown label 'Company'",
    ),
    Bad(
        "unknown_type",
        changed(set_at(("relationships", 0, "type"), "LIKES")),
        "relationships[0].type: unknown type 'LIKES'",
    ),
    Bad("id_not_text", changed(set_at(("nodes", 0, "id"), 7)), "nodes[0].id: must be text"),
    Bad(
        "id_prefix",
        changed(set_at(("nodes", 0, "id"), "company:alpha")),
        "nodes[0].id: 'company:alpha' must look like 'org:slug'",
    ),
    Bad(
        "id_label_mismatch",
        changed(set_at(("nodes", 0, "label"), "Person")),
        "nodes[0].id: prefix of 'org:alpha' does not match label Person",
    ),
    Bad("empty_name", changed(set_at(("nodes", 2, "name"), " ")), "nodes[2].name: must not be"),
    Bad("null_byte", changed(set_at(("nodes", 2, "name"), "a\x00b")), "contains a null byte"),
    Bad(
        "dangling",
        changed(set_at(("relationships", 1, "to"), "place:nowhere")),
        "relationships[1].to: 'place:nowhere' is not among the document's nodes",
    ),
    Bad(
        "wrong_ends",
        changed(set_at(("relationships", 1, "type"), "WITHIN")),
        "relationships[1].type: WITHIN cannot join Event to Place",
    ),
    Bad("duplicate_node", changed(append_copy("nodes", 2)), "nodes[3].id: 'place:gamma' appears"),
    Bad(
        "duplicate_relationship",
        changed(append_copy("relationships", 0)),
        "relationships[2]: ORGANIZED from 'org:alpha' to 'event:beta' appears twice "
        "(first at relationships[0])",
    ),
    Bad(
        "date_13_45",
        changed(node(1, startDate="2023-13-45")),
        "nodes[1].startDate: '2023-13-45' is not a real date",
    ),
    Bad(
        "date_zero",
        changed(node(1, startDate="0000-00-00")),
        "nodes[1].startDate: '0000-00-00' is not a real date",
    ),
    Bad(
        "date_words",
        changed(node(1, startDate="Sept 2023")),
        "nodes[1].startDate: 'Sept 2023' is not a date like 2023",
    ),
    Bad(
        "date_number",
        changed(node(1, startDate=2023)),
        "nodes[1].startDate: expected STRING, got int",
    ),
    Bad(
        "precision_century",
        changed(node(1, startPrecision="century")),
        "nodes[1].startPrecision: 'century' is not one of year, month, day",
    ),
    Bad(
        "precision_mismatch",
        changed(node(1, startPrecision="day")),
        "nodes[1].startPrecision: 'day' is not the precision of '2023-09'",
    ),
    Bad(
        "date_from_mismatch",
        changed(node(1, dateFrom="2022-01-01")),
        "nodes[1].dateFrom: '2022-01-01' does not match the dates given",
    ),
    Bad("date_to_partial", changed(node(1, dateTo="2023-09")), "nodes[1].dateTo: '2023-09' is not"),
    Bad(
        "end_before_start",
        changed(node(1, endDate="2023-08", endPrecision="month")),
        "nodes[1].endDate: '2023-08' is before the startDate '2023-09'",
    ),
    Bad(
        "rel_bad_date",
        changed(set_at(("relationships", 0, "props"), {"startDate": "2023-02-30"})),
        "relationships[0].startDate: '2023-02-30' is not a real date",
    ),
    Bad(
        "sources_missing", changed(delete_at(("nodes", 0, "sources"))), "nodes[0].sources: missing"
    ),
    Bad(
        "sources_string",
        changed(set_at(("nodes", 0, "sources"), "report")),
        "nodes[0].sources: must be a list",
    ),
    Bad(
        "source_no_quote",
        changed(delete_at(("relationships", 0, "sources", 0, "quote"))),
        "relationships[0].sources[0]: needs document, section and quote as text",
    ),
    Bad(
        "source_empty_quote",
        changed(set_at(("nodes", 0, "sources", 0, "quote"), "")),
        "nodes[0].sources[0].quote: must not be empty",
    ),
    Bad("unknown_prop", changed(node(0, colour="red")), "nodes[0].colour: unknown property"),
    Bad(
        "prop_type",
        changed(node(0, participants="many")),
        "nodes[0].participants: expected INT64, got str",
    ),
    Bad("negative_count", changed(node(0, participants=-1)), "nodes[0].participants: must not be"),
    Bad("int_64_bits", changed(node(0, participants=2**64)), "does not fit in 64 bits"),
    Bad(
        "float_infinite",
        text(good()).replace(b'"participants": 3', b'"value": 1e999'),
        "nodes[0].value: must be a finite number",
    ),
    Bad("props_list", changed(set_at(("nodes", 0, "props"), [])), "nodes[0].props: must be an"),
]


@dataclass(frozen=True)
class CliStore:
    """A store the CLI is pointed at (its options, and its environment for Neo4j),
    holding the good document, and that store's export."""

    args: tuple[str, ...]
    env: dict[str, str]
    before: bytes


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def cli_store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    neo4j_servers: Neo4jServers,
) -> CliStore:
    folder = tmp_path_factory.mktemp("bad-files")
    source = folder / "good.json"
    source.write_bytes(text(good()))
    if request.param == "embedded":
        args: tuple[str, ...] = ("--store", "embedded", "--data-dir", str(folder / "data"))
        env: dict[str, str] = {}
        init: tuple[str, ...] = ("--init",)
    else:
        server = neo4j_servers.get("scratch")
        server.clear()
        args, init = ("--store", "neo4j"), ()
        env = {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": "unused"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        assert main(["import", str(source), "--quiet", *init, *args]) == 0
        before = export(args, folder / "before.json")
    return CliStore(args, env, before)


@pytest.fixture
def on_store(cli_store: CliStore, monkeypatch: pytest.MonkeyPatch) -> CliStore:
    """The store, with its environment set for this test only."""
    for name, value in cli_store.env.items():
        monkeypatch.setenv(name, value)
    return cli_store


def export(args: tuple[str, ...], out: Path) -> bytes:
    assert main(["export", *args, "--out", str(out)]) == 0
    return out.read_bytes()


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_a_bad_file_is_one_line_exit_2_and_changes_nothing(
    bad: Bad, on_store: CliStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{bad.name}.json"
    if bad.content is None:
        path.mkdir()
    else:
        path.write_bytes(bad.content)
    capsys.readouterr()
    code = main(["import", str(path), "--quiet", *on_store.args])
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"peacegraph: error: {path}: "), lines[0]
    assert bad.says in lines[0]
    assert "Traceback" not in captured.err and captured.out == ""
    assert export(on_store.args, tmp_path / "after.json") == on_store.before


def test_the_corpus_is_large_and_names_each_case_once() -> None:
    assert len(BAD) >= 30
    assert len({b.name for b in BAD}) == len(BAD)


def test_a_missing_file_and_a_file_over_the_limit(
    on_store: CliStore,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    missing = tmp_path / "nope.json"
    assert main(["import", str(missing), *on_store.args]) == 2
    assert capsys.readouterr().err == f"peacegraph: error: {missing}: no such file\n"
    big = tmp_path / "big.json"
    big.write_bytes(text(good()))
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    assert main(["import", str(big), *on_store.args]) == 2
    assert "over the import limit of 100" in capsys.readouterr().err
    assert export(on_store.args, tmp_path / "after.json") == on_store.before


def test_utf8_with_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text(good()))
    assert main(["import", str(path), "--quiet", "--init", "--data-dir", str(tmp_path / "d")]) == 0
    assert "imported 3 nodes and 2 relationships" in capsys.readouterr().out


def test_as_a_user_runs_it_no_traceback(tmp_path: Path) -> None:
    """The real command in a subprocess, for the cases that once crashed it."""
    data = tmp_path / "data"
    for name, content in (("deep", nested(100_000)), ("list", b"[1]")):
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        result = run("import", str(path), "--init", "--data-dir", str(data))
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    result = run("import", str(tmp_path), "--init", "--data-dir", str(data))
    assert result.stderr == f"peacegraph: error: {tmp_path}: is a directory, not a file\n"
