"""Text folding for search: accents, case and punctuation do not matter."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn punctuation into single spaces.

    `fold("Taoudéni")` is `"taoudeni"`; `fold("WANEP-Mali")` is `"wanep mali"`.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare).strip()


def search_key(name: str, aliases: list[str] | None) -> str:
    """The folded name and aliases, separated by ` | ` so phrases never join across."""
    names = [name, *(aliases or [])]
    seen: list[str] = []
    for folded in (fold(n) for n in names):
        if folded and folded not in seen:
            seen.append(folded)
    return " | ".join(seen)
