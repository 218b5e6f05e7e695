"""A short French excerpt in the seed's text format, extracted once per session (the
spaCy model loads once per process)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacegraph.extract import draft, extractor

EXCERPT = """**RAPPORT TRIMESTRIEL DU RÉSEAU**

**Activités du trimestre :**

Du 5 au 7 septembre 2023, le Réseau Ouest Africain pour l'Édification de la Paix (WANEP) a \
organisé un atelier de formation à Ségou avec la Coalition Nationale des Femmes du Mali (CNF). \
L'atelier a réuni dix (10) participantes dont 47% de jeunes femmes.

Le système d'alerte, produit d'un partenariat entre WANEP et la CEDEAO depuis 2011, a permis \
de soumettre 45 incidents sur la plateforme NEWS.

**Rencontres :**

Le 19 septembre 2023, une réunion de partenariat entre le Danish Refugee Council (DRC) et \
WANEP s'est tenue à Bamako.
"""


@pytest.fixture(scope="session")
def excerpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "rapport-2023-t3.md"
    path.write_text(EXCERPT, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def excerpt_draft(excerpt: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The excerpt's draft folder, extracted without the graph."""
    out = tmp_path_factory.mktemp("draft")
    result, period = extractor.extract(excerpt.read_text(encoding="utf-8"), excerpt.name)
    draft.write(result, excerpt, out, period)
    return out
