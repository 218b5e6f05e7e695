"""`peacegraph seed check FOLDER`: one report's seed folder checked as the built-in
seed is (an extraction draft, a review's export), in the test's process."""

from __future__ import annotations

import shutil
from pathlib import Path

from peacegraph.seed.loader import DATA_DIR, REPORTS_DIR
from tests.support.cli import run_main

SEED = DATA_DIR / "wanep-mali-2023-q3"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "q3"
    shutil.copytree(SEED, folder)
    return folder


def test_a_folder_given_is_checked_like_the_seed(tmp_path: Path) -> None:
    ran = run_main("seed", "check", str(_copy(tmp_path)))
    assert ran.returncode == 0, ran.stderr
    assert "paragraphs cited or explained (100.0%)" in ran.stdout


def test_a_broken_fact_is_named_with_its_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    orgs = folder / "organizations.yaml"
    orgs.write_text(
        orgs.read_text(encoding="utf-8").replace("    name: WANEP\n", "    name: ''\n", 1),
        encoding="utf-8",
    )
    ran = run_main("seed", "check", str(folder))
    assert ran.returncode != 0
    assert "organizations.yaml" in ran.stderr and "name" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_facts_for_part_of_a_report_pass_with_partial_only(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "observations.yaml").unlink()
    (folder / "commentary.yaml").unlink()
    assert run_main("seed", "check", str(folder)).returncode != 0
    ran = run_main("seed", "check", str(folder), "--partial", "--reports", str(REPORTS_DIR))
    assert ran.returncode == 0, ran.stderr
    assert "missing" in ran.stdout


def test_a_folder_that_is_not_there_is_one_line(tmp_path: Path) -> None:
    ran = run_main("seed", "check", str(tmp_path / "nowhere"))
    assert ran.returncode != 0
    assert ran.stderr.strip().count("\n") == 0 and "nowhere" in ran.stderr
