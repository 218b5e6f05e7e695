"""Schema-driven fuzzing of /graphql: what to send, and what no answer may ever be.

Used by the test suite (a bounded, reproducible campaign) and by `python -m bench.fuzz`
(a long one, on demand). Requests come from Hypothesis strategies over the schema:
valid and invalid queries and mutations from hypothesis-graphql, one operation per
root field whose arguments are passed as variables drawn from their declared types
(and from anything JSON can hold), and malformed HTTP envelopes. Each answer is
judged by `problems_in`: never a 5xx other than a coded 503, never slower than the
request timeout, always JSON with a stable `extensions.code` on every error, an
INTERNAL error only with the masked message, and no traceback, file path or Cypher in
any message. This module needs the dev extras (hypothesis, hypothesis-graphql).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import graphql
import httpx
import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

#: Kinds of probe and their share of a campaign.
SHARES = {
    "query": 0.30,
    "bad-query": 0.20,
    "mutation": 0.08,
    "bad-mutation": 0.08,
    "variables": 0.19,
    "envelope": 0.15,
}

#: Ids that exist in the seed, so that generated requests also reach real data.
KNOWN_IDS = (
    "org:cedeao",
    "org:wanep",
    "org:wanep-mali",
    "org:fba",
    "programme:ecowarn",
    "place:mali",
    "place:mopti",
)

_MASKED = re.compile(r"^Internal error \(request [^()]{1,64}\)\.$")
_LEAKS = (
    ("a traceback", re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+")),
    ("a file path", re.compile(r"(?:/[\w.-]+){2,}\.(?:py|lbug|sqlite)\b|site-packages|/usr/lib/")),
    (
        "Cypher",
        re.compile(r"\b(?:MATCH|MERGE|CREATE) \(\w*:\w+|\bUNWIND \$\w+|\bDETACH DELETE\b"),
    ),
)


@dataclass(frozen=True)
class Probe:
    """One HTTP request to /graphql."""

    kind: str
    method: str = "POST"
    content: bytes = b""
    content_type: str = "application/json"
    params: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> str:
        """The probe in full, to replay it (headers left out: they may hold a token)."""
        return json.dumps(
            {
                "kind": self.kind,
                "method": self.method,
                "content": self.content.decode("utf-8", "replace"),
                "content_type": self.content_type,
                "params": list(self.params),
            }
        )

    def describe(self) -> str:
        shown = self.content[:300].decode("utf-8", "replace") or str(self.params)[:300]
        return f"{self.kind} {self.method} {shown}"


def operation_probe(kind: str, query: object) -> Probe:
    return Probe(kind, content=json.dumps({"query": query}).encode())


@dataclass
class Campaign:
    """What a fuzz campaign sent and what came back."""

    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    failing: list[Probe] = field(default_factory=list)
    slowest: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def report(self) -> str:
        lines = [f"{self.total} requests; slowest answer {self.slowest:.2f} s"]
        lines.append("sent: " + ", ".join(f"{k} {v}" for k, v in sorted(self.sent.items())))
        lines.append("HTTP: " + ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items())))
        lines.append("codes: " + ", ".join(f"{k} {v}" for k, v in self.codes.most_common()))
        lines.append(f"problems: {len(self.problems)}")
        lines.extend(f"  {p}" for p in self.problems[:20])
        return "\n".join(lines)


def _errors_of(body: object) -> list[Any]:
    if isinstance(body, list):
        return [e for item in body for e in _errors_of(item)]
    if isinstance(body, dict):
        errors = body.get("errors") or []
        return list(errors) if isinstance(errors, list) else [errors]
    return []


def problems_in(
    status: int, content_type: str, text: str, elapsed: float, timeout: float
) -> tuple[list[str], list[str]]:
    """(problems, error codes) of one answer; an empty problem list is a pass."""
    problems: list[str] = []
    if elapsed > timeout:
        problems.append(f"answered in {elapsed:.1f} s, over the {timeout:g} s timeout")
    if "application/json" not in content_type:
        if not (status == 200 and "text/html" in content_type):
            problems.append(f"HTTP {status} answered with {content_type or 'no content type'}")
        return problems, []
    try:
        body = json.loads(text)
    except ValueError:
        return [*problems, f"HTTP {status}: body is not JSON"], []
    codes: list[str] = []
    for error in _errors_of(body):
        if not isinstance(error, dict):
            problems.append(f"malformed error {error!r:.80}")
            continue
        message = str(error.get("message", ""))
        extensions = error.get("extensions")
        code = extensions.get("code") if isinstance(extensions, dict) else None
        if not isinstance(code, str) or not code:
            problems.append(f"error without a code: {message:.120}")
            continue
        codes.append(code)
        if code == "INTERNAL" and not _MASKED.match(message):
            problems.append(f"unmasked INTERNAL error: {message:.120}")
        for what, pattern in _LEAKS:
            if pattern.search(message):
                problems.append(f"{what} in an error message: {message:.160}")
    if status >= 500 and not (status == 503 and codes == ["STORE_UNAVAILABLE"]):
        problems.append(f"HTTP {status} ({', '.join(codes) or 'no code'})")
    return problems, codes


async def send(client: httpx.AsyncClient, probe: Probe, timeout: float, campaign: Campaign) -> None:
    """Send one probe and record its verdict in the campaign."""
    headers = dict(probe.headers)
    if probe.method == "POST":
        headers.setdefault("content-type", probe.content_type)
    started = time.perf_counter()
    try:
        response = await client.request(
            probe.method,
            "/graphql",
            content=probe.content if probe.method == "POST" else None,
            params=probe.params or None,
            headers=headers,
            timeout=timeout * 2,
        )
    except httpx.HTTPError as error:
        campaign.sent[probe.kind] += 1
        campaign.problems.append(f"no answer ({type(error).__name__}): {probe.describe()}")
        campaign.failing.append(probe)
        return
    elapsed = time.perf_counter() - started
    campaign.sent[probe.kind] += 1
    campaign.statuses[response.status_code] += 1
    campaign.slowest = max(campaign.slowest, elapsed)
    problems, codes = problems_in(
        response.status_code,
        response.headers.get("content-type", ""),
        response.text,
        elapsed,
        timeout,
    )
    campaign.codes.update(codes)
    campaign.problems.extend(f"{p} <- {probe.describe()}" for p in problems)
    if problems:
        campaign.failing.append(probe)


async def run_campaign(
    client: httpx.AsyncClient,
    probes: Sequence[Probe],
    *,
    timeout: float,
    concurrency: int = 1,
    campaign: Campaign | None = None,
) -> Campaign:
    """Send every probe (at most `concurrency` at a time) and judge every answer."""
    campaign = campaign or Campaign()
    queue = list(reversed(probes))

    async def worker() -> None:
        while queue:
            await send(client, queue.pop(), timeout, campaign)
            # An answer refused before any I/O (most bad queries) completes without
            # suspending, in-process: without this, one worker could answer
            # thousands in a row while the others' requests ran past the timeout.
            await asyncio.sleep(0)

    await asyncio.gather(*(worker() for _ in range(max(1, concurrency))))
    return campaign


# -- what to send ---------------------------------------------------------------------

JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

_JSON_SCALAR = {
    "JSON": st.one_of(
        st.text(max_size=10).map(nodes.String),
        st.integers(min_value=-1000, max_value=1000).map(nodes.Int),
    )
}


def _ids() -> st.SearchStrategy[str]:
    return st.sampled_from(KNOWN_IDS) | st.text(max_size=30)


def _cursors() -> st.SearchStrategy[str]:
    """Cursors as this API writes them (base64 of `offset:N`), at every scale and in
    forms it never writes: a crafted cursor far past the end once ended the server."""
    offsets = (
        st.integers(min_value=0, max_value=100)
        | st.integers(min_value=1_000, max_value=10**15)
        | st.integers(min_value=-(2**70), max_value=2**70)
    )
    texts = st.builds("offset:{}".format, offsets) | st.builds(
        "offset:{}".format, st.text(max_size=12)
    )
    return texts.map(lambda text: base64.urlsafe_b64encode(text.encode()).decode())


def typed_values(type_: graphql.GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON a variable of `type_` could hold: mostly well-typed, sometimes not at all."""
    wrong = JSON_VALUES if depth < 2 else st.none()
    if isinstance(type_, graphql.GraphQLNonNull):
        return typed_values(type_.of_type, depth)
    if isinstance(type_, graphql.GraphQLList):
        return st.lists(typed_values(type_.of_type, depth + 1), max_size=5) | wrong
    if isinstance(type_, graphql.GraphQLEnumType):
        return st.sampled_from(sorted(type_.values)) | st.text(max_size=10)
    if isinstance(type_, graphql.GraphQLInputObjectType):
        if depth >= 3:
            return st.just({})
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for name, input_field in sorted(type_.fields.items()):
            chosen = required if graphql.is_required_input_field(input_field) else optional
            chosen[name] = typed_values(input_field.type, depth + 1)
        return st.fixed_dictionaries(required, optional=optional) | wrong
    typed: dict[str, st.SearchStrategy[Any]] = {
        "ID": _ids(),
        "String": st.sampled_from(("2023", "2023-09", "2023-09-05", "ECOWAS"))
        | st.text(max_size=40)
        | _cursors(),
        "Int": st.integers(min_value=-5, max_value=200)
        | st.integers(min_value=-(2**40), max_value=2**40),
        "Float": st.floats(allow_nan=False, allow_infinity=False),
        "Boolean": st.booleans(),
    }
    return typed.get(type_.name, JSON_VALUES) | wrong


