"""The `peacegraph` command. The first tests run it as a user runs it, a subprocess of
the console script's module; the rest call the same entry point in this process
(tests/support/cli.py), which saves a Python start-up per command and checks the same
exit codes and output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.cli import run_main


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    if env is None or "NEO4J_URI" not in env:
        full_env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "peacegraph.app.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "migrate", "seed", "schema"):
        assert command in result.stdout


def test_every_command_has_help() -> None:
    for command in (["serve"], ["migrate"], ["seed", "check"], ["seed", "load"], ["schema"]):
        assert run_main(*command, "--help").returncode == 0, command


def test_a_wrong_flag_is_one_actionable_line_without_traceback() -> None:
    result = run("serve", "--bogus")
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_neo4j_is_one_line_and_non_zero(tmp_path: Path) -> None:
    result = run("migrate", env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peacegraph: error: cannot reach Neo4j")
    assert "NEO4J_URI" in lines[0]


def test_a_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = run_main(
        "migrate", env={"PEACEGRAPH_PORT": "abc", "PEACEGRAPH_DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "peacegraph: error: PEACEGRAPH_PORT='abc': expected a whole number"
    )


def test_migrate_twice_on_the_embedded_store(tmp_path: Path) -> None:
    env = {"PEACEGRAPH_DATA_DIR": str(tmp_path / "data")}
    first = run_main("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert "0 migration(s) applied" not in first.stdout
    second = run_main("migrate", env=env)
    assert "0 migration(s) applied" in second.stdout


def test_a_locked_data_directory_is_a_clear_error(tmp_path: Path) -> None:
    env = {"PEACEGRAPH_DATA_DIR": str(tmp_path / "data")}
    assert run_main("migrate", env=env).returncode == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import ladybug,sys,time;"
            f"db=ladybug.Database({str(tmp_path / 'data' / 'graph.lbug')!r});"
            "c=ladybug.Connection(db);print('ok',flush=True);time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = run_main("migrate", env=env)
    finally:
        holder.kill()
        holder.communicate()
    assert result.returncode == 1
    assert result.stderr.startswith("peacegraph: error: cannot open the embedded store")
    assert "Traceback" not in result.stderr


def test_a_data_dir_that_does_not_exist_needs_init(tmp_path: Path) -> None:
    typo = tmp_path / "dta"
    result = run_main("export", "--data-dir", str(typo))
    assert result.returncode == 2
    assert result.stderr == (
        f"peacegraph: error: --data-dir {typo}: no such folder "
        "(pass --init to create a new store there)\n"
    )
    assert not typo.exists()
    created = run_main("migrate", "--init", "--data-dir", str(typo))
    assert created.returncode == 0, created.stderr
    assert run_main("export", "--data-dir", str(typo)).returncode == 0


def test_an_http_neo4j_uri_names_the_supported_schemes() -> None:
    result = run_main("migrate", env={"NEO4J_URI": "http://neo4j:secret@localhost:7474"})
    assert result.returncode == 2
    assert result.stderr == (
        "peacegraph: error: NEO4J_URI: unsupported scheme 'http'; use one of bolt, bolt+s, "
        "bolt+ssc, neo4j, neo4j+s, neo4j+ssc (for example bolt://localhost:7687; "
        "port 7474 is the browser's)\n"
    )
    assert "secret" not in result.stderr
    missing = run_main("migrate", env={"NEO4J_URI": "localhost:7687"})
    assert missing.returncode == 2 and "expected scheme://host:port" in missing.stderr
