"""What the benchmark asks, of which nodes, and the direct Store calls it compares with.

The GraphQL side is six queries a frontend or analyst sends. The direct side is
not written by hand: each query is executed once in-process against a recording
wrapper of the store, and the store calls it made (same methods, same arguments,
in the same order) are what "the direct Store call" replays. So the ratio
measures exactly what GraphQL, HTTP and JSON add on top of the store's work.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from peacegraph.graph.model import FACT_TYPES, Label
from peacegraph.graph.records import Node, Relationship
from peacegraph.graph.store import Store
from peacegraph.resolvers.context import Context
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema

LOOKUP = "query Lookup($id: ID!) { node(id: $id) { id name kind nodeKind } }"
SEARCH = "query Search($text: String!) { search(text: $text, first: 10) { nodes { id name } } }"
NESTED = """query Nested {
  organizations(first: 100) {
    nodes { id name
      events(first: 10) { node { id name
        ... on Event { participants(first: 10) { node { id name } } } } } } } }"""
NETWORK = """query Network($seeds: [ID!]!) {
  network(seeds: $seeds, depth: 2, limit: 500) { truncated elements } }"""
#: The network view cut to a given node budget: the view at each size with the
#: smallest size's answer as its budget (table (d), "at equal answer size").
NETWORK_LIMITED = """query NetworkLimited($seeds: [ID!]!, $limit: Int!) {
  network(seeds: $seeds, depth: 2, limit: $limit) { truncated elements } }"""
PATH = """query Path($from: ID!, $to: ID!) {
  path(from: $from, to: $to, maxLength: 4) {
    length nodes { id name } hops { type source target } } }"""
STATS = """query Stats($from: String!, $to: String!) {
  stats(from: $from, to: $to) {
    countsByKind { key count } reach { events participants women youth } } }"""

#: The operations of measure (b), in report order: name -> GraphQL text.
OPERATIONS = {
    "lookup": LOOKUP,
    "search": SEARCH,
    "nested": NESTED,
    "network": NETWORK,
    "path": PATH,
    "stats": STATS,
}


@dataclass(frozen=True)
class Targets:
    """The nodes and arguments the queries are asked about, chosen from the loaded graph."""

    hub: str
    lookup_ids: list[str]
    search_text: str
    path: tuple[str, str]
    period: tuple[str, str]

    def variables(self, operation: str, turn: int = 0) -> dict[str, Any]:
        """Variables of one run of an operation (lookups rotate over many ids)."""
        if operation == "lookup":
            return {"id": self.lookup_ids[turn % len(self.lookup_ids)]}
        if operation == "search":
            return {"text": self.search_text}
        if operation == "network":
            return {"seeds": [self.hub]}
        if operation == "path":
            return {"from": self.path[0], "to": self.path[1]}
        if operation == "stats":
            return {"from": self.period[0], "to": self.period[1]}
        return {}


def choose_targets(
    nodes: Sequence[Node], relationships: Sequence[Relationship], seed: int = 7
) -> Targets:
    """The same rules at every size: the most connected organisation is the hub."""
    rng = random.Random(seed)
    degree: Counter[str] = Counter()
    facts = set(FACT_TYPES)
    for rel in relationships:
        if rel.type in facts:
            degree[rel.source] += 1
            degree[rel.target] += 1
    by_label: dict[Label, list[Node]] = {label: [] for label in Label}
    for node in nodes:
        by_label[node.label].append(node)
    organisations = by_label[Label.ORGANIZATION]
    hub = max(organisations, key=lambda n: (degree[n.id], n.id))
    aliases = hub.props.get("aliases")
    search_text = aliases[0] if isinstance(aliases, list) and aliases else hub.name
    people = [n for n in by_label[Label.PERSON] if degree[n.id]] or organisations
    target = rng.choice(people)
    lookup_ids = [n.id for n in rng.sample(list(nodes), k=min(50, len(nodes)))]
    return Targets(
        hub=hub.id,
        lookup_ids=lookup_ids,
        search_text=search_text,
        path=(hub.id, target.id if target.id != hub.id else organisations[-1].id),
        period=_busiest_quarter(by_label[Label.EVENT]),
    )


def _busiest_quarter(events: Sequence[Node]) -> tuple[str, str]:
    """The quarter with most events, as (first month, last month)."""
    quarters: Counter[tuple[str, int]] = Counter()
    for event in events:
        start = event.props.get("dateFrom")
        if isinstance(start, str):
            quarters[(start[:4], (int(start[5:7]) - 1) // 3)] += 1
    if not quarters:
        return ("2023-07", "2023-09")
    (year, quarter), _ = max(quarters.items(), key=lambda item: (item[1], item[0]))
    return (f"{year}-{quarter * 3 + 1:02d}", f"{year}-{quarter * 3 + 3:02d}")


@dataclass(frozen=True)
class Call:
    """One Store call a GraphQL execution made."""

    method: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class RecordingStore:
    """Delegates to a real store and keeps every call, with its arguments."""

    def __init__(self, inner: Store) -> None:
        self._inner = inner
        self.backend = inner.backend
        self.calls: list[Call] = []

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if not callable(target) or name == "transaction":
            return target

        async def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(Call(name, args, kwargs))
            return await target(*args, **kwargs)

        return call


@cache
def _schema() -> Any:
    return build_schema(Limits(max_tokens=5000, timeout_seconds=120.0))


async def execute(store: Store | RecordingStore, query: str, variables: dict[str, Any]) -> Any:
    """Run a query in-process (no HTTP); raises when it answers with errors."""
    schema = _schema()
    context = Context(store=store, limits=Limits(), request_id="bench")
    result = await schema.execute(query, variable_values=variables, context_value=context)
    if result.errors:
        raise RuntimeError(f"benchmark query failed: {result.errors[0].message}")
    return result.data


async def record_calls(store: Store, query: str, variables: dict[str, Any]) -> list[Call]:
    """The Store calls one execution of `query` makes."""
    recorder = RecordingStore(store)
    await execute(recorder, query, variables)
    return recorder.calls


async def direct_calls(store: Store, targets: Targets, operation: str) -> list[list[Call]]:
    """The recorded Store calls of each distinct run of an operation (lookups rotate)."""
    turns = len(targets.lookup_ids) if operation == "lookup" else 1
    query = OPERATIONS[operation]
    return [await record_calls(store, query, targets.variables(operation, t)) for t in range(turns)]


def replay(store: Store, runs: Sequence[Sequence[Call]]) -> Callable[[int], Awaitable[None]]:
    """A coroutine function making run `turn`'s recorded calls directly, in order."""

    async def run(turn: int) -> None:
        for call in runs[turn % len(runs)]:
            await getattr(store, call.method)(*call.args, **call.kwargs)

    return run
