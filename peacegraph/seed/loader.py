"""Loading the reviewed seed data into a store, in one transaction.

Everything is validated first (`seed.validate`), so a bad file changes nothing;
the upserts are idempotent, so loading twice gives the same graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peacegraph.graph.model import Label
from peacegraph.graph.store import Store
from peacegraph.seed.validate import SeedBundle, load_seed

log = logging.getLogger(__name__)

SEED_ROOT = Path(__file__).parent
DATA_DIR = SEED_ROOT / "data"
REPORTS_DIR = SEED_ROOT / "reports"
BATCH = 500

Progress = Callable[[int], None]


@dataclass(frozen=True)
class LoadResult:
    reports: list[str]
    nodes: int
    relationships: int


def report_dirs(data_dir: Path = DATA_DIR) -> list[Path]:
    """Every report folder of the seed, oldest first (folder names sort by date)."""
    return sorted(p for p in data_dir.iterdir() if p.is_dir() and (p / "report.yaml").exists())


def load_bundles(data_dir: Path = DATA_DIR, reports_dir: Path = REPORTS_DIR) -> list[SeedBundle]:
    """Validate every report folder; raises SeedError naming file, line and field."""
    return [load_seed(folder, reports_dir) for folder in report_dirs(data_dir)]


def size(bundles: list[SeedBundle]) -> int:
    return sum(1 + len(b.nodes) + len(b.relationships) for b in bundles)


async def write_bundles(
    store: Store, bundles: list[SeedBundle], progress: Progress | None = None
) -> LoadResult:
    """Upsert every bundle in one transaction; `progress` is told each batch's size."""
    nodes = relationships = 0
    async with store.transaction() as tx:
        for bundle in bundles:
            all_nodes = [bundle.document, *bundle.nodes]
            for start in range(0, len(all_nodes), BATCH):
                batch = all_nodes[start : start + BATCH]
                nodes += await tx.upsert_nodes(batch)
                if progress:
                    progress(len(batch))
            for start in range(0, len(bundle.relationships), BATCH):
                rels = bundle.relationships[start : start + BATCH]
                relationships += await tx.upsert_relationships(rels)
                if progress:
                    progress(len(rels))
    return LoadResult(
        reports=[b.document.id for b in bundles], nodes=nodes, relationships=relationships
    )


async def seed_if_empty(store: Store) -> LoadResult | None:
    """Load the seed when the store holds no report yet; None when it already does."""
    counts = await store.count_by_label()
    if counts[Label.SOURCE] > 0:
        return None
    result = await write_bundles(store, load_bundles())
    log.info("seeded %d nodes and %d relationships", result.nodes, result.relationships)
    return result
