"""`peacegraph import` through the one write path: an existing id is refused unless
`--mode merge`, and bad dates from the shared table are refused (issue 22)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from peacegraph.app.cli import main
from peacegraph.exchange import canonical
from tests.support.bad_dates import BAD_DATES, BadDate
from tests.support.neo4j_server import Neo4jServers


@dataclass(frozen=True)
class CliStore:
    """A seeded store the CLI is pointed at: its options, and its environment for Neo4j."""

    args: tuple[str, ...]
    env: dict[str, str]
    folder: Path


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def seeded_store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    neo4j_servers: Neo4jServers,
) -> CliStore:
    folder = tmp_path_factory.mktemp("cli-import")
    if request.param == "embedded":
        store = CliStore(("--store", "embedded", "--data-dir", str(folder / "data")), {}, folder)
        init: tuple[str, ...] = ("--init",)
    else:
        server = neo4j_servers.get("scratch")
        server.clear()
        env = {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": "unused"}
        store, init = CliStore(("--store", "neo4j"), env, folder), ()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in store.env.items():
            patch.setenv(name, value)
        assert main(["seed", "load", "--quiet", *init, *store.args]) == 0
    return store


@pytest.fixture
def seeded(seeded_store: CliStore, monkeypatch: pytest.MonkeyPatch) -> CliStore:
    """The seeded store, with its environment set for this test only."""
    for name, value in seeded_store.env.items():
        monkeypatch.setenv(name, value)
    return seeded_store


def export(store: CliStore) -> str:
    out = store.folder / "export.json"
    assert main(["export", *store.args, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def document(tmp_path: Path, props: dict[str, Any]) -> Path:
    node = {"id": "org:cordaid", "label": "Organization", "name": "Overwritten"}
    path = tmp_path / "cordaid.json"
    path.write_text(
        canonical.dumps(
            {
                "format": "peacegraph",
                "version": 1,
                "nodes": [{**node, "props": props, "sources": []}],
                "relationships": [],
            }
        ),
        encoding="utf-8",
    )
    return path


def cordaid(exported: str) -> dict[str, Any]:
    nodes = json.loads(exported)["nodes"]
    return dict(next(n for n in nodes if n["id"] == "org:cordaid"))


def test_an_existing_id_is_refused_then_merged_with_mode_merge(
    seeded: CliStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = export(seeded)
    path = document(tmp_path, {"version": 1})
    capsys.readouterr()
    assert main(["import", str(path), "--quiet", *seeded.args]) == 2
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert line.startswith(f"peacegraph: error: {path}: nodes: org:cordaid already exist")
    assert export(seeded) == before

    merge = ["import", str(path), "--quiet", "--mode", "merge", *seeded.args]
    assert main(merge) == 0
    after = cordaid(export(seeded))
    assert after["name"] == "Overwritten" and after["props"]["version"] == 2
    assert cordaid(before)["name"] in after["props"]["aliases"]
    exported = json.loads(export(seeded))
    [entry] = [e for e in exported["audit"] if e["target"] == "org:cordaid"]
    assert (entry["mutation"], entry["actor"], entry["mode"]) == (
        "import",
        "peacegraph import",
        "merge",
    )
    assert entry["before"]["nodes"] == [cordaid(before)]
    # The file still says version 1: the store is at 2, so it is stale now.
    assert main(merge) == 2
    assert "version 2, not 1" in capsys.readouterr().err


@pytest.mark.parametrize("bad", BAD_DATES, ids=str)
def test_peacegraph_import_refuses_a_bad_date(
    seeded: CliStore, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: BadDate
) -> None:
    before = export(seeded)
    path = document(tmp_path, bad.props())
    capsys.readouterr()
    command = ["import", str(path), "--quiet", "--mode", "merge", *seeded.args]
    assert main(command) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"peacegraph: error: {path}: nodes[0].{bad.prop}: ")
    assert export(seeded) == before
