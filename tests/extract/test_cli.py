"""`peacegraph extract` and `extract-eval` end to end, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from peacegraph.app.cli import main
from peacegraph.seed.validate import load_seed


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    return subprocess.run(
        [sys.executable, "-m", "peacegraph.app.cli", *args],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip


def test_extract_then_score_the_draft(excerpt: Path, excerpt_draft: Path, tmp_path: Path) -> None:
    out = tmp_path / "draft"
    known = tmp_path / "known"
    result = run("extract", str(excerpt), "--out", str(out), "--no-graph")
    assert result.returncode == 0, result.stderr
    assert "extract: 100%" in result.stderr  # the progress bar
    assert "relationships in" in result.stdout
    load_seed(out, out)
    # The draft as the graph's knowledge: a second run reuses every id it names. It runs
    # in this process, where the model is already loaded (the session's `excerpt_draft`).
    out.rename(known)
    assert main(["extract", str(excerpt), "--out", str(out), "--known", str(known), "--quiet"]) == 0
    statuses = json.loads((out / "review.json").read_text())["entities"]
    assert statuses["org:wanep"]["status"] == "known"
    scored = run("extract-eval", str(out), "--key", str(known))
    assert scored.returncode == 0, scored.stderr
    assert "| Organization |" in scored.stdout
    assert "quotes verbatim in the report:" in scored.stdout
    assert "(1.00)" in scored.stdout.splitlines()[-1]  # every matched id reused


def test_a_missing_report_is_one_line(tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "nope.md"), "--out", str(tmp_path / "d"), "--no-graph")
    assert result.returncode != 0
    assert "no file" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_commands_have_help() -> None:
    for command in ("extract", "extract-eval"):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "usage:" in result.stdout