def variable_operations(schema: graphql.GraphQLSchema) -> list[tuple[str, dict[str, Any]]]:
    """One operation per root field, every argument passed as a variable of its type."""
    operations: list[tuple[str, dict[str, Any]]] = []
    for keyword, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root is None:
            continue
        for name, root_field in sorted(root.fields.items()):
            arguments = sorted(root_field.args.items())
            declared = ", ".join(f"${a}: {arg.type}" for a, arg in arguments)
            passed = ", ".join(f"{a}: ${a}" for a, _ in arguments)
            head = f"{keyword}({declared})" if declared else keyword
            call = f"{name}({passed})" if passed else name
            selection = " { __typename }" if _has_fields(root_field.type) else ""
            operations.append(
                (f"{head} {{ {call}{selection} }}", {a: arg.type for a, arg in arguments})
            )
    return operations


def _has_fields(type_: graphql.GraphQLOutputType) -> bool:
    return not isinstance(
        graphql.get_named_type(type_), graphql.GraphQLScalarType | graphql.GraphQLEnumType
    )


def variable_probes(
    schema: graphql.GraphQLSchema, headers: tuple[tuple[str, str], ...] = ()
) -> st.SearchStrategy[Probe]:
    operations = variable_operations(schema)

    @st.composite
    def probe(draw: st.DrawFn) -> Probe:
        query, types = draw(st.sampled_from(operations))
        variables = {name: draw(typed_values(t)) for name, t in types.items()}
        if draw(st.integers(0, 9)) == 0:
            variables[draw(st.text(min_size=1, max_size=8))] = draw(JSON_VALUES)
        body = json.dumps({"query": query, "variables": variables}).encode()
        return Probe("variables", content=body, headers=headers)

    return probe()


