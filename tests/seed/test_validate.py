"""The seed of the WANEP-Mali 2023 Q3 report, and the validator that guards it.

The real seed must load with every paragraph accounted for and every fact sourced;
the entity-resolution decisions of DESIGN.md must hold in the records; and a broken
copy of a seed file must be refused with the file, line and field a reviewer needs.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from peacegraph.graph.errors import Invalid
from peacegraph.graph.model import NODE_PROP_NAMES, REL_PROP_NAMES, Label, RelType, allowed
from peacegraph.graph.records import Node, Relationship
from peacegraph.seed.problems import SeedError
from peacegraph.seed.report import Report, heading_text, normalize
from peacegraph.seed.validate import DATA_DIR, REPORTS_DIR, SeedBundle, load_seed

REPORT_ID = "wanep-mali-2023-q3"
SEED = DATA_DIR / REPORT_ID
REPORT_FILE = REPORTS_DIR / f"{REPORT_ID}-report.md"
SHARED_REPORT = Path(__file__).parents[3] / "shared/source/wanep-mali-2023-q3-report.md"


@pytest.fixture(scope="module")
def bundle() -> SeedBundle:
    return load_seed(SEED, REPORTS_DIR)


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.read(REPORT_FILE)


def _node(bundle: SeedBundle, node_id: str) -> Node:
    return next(node for node in bundle.nodes if node.id == node_id)


def _rel(bundle: SeedBundle, rel_type: RelType, source: str, target: str) -> Relationship:
    return next(
        rel
        for rel in bundle.relationships
        if (rel.type, rel.source, rel.target) == (rel_type, source, target)
    )


# --------------------------------------------------------------------- the report


def test_report_is_the_shared_source() -> None:
    if not SHARED_REPORT.exists():
        pytest.skip(f"no shared copy at {SHARED_REPORT}")
    assert REPORT_FILE.read_bytes() == SHARED_REPORT.read_bytes()


def test_report_blocks_and_headings(report: Report) -> None:
    first = report.blocks[0]
    assert (first.line, first.heading) == (3, "LES FAITS MARQUANTS DU TRIMESTRE")
    headings = [block.heading for block in report.blocks if block.is_heading]
    assert "Agenda Femme, Paix et Sécurité" in headings
    assert "Education à la paix et non-violence" in headings
    assert "PARTICIPATION DE WANEP-MALI AUX ACTIVITÉS DES PARTENAIRES" in headings
    djenne = report.blocks_containing("Le mercredi 20 septembre 2023")[0]
    assert not djenne.is_heading
    assert djenne.line == 71


def test_heading_text_strips_markup() -> None:
    assert heading_text("**Education à la paix et non-violence :**") == (
        "Education à la paix et non-violence"
    )
    assert heading_text("##### Organisation des  campagnes :") == "Organisation des campagnes"
    assert heading_text("**GENRE:**") == "GENRE"


def test_quotes_ignore_whitespace_but_not_paragraph_breaks(report: Report) -> None:
    assert report.blocks_containing("WANEP est un réseau\n   implanté")
    assert not report.blocks_containing("à Djenné, région de Mopti")
    assert report.spans_blocks("à Djenné, région de Mopti")
    assert not report.spans_blocks("not in the report at all")


def test_a_section_names_a_whole_heading(report: Report) -> None:
    assert report.headings_named("LA PARTICIPATION DE WANEP-MALI AUX ACTIVITÉS DE LA SENARE") == []
    assert report.headings_named("RUBRIQUE  RENCONTRE STRATEGIQUE :")[0].line == 145


def test_headings_before_include_the_block_itself(report: Report) -> None:
    block = report.blocks_containing("LE 16 SEPTEMBRE 2023")[0]
    assert report.headings_before(block.index)[-1] is block


# ----------------------------------------------------------------- the real seed


def test_real_seed_covers_every_paragraph(bundle: SeedBundle, report: Report) -> None:
    statuses = Counter(row.status for row in bundle.coverage)
    assert statuses["missing"] == 0
    assert len(bundle.coverage) == len(report.blocks)
    assert statuses["explained"] <= 3
    explained = [row for row in bundle.coverage if row.status == "explained"]
    assert all(row.reason for row in explained)


def test_every_fact_is_sourced_from_the_report(bundle: SeedBundle, report: Report) -> None:
    headings = {block.heading for block in report.blocks if block.is_heading}
    facts: list[Node | Relationship] = [*bundle.nodes, *bundle.relationships]
    for fact in facts:
        assert fact.sources, fact
        for source in fact.sources:
            assert source.document == bundle.document.id
            assert source.section in headings
            assert report.blocks_containing(source.quote), source.quote


def test_records_use_only_model_properties(bundle: SeedBundle) -> None:
    for node in bundle.all_nodes:
        assert set(node.props) <= NODE_PROP_NAMES - {"id", "name", "sources", "searchKey"}
    for rel in bundle.relationships:
        assert set(rel.props) <= REL_PROP_NAMES - {"sources"}
        labels = {node.id: node.label for node in bundle.all_nodes}
        assert allowed(rel.type, labels[rel.source], labels[rel.target])


def test_every_node_is_mentioned_in_the_document(bundle: SeedBundle) -> None:
    mentioned = {rel.source for rel in bundle.relationships if rel.type is RelType.MENTIONED_IN}
    assert mentioned == {node.id for node in bundle.nodes}
    assert bundle.document.label is Label.SOURCE
    assert bundle.document.get("startDate") == "2023-07"


def test_labels_and_counts(bundle: SeedBundle) -> None:
    labels = Counter(node.label for node in bundle.nodes)
    assert labels[Label.ORGANIZATION] >= 40
    assert labels[Label.OBSERVATION] >= 15
    assert labels[Label.EVENT] >= 20
    ids = [node.id for node in bundle.all_nodes]
    assert len(ids) == len(set(ids))


# ----------------------------------------------------------- entity resolution


def test_two_drcs_are_distinct(bundle: SeedBundle) -> None:
    council, congo = _node(bundle, "org:drc"), _node(bundle, "place:rdc")
    assert council.label is Label.ORGANIZATION and congo.label is Label.PLACE
    assert "Danish Refugee Council" in council.get("aliases")
    assert "DRC" in council.get("aliases") and "DRC" in congo.get("aliases")
    assert "RDC" in congo.get("aliases")


def test_wanep_mali_is_part_of_wanep(bundle: SeedBundle) -> None:
    assert _node(bundle, "org:wanep").get("kind") == "network"
    assert _node(bundle, "org:wanep-mali").get("kind") == "national-secretariat"
    assert _rel(bundle, RelType.PART_OF, "org:wanep-mali", "org:wanep")
    assert _rel(bundle, RelType.PART_OF, "org:wanep-burkina", "org:wanep")


def test_misspellings_are_corrected_and_kept_as_aliases(bundle: SeedBundle) -> None:
    expected = {
        "org:minusma": ("MINUSMA", "MUNISMA"),
        "org:fama": ("FAMa", "FAMAs"),
        "place:burkina-faso": ("Burkina Faso", "Burkina-Fasso"),
        "org:emp-abb": (
            "École de maintien de la paix Alioune Blondin Beye",
            "Ecole de Maintien de la paix Aliou Blondin Bye",
        ),
    }
    for node_id, (name, alias) in expected.items():
        node = _node(bundle, node_id)
        assert node.name == name
        assert alias in node.get("aliases")
        assert node.get("note")


def test_french_and_english_names(bundle: SeedBundle) -> None:
    cedeao = _node(bundle, "org:cedeao")
    assert "ECOWAS" in cedeao.get("aliases")
    assert cedeao.get("wikidata") == "Q193272"
    assert "UNDP" in _node(bundle, "org:pnud").get("aliases")
    assert "UN Women" in _node(bundle, "org:onu-femmes").get("aliases")
    assert "FBA" in _node(bundle, "org:fba").get("aliases")
    assert "SFCG" in _node(bundle, "org:sfcg").get("aliases")


def test_partnerships_and_programme_dates(bundle: SeedBundle) -> None:
    news = _rel(bundle, RelType.PARTNER_OF, "org:wanep-mali", "org:cedeao")
    assert news.props["startDate"] == "2011"
    assert news.props["startPrecision"] == "year"
    assert news.props["programme"] == "programme:news"
    jfa = _node(bundle, "programme:just-future")
    assert (jfa.get("startDate"), jfa.get("endDate")) == ("2021-01", "2025-12")
    assert (jfa.get("dateFrom"), jfa.get("dateTo")) == ("2021-01-01", "2025-12-31")
    border = _node(bundle, "programme:monitoring-frontalier")
    assert border.get("startDate") == "2023-01"
    assert _rel(bundle, RelType.MEMBER_OF, "org:cordaid", "org:just-future-alliance")


def test_event_counts_are_the_reports(bundle: SeedBundle) -> None:
    campaign = _node(bundle, "event:2023-08-11-campagne-rss-bamako")
    counts = ("participants", "women", "womenShare", "youth", "youthShare", "disabled")
    assert [campaign.get(name) for name in counts] == [115, 91, 79.0, 69, 60.0, 5]
    course = _node(bundle, "event:2023-09-18-stage-un-cimic")
    assert (course.get("dateFrom"), course.get("dateTo")) == ("2023-09-18", "2023-09-29")
    delegation = _rel(
        bundle,
        RelType.PARTICIPATED_IN,
        "org:wanep-mali",
        "event:2023-09-18-journee-reflexion-femmes-emp",
    )
    assert delegation.props["count"] == 10


def test_observations_measure_something(bundle: SeedBundle) -> None:
    about = {rel.source for rel in bundle.relationships if rel.type is RelType.ABOUT}
    values = {}
    for node in bundle.nodes:
        if node.label is Label.OBSERVATION:
            assert node.id in about
            values[node.id] = node.get("value")
    assert values["obs:2023-q3-news-incidents"] == 123.0
    assert values["obs:2023-q3-ecowarn-incidents"] == 76.0
    assert values["obs:2023-q3-africa-reporter-incidents"] == 27.0


# ------------------------------------------------------------- broken copies


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / REPORT_ID
    shutil.copytree(SEED, target)
    return target


def _break(folder: Path, file: str, old: str, new: str) -> int:
    """Replace the first `old` in a file by `new`; returns the line where `new` starts."""
    path = folder / file
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def _refused(folder: Path) -> SeedError:
    with pytest.raises(SeedError) as caught:
        load_seed(folder, REPORTS_DIR)
    return caught.value


CASES = [
    pytest.param(
        "events.yaml",
        "    approximate: [youthShare]\n",
        "    approximate: [youth]\n",
        "approximate",
        "names figures the item does not state: youth",
        id="approximate-figure-not-stated",
    ),
    pytest.param(
        "events.yaml",
        "    approximate: [participants, women]\n",
        "    approximate: [participants, partners]\n",
        "approximate",
        "names no figure: partners",
        id="approximate-unknown-figure",
    ),
    pytest.param(
        "events.yaml",
        "    kind: visit\n",
        "\tkind: visit\n",
        None,
        "malformed YAML",
        id="bad-yaml",
    ),
    pytest.param(
        "people.yaml",
        "    kind: person\n",
        "    kind: person\n    kind: person\n",
        None,
        "duplicate key",
        id="duplicate-key",
    ),
    pytest.param(
        "places.yaml",
        "    to: place:nigeria\n",
        "    to: place:nigerria\n",
        "to",
        "unknown node 'place:nigerria'",
        id="unknown-reference",
    ),
    pytest.param(
        "events.yaml",
        '    start: "2023-09-19"\n',
        '    start: "2023-09-31"\n',
        "start",
        "not a real date",
        id="bad-date",
    ),
    pytest.param(
        "events.yaml",
        '    end: "2023-09-29"\n',
        '    end: "2023-09-17"\n',
        "end",
        "is before the start",
        id="end-before-start",
    ),
    pytest.param(
        "observations.yaml",
        "    value: 76\n",
        "    value: 76\n    participants: -3\n",
        "participants",
        "must not be negative",
        id="negative-count",
    ),
    pytest.param(
        "observations.yaml",
        '        quote: "76 incidents sur ECOWARN"\n',
        '        quote: "77 incidents sur ECOWARN"\n',
        "sources[0].quote",
        "quote not found in the report",
        id="quote-not-found",
    ),
    pytest.param(
        "places.yaml",
        '        quote: "dans la commune urbaine de Djenné"\n',
        '        quote: "à Djenné, région de Mopti"\n',
        "sources[1].quote",
        "quote spans paragraphs",
        id="quote-spans-paragraphs",
    ),
    pytest.param(
        "places.yaml",
        '        quote: "à Lagos au Nigeria"\n',
        '        quote: "à Lagos au Nigeria"\n        colour: red\n',
        "sources[0].colour",
        "unknown key",
        id="unknown-key",
    ),
    pytest.param(
        "people.yaml",
        "  - type: WORKS_FOR\n",
        "  - type: WORKS_WITH\n",
        "type",
        "unknown type",
        id="unknown-type",
    ),
    pytest.param(
        "places.yaml",
        "  - type: WITHIN\n    from: place:lagos\n",
        "  - type: WITHIN\n    from: org:wanep\n",
        "type",
        "WITHIN does not join Organization to Place",
        id="endpoint-not-allowed",
    ),
    pytest.param(
        "places.yaml",
        "    to: place:kenya\n",
        '    to: place:kenya\n    end: "2023"\n',
        "end",
        "an end needs a start",
        id="end-without-start",
    ),
    pytest.param(
        "organizations.yaml",
        "    programme: programme:news\n",
        "    programme: org:cedeao\n",
        "programme",
        "is not a Programme",
        id="programme-not-a-programme",
    ),
    pytest.param(
        "events.yaml",
        "    women: 91\n",
        "    women: 191\n",
        "women",
        "more than the participants",
        id="women-above-participants",
    ),
    pytest.param(
        "people.yaml",
        "    label: Person\n",
        "    label: Human\n",
        "label",
        "unknown label 'Human'",
        id="unknown-label",
    ),
    pytest.param(
        "people.yaml",
        "  - id: person:gouverneur-mopti\n    label: Person\n",
        "  - id: person:gouverneur-mopti\n    label: Organization\n",
        "id",
        "starts org:",
        id="prefix-not-label",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "field", "message"), CASES)
def test_broken_copy_is_refused_with_file_line_and_field(
    tmp_path: Path, file: str, old: str, new: str, field: str | None, message: str
) -> None:
    folder = _copy(tmp_path)
    line = _break(folder, file, old, new)
    error = _refused(folder)
    assert isinstance(error, Invalid)
    assert (error.file, error.field) == (file, field), str(error)
    assert error.line is not None and line <= error.line <= line + 1, str(error)
    assert message in str(error)
    assert str(error).startswith(f"{file}:{error.line}: ")


def test_duplicate_id_across_files_names_the_first(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    line = _break(folder, "people.yaml", "  - id: person:gouverneur-mopti\n", "  - id: org:wanep\n")
    error = _refused(folder)
    duplicate = next(e for e in error.errors if "duplicate id" in e.reason)
    assert (duplicate.file, duplicate.line, duplicate.field) == ("people.yaml", line, "id")
    assert "organizations.yaml" in duplicate.reason


def test_unknown_section_and_section_after_the_quote(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    section = "      - section: LES FAITS MARQUANTS DU TRIMESTRE\n"
    unknown = _break(folder, "observations.yaml", section, "      - section: NO SUCH HEADING\n")
    late = "      - section: RUBRIQUE RENCONTRE STRATEGIQUE\n"
    after = _break(folder, "observations.yaml", section, late)
    error = _refused(folder)
    found = {(e.line, e.field, e.reason.split(" ")[0]) for e in error.errors}
    assert (unknown, "sources[0].section", "unknown") in found
    assert (after, "sources[0].section", "section") in found
    assert "comes after the quote" in str(error)


def test_all_problems_are_listed_at_once(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _break(folder, "places.yaml", "    to: place:nigeria\n", "    to: place:nowhere\n")
    _break(folder, "events.yaml", '    start: "2023-09-19"\n', '    start: "19/09/2023"\n')
    error = _refused(folder)
    assert len(error.errors) == 2
    assert (error.errors[0].file, error.errors[1].file) == ("events.yaml", "places.yaml")
    assert "1 more problem(s)" in str(error)


def test_uncovered_paragraph_is_refused_or_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "commentary.yaml").unlink()
    error = _refused(folder)
    assert (error.file, error.line, error.field) == (REPORT_FILE.name, 117, None)
    assert "neither cited nor explained" in str(error)
    lenient = load_seed(folder, REPORTS_DIR, require_coverage=False)
    missing = [row.line for row in lenient.coverage if row.status == "missing"]
    assert missing == [117, 177]


def test_commentary_must_name_one_paragraph(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    quote = '  - quote: "NOS PARTENAIRES TECHNIQUES ET FINANCIERS"\n'
    line = _break(folder, "commentary.yaml", quote, '  - quote: "WANEP-Mali"\n')
    error = _refused(folder)
    ambiguous = next(e for e in error.errors if "several paragraphs" in e.reason)
    assert (ambiguous.file, ambiguous.line, ambiguous.field) == ("commentary.yaml", line, "quote")


def test_missing_document_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "report.yaml").unlink()
    assert _refused(folder).file == "report.yaml"


def test_normalize_collapses_whitespace() -> None:
    assert normalize("  a \n\t b  ") == "a b"
