"""The embedded store's malloc settings (graph/embedded/native_memory.py): made on
glibc, a no-op elsewhere, never an error."""

from __future__ import annotations

import platform

from peacegraph.graph.embedded import native_memory


def test_retention_is_limited_and_free_memory_trimmed_on_glibc() -> None:
    on_glibc = platform.libc_ver()[0] == "glibc"
    assert native_memory.limit_retention() is on_glibc
    assert isinstance(native_memory.trim(), bool)
    if not on_glibc:
        assert native_memory.trim() is False
