"""Token, export and import commands on each store, through the console script's entry
point in this process (tests/support/cli.py): the same exit codes and output as a
subprocess, without a Python start-up per command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import run_main as run
from tests.support.neo4j_server import Neo4jServers

StoreEnv = Callable[[str], dict[str, str]]


@pytest.fixture(params=["embedded", "neo4j"])
def store_env(
    request: pytest.FixtureRequest, neo4j_servers: Neo4jServers, tmp_path: Path
) -> StoreEnv:
    """The environment that points the CLI at one of two fresh, empty stores ("one" or
    "two") of each backend: a data folder, or a Neo4j server emptied for the test."""
    if request.param == "embedded":
        return lambda name: {"PEACEGRAPH_DATA_DIR": str(tmp_path / name)}
    servers = {"one": neo4j_servers.get("scratch"), "two": neo4j_servers.get("second")}
    for server in servers.values():
        server.clear()
    return lambda name: {"NEO4J_URI": servers[name].uri, "NEO4J_PASSWORD": "unused"}


@pytest.fixture
def seeded_env(
    request: pytest.FixtureRequest, store_env: StoreEnv, neo4j_servers: Neo4jServers
) -> dict[str, str]:
    """The environment of a store holding the seed, only read from. On Neo4j it is the
    session's seeded server (`seeded_neo4j` in tests/conftest.py: seeded once, not per
    test; `seed load` through the CLI on Neo4j is in test_cli_import.py), on the
    embedded store "one", seeded here by `peacegraph seed load`."""
    if request.node.callspec.params["store_env"] == "neo4j":
        request.getfixturevalue("seeded_neo4j")
        return {"NEO4J_URI": neo4j_servers.get("shared").uri, "NEO4J_PASSWORD": "unused"}
    env = store_env("one")
    loaded = run("seed", "load", "--quiet", env=env)
    assert loaded.returncode == 0, loaded.stderr
    return env


def test_token_lifecycle_prints_the_secret_once(store_env: StoreEnv) -> None:
    env = store_env("one")
    created = run("token", "create", "--name", "ana", "--role", "editor", env=env)
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("pg_")
    # The secret part is URL-safe base64, which may itself contain "_".
    _, token_id, secret_part = secret.split("_", 2)
    listed = run("token", "list", env=env)
    assert token_id in listed.stdout and "editor" in listed.stdout
    assert secret not in listed.stdout and secret_part not in listed.stdout
    revoked = run("token", "revoke", token_id, env=env)
    assert revoked.returncode == 0
    assert run("token", "list", env=env).stdout.splitlines()[1].split()[3] != "-"
    unknown = run("token", "revoke", "nope", env=env)
    assert unknown.returncode == 1 and "token list" in unknown.stderr
    bad_role = run("token", "create", "--name", "x", "--role", "god", env=env)
    assert bad_role.returncode == 2


def test_export_import_round_trip_through_the_cli(
    seeded_env: dict[str, str], store_env: StoreEnv, tmp_path: Path
) -> None:
    first, second = seeded_env, store_env("two")
    out = tmp_path / "graph.json"
    assert run("export", "--format", "json", "--out", str(out), env=first).returncode == 0
    imported = run("import", str(out), "--quiet", env=second)
    assert imported.returncode == 0, imported.stderr
    again = run("export", "--format", "json", env=second)
    assert again.stdout == out.read_text(encoding="utf-8")
    for fmt in ("csv", "graphml", "gexf", "cytoscape"):
        result = run("export", "--format", fmt, "--out", str(tmp_path / fmt), env=first)
        assert result.returncode == 0, (fmt, result.stderr)


def test_importing_a_broken_file_names_the_problem(tmp_path: Path) -> None:
    env = {"PEACEGRAPH_DATA_DIR": str(tmp_path / "data")}
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "peacegraph",\n "version": 1,\n "nodes": [}', encoding="utf-8")
    result = run("import", str(broken), env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(f"peacegraph: error: {broken}: line 3 column 12: not JSON")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(
        json.dumps(
            {
                "format": "peacegraph",
                "version": 1,
                "nodes": [
                    {
                        "id": "org:a",
                        "label": "Organization",
                        "name": "A",
                        "props": {"participants": -1},
                        "sources": [],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = run("import", str(wrong), env=env)
    assert result.returncode == 2 and "nodes[0].participants" in result.stderr
