"""Loading the reviewed seed data into a store, in one transaction.

Everything is validated first (`seed.validate`), so a bad file changes nothing;
the write goes through the graph's one write path (`graph.importing`) and merges,
so loading twice gives the same graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peacegraph.graph.importing import import_graph
from peacegraph.graph.model import Label
from peacegraph.graph.store import Store, StoreTransaction
from peacegraph.graph.writing import Author, ImportMode, Write
from peacegraph.seed.validate import SeedBundle, load_seed

log = logging.getLogger(__name__)

SEED_ROOT = Path(__file__).parent
DATA_DIR = SEED_ROOT / "data"
REPORTS_DIR = SEED_ROOT / "reports"
#: Who the audit trail names for a change made by a seed load.
SEED_ACTOR = "seed"

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
    """Write every bundle through the one write path, in one transaction.

    A load merges (`ImportMode.MERGE`): what a report states is added to what the graph
    holds, aliases and sources unioned, and a node it leaves unchanged keeps its version,
    so loading twice gives the same graph. A load that changes stored nodes (an editor
    changed them since) gets an audit entry with their before and after images."""
    author = Author(SEED_ACTOR, note="seed load")

    async def work(tx: StoreTransaction) -> tuple[int, int]:
        nodes = relationships = 0
        for bundle in bundles:
            written = await import_graph(
                Write(tx, author),
                [bundle.document, *bundle.nodes],
                bundle.relationships,
                mode=ImportMode.MERGE,
                mutation="seedLoad",
                audit_creations=False,
                progress=progress,
            )
            nodes, relationships = nodes + written[0], relationships + written[1]
        return nodes, relationships

    nodes, relationships = await store.write(work)
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
