"""Figures in French prose: "dix (10)", "cinq (05)", "115", "47%", "79 %", "trois".

Reports write a count in words with the digits in brackets, or in digits alone, and a
share as digits and a percent sign; the recogniser tags none of them. A `Matcher` finds
the shapes and each figure keeps the token that ends it, so the noun that follows
("campagnes", "femmes") says what is counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from peacegraph.extract.nlp import matcher_for

WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
    "soixante": 60, "cent": 100,
}  # fmt: skip
_DIGITS: dict[str, Any] = {"TEXT": {"REGEX": r"^\d{1,6}$"}}
PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "SHARE": [[_DIGITS, {"TEXT": {"IN": ["%", "pour"]}}, {"LOWER": "cent", "OP": "?"}],
              [{"TEXT": {"REGEX": r"^\d{1,3}%$"}}]],
    "COUNT": [
        [{"LOWER": {"IN": list(WORDS)}}, {"TEXT": "("}, _DIGITS, {"TEXT": ")"}],
        [_DIGITS],
        [{"LOWER": {"IN": [w for w in WORDS if w not in ("un", "une")]}}],
    ],
}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A count or a share, with its span and the word right after it."""

    span: Span
    kind: str
    value: int

    @property
    def noun(self) -> str:
        """The lemma of the first noun after the figure (what it counts), or ''."""
        doc = self.span.doc
        for token in doc[self.span.end : min(len(doc), self.span.end + 3)]:
            if token.pos_ in ("NOUN", "PROPN"):
                return token.lemma_.lower()
            if token.is_punct:
                break
        return ""


def value_of(span: Span) -> int | None:
    """The figure a span writes: the digits when it has some, else the word."""
    for token in span:
        digits = token.text.rstrip("%")
        if digits.isdigit():
            return int(digits)
    for token in span:
        if token.lower_ in WORDS:
            return WORDS[token.lower_]
    return None


def find(doc: Doc, skip: set[int] | None = None) -> list[Figure]:
    """Every figure of `doc` in reading order; tokens in `skip` (dates) are not figures."""
    skip = skip or set()
    spans = [
        Span(doc, start, end, label=rule)
        for rule, start, end in matcher_for(doc, PATTERNS)(doc)
        if not skip.intersection(range(start, end))
    ]
    figures = []
    for span in filter_spans(spans):
        value = value_of(span)
        if value is not None and not (len(span) == 1 and 1900 <= value <= 2100):
            figures.append(Figure(span, span.label_, value))
    return sorted(figures, key=lambda f: f.span.start)
