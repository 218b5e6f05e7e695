"""Cursor pagination: opaque cursors that carry an offset, and page-size checks.

The offset travels to the store as SKIP; the store is asked for one row more
than the page to know whether another page follows.
"""

from __future__ import annotations

import base64
import binascii
import re

from peacegraph.graph.errors import Invalid

_PREFIX = "offset:"
#: An offset as this API writes it: ASCII digits, and few enough to be a real
#: position (`str.isdigit` also takes "²" and other scripts' digits, which `int`
#: refuses or reads; thousands of digits overflow the stores' 64-bit SKIP).
_OFFSET = re.compile(r"[0-9]{1,15}")


class PageSizeExceeded(Invalid):
    """`first` asks for more than the configured maximum page size."""

    code = "PAGE_SIZE_EXCEEDED"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str | None, *, field: str = "after") -> int:
    """The offset just after `cursor` (0 when there is none)."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise Invalid(f"{field}: not a cursor this API gave out", field=field) from None
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or _OFFSET.fullmatch(digits) is None:
        raise Invalid(f"{field}: not a cursor this API gave out", field=field)
    return int(digits) + 1


def check_first(first: int, maximum: int, *, field: str = "first") -> int:
    if first < 0:
        raise Invalid(f"{field}: must not be negative", field=field)
    if first > maximum:
        raise PageSizeExceeded(f"{field}: at most {maximum} items per page", field=field)
    return first
