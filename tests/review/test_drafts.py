"""A draft folder is untrusted input: what `review add` refuses, naming what is wrong,
and the CLI commands that keep, list, export and forget drafts (embedded store)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from peacegraph.app.cli import main
from peacegraph.graph.errors import Invalid
from peacegraph.review import drafts
from peacegraph.seed.problems import SeedError
from peacegraph.seed.validate import load_seed

DRAFT = Path(__file__).parent / "draft"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "mini"
    shutil.copytree(DRAFT, copy)
    return copy


def _refused(folder: Path, field: str, words: str, name: str | None = None) -> None:
    with pytest.raises(Invalid) as refused:
        drafts.read_folder(folder, name)
    assert refused.value.field == field and words in str(refused.value)


def test_the_hand_written_draft_is_read_with_its_statuses(folder: Path) -> None:
    draft = drafts.read_folder(folder)
    assert draft.name == "mini" and len(draft.facts) == 9
    assert draft.fact("org:drc").status == "ambiguous"
    assert "note" not in draft.fact("org:wanep-mali").data  # the extractor's "review: known"


def test_names_paths_and_sizes_are_checked(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _refused(folder, "name", "not a draft name", name="../etc")
    report = folder / "report.yaml"
    report.write_text(report.read_text().replace("text: mini-report.md", "text: ../x.md"))
    _refused(folder, "document.text", "the report's file name")
    report.write_text(report.read_text().replace("text: ../x.md", "text: other.md"))
    _refused(folder, "text", "other.md is not in")
    report.write_text(report.read_text().replace("text: other.md", "text: mini-report.md"))
    (folder / "extra.yaml").symlink_to(folder / "places.yaml")
    _refused(folder, "extra.yaml", "not a plain file")
    (folder / "extra.yaml").unlink()
    monkeypatch.setattr(drafts, "MAX_FILE_BYTES", 1000)
    _refused(folder, "events.yaml", "over 1000 bytes")


def test_review_json_names_only_the_drafts_ids_and_statuses(folder: Path) -> None:
    review = folder / "review.json"
    kept = json.loads(review.read_text())
    kept["entities"]["org:elsewhere"] = {"status": "new", "candidates": []}
    review.write_text(json.dumps(kept))
    _refused(folder, "review.json", "not a node of the draft")
    del kept["entities"]["org:elsewhere"]
    kept["entities"]["org:drc"]["status"] = "accepted"
    review.write_text(json.dumps(kept))
    _refused(folder, "review.json: entities['org:drc']", "expected one of")
    review.write_text("[1, 2]")
    _refused(folder, "review.json", "expected {entities")


def test_the_seed_rules_apply(folder: Path) -> None:
    events = folder / "events.yaml"
    events.write_text(events.read_text().replace("type: HELD_AT", "type: WORKS_FOR"))
    with pytest.raises(SeedError) as refused:
        drafts.read_folder(folder)
    assert "WORKS_FOR does not join Event to Place" in str(refused.value)


def test_the_review_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = ["--data-dir", str(tmp_path / "data"), "--init"]
    assert main(["review", "add", str(DRAFT), "--name", "mini", *store]) == 0
    assert "9 facts to review at /explore/review" in capsys.readouterr().out
    assert main(["review", "add", str(DRAFT), "--name", "mini", *store]) != 0
    assert "a draft named mini exists" in capsys.readouterr().err
    assert main(["review", "list", *store]) == 0
    assert "mini" in capsys.readouterr().out
    out = tmp_path / "seed"
    assert main(["review", "export", "mini", "--out", str(out), *store]) == 0
    assert "seed check passed" in capsys.readouterr().out
    assert load_seed(out, out).nodes == []  # nothing accepted yet: every paragraph explained
    assert main(["review", "remove", "mini", *store]) == 0
    assert main(["review", "list", *store]) == 0
    assert "mini" not in capsys.readouterr().out.split("\n", 2)[-1]
