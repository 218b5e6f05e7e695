"""Keeping the embedded store's memory outside its buffer pool from piling up in glibc.

Why: LadybugDB's threads also allocate through malloc, outside the buffer pool
(COPY's buffers, parameter values, result tables), and so do the threads that
write the bulk path's CSV files. glibc gives threads arenas of their own, up to
eight per core, and keeps what is freed in them: during a bulk import of a million
relationships the process held ~380 MiB in 23 arenas against ~95 MiB in the buffer
pool itself (read from /proc/PID/smaps; bench/FINDINGS.md). Capping the arenas
and trimming after each bulk transaction hands that memory back to the system.

Both are glibc calls made through ctypes; where the C library is another (musl,
macOS) they do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

#: glibc's mallopt parameter for the most arenas malloc may create (malloc.h).
M_ARENA_MAX = -8
#: Arenas allowed: two are enough for the store's few busy threads, and far fewer
#: than glibc's default of eight per core.
ARENAS = 2


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it
    except (OSError, AttributeError):
        return None
    return libc


def cap_arenas(count: int = ARENAS) -> bool:
    """Let malloc create at most `count` arenas from now on (process-wide)."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(M_ARENA_MAX, count))


def trim() -> bool:
    """Return malloc's free memory to the system; whether any was returned."""
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0))
