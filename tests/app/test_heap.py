"""The server settles its heap once ready (`peacegraph.app.heap`): what it holds is
frozen out of the collector's reach, and young passes are spaced out."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from peacegraph.app import heap


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("restored_collector")
def test_settling_freezes_what_is_alive_and_spaces_out_young_passes() -> None:
    held = [[index] for index in range(1000)]  # containers the collector tracks
    _, middle, old = gc.get_threshold()
    heap.settle()
    assert gc.get_freeze_count() >= len(held)
    assert gc.get_threshold() == (heap.YOUNG_THRESHOLD, middle, old)
