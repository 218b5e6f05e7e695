"""The load test, briefly: a real server, concurrent reads and editor writes, and every
acknowledged write found in the store afterwards. The full run is `make loadtest`."""

from __future__ import annotations

from pathlib import Path

from bench.loadtest import run_load_test, write_section


async def test_a_short_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    result = await run_load_test(tmp_path / "store", duration=3.0, concurrency=8)
    assert result.requests > 20
    assert result.latencies["read"] and result.latencies["write"]
    assert len(result.acknowledged) > 0
    assert result.missing == [] and result.wrong == []
    assert len(result.acknowledged) <= result.stored <= len(result.attempted)
    assert result.internal == 0
    assert result.errors == 0, result.summary()


def test_the_results_section_replaces_only_its_own(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(
        "# Results\n\n## Benchmark\n\nfigures\n\n## Load test\n\nold\n\n## Later\n\nkept\n"
    )
    write_section(results, "## Load test\n\nnew\n")
    text = results.read_text()
    assert "old" not in text and "new" in text
    assert "## Benchmark\n\nfigures" in text and "## Later\n\nkept" in text
    write_section(tmp_path / "fresh.md", "## Load test\n\nfirst\n")
    assert "## Load test\n\nfirst" in (tmp_path / "fresh.md").read_text()
