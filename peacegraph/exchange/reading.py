"""Reading an import file into JSON values, refusing what is not a canonical JSON text.

Each refusal is an `Invalid` with a one-line message that says what is wrong and,
where it can, what to do: the file is a directory, compressed, in another encoding,
binary, too large, not JSON, or nested deeper than any canonical document is.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from peacegraph.graph.errors import Invalid

#: Largest file `import` reads: it is parsed in memory, whole, before anything is written.
MAX_FILE_BYTES = 1 << 30
#: Deepest nesting accepted. A canonical document is at most about six levels deep
#: (document, list, record, props or sources, list, value); audit entries add a few.
MAX_DEPTH = 32

_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_MAGIC = (
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"PK\x03\x04", "a zip archive; extract the JSON file first"),
    (b"BZh", "bzip2-compressed; decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed; decompress it first"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed; decompress it first"),
)


def read_document(path: Path) -> Any:
    """The JSON value in `path`; Invalid (without the file name) when it cannot be one."""
    return parse(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise Invalid("no such file", field="FILE") from None
    except OSError as error:
        raise Invalid(f"cannot read it ({error.strerror})", field="FILE") from None
    if stat.S_ISDIR(info.st_mode):
        raise Invalid("is a directory, not a file", field="FILE")
    if not stat.S_ISREG(info.st_mode):
        raise Invalid("is not a regular file", field="FILE")
    if info.st_size > MAX_FILE_BYTES:
        raise Invalid(
            f"{info.st_size} bytes, over the import limit of {MAX_FILE_BYTES}", field="FILE"
        )
    try:
        return path.read_bytes()
    except OSError as error:
        raise Invalid(f"cannot read it ({error.strerror})", field="FILE") from None


def parse(data: bytes) -> Any:
    """The JSON value of `data`, which must be UTF-8 JSON text of bounded depth."""
    value = _loads(_text(data))
    _check_values(value)
    return value


def _text(data: bytes) -> str:
    for mark, name in _BOMS:
        if data.startswith(mark):
            raise Invalid(f"is {name} text; save it as UTF-8", field="FILE")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise Invalid(f"is {what}", field="FILE")
    if not data.strip():
        raise Invalid("is empty", field="FILE")
    if b"\x00" in data[:4096]:
        kind = "UTF-16 or UTF-32 text; save it as UTF-8" if _wide(data) else "binary, not JSON"
        raise Invalid(f"is {kind}", field="FILE")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise Invalid(
            f"line {line}: byte 0x{byte:02x} is not UTF-8 "
            "(Latin-1 or Windows-1252 text? save it as UTF-8)",
            field="FILE",
        ) from None


def _wide(data: bytes) -> bool:
    """Whether text looks like UTF-16/32 without a byte-order mark: ASCII JSON in those
    encodings puts a zero byte next to almost every character."""
    head = data[:256]
    return head.count(0) * 4 >= len(head) and head.strip(b"\x00")[:1] in {b"{", b"["}


def _loads(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_object, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise Invalid(
            f"line {error.lineno} column {error.colno}: not JSON ({error.msg})", field="FILE"
        ) from None
    except _Refused as error:
        raise Invalid(str(error), field="FILE") from None
    except RecursionError:
        raise Invalid(f"nested deeper than {MAX_DEPTH} levels", field="FILE") from None
    except ValueError as error:  # for example a number with more digits than Python reads
        raise Invalid(f"not JSON ({error})", field="FILE") from None


class _Refused(ValueError):
    """Valid JSON syntax that an import file may not hold."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing a key given twice (JSON parsers differ on which wins)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON number")


def _check_values(value: Any) -> None:
    """Refuse values nested deeper than MAX_DEPTH (without recursing), and text that
    is not Unicode (a JSON escape may name half a surrogate pair)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Invalid(f"nested deeper than {MAX_DEPTH} levels", field="FILE")
        if isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise Invalid(
                    f"text {item[:40]!r} holds an unpaired surrogate escape", field="FILE"
                ) from None
