"""The benchmark's quick mode runs in the test suite so the harness never rots.

It asserts nothing about timing (machines are shared and noisy): only that every
measure ran and both result files were written, to a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main
from tests.support.neo4j_server import Neo4jServers


def test_quick_benchmark_writes_its_results(tmp_path: Path) -> None:
    assert main(["--quick", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    assert [size["name"] for size in results["sizes"]] == ["seed", "300:1500"]
    for size in results["sizes"]:
        assert set(size["operations"]) == {"lookup", "search", "nested", "network", "path", "stats"}
        assert size["same_json"] is True
        assert size["throughput"]["graphql"]["failures"] == 0
        assert size["naive"]["naive"]["n"] == 1 and size["naive"]["speedup"] > 0
        assert size["load"]["disk_bytes"] > 0
        # Every size's view at equal answer size has the smallest's answer as budget.
        equal = size["network_equal"]
        assert equal["limit"] == results["sizes"][0]["network_answer"]["nodes"]
        assert 0 < equal["nodes"] <= equal["limit"]
        assert equal["graphql"]["median_ms"] > 0
        profile = size["network_profile"]
        assert profile["statements"] and profile["rows"] > 0
        # Every statement of the view is named by its kind: a new or changed
        # statement of the embedded store must be taught to bench/profile.py.
        assert all(
            "(" in s["what"] and not s["what"].startswith(("MATCH", "UNWIND", "WITH"))
            for s in profile["statements"]
        ), profile["statements"]
    assert len(results["bars"]) == 8
    # Bar 3 is the smallest and largest sizes' views taken in turns.
    in_turns = results["network_in_turns"]
    assert in_turns["smallest"]["median_ms"] > 0 and in_turns["largest"]["median_ms"] > 0
    bar_3 = next(bar for bar in results["bars"] if bar["bar"] == "3")
    assert bar_3["value"] == in_turns["ratio"]
    text = (tmp_path / "RESULTS.md").read_text()
    assert "## Profile: the network view, statement by statement" in text
    assert f"python -m bench --quick --out {tmp_path}" in text
    assert "## Bars" in text
    assert "At equal answer size" in text
    assert "Bar 3 is taken with the two views in turns" in text


def test_quick_benchmark_runs_on_neo4j(
    neo4j_servers: Neo4jServers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m bench --store neo4j` on a real server: every measure ran, answers were
    the same JSON through GraphQL and directly, and the Neo4j results file was written."""
    server = neo4j_servers.get("scratch")
    server.clear()
    monkeypatch.setenv("NEO4J_URI", server.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", "unused")
    assert main(["--quick", "--store", "neo4j", "--out", str(tmp_path)]) == 0
    results = json.loads((tmp_path / "results-neo4j.json").read_text())
    assert results["store"] == "neo4j"
    assert [size["name"] for size in results["sizes"]] == ["seed", "300:1500"]
    for size in results["sizes"]:
        assert set(size["operations"]) == {"lookup", "search", "nested", "network", "path", "stats"}
        assert size["same_json"] is True
        assert size["throughput"]["graphql"]["failures"] == 0
        assert size["naive"]["naive"]["n"] == 1 and size["naive"]["speedup"] > 0
    assert len(results["bars"]) == 8
    assert "--store neo4j" in (tmp_path / "RESULTS.md").read_text()
