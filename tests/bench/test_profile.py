"""The benchmark's profile names every statement a network view and a page of
links run (`bench.profile.describe`), so that RESULTS.md says what each one reads
rather than quoting its text."""

from __future__ import annotations

from bench.profile import describe
from peacegraph.graph.embedded import tracing
from peacegraph.graph.embedded.store import EmbeddedStore

KINDS = (
    "stored relationship pairs",
    "link counts",
    "link count of one anchor",
    "links of anchors",
    "links of one anchor",
    "links among the chosen nodes",
    "links: one page",
    "storage offsets by id",
    "nodes by id",
)


async def test_every_statement_of_a_view_and_a_page_has_a_name(
    seeded_embedded: EmbeddedStore,
) -> None:
    with tracing.traced() as timings:
        await seeded_embedded.network(["org:wanep-mali"], depth=2, limit=40)
        await seeded_embedded.network(["org:wanep-mali"], depth=2, limit=500)
        await seeded_embedded.neighbours("org:wanep-mali", limit=5)
    names = {describe(t.statement) for t in timings}
    assert {name.split(" (")[0] for name in names} <= set(KINDS), names
    assert any(name.startswith("links of one anchor") for name in names)
    assert any(name.startswith("links among the chosen nodes") for name in names)
