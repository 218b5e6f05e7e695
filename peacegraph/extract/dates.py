"""French date expressions as partial ISO dates, found with spaCy `Matcher` patterns.

The model's recogniser tags few dates in French and never normalises them, so the
common shapes of a report are rules: "du 5 au 7 septembre 2023", "du 30 août au 2
septembre", "de juillet à septembre 2023", "Janvier 2021 - Décembre 2025", "depuis
2011", "courant août", "le samedi 19 août 2023", "septembre 2023". A missing year is the
report's year (the caller's `year`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from peacegraph.extract.nlp import matcher_for

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

_MONTH: dict[str, Any] = {"LOWER": {"IN": list(MONTHS)}}
_DAY: dict[str, Any] = {"LOWER": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(er)?$"}}
_YEAR: dict[str, Any] = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}}
_OPT_YEAR: dict[str, Any] = {"TEXT": {"REGEX": r"^(19|20)\d\d$"}, "OP": "?"}
_DASH: dict[str, Any] = {"TEXT": {"IN": ["-", "–", "—", "au", "à"]}}

PATTERNS: dict[str, list[list[dict[str, Any]]]] = {
    "DAYS": [
        [{"LOWER": "du", "OP": "?"}, _DAY, {"LOWER": {"IN": ["au", "-", "–"]}}, _DAY, _MONTH,
         _OPT_YEAR],
        [{"LOWER": "du", "OP": "?"}, _DAY, _MONTH, _OPT_YEAR, {"LOWER": {"IN": ["au", "-", "–"]}},
         _DAY, _MONTH, _OPT_YEAR],
    ],
    "MONTHS": [
        [{"LOWER": {"IN": ["de", "d'"]}}, _MONTH, _OPT_YEAR, {"LOWER": {"IN": ["à", "a", "au"]}},
         _MONTH, _YEAR],
        [_MONTH, _YEAR, _DASH, _MONTH, _YEAR],
    ],
    "SINCE": [
        [{"LOWER": "depuis"}, _MONTH, _YEAR],
        [{"LOWER": "depuis"}, _YEAR],
    ],
    "DURING": [
        [{"LOWER": "courant"}, _MONTH, _OPT_YEAR],
        [{"LOWER": {"IN": ["mois", "fin", "début", "mi"]}}, {"LOWER": {"IN": ["de", "d'", "-"]},
         "OP": "?"}, _MONTH, _OPT_YEAR],
    ],
    "DAY": [
        [{"LOWER": "le", "OP": "?"}, {"LOWER": {"IN": WEEKDAYS}, "OP": "?"}, _DAY, _MONTH,
         _OPT_YEAR],
    ],
    "MONTH": [[_MONTH, _YEAR]],
}  # fmt: skip


@dataclass(frozen=True)
class DateMention:
    """A date expression: its span in the doc, its kind and its partial ISO dates."""

    span: Span
    kind: str
    start: str
    end: str | None

    @property
    def since(self) -> bool:
        return self.kind == "SINCE"


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def parse(span: Span, kind: str, year: int) -> DateMention | None:
    """The dates a matched span means; None when its parts do not make a real date."""
    days: list[int] = []
    months: list[int] = []
    years: list[int] = []
    for token in span:
        lower = token.lower_
        if lower in MONTHS:
            months.append(MONTHS[lower])
        elif token.is_digit and len(token.text) == 4:
            years.append(int(token.text))
        elif lower.rstrip("er").isdigit():
            days.append(int(lower.rstrip("er")))
    last_year = years[-1] if years else year
    first_year = years[0] if len(years) > 1 else last_year
    if kind == "DAYS" and len(days) == 2 and months:
        first_month, last_month = months[0], months[-1]
        start = _iso(first_year, first_month, days[0])
        return DateMention(span, kind, start, _iso(last_year, last_month, days[1]))
    if kind == "MONTHS" and len(months) == 2:
        start = _iso(first_year, months[0])
        return DateMention(span, kind, start, _iso(last_year, months[1]))
    if kind == "SINCE":
        return DateMention(span, kind, _iso(last_year, months[0] if months else None), None)
    if kind == "DAY" and days and months:
        return DateMention(span, kind, _iso(last_year, months[0], days[0]), None)
    if kind in ("DURING", "MONTH") and months:
        return DateMention(span, kind, _iso(last_year, months[0]), None)
    return None


def find(doc: Doc, year: int) -> list[DateMention]:
    """Every date expression of `doc`, longest match first, in reading order."""
    return find_with(matcher_for(doc, PATTERNS), doc, year)


def find_with(matcher: Matcher, doc: Doc, year: int) -> list[DateMention]:
    spans = [Span(doc, start, end, label=rule) for rule, start, end in matcher(doc)]
    found = []
    for span in filter_spans(spans):
        mention = parse(span, span.label_, year)
        if mention is not None:
            found.append(mention)
    return sorted(found, key=lambda m: m.span.start)