def envelope_probes() -> st.SearchStrategy[Probe]:
    """Malformed requests: bodies that are not JSON, or not an operation, odd methods."""
    nested = Probe(
        "envelope",
        content=b'{"query": "{ health }", "variables": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
    )
    return st.one_of(
        st.binary(max_size=200).map(lambda b: Probe("envelope", content=b)),
        JSON_VALUES.map(lambda v: Probe("envelope", content=json.dumps(v).encode())),
        st.fixed_dictionaries(
            {"query": JSON_VALUES | st.text(max_size=80)},
            optional={
                "variables": JSON_VALUES,
                "operationName": JSON_VALUES,
                "extensions": JSON_VALUES,
            },
        ).map(lambda body: Probe("envelope", content=json.dumps(body).encode())),
        st.lists(
            st.fixed_dictionaries({"query": st.just("{ health }")}), min_size=0, max_size=30
        ).map(lambda ops: Probe("envelope", content=json.dumps(ops).encode())),
        st.dictionaries(
            st.sampled_from(("query", "variables", "operationName", "extensions")),
            st.text(max_size=60),
        ).map(lambda p: Probe("envelope", method="GET", params=tuple(sorted(p.items())))),
        st.sampled_from(
            ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "")
        ).map(lambda ct: Probe("envelope", content=b'{"query": "{ health }"}', content_type=ct)),
        st.just(nested),
    )


def schema_probes(
    schema: graphql.GraphQLSchema, kind: str, headers: tuple[tuple[str, str], ...] = ()
) -> st.SearchStrategy[Probe]:
    """Probes of one kind (see SHARES); `headers` (a token) go with mutations and variables."""
    if kind == "query":
        return queries(schema).map(lambda q: operation_probe(kind, q))
    if kind == "bad-query":
        return queries(schema, mode=Mode.NEGATIVE).map(lambda q: operation_probe(kind, q))
    if kind in {"mutation", "bad-mutation"}:
        mode = Mode.POSITIVE if kind == "mutation" else Mode.NEGATIVE
        return mutations(schema, custom_scalars=_JSON_SCALAR, mode=mode).map(
            lambda q: Probe(kind, content=json.dumps({"query": q}).encode(), headers=headers)
        )
    if kind == "variables":
        return variable_probes(schema, headers)
    if kind == "envelope":
        return envelope_probes()
    raise ValueError(f"unknown probe kind {kind!r}")


def generate(
    strategy: st.SearchStrategy[Probe], count: int, *, seed: int | None = 0
) -> list[Probe]:
    """`count` probes drawn by Hypothesis: reproducible when `seed` is given.

    Generation only (no shrinking, no example database): the verdict is made over
    HTTP afterwards, so the test keeps its async client and the CLI can fan out.
    """
    drawn: list[Probe] = []

    def collect(probe: Probe) -> None:
        drawn.append(probe)

    run = settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )(given(strategy)(collect))
    if seed is not None:
        run = hypothesis.seed(seed)(run)
    run()
    return drawn[:count]


def plan(
    schema: graphql.GraphQLSchema,
    count: int,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    seed: int | None = 0,
    shares: dict[str, float] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> list[Probe]:
    """About `count` probes over every kind, in the given shares."""
    probes: list[Probe] = []
    for kind, share in (shares or SHARES).items():
        wanted = max(1, round(count * share))
        drawn = generate(schema_probes(schema, kind, headers), wanted, seed=seed)
        if progress is not None:
            progress(kind, len(drawn))
        probes.extend(drawn)
    return probes
