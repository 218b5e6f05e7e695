"""Figures, the issue's bars, machine facts, and the two result files.

`results.json` holds every raw figure; `RESULTS.md` is the table a person reads,
with the exact command, the machine, the bars (met or not) and the profile
findings kept by hand in `bench/FINDINGS.md`.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.loadtest import LOAD_SECTION, write_section

GIB = 1024**3
STORE_NAMES = {"embedded": "embedded (LadybugDB)", "neo4j": "Neo4j (official async driver)"}
FINDINGS = Path(__file__).with_name("FINDINGS.md")


def summary(samples: list[float]) -> dict[str, float]:
    """Median, p95 and p99 (nearest rank) of samples in seconds, in milliseconds."""
    ordered = sorted(samples)

    def rank(share: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000

    return {
        "n": len(ordered),
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
        "min_ms": ordered[0] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def machine_facts(repo: Path) -> dict[str, Any]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = 0
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    commit = _git(repo, "rev-parse", "--short", "HEAD")
    dirty = bool(_git(repo, "status", "--porcelain", "--untracked-files=no"))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory / GIB, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "packages": {
            name: version(name)
            for name in ("ladybug", "strawberry-graphql", "starlette", "uvicorn")
        },
        "commit": f"{commit}{' (with uncommitted changes)' if dirty else ''}",
    }


def _git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, text=True, check=False, timeout=10
        )
    except OSError:
        return ""
    return done.stdout.strip()


def _bar(number: str, text: str, value: float, limit: float, *, at_most: bool) -> dict[str, Any]:
    met = value <= limit if at_most else value >= limit
    return {"bar": number, "what": text, "value": value, "limit": limit, "met": met}


def bars(
    sizes: list[dict[str, Any]], in_turns: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The five bars of issue 8, on the largest size measured (embedded store). Bar 3
    is the ratio of the smallest and largest sizes' views taken in turns
    (`harness.network_in_turns`) when there is one, else of their own medians."""
    _, largest = _extremes(sizes)
    ops = largest["operations"]
    network_growth = in_turns["ratio"] if in_turns else _network_apart(sizes)
    return [
        _bar("1", "network view, GraphQL / direct", ops["network"]["ratio"], 1.5, at_most=True),
        _bar("1", "3-level nested, GraphQL / direct", ops["nested"]["ratio"], 2.0, at_most=True),
        _bar("1", "lookup by id, GraphQL / direct", ops["lookup"]["ratio"], 3.0, at_most=True),
        _bar(
            "2",
            "nested: naive / GraphQL (speed-up)",
            largest["naive"]["speedup"],
            10,
            at_most=False,
        ),
        _bar("3", "network view, largest / smallest size", network_growth, 2.0, at_most=True),
        _bar(
            "4",
            "lookup throughput, GraphQL / bare Starlette",
            largest["throughput"]["ratio"],
            0.5,
            at_most=False,
        ),
        _bar("5", "bulk load seconds (largest size)", largest["load"]["seconds"], 60, at_most=True),
        _bar(
            "5",
            "server RSS under load, GiB",
            largest["rss"]["under_load_peak_bytes"] / GIB,
            1.0,
            at_most=True,
        ),
    ]


def _in_turns_lines(results: dict[str, Any]) -> list[str]:
    """Bar 3's own measurement: the two views in turns, after every size was measured."""
    figures = results.get("network_in_turns")
    if not figures:
        return []
    smallest, largest = _extremes(results["sizes"])
    return [
        "",
        f"Bar 3 is taken with the two views in turns, each from its own server, after"
        f" every size was measured: {largest['name']} {_ms(figures['largest'])},"
        f" {smallest['name']} {_ms(figures['smallest'])} (GraphQL over HTTP), ratio"
        f" {figures['ratio']:.2f}. The same ratio from the table above, whose rows were"
        f" taken minutes apart: {_network_apart(results['sizes']):.2f}.",
    ]


