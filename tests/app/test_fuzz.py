"""Schema-driven fuzzing: over a thousand generated requests, not one bad answer.

Valid and invalid queries and mutations come from hypothesis-graphql, variables from
the declared argument types, envelopes from raw bytes and JSON; `fuzzing.problems_in`
is the verdict (no 5xx, no uncoded error, INTERNAL only masked, no traceback, file path
or Cypher, nothing slower than the request timeout). Generation is seeded, so a
failure here is reproducible with `python -m bench.fuzz --seed 0`.
"""

from __future__ import annotations

import subprocess
import sys

import graphql
import pytest

from bench import fuzzing
from bench.fuzz import base_url, build_parser, cmd_fuzz
from peacegraph.app.auth import create_token
from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.resolvers.limits import Limits
from peacegraph.schema.build import build_schema
from tests.support.http import client_for
from tests.support.server import running

SETTINGS = Settings(limits=Limits(timeout_seconds=10.0))
#: The schema as graphql-core objects, rebuilt from its public SDL.
SCHEMA = graphql.build_schema(build_schema(SETTINGS.limits).as_str())
#: Valid operations cost the most to generate (tens of ms each): CI takes fewer of
#: them than `python -m bench.fuzz` does, and more of the cheap invalid kinds.
CI_SHARES = {
    "query": 0.20,
    "bad-query": 0.25,
    "mutation": 0.05,
    "bad-mutation": 0.10,
    "variables": 0.25,
    "envelope": 0.15,
}


@pytest.fixture(scope="module")
def thousand_probes() -> tuple[fuzzing.Probe, ...]:
    """The thousand probes, generated once for both stores: generation is seeded, so
    each store got the very same probes anyway, and it takes ~20 s. Probes are frozen."""
    return tuple(fuzzing.plan(SCHEMA, 1000, seed=0, shares=CI_SHARES))


@pytest.mark.asyncio(loop_scope="session")
async def test_a_thousand_generated_requests_get_no_bad_answer(
    seeded: EmbeddedStore, thousand_probes: tuple[fuzzing.Probe, ...]
) -> None:
    # Anonymous: the shared seeded store is read-only, so mutations must be refused.
    probes = thousand_probes
    async with client_for(seeded, SETTINGS) as client:
        campaign = await fuzzing.run_campaign(
            client, probes, timeout=SETTINGS.limits.timeout_seconds
        )
    assert campaign.total >= 1000
    assert campaign.problems == [], campaign.report()
    assert set(campaign.sent) == set(fuzzing.SHARES)
    assert campaign.statuses[200] > campaign.total / 2
    assert "INTERNAL" not in campaign.codes, campaign.report()


async def test_generated_mutations_with_an_admin_token_get_no_bad_answer(
    seeded_copy: EmbeddedStore,
) -> None:
    _, token = await create_token(seeded_copy, "fuzzer", "admin")
    headers = (("authorization", f"Bearer {token}"),)
    shares = {"mutation": 0.4, "bad-mutation": 0.3, "variables": 0.3}
    probes = fuzzing.plan(SCHEMA, 100, headers=headers, seed=1, shares=shares)
    async with client_for(seeded_copy, SETTINGS) as client:
        campaign = await fuzzing.run_campaign(
            client, probes, timeout=SETTINGS.limits.timeout_seconds
        )
    assert campaign.problems == [], campaign.report()
    assert "INTERNAL" not in campaign.codes, campaign.report()


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (500, "Internal Server Error", "HTTP 500"),
        (200, '{"errors": [{"message": "boom"}]}', "without a code"),
        (200, '{"errors": [{"message": "x", "extensions": {"code": "INTERNAL"}}]}', "unmasked"),
        (
            200,
            '{"errors": [{"message": "File \\"/app/x.py\\", line 3", '
            '"extensions": {"code": "BAD_USER_INPUT"}}]}',
            "traceback",
        ),
        (
            400,
            '{"errors": [{"message": "MATCH (n:Organization) RETURN n", '
            '"extensions": {"code": "BAD_REQUEST"}}]}',
            "Cypher",
        ),
    ],
)
def test_the_verdict_catches_what_it_must(status: int, body: str, problem: str) -> None:
    content_type = "application/json" if body.startswith("{") else "text/plain"
    problems, _ = fuzzing.problems_in(status, content_type, body, 0.1, 10.0)
    assert any(problem in p for p in problems), problems


def test_the_verdict_accepts_a_masked_internal_error_and_flags_slowness() -> None:
    masked = (
        '{"errors": [{"message": "Internal error (request ab12).", '
        '"extensions": {"code": "INTERNAL"}}]}'
    )
    assert fuzzing.problems_in(200, "application/json", masked, 0.1, 10.0) == ([], ["INTERNAL"])
    problems, _ = fuzzing.problems_in(200, "application/json", '{"data": {}}', 11.0, 10.0)
    assert problems and "timeout" in problems[0]


def test_the_fuzz_command_reports_its_counts() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.fuzz", "--count", "40", "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "40 requests" in result.stdout
    assert "problems: 0" in result.stdout
    for kind in fuzzing.SHARES:
        assert kind in result.stdout


@pytest.mark.parametrize(
    "url", ["http://h:1", "http://h:1/", "http://h:1/graphql", "http://h:1/graphql/"]
)
def test_the_fuzzer_takes_the_server_or_its_graphql_address(url: str) -> None:
    assert base_url(url) == "http://h:1"


@pytest.mark.asyncio(loop_scope="session")
async def test_fuzzing_a_server_by_its_graphql_address_finds_no_problem(
    seeded_embedded: EmbeddedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    async with running(create_app(SETTINGS, store=seeded_embedded)) as port:
        args = build_parser().parse_args(
            ["--url", f"http://127.0.0.1:{port}/graphql", "--count", "30", "--seed", "2"]
        )
        assert await cmd_fuzz(args, SETTINGS) == 0
    assert "problems: 0" in capsys.readouterr().out
