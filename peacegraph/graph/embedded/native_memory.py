"""Keeping the embedded store's memory outside its buffer pool from piling up in glibc.

Why: LadybugDB's threads also allocate through malloc, outside the buffer pool
(COPY's buffers, parameter values, result tables), and so do the threads that
write the bulk path's CSV files. glibc gives threads arenas of their own, up to
eight per core, and keeps what is freed in them: during a bulk import of a million
relationships the process held ~380 MiB in 23 arenas against ~95 MiB in the buffer
pool itself (read from /proc/PID/smaps; bench/FINDINGS.md). Capping the arenas,
serving every block of MMAP_THRESHOLD or more by its own mapping (glibc otherwise
raises that threshold as large blocks are freed, up to 32 MiB, and keeps them in
the arenas), and trimming after each bulk transaction hand that memory back to the
system: the import's peak went from 1,064 to 938 MiB with the fixed threshold.

Both are glibc calls made through ctypes; where the C library is another (musl,
macOS) they do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys

#: glibc's mallopt parameters (malloc.h): the most arenas malloc may create, and the
#: size from which a block gets a mapping of its own, returned to the system when freed.
M_ARENA_MAX = -8
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1024 * 1024
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


def limit_retention(arenas: int = ARENAS) -> bool:
    """Let malloc create at most `arenas` arenas from now on, and map every block of
    MMAP_THRESHOLD or more on its own (process-wide); whether glibc took both."""
    libc = _glibc()
    return (
        libc is not None
        and bool(libc.mallopt(M_ARENA_MAX, arenas))
        and bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    )


def trim() -> bool:
    """Return malloc's free memory to the system; whether any was returned."""
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0))
