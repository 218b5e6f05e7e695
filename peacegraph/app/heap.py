"""The server process's garbage collector, set once the server is ready to serve.

Both settings are about the collector's passes pausing requests, not about memory:
- What is alive by then (modules, the schema, the seed's work) lives as long as
  the server, so it is frozen out of the collector's reach: full passes over the
  ~70,000 objects of a warm server took ~30 ms and paused every request.
- A network view's objects live as long as its request (rows, steps,
  relationships: the 100k/1M graph's 500-node view still holds ~3,300 containers
  when it ends, more while it reads). At CPython's default of a young pass every
  700 allocations that view set off 13 passes, which also moved its objects into
  the older generations to be walked again there: ~0.9 ms of its 21.7 ms. With a
  young pass every 10,000 allocations it took 0.96 of its time, and the seed's
  view 0.997 (alternating in one process).
  Cyclic garbage waits a little longer before it is freed; garbage without
  cycles is freed at once, as always.
"""

from __future__ import annotations

import gc

#: Allocations (net of frees) between two passes over the youngest generation.
YOUNG_THRESHOLD = 10_000


def settle() -> None:
    """Collect and freeze what the process holds now, and space out the collector's
    young passes (`YOUNG_THRESHOLD`); the older generations keep their settings."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
