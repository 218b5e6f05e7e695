"""Security: no secret in any log line, no internals in any error, CORS closed unless
configured, security headers on every response (GraphiQL included), and the
production switches for GraphiQL and introspection."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.loadtest import free_port, prepare
from peacegraph.app import auth
from peacegraph.app.factory import create_app
from peacegraph.app.settings import Settings
from peacegraph.graph.embedded.store import EmbeddedStore
from peacegraph.graph.errors import PeaceGraphError, StoreUnavailable
from peacegraph.graph.neo4j.store import Neo4jStore
from peacegraph.graph.store import Store
from peacegraph.resolvers.limits import Limits
from tests.app.test_store_failures import first_answer
from tests.support.http import client_for, error_codes
from tests.support.server import running

PASSWORD = "Neo4j-pa55word-never-logged"
UPSERT = 'mutation { upsertOrganization(input: {name: "Logged NGO"}, note: "n") { __typename } }'


def secret_of(token: str) -> str:
    """The secret part of `pg_<12 hex id>_<secret>` (the secret may hold "_" itself)."""
    return token.split("_", 2)[2]


def secrets_in(lines: list[str], secrets: list[str]) -> list[str]:
    return [line for line in lines for secret in secrets if secret in line]


async def exercise_tokens(client: httpx.AsyncClient, store: Store) -> list[str]:
    """Create tokens, use them, fail auth in every way; returns every secret used."""
    _, editor = await auth.create_token(store, "log-editor", "editor")
    _, reader = await auth.create_token(store, "log-reader", "reader")
    revoked_info, revoked = await auth.create_token(store, "log-revoked", "editor")
    await auth.revoke_token(store, revoked_info.id)
    wrong_secret = editor[: len("pg_0123456789ab_")] + "x" * 43
    for token in (editor, reader, revoked, wrong_secret, "pg_nonsense", editor + "tail"):
        for query in (UPSERT, "{ health }", "{ auditLog(first: 5) { edges { cursor } } }"):
            await client.post(
                "/graphql", json={"query": query}, headers={"authorization": f"Bearer {token}"}
            )
        await client.get(
            "/graphql", params={"query": "{ health }"}, headers={"authorization": f"Bearer {token}"}
        )
    secrets = [editor, reader, revoked, wrong_secret]
    return secrets + [secret_of(t) for t in secrets]


async def test_no_token_or_password_in_any_log_line(
    seeded_copy: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(Settings(), store=seeded_copy)
    async with running(app) as port, httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
        secrets = await exercise_tokens(c, seeded_copy)
    with pytest.raises(StoreUnavailable):
        await Neo4jStore.open(
            f"bolt://127.0.0.1:{free_port()}",
            username="neo4j",
            password=PASSWORD,
            database="neo4j",
            timeout=2,
        )
    neo4j_app = create_app(
        Settings(
            store="neo4j",
            neo4j_uri=f"neo4j://127.0.0.1:{free_port()}",
            neo4j_password=PASSWORD,
            start_not_ready=True,
            limits=Limits(timeout_seconds=2),
        )
    )
    async with neo4j_app.router.lifespan_context(neo4j_app):
        transport = httpx.ASGITransport(app=neo4j_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            await client.get("/readyz")
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    lines = [formatter.format(record) for record in caplog.records]
    assert any("uvicorn.access" in line and "POST /graphql" in line for line in lines)
    assert any("neo4j" in line for line in lines)
    assert secrets_in(lines, [*secrets, PASSWORD]) == []


async def test_serve_logs_no_token_or_password_with_uvicorn_logging(tmp_path: Path) -> None:
    data_dir = tmp_path / "store"
    token = await prepare(data_dir)
    port = free_port()
    log_file = tmp_path / "serve.log"
    env = {
        **os.environ,
        "PEACEGRAPH_DATA_DIR": str(data_dir),
        "PEACEGRAPH_PORT": str(port),
        "PEACEGRAPH_LOG_LEVEL": "DEBUG",
    }
    env.pop("NEO4J_URI", None)
    with log_file.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "peacegraph.app.cli", "serve"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                assert (await first_answer(client, "/readyz")).status_code == 200
                for value in (token, token + "x", "pg_0123456789ab_" + "s" * 43):
                    await client.post(
                        "/graphql",
                        json={"query": UPSERT},
                        headers={"authorization": f"Bearer {value}"},
                    )
        finally:
            server.terminate()
            server.wait(30)
    neo4j = subprocess.run(
        [sys.executable, "-m", "peacegraph.app.cli", "serve"],
        env={
            **env,
            "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
            "NEO4J_PASSWORD": PASSWORD,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    lines = log_file.read_text().splitlines() + (neo4j.stdout + neo4j.stderr).splitlines()
    assert any('"POST /graphql HTTP/1.1" 200' in line for line in lines)  # access log on
    secret = secret_of(token)
    assert secrets_in(lines, [token, secret, "s" * 43, PASSWORD]) == []


class BrokenStore:
    """A store whose reads fail the way a backend bug would, with internals in the text."""

    backend = "embedded"

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def get_nodes(self, ids: Any) -> Any:
        raise self.error

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError(
            'Binder exception: MATCH (n:Organization {id: $id}) RETURN n at "/srv/x/store.py"'
        ),
        PeaceGraphError("embedded store error: UNWIND $rows AS r MERGE (n:Person {id: r.id})"),
    ],
)
async def test_internal_errors_reach_the_client_masked_and_the_log_in_full(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    async with client_for(BrokenStore(error)) as client:
        response = await client.post(
            "/graphql",
            json={"query": '{ node(id: "org:cedeao") { id } }'},
            headers={"x-request-id": "req-42"},
        )
    error_body = response.json()["errors"][0]
    assert error_body["message"] == "Internal error (request req-42)."
    assert error_body["extensions"] == {"code": "INTERNAL", "requestId": "req-42"}
    for leak in ("MATCH", "MERGE", "UNWIND", "store.py", "Traceback"):
        assert leak not in response.text
    assert any("req-42" in r.getMessage() and r.exc_info for r in caplog.records)


async def test_store_unavailable_messages_name_no_path(tmp_path: Path) -> None:
    store = await EmbeddedStore.open(tmp_path / "store")
    await store.migrate()
    async with client_for(store) as client:
        await store.close()
        body = (
            await client.post("/graphql", json={"query": "{ stats { countsByKind { key } } }"})
        ).json()
        ready = await client.get("/readyz")
    assert error_codes(body) == ["STORE_UNAVAILABLE"]
    assert str(tmp_path) not in str(body) and str(tmp_path) not in ready.text


PREFLIGHT = {"origin": "https://evil.example", "access-control-request-method": "POST"}


@pytest.mark.asyncio(loop_scope="session")
async def test_cors_is_closed_by_default(seeded: Store) -> None:
    async with client_for(seeded) as client:
        preflight = await client.options("/graphql", headers=PREFLIGHT)
        simple = await client.post(
            "/graphql", json={"query": "{ health }"}, headers={"origin": "https://evil.example"}
        )
    assert "access-control-allow-origin" not in preflight.headers
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.asyncio(loop_scope="session")
async def test_cors_allows_only_the_configured_origins(seeded: Store) -> None:
    settings = Settings(cors_origins=("https://app.example",))
    async with client_for(seeded, settings) as client:
        allowed = await client.options(
            "/graphql", headers={**PREFLIGHT, "origin": "https://app.example"}
        )
        refused = await client.options("/graphql", headers=PREFLIGHT)
        simple = await client.post(
            "/graphql", json={"query": "{ health }"}, headers={"origin": "https://app.example"}
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == "https://app.example"


def test_the_cors_setting_reads_a_comma_separated_list() -> None:
    settings = Settings.from_env(
        {"PEACEGRAPH_CORS_ORIGINS": "https://a.example, https://b.example"}
    )
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert Settings.from_env({}).cors_origins == ()


@pytest.mark.asyncio(loop_scope="session")
@pytest.mark.parametrize("path", ["/graphql", "/healthz", "/readyz", "/explore"])
async def test_every_response_has_the_security_headers(seeded: Store, path: str) -> None:
    async with client_for(seeded) as client:
        response = await client.get(path, params={"query": "{ health }"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.asyncio(loop_scope="session")
async def test_graphiql_has_a_policy_that_refuses_injected_scripts(
    seeded: Store,
) -> None:
    async with client_for(seeded) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    policy = page.headers["content-security-policy"]
    script_src = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.asyncio(loop_scope="session")
async def test_graphiql_and_introspection_can_be_switched_off(seeded: Store) -> None:
    settings = Settings.from_env(
        {"PEACEGRAPH_GRAPHIQL": "false", "PEACEGRAPH_INTROSPECTION": "false"}
    )
    async with client_for(seeded, settings) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        schema = await client.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        health = await client.post("/graphql", json={"query": "{ health }"})
    assert page.status_code == 404 and error_codes(page.json()) == ["NOT_FOUND"]
    assert set(error_codes(schema.json())) == {"INTROSPECTION_DISABLED"}
    assert health.json() == {"data": {"health": "ok"}}


def test_the_production_guide_documents_every_switch() -> None:
    guide = (Path(__file__).parents[2] / "docs" / "production.md").read_text()
    for variable in (
        "PEACEGRAPH_GRAPHIQL",
        "PEACEGRAPH_INTROSPECTION",
        "PEACEGRAPH_CORS_ORIGINS",
        "PEACEGRAPH_START_NOT_READY",
        "PEACEGRAPH_BATCHING",
        "PEACEGRAPH_MAX_BATCH",
        "PEACEGRAPH_RATE_LIMIT",
        "PEACEGRAPH_MAX_FIELDS",
        "PEACEGRAPH_MAX_RESULT_ITEMS",
    ):
        assert variable in guide, variable
