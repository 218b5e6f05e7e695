"""Bilingual knowledge: the report is French, officers search in French and English."""

from __future__ import annotations

from peacegraph.graph.model import Label
from peacegraph.seed import loader

TRANSLATED = (Label.EVENT, Label.PROGRAMME, Label.OBSERVATION)


def test_every_event_programme_and_observation_has_another_name() -> None:
    """Each has an alias besides its French name: a reviewed English name (or, for
    those named in English, the French one), so that search finds it either way."""
    nodes = [n for b in loader.load_bundles() for n in b.nodes if n.label in TRANSLATED]
    unnamed = [n.id for n in nodes if not n.props.get("aliases")]
    assert not unnamed, unnamed
