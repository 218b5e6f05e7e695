"""A report's markdown, read as the seed rules see it: ordered paragraphs and headings.

FORMAT.md defines a paragraph as a block of lines between blank lines, says that a
quote must lie inside one paragraph, and that a heading is a `#` line, a line entirely
in `**bold**`, or a short paragraph ending with a colon. This module is that definition,
in one place, so that the validator, the coverage table and the tests agree on what a
paragraph and a section are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Longest paragraph, in characters, that still reads as a heading when it ends with ':'.
#: The report's longest such heading ("Organisation d'une session de renforcement des
#: capacités ... à Djenné :") is 188 characters; real sentences ending with ':' are rare
#: and, when shorter, are lead-ins that work as headings for the lines that follow.
MAX_COLON_HEADING = 200

_HASH_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+)$")
_BOLD_LINE = re.compile(r"^\*\*(?P<text>.+)\*\*$")


def normalize(text: str) -> str:
    """Collapse every whitespace run to one space: quotes may differ only in whitespace."""
    return " ".join(text.split())


def heading_text(text: str) -> str:
    """A heading as data files name it: no `#`, no `**`, no trailing colon, one-spaced."""
    text = normalize(text)
    match = _HASH_HEADING.match(text)
    if match:
        text = match.group("text")
    match = _BOLD_LINE.match(text)
    if match:
        text = match.group("text")
    return normalize(text.rstrip().rstrip(":").rstrip().strip("*"))


def _is_heading(raw: str) -> bool:
    """Whether a block is a heading by FORMAT.md's three rules (single-line blocks only)."""
    if "\n" in raw.strip():
        return False
    line = raw.strip()
    if _HASH_HEADING.match(line) or _BOLD_LINE.match(line):
        return True
    return line.endswith(":") and len(line) <= MAX_COLON_HEADING


@dataclass(frozen=True)
class Block:
    """One paragraph (or heading) of the report, with where it starts."""

    index: int
    line: int
    raw: str
    text: str
    heading: str | None

    @property
    def is_heading(self) -> bool:
        return self.heading is not None

    @property
    def excerpt(self) -> str:
        """The first words (of the heading text, for a heading), for tables and messages."""
        text = self.heading or self.text
        return text if len(text) <= 60 else text[:59] + "…"


def _blocks_of(text: str) -> list[Block]:
    """Split on blank lines, keeping the 1-based line number where each block starts."""
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
            continue
        if current:
            raw = "\n".join(current)
            heading = heading_text(raw) if _is_heading(raw) else None
            blocks.append(Block(len(blocks), start, raw, normalize(raw), heading))
            current = []
    return blocks


@dataclass(frozen=True)
class Report:
    """A report's ordered blocks, and the look-ups the seed validator needs."""

    name: str
    blocks: tuple[Block, ...]

    @classmethod
    def parse(cls, text: str, name: str) -> Report:
        return cls(name, tuple(_blocks_of(text)))

    @classmethod
    def read(cls, path: Path) -> Report:
        return cls.parse(path.read_text(encoding="utf-8"), path.name)

    def blocks_containing(self, quote: str) -> list[Block]:
        """Every block whose text holds the quote, whitespace differences ignored."""
        wanted = normalize(quote)
        if not wanted:
            return []
        return [block for block in self.blocks if wanted in block.text]

    def spans_blocks(self, quote: str) -> bool:
        """Whether the quote is in the text only by running across a paragraph break."""
        wanted = normalize(quote)
        whole = " ".join(block.text for block in self.blocks)
        return bool(wanted) and wanted in whole and not self.blocks_containing(wanted)

    def headings_named(self, section: str) -> list[Block]:
        """The heading blocks whose normalised text is `section`."""
        wanted = heading_text(section)
        return [block for block in self.blocks if block.heading == wanted]

    def headings_before(self, index: int) -> list[Block]:
        """Headings up to and including block `index`: a heading is its own section."""
        return [block for block in self.blocks[: index + 1] if block.is_heading]
