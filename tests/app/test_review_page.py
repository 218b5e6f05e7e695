"""The review page (`/explore/review`), walked in a real browser on both stores.

`peacegraph serve` runs seeded in a subprocess (as in test_explorer); an editor token
and the small draft of tests/review/draft are added with the CLI, as an operator would
(through the running service's admin socket on the embedded store). In French, the
editor opens the page with the token, accepts one fact, edits and accepts another,
rejects a third, sees a relationship to the rejected entity refused with its name, says
which node an ambiguous "DRC" is, reloads and finds every decision kept; then the
GraphQL endpoint shows the accepted facts with their quotes, not the rejected one, and
the audit entries of the review.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect
from starlette.applications import Starlette

from peacegraph.app.explore import DIST_DIR, explore_routes
from tests.app.test_explorer import WATCH, browser, require_bundle, serving
from tests.support.neo4j_server import Neo4jServers

__all__ = ["browser"]  # the module-scoped chromium of test_explorer

DRAFT = Path(__file__).parents[1] / "review" / "draft"
EVENT = "event:2023-09-05-atelier-de-planification"
CONFERENCE = "event:2023-08-19-conference-debat"
NETWORK = "org:reseau-paix-sahel"
REFUSED = f"{NETWORK}|ORGANIZED|{CONFERENCE}"


class Served:
    """The running service, and the CLI on the same store."""

    def __init__(self, url: str, data_dir: Path, neo4j_uri: str) -> None:
        self.url = url
        self.data_dir = data_dir
        self.neo4j_uri = neo4j_uri

    def cli(self, *args: str) -> str:
        env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
        if self.neo4j_uri:
            env["NEO4J_URI"] = self.neo4j_uri
        command = [sys.executable, "-m", "peacegraph.app.cli", *args]
        done = subprocess.run(
            [*command, "--data-dir", str(self.data_dir)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def token(self, role: str) -> str:
        return self.cli("token", "create", "--name", role, "--role", role).splitlines()[-1]

    def graphql(self, query: str, token: str = "") -> dict[str, object]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = httpx.post(f"{self.url}/graphql", json={"query": query}, headers=headers)
        body: dict[str, object] = response.json()
        assert "errors" not in body, body
        return body


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    neo4j_servers: Neo4jServers,
) -> Iterator[Served]:
    neo4j_uri = ""
    if request.param == "neo4j":
        server = neo4j_servers.get("served")
        server.clear()
        neo4j_uri = server.uri
    data_dir = tmp_path_factory.mktemp("review") / "data"
    with serving(data_dir, neo4j_uri=neo4j_uri) as url:
        yield Served(url, data_dir, neo4j_uri)


# Before the browser test: its chromium (sync Playwright) holds the thread's event loop.
async def test_the_review_page_is_served_with_the_explorer_headers() -> None:
    require_bundle()
    transport = httpx.ASGITransport(app=Starlette(routes=explore_routes(DIST_DIR)))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        page = await client.get("/explore/review")
        script = await client.get("/explore/assets/review.js")
    assert page.status_code == 200 and script.status_code == 200
    assert 'src="/explore/assets/review.js"' in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_accept_edit_and_reject_facts_of_a_draft(browser: Browser, served: Served) -> None:
    editor, admin = served.token("editor"), served.token("admin")
    assert "9 facts" in served.cli("review", "add", str(DRAFT), "--name", "mini")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    context.add_init_script(WATCH)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{served.url}/explore/review")
        expect(page.locator("#review-note")).to_contain_text("jeton d’éditeur")
        page.fill("#token-input", editor)
        page.click("#token-form button[type=submit]")

        event = page.locator(f'li.fact[data-fact="{EVENT}"]')
        expect(event).to_contain_text("Atelier de planification")
        event.hover()  # its quote is marked in the paragraph beside it
        expect(page.locator("mark.active").first).to_contain_text("Du 5 au 7 septembre 2023")
        event.get_by_role("button", name="Accepter").click()
        expect(event).to_have_attribute("data-decision", "accepted")

        conference = page.locator(f'li.fact[data-fact="{CONFERENCE}"]')
        conference.get_by_role("button", name="Modifier").click()
        conference.get_by_label("Nom").fill("Conférence-débat de Kati")
        conference.get_by_label("Participants").fill("50")
        conference.get_by_role("button", name="Accepter avec ces modifications").click()
        expect(conference).to_have_attribute("data-decision", "accepted")
        expect(conference).to_contain_text("Accepté modifié par editor")

        network = page.locator(f'li.fact[data-fact="{NETWORK}"]')
        network.get_by_role("button", name="Rejeter").click()
        expect(network).to_have_attribute("data-decision", "rejected")

        refused = page.locator(f'li.fact[data-fact="{REFUSED}"]')
        refused.get_by_role("button", name="Accepter").click()
        expect(refused.locator(".refusal")).to_contain_text(
            f"{NETWORK} (Réseau Paix Sahel) was rejected"
        )
        expect(refused).to_have_attribute("data-decision", "")
        drc = page.locator('li.fact[data-fact="org:drc"]')  # ambiguous: which DRC?
        drc.get_by_label("Même nœud que").select_option("org:drc")
        drc.get_by_role("button", name="Accepter").click()
        expect(drc).to_have_attribute("data-decision", "accepted")
        expect(page.locator("#progress")).to_have_attribute("data-decided", "4")

        page.reload()  # the decisions are the server's: a reload shows them
        expect(page.locator(f'li.fact[data-fact="{EVENT}"]')).to_have_attribute(
            "data-decision", "accepted"
        )
        expect(page.locator(f'li.fact[data-fact="{NETWORK}"]')).to_have_attribute(
            "data-decision", "rejected"
        )
        expect(page.locator("#draft-select option")).to_contain_text("(4/9)")
        page.click("#lang-switch")
        expect(page.locator(f'li.fact[data-fact="{CONFERENCE}"]')).to_contain_text(
            "Accepted with changes by editor"
        )
        expect(page.locator("a.seed-file")).to_have_count(3)
        problems = page.evaluate("() => window.__problems")
        assert errors == [] and problems == []
    finally:
        context.close()

    nodes = served.graphql(
        f'{{ a: node(id: "{EVENT}") {{ name sources {{ quote }} }}'
        f' b: event(id: "{CONFERENCE}") {{ name reach {{ participants }}'
        " sources { section quote } }"
        f' c: node(id: "{NETWORK}") {{ id }} }}'
    )["data"]
    assert isinstance(nodes, dict)
    assert "WANEP-Mali a organisé à Bamako" in nodes["a"]["sources"][0]["quote"]
    assert (
        nodes["b"]["name"] == "Conférence-débat de Kati"
        and nodes["b"]["reach"]["participants"] == 50
    )
    assert nodes["b"]["sources"][0]["section"] == "LES FAITS MARQUANTS DU TRIMESTRE"
    assert nodes["c"] is None
    audit = served.graphql(
        '{ auditLog(actor: "editor", first: 10) { edges { node { mutation target } } } }', admin
    )["data"]
    assert isinstance(audit, dict)
    entries = [edge["node"] for edge in audit["auditLog"]["edges"]]
    assert {e["mutation"] for e in entries} == {"acceptDraftFact"}
    targets = " ".join(e["target"] for e in entries)
    assert EVENT in targets and CONFERENCE in targets