def _extremes(sizes: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The smallest and the largest size measured, by relationships."""

    def relationships(size: dict[str, Any]) -> int:
        return int(size["relationships"])

    return min(sizes, key=relationships), max(sizes, key=relationships)


def _network_apart(sizes: list[dict[str, Any]]) -> float:
    """Bar 3 from each size's own median in table (d): largest over smallest."""
    smallest, largest = _extremes(sizes)
    return float(
        largest["operations"]["network"]["graphql"]["median_ms"]
        / smallest["operations"]["network"]["graphql"]["median_ms"]
    )


def _equal_answer_lines(sizes: list[dict[str, Any]]) -> list[str]:
    """Table (d) again with every size's view cut to the smallest size's answer
    (`network_equal`): whether the cost follows the graph when the answer does not
    grow. Results from before this measure existed have none, and get no table."""
    equal = [size for size in sizes if size.get("network_equal", {}).get("graphql")]
    if not equal:
        return []
    smallest = min(equal, key=lambda s: s["relationships"])
    base = smallest["network_equal"]["graphql"]["median_ms"]
    lines = [
        "",
        f"At equal answer size: each view cut to the smallest size's answer"
        f" ({smallest['network_equal']['limit']} nodes), GraphQL over HTTP. This is not"
        " bar 3, which keeps the budget of 500 nodes; it shows what a larger graph"
        " costs when the answer keeps its node count (the edges among those nodes"
        " still depend on the graph).",
        "",
        "| size | node budget | answer nodes / edges | GraphQL/HTTP | / smallest |",
        "|---|---|---|---|---|",
    ]
    for size in equal:
        figure = size["network_equal"]
        lines.append(
            f"| {size['name']} | {figure['limit']} | {figure['nodes']} / {figure['edges']} | "
            f"{_ms(figure['graphql'])} | {figure['graphql']['median_ms'] / base:.2f} |"
        )
    return lines


#: Sections of RESULTS.md written by other runs than the embedded store's benchmark,
#: kept when it rewrites the file: the load test, this harness on Neo4j, the hub
#: safety measure (bench/hub.py), the side by side with @neo4j/graphql
#: (bench/anchor.py) and bulk load against COPY (bench/bulk.py).
NEO4J_HEADING = "## On Neo4j"
KEPT_HEADINGS = (
    NEO4J_HEADING,
    "## Hub safety on Neo4j",
    "## Side by side with @neo4j/graphql",
    "## Bulk load against COPY, and the round trip at scale",
)


_HEADING = re.compile(r"^## .*$", re.MULTILINE)


def section_pattern(heading: str) -> re.Pattern[str]:
    """A level-2 section of RESULTS.md, up to the next level-2 (or 1) heading."""
    return re.compile(rf"^{re.escape(heading)}\b.*?(?=^## |^# |\Z)", re.MULTILINE | re.DOTALL)


def put_section(path: Path, heading: str, section: str) -> None:
    """Put `section` (starting with `heading`) in `path`, replacing an older one,
    before the findings and the load test; the rest of the file as it was."""
    text = path.read_text() if path.exists() else "# Results\n"
    pattern = section_pattern(heading)
    body = section.rstrip() + "\n\n"
    if pattern.search(text):
        text = pattern.sub(lambda _: body, text, count=1)
    else:
        first = re.search(
            r"^# Benchmark findings|^## Profile findings|^## Load test", text, re.MULTILINE
        )
        at = first.start() if first else len(text.rstrip()) + 1
        text = text[:at].rstrip() + "\n\n" + body + text[at:]
    path.write_text(text.rstrip() + "\n")


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "RESULTS.md"
    if results.get("store", "embedded") != "embedded":
        (out / "results-neo4j.json").write_text(
            json.dumps(results, indent=2, sort_keys=True) + "\n"
        )
        put_section(path, NEO4J_HEADING, neo4j_section(results))
        return
    (out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    previous = path.read_text() if path.exists() else ""
    path.write_text(markdown(results))
    for heading in KEPT_HEADINGS:
        kept = section_pattern(heading).search(previous)
        if kept:
            put_section(path, heading, kept.group(0))
    kept = LOAD_SECTION.search(previous)
    if kept:  # the load test (`make loadtest`) writes its own section: keep it
        write_section(path, kept.group(0))
    # Any other section that another run wrote (subscription abuse, extraction...) is
    # kept too, at the end: this run owns only the sections it writes.
    written = set(_HEADING.findall(path.read_text()))
    for heading in _HEADING.findall(previous):
        section = section_pattern(heading).search(previous)
        if heading not in written and section:
            kept_text = path.read_text().rstrip() + "\n\n" + section.group(0).rstrip()
            path.write_text(kept_text + "\n")


def neo4j_section(results: dict[str, Any]) -> str:
    """The same tables on Neo4j, as one section of RESULTS.md (headings one level down)."""
    lines = markdown(results, findings=False).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Command:"))
    body = [("#" + line) if line.startswith("## ") else line for line in lines[start:]]
    intro = [
        NEO4J_HEADING,
        "",
        "The same harness and measures on the Neo4j store (`--store neo4j`): Neo4j "
        "Community 5.26 from `tools/neo4j/run.sh`, a fresh server per size unless "
        "NEO4J_URI is set, loaded through `Store.bulk_load` (UNWIND batches). The bars' "
        "limits are the embedded store's, shown for comparison; bar 3 is taken from "
        "table (d) (the two sizes' views apart, not in turns), and there is no "
        "statement-by-statement profile (it traces the embedded store).",
        "",
    ]
    return "\n".join(intro + body) + "\n"


def _ms(figure: dict[str, float]) -> str:
    return f"{figure['median_ms']:.2f} / {figure['p95_ms']:.2f}"


def markdown(results: dict[str, Any], *, findings: bool = True) -> str:
    machine = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    lines = [
        "# PeaceGraph benchmark results",
        "",
        "Generated by the harness (`bench/harness.py`); do not edit by hand: profile",
        "findings live in `bench/FINDINGS.md` and are copied in below.",
        "",
        f"Command: `{results['command']}`"
        + ("  (quick mode: tiny sizes)" if results["quick"] else ""),
        "",
        f"Run: {results['started']}, {results['seconds']:.0f} s, commit {machine['commit']}.",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['os']}, Python {machine['python']}; {packages}."
        + (
            f" Load average when the run started: {machine['load_average_at_start']}"
            " (the machine is shared)."
            if "load_average_at_start" in machine
            else ""
        ),
        f"Store: {STORE_NAMES[results.get('store', 'embedded')]}, one uvicorn worker; "
        "client on loopback: "
        "bench/client.py, a minimal HTTP/1.1 keep-alive client on asyncio streams "
        "(requests built before timing; one connection per concurrent worker) "
        "in one Python process. "
        "The direct Store calls are replayed and timed inside the server process, in "
        "turns with the GraphQL request of the same run; the naive baseline and the "
        "real schema take turns too. HTTP requests are timed from sending to the "
        "answer's last byte; the answer is checked for errors after the time is taken. "
        f"Warm-up {results['plan']['warmup']} runs; repeats {results['plan']['repeats']}; "
        f"load tests {results['plan']['throughput_seconds']} s each at concurrency "
        f"{results['plan']['concurrency']}, GraphQL and bare taking turns in "
        f"{results['plan'].get('throughput_rounds', 1)} rounds.",
        "",
        "Latencies are median / p95 in milliseconds.",
        "",
        "## Bars (largest size)",
        "",
        "| bar | what | value | limit | met |",
        "|---|---|---|---|---|",
    ]
    for bar in results["bars"]:
        lines.append(
            f"| {bar['bar']} | {bar['what']} | {bar['value']:.2f} | {bar['limit']:g} | "
            f"{'yes' if bar['met'] else '**no**'} |"
        )
    lines += ["", "## (a) Bulk load", "", "| size | nodes | rels | seconds | rels/s | disk MiB |"]
    lines.append("|---|---|---|---|---|---|")
    for size in results["sizes"]:
        load = size["load"]
        lines.append(
            f"| {size['name']} | {size['nodes']} | {size['relationships']} | "
            f"{load['seconds']:.2f} | {load['relationships_per_second']:.0f} | "
            f"{load['disk_bytes'] / 2**20:.1f} |"
        )
    lines += ["", "## (b) GraphQL over HTTP against the direct Store calls", ""]
    lines += ["| size | operation | direct | GraphQL/HTTP | ratio | store calls |"]
    lines.append("|---|---|---|---|---|---|")
    for size in results["sizes"]:
        for name, figure in size["operations"].items():
            calls = ", ".join(figure["direct"]["store_calls"])
            lines.append(
                f"| {size['name']} | {name} | {_ms(figure['direct'])} | "
                f"{_ms(figure['graphql'])} | {figure['ratio']:.2f} | {calls} |"
            )
    lines += [
        "",
        "HTTP floor: sequential lookups on the bare Starlette endpoint (same store call, "
        "same JSON, no GraphQL), median / p95 ms: "
        + ", ".join(f"{s['name']} {_ms(s['http_floor'])}" for s in results["sizes"])
        + ".",
    ]
    lines += ["", "## (c) Nested query against the naive baseline", ""]
    lines += ["| size | naive | GraphQL (DataLoaders) | speed-up |", "|---|---|---|---|"]
    for size in results["sizes"]:
        lines.append(
            f"| {size['name']} | {_ms(size['naive']['naive'])} | "
            f"{_ms(size['naive']['graphql'])} | {size['naive']['speedup']:.1f} |"
        )
    lines += ["", "## (d) Network view (depth 2, at most 500 nodes) by size", ""]
    lines += [
        "| size | answer nodes / edges | direct | GraphQL/HTTP | GraphQL ms per 100 elements |",
        "|---|---|---|---|---|",
    ]
    for size in results["sizes"]:
        network = size["operations"]["network"]
        answer = size["network_answer"]
        elements = answer["nodes"] + answer["edges"]
        per_hundred = network["graphql"]["median_ms"] / elements * 100 if elements else 0.0
        lines.append(
            f"| {size['name']} | {answer['nodes']} / {answer['edges']} | "
            f"{_ms(network['direct'])} | {_ms(network['graphql'])} | {per_hundred:.2f} |"
        )
    lines += [
        "",
        "Bar 3 compares the largest size with the smallest, whose answers differ in size;"
        " the last column is the same latency for each 100 nodes and edges answered.",
    ]
    lines += _in_turns_lines(results)
    lines += _equal_answer_lines(results["sizes"])
    lines += _profile_lines(results["sizes"])
    lines += ["", "## (e) Lookup at concurrency 32, and (f) server memory", ""]
    lines += [
        "| size | endpoint | req/s | p50 ms | p99 ms | client CPU share | same JSON |",
        "|---|---|---|---|---|---|---|",
    ]
    for size in results["sizes"]:
        for endpoint in ("graphql", "bare"):
            figure = size["throughput"][endpoint]
            lines.append(
                f"| {size['name']} | {endpoint} | {figure['requests_per_second']:.0f} | "
                f"{figure['p50_ms']:.2f} | {figure['p99_ms']:.2f} | "
                f"{figure['client_cpu_share']:.2f} | {size['same_json']} |"
            )
    lines += ["", "| size | RSS under load MiB | lifetime peak RSS MiB |", "|---|---|---|"]
    for size in results["sizes"]:
        rss = size["rss"]
        lines.append(
            f"| {size['name']} | {rss['under_load_peak_bytes'] / 2**20:.0f} | "
            f"{rss['lifetime_peak_bytes'] / 2**20:.0f} |"
        )
    lines += ["", "## Targets", ""]
    for size in results["sizes"]:
        lines.append(f"- {size['name']}: {size['targets']}")
    if findings and FINDINGS.exists():
        lines += ["", FINDINGS.read_text().strip()]
    return "\n".join(lines) + "\n"


def _profile_lines(sizes: list[dict[str, Any]]) -> list[str]:
    """The network view's profile (`bench/profile.py`): per size, where its time goes;
    statement by statement for the smallest and largest sizes, which bar 3 compares."""
    profiled = [size for size in sizes if size.get("network_profile")]
    if not profiled:
        return []
    lines = ["", "## Profile: the network view, statement by statement", ""]
    lines += [
        "The direct call, traced in the benchmark process (median of the traced runs). "
        "Statements run side by side, so their durations add up to more than the time "
        "with a statement in flight; the rest is Python (expansion, building the answer).",
        "",
        "| size | median ms (min–max) | statements | rows | with a statement in flight ms "
        "| Python ms |",
        "|---|---|---|---|---|---|",
    ]
    for size in profiled:
        figure = size["network_profile"]
        low, high = figure["spread_ms"]
        lines.append(
            f"| {size['name']} | {figure['median_ms']:.1f} ({low:.1f}–{high:.1f}) | "
            f"{len(figure['statements'])} | {figure['rows']} | "
            f"{figure['statements_ms']:.1f} | {figure['python_ms']:.1f} |"
        )
    shown = [profiled[0], profiled[-1]] if len(profiled) > 1 else profiled
    for size in shown:
        lines += ["", f"{size['name']}:", "", "| starts at ms | ms | rows | statement |"]
        lines.append("|---|---|---|---|")
        for statement in size["network_profile"]["statements"]:
            lines.append(
                f"| {statement['start_ms']:.1f} | {statement['ms']:.1f} | "
                f"{statement['rows']} | {statement['what']} |"
            )
    return lines
