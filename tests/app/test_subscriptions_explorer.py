"""The explorer keeps its view current: an edit made through the API appears in an
open page without a reload (a new label, a new edge and node), and the nodes already
drawn keep their places. The page, browser and server are those of test_explorer."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from peacegraph.app import auth
from peacegraph.graph.store import Store
from tests.app.test_explorer import browser, browsing, serving
from tests.conftest import open_embedded, open_neo4j
from tests.support.neo4j_server import Neo4jServers

__all__ = ["browser"]  # the fixture, shared with test_explorer

RENAME = (
    'mutation { upsertOrganization(input: {id: "org:cedeao", name: "CEDEAO en direct"}, '
    'note: "live test") { __typename } }'
)
NEW_PARTNER = (
    'mutation { upsertOrganization(input: {id: "org:live-partner", name: "Partenaire en direct"}, '
    'note: "live test") { __typename } }'
)
LINK = (
    'mutation { link(input: {type: PARTNER_OF, from: "org:live-partner", to: "org:cedeao"}, '
    'note: "live test") { __typename } }'
)
EDGE = "org:live-partner|PARTNER_OF|org:cedeao"
POSITIONS = """() => Object.fromEntries(window.peacegraphExplorer.view.cy.nodes()
  .map((n) => [n.id(), n.position()]))"""


async def _editor(store: Store) -> str:
    _, text = await auth.create_token(store, "live-explorer", "editor")
    return text


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def editable(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    neo4j_servers: Neo4jServers,
) -> Iterator[tuple[str, dict[str, str]]]:
    """The seeded service and an editor's headers for it."""
    folder = tmp_path_factory.mktemp("live") / "data"
    neo4j_uri = ""
    if request.param == "neo4j":
        server = neo4j_servers.get("scratch")
        neo4j_uri = server.uri

        async def prepare() -> str:
            store = await open_neo4j(server, seed=True)
            try:
                return await _editor(store)
            finally:
                await store.close()
    else:

        async def prepare() -> str:
            async with open_embedded(folder, seed=True) as store:
                return await _editor(store)

    with ThreadPoolExecutor(1) as thread:  # the session's event loop runs in this one
        text = thread.submit(asyncio.run, prepare()).result()
    with serving(folder, neo4j_uri=neo4j_uri) as url:
        yield url, {"authorization": f"Bearer {text}"}


def test_an_api_edit_appears_in_the_open_page_without_reload(
    browser: Browser, editable: tuple[str, dict[str, str]]
) -> None:
    base, editor = editable
    with (
        browsing(browser, base, "fr-FR") as explorer,
        httpx.Client(base_url=base, timeout=60) as api,
    ):
        explorer.open("#focus=org:cedeao")
        explorer.page.wait_for_function(
            "() => window.peacegraphExplorer.view.cy.getElementById('org:cedeao').nonempty()"
        )
        explorer.shown()  # the status says the view is laid out
        before = explorer.js(POSITIONS)

        # The page subscribes once its view is drawn; an edit made before the server
        # holds the subscription would pass unseen, so the rename is sent again until
        # the page shows it (each one is a committed change of the view's node).
        for _ in range(20):
            assert api.post("/graphql", json={"query": RENAME}, headers=editor).status_code == 200
            try:
                explorer.page.wait_for_function(
                    """() => window.peacegraphExplorer.view.cy.getElementById('org:cedeao')
                         .data('label') === 'CEDEAO en direct'""",
                    timeout=1000,
                )
                break
            except PlaywrightTimeout:
                continue
        else:
            pytest.fail("the renamed node never showed in the open page")

        api.post("/graphql", json={"query": NEW_PARTNER}, headers=editor)
        api.post("/graphql", json={"query": LINK}, headers=editor)
        explorer.page.wait_for_function(
            "(id) => window.peacegraphExplorer.view.cy.getElementById(id).nonempty()",
            arg=EDGE,
            timeout=5000,
        )
        after = explorer.js(POSITIONS)
        assert "org:live-partner" in after
        assert {k: after[k] for k in before} == before  # the layout is kept
        assert explorer.problems() == []
