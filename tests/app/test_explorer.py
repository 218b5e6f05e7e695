"""The network explorer (`/explore`, `/embed`), driven in a real browser.

The app runs as people run it, `peacegraph serve` in a subprocess on a free loopback
port, seeded from the report into a fresh data directory; the page is the bundle
`npm run build` made; the browser is Debian's chromium, driven by Playwright. Nothing is
skipped: without chromium or the bundle the tests fail and say what to install.

The page is French unless the browser asks for English first, so each test says which
browser language it plays: the main walk-through runs in French, the keyboard one in
English, and the language test switches between them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    Page,
    Playwright,
    ViewportSize,
    expect,
    sync_playwright,
)
from starlette.applications import Starlette

from peacegraph.app.explore import DIST_DIR, explore_routes
from peacegraph.app.settings import Settings, SettingsError
from peacegraph.graph.model import Label, RelType
from peacegraph.graph.records import Node, Provenance, Relationship
from peacegraph.graph.store import Store
from tests.conftest import open_store
from tests.support.http import client_for
from tests.support.neo4j_server import Neo4jServers

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}


# ---- the server -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /readyz until the seeded service answers; fail with its log if it dies."""
    deadline = time.monotonic() + 180  # a seeded Neo4j on a busy machine takes a while
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`peacegraph serve` exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            error.close()
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"`peacegraph serve` was not ready within 180 s:\n{log.read_text()}")


@contextmanager
def serving(data_dir: Path, *options: str, neo4j_uri: str = "") -> Iterator[str]:
    """`peacegraph serve` on the embedded store in `data_dir`, or on the Neo4j server at
    `neo4j_uri` when one is given; yields its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
    if neo4j_uri:
        env["NEO4J_URI"] = neo4j_uri
    command = [sys.executable, "-m", "peacegraph.app.cli", "serve", "--port", str(port)]
    log = data_dir.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--init", "--data-dir", str(data_dir), *options],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            wait_ready(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def served(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    neo4j_servers: Neo4jServers,
) -> Iterator[str]:
    """The seeded service (the report's graph) on a fresh store of each backend."""
    neo4j_uri = ""
    if request.param == "neo4j":
        server = neo4j_servers.get("served")
        server.clear()
        neo4j_uri = server.uri
    with serving(tmp_path_factory.mktemp("seeded") / "data", neo4j_uri=neo4j_uri) as url:
        yield url


# ---- the browser ------------------------------------------------------------------


def require_bundle() -> None:
    if not (DIST_DIR / "index.html").is_file():
        pytest.fail(f"the explorer bundle is missing ({DIST_DIR}): run `npm ci && npm run build`")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium; its absence is a failure that says how to install it."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"chromium is missing ({CHROMIUM}): install it with "
            "`apt-get update && apt-get install -y --no-install-recommends chromium` "
            "(`make test` does it)"
        )
    require_bundle()
    driver: Playwright = sync_playwright().start()
    try:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        driver.stop()


#: Records what the page itself got wrong: uncaught errors and anything the
#: Content-Security-Policy refused.
WATCH = """
window.__problems = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__problems.push(`CSP refused ${e.violatedDirective}: ${e.blockedURI}`));
"""


class Explorer:
    """The page, the moves a person makes on it, and a look into the drawing."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, fragment: str = "", path: str = "/explore") -> None:
        self.page.goto(f"{self.base}{path}{fragment}")
        self.page.wait_for_function("() => window.peacegraphExplorer !== undefined")

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def node_ids(self) -> set[str]:
        return set(self.js("() => window.peacegraphExplorer.view.cy.nodes().map(n => n.id())"))

    def nodes(self, selector: str = "node") -> list[dict[str, Any]]:
        script = "(s) => window.peacegraphExplorer.view.cy.nodes(s).map(n => n.data())"
        found: list[dict[str, Any]] = self.js(script, selector)
        return found

    def version(self, selector: str) -> int:
        return int(self.page.locator(selector).get_attribute("data-version") or 0)

    @contextmanager
    def updates(self, selector: str = "#status") -> Iterator[None]:
        """Wait, after the block, for the live region to be updated again."""
        before = self.version(selector)
        yield
        self.page.wait_for_function(
            "([s, v]) => Number(document.querySelector(s).dataset.version || 0) > v",
            arg=[selector, before],
        )

    def shown(self, selector: str = "#status") -> None:
        """Wait for a live region of a freshly opened page to be filled."""
        self.page.wait_for_function(
            "(s) => document.querySelector(s).dataset.version", arg=selector
        )

    def where(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn on the screen (brought into view first if need be, and
        drawn above its neighbours: in a dense layout another node may overlap it, and
        a click must land on the node the test means). A pan still animating (the
        panel keeps the selected node in view) would move the node under the click:
        wait for the viewport to settle first."""
        self.page.wait_for_function("() => !window.peacegraphExplorer.view.cy.animated()")
        point: dict[str, float] = self.js(
            """(id) => {
              const cy = window.peacegraphExplorer.view.cy;
              const node = cy.getElementById(id);
              node.style('z-index', 999);
              let p = node.renderedPosition();
              if (p.x < 20 || p.y < 20 || p.x > cy.width() - 20 || p.y > cy.height() - 20) {
                cy.center(node);
                p = node.renderedPosition();
              }
              const box = cy.container().getBoundingClientRect();
              return {x: box.left + p.x, y: box.top + p.y};
            }""",
            node_id,
        )
        return point["x"], point["y"]

    def choose(self, box: str, text: str, name: str) -> None:
        """Type in a search box and pick the suggestion showing `name`."""
        self.page.fill(box, text)
        option = self.page.locator(f"{box}-list [role=option]", has_text=name).first
        expect(option).to_be_visible()
        option.click()

    def problems(self) -> list[str]:
        found: list[str] = self.js("() => window.__problems")
        return self.errors + found


@contextmanager
def browsing(
    browser: Browser, base: str, locale: str, viewport: ViewportSize = LAPTOP
) -> Iterator[Explorer]:
    """A fresh browser profile speaking `locale` (no remembered language), on one page."""
    context = browser.new_context(viewport=viewport, locale=locale, accept_downloads=True)
    context.add_init_script(WATCH)
    try:
        yield Explorer(context.new_page(), base)
    finally:
        context.close()


@pytest.fixture
def explorer(browser: Browser, served: str) -> Iterator[Explorer]:
    """The page in a French-speaking browser."""
    with browsing(browser, served, "fr-FR") as page:
        yield page


@pytest.fixture
def english_explorer(browser: Browser, served: str) -> Iterator[Explorer]:
    """The page in an English-speaking browser."""
    with browsing(browser, served, "en-US") as page:
        yield page


# ---- the page's HTTP surface (no browser needed) ------------------------------------


async def test_the_page_is_served_with_strict_security_headers(store: Store) -> None:
    require_bundle()
    async with client_for(store) as client:
        page = await client.get("/explore")
        asset = await client.get("/explore/assets/explorer.js")
        assert page.status_code == 200 and asset.status_code == 200
        for response in (page, asset):
            policy = response.headers["content-security-policy"]
            assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
        assert asset.headers["content-type"].startswith("text/javascript")
        for name in (".gitignore", "index.py", "%2e%2e%2fexplore.py", "missing.js"):
            assert (await client.get(f"/explore/assets/{name}")).status_code == 404, name


async def test_an_unbuilt_page_is_a_503_saying_what_to_run(tmp_path: Path) -> None:
    app = Starlette(routes=explore_routes(tmp_path / "dist"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/explore")
    assert response.status_code == 503
    assert "npm ci &amp;&amp; npm run build" in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_root_opens_the_explorer(store: Store) -> None:
    async with client_for(store) as client:
        response = await client.get("/")
    assert response.status_code in {302, 307}
    assert response.headers["location"] == "/explore"


async def test_the_embedded_view_is_framable_only_by_the_configured_origins(store: Store) -> None:
    require_bundle()
    async with client_for(store) as client:
        closed = await client.get("/embed")
    assert closed.status_code == 200
    assert "frame-ancestors 'none'" in closed.headers["content-security-policy"]
    assert closed.headers["x-frame-options"] == "DENY"

    partner = "https://partner.example.org https://*.example.net"
    settings = Settings.from_env({"PEACEGRAPH_EMBED_FRAME_ANCESTORS": partner})
    async with client_for(store, settings) as client:
        embed = await client.get("/embed")
        page = await client.get("/explore")
        asset = await client.get("/explore/assets/explorer.js")
    policy = embed.headers["content-security-policy"]
    assert f"frame-ancestors {partner}" in policy and "default-src 'self'" in policy
    assert "x-frame-options" not in embed.headers
    for strict in (page, asset):
        assert "frame-ancestors 'none'" in strict.headers["content-security-policy"]
        assert strict.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "value", ["https://a.example.org; script-src *", "'unsafe-inline'", "'none' https://a.org"]
)
def test_a_frame_ancestors_setting_that_is_not_a_source_list_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="PEACEGRAPH_EMBED_FRAME_ANCESTORS"):
        Settings.from_env({"PEACEGRAPH_EMBED_FRAME_ANCESTORS": value})


# ---- the page, on the seed --------------------------------------------------------


def test_search_panel_expand_filter_path_share_and_export(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open()

    # Search by the English acronym: the French name comes back.
    with explorer.updates():
        explorer.choose("#search-input", "ECOWAS", "CEDEAO")
    assert "org:cedeao" in explorer.node_ids()
    expect(page.locator("#node-list")).to_contain_text("CEDEAO")
    expect(page.locator("#status")).to_contain_text("autour de CEDEAO")

    # Click the node on the canvas: its panel shows the quoted passages of the report.
    expect(page.locator("#panel-title")).to_contain_text("CEDEAO")
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()
    page.mouse.click(*explorer.where("org:cedeao"))
    expect(page.locator("#panel-title")).to_contain_text("CEDEAO")
    quote = page.locator("#panel .sources blockquote").first
    expect(quote).not_to_be_empty()
    assert "CEDEAO" in quote.inner_text()

    # Double-click an organisation next to it: its own neighbours join the view.
    neighbour = explorer.js(
        """() => window.peacegraphExplorer.view.cy.getElementById('org:cedeao')
             .neighborhood('node[kind = "Organization"]').first().id()"""
    )
    shown = explorer.node_ids()
    with explorer.updates():
        page.mouse.dblclick(*explorer.where(neighbour))
    expect(page.locator("#status")).to_contain_text("ajouté")
    assert explorer.node_ids() > shown
    assert f"expand={neighbour}" in page.url

    # A period: only what overlaps August 2023 stays.
    events_before = explorer.nodes('node[kind = "Event"]')
    assert any((e["start"] or "") >= "2023-09" for e in events_before)
    page.fill("#since", "2023-08")
    page.fill("#until", "2023-08")
    with explorer.updates():
        page.get_by_role("button", name="Appliquer la période").click()
    events = explorer.nodes('node[kind = "Event"]')
    assert 0 < len(events) < len(events_before)
    assert all((e["start"] or "")[:7] <= "2023-08" for e in events)
    assert "since=2023-08" in page.url and "until=2023-08" in page.url

    # How are two organisations connected (any time): the chain is highlighted.
    with explorer.updates():
        page.get_by_role("button", name="Toute période").click()
    explorer.choose("#path-from", "Folke Bernadotte", "Folke Bernadotte Academy")
    explorer.choose("#path-to", "cordaid", "Cordaid")
    with explorer.updates("#path-result"):
        page.get_by_role("button", name="Trouver le lien").click()
    expect(page.locator("#path-result")).to_contain_text("sauts l’un de l’autre")
    on_path = {n["id"] for n in explorer.nodes("node.path")}
    assert {"org:fba", "org:cordaid"} <= on_path
    hop_types = explorer.js(
        "() => window.peacegraphExplorer.view.cy.edges('.path').map(e => e.data('type'))"
    )
    assert hop_types and "MENTIONED_IN" not in hop_types

    page.mouse.click(*explorer.where("org:fba"))
    expect(page.locator("#panel-title")).to_contain_text("Folke Bernadotte")
    expect(page.locator("#panel .sources blockquote").first).not_to_be_empty()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "explorer.png")

    # Exports: the elements as JSON (the pictures have a test of their own).
    with page.expect_download() as exported:
        page.get_by_role("button", name="Exporter JSON").click()
    exported.value.save_as(OUTPUT / "explorer-export.json")
    body = json.loads((OUTPUT / "explorer-export.json").read_text())
    assert {n["data"]["id"] for n in body["elements"]["nodes"]} == explorer.node_ids()

    # The link restores the view: the same nodes, the path, the open panel.
    shared, nodes = page.url, explorer.node_ids()
    other = Explorer(page.context.new_page(), explorer.base)
    other.open(shared[shared.index("#") :])
    other.shown("#path-result")
    expect(other.page.locator("#panel-title")).to_contain_text("Folke Bernadotte")
    assert other.node_ids() == nodes
    assert {"org:fba", "org:cordaid"} <= {n["id"] for n in other.nodes("node.path")}
    assert explorer.problems() == [] and other.problems() == []


def test_keyboard_only_and_clear_messages(english_explorer: Explorer) -> None:
    explorer = english_explorer
    page = explorer.page
    explorer.open()
    page.keyboard.press("/")
    expect(page.locator("#search-input")).to_be_focused()

    page.keyboard.type("zzqxw")
    expect(page.locator("#search-input-note")).to_contain_text("Nothing matches “zzqxw”")

    page.fill("#search-input", "")
    page.keyboard.type("communaute economique")
    # In English the organisation goes by its English acronym.
    expect(page.locator("#search-input-list [role=option]").first).to_contain_text("ECOWAS")
    with explorer.updates():
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    expect(page.locator("#status")).to_contain_text("around ECOWAS")

    # Every drawn node is also a button: Enter opens its panel, Escape closes it.
    expect(page.locator("#panel-title")).to_contain_text("ECOWAS")
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()
    button = page.locator("#node-list button").last
    button.focus()
    name = button.inner_text().strip()
    page.keyboard.press("Enter")
    expect(page.locator("#panel-title")).to_contain_text(name)
    expect(page.locator("#panel-title")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#panel")).to_be_hidden()

    # The API cannot be reached: say so, and retry once it is back.
    page.route("**/graphql", lambda route: route.abort())
    page.fill("#search-input", "Cordaid")
    expect(page.locator("#banner")).to_be_visible()
    expect(page.locator("#banner-text")).to_contain_text("Cannot reach the PeaceGraph API")
    page.unroute("**/graphql")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator("#banner")).to_be_hidden()
    expect(page.locator("#search-input-list [role=option]").first).to_contain_text("Cordaid")

    # The same for the drawing: Retry redraws what was asked for.
    page.route("**/graphql", lambda route: route.abort())
    page.select_option("#depth", "2")
    expect(page.locator("#banner")).to_be_visible()
    page.unroute("**/graphql")
    with explorer.updates():
        page.get_by_role("button", name="Retry").click()
    expect(page.locator("#status")).to_contain_text("(depth 2)")
    assert explorer.problems() == []


# ---- languages, the period, exports, the phone, the embedded view ------------------


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_french_by_default_english_on_the_switch_kept_in_the_link(
    browser: Browser, served: str
) -> None:
    with browsing(browser, served, "fr-FR") as explorer:
        page = explorer.page
        # `/` is the explorer, with GraphiQL one click away.
        page.goto(f"{served}/")
        page.wait_for_function("() => window.peacegraphExplorer !== undefined")
        assert page.url.startswith(f"{served}/explore")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("#search-form label")).to_have_text("Trouver un acteur")
        expect(page.locator("#graphiql-link")).to_have_attribute("href", "/graphql")
        expect(page.locator("#kinds")).to_contain_text("Événement")

        # The open-ended partnership with CEDEAO (since 2011) is in a period from 2023-09.
        with explorer.updates():  # the same page: only the hash changes
            explorer.open("#focus=org:cedeao&since=2023-09&selected=org:wanep-mali")
        assert {"org:wanep-mali", "programme:news"} <= explorer.node_ids()
        expect(page.locator("#status")).to_contain_text("nœuds et")
        # A French timeline: dates as "19 sept. 2023", relationships in French.
        timeline = page.locator("#panel .timeline")
        expect(timeline).to_contain_text("sept. 2023")
        assert re.search(r"\b\d{1,2} (juil|août|sept)\.? 2023", timeline.inner_text())
        expect(page.locator("#panel")).to_contain_text("Chronologie")
        # The partnership's own panel: "partenaire de", "depuis 2011".
        edge = explorer.js(
            """() => window.peacegraphExplorer.view.cy.edges('[type = "PARTNER_OF"]')
                 .filter(e => [e.data('source'), e.data('target')].includes('org:cedeao'))
                 .first().data()"""
        )
        explorer.js(
            "(id) => { window.peacegraphExplorer.view.cy.getElementById(id).emit('tap'); }",
            edge["id"],
        )
        expect(page.locator("#panel-title")).to_have_text("partenaire de")
        expect(page.locator("#panel .facts")).to_contain_text("depuis 2011")
        page.keyboard.press("Escape")

        # English: the page, the names (ECOWAS) and the link say so.
        page.get_by_role("button", name="English").click()
        expect(page.locator("#search-form label")).to_have_text("Find an actor")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert "lang=en" in page.url
        assert (
            explorer.js(
                "() => window.peacegraphExplorer.view.cy.getElementById('org:cedeao').data('label')"
            )
            == "ECOWAS"
        )
        expect(page.locator("#kinds")).to_contain_text("Event")
        expect(page.locator("#status")).to_contain_text("nodes and")
        shared = page.url
        # Remembered for the next visit in this browser, even without the link.
        explorer.open()
        expect(page.locator("#search-form label")).to_have_text("Find an actor")
        assert explorer.problems() == []

    # The link opens in English in another French-speaking browser.
    with browsing(browser, served, "fr-FR") as other:
        other.page.goto(shared)
        other.shown()
        expect(other.page.locator("#search-form label")).to_have_text("Find an actor")
        expect(other.page.locator("#status")).to_contain_text("around ECOWAS")
        # And back to French from there.
        other.page.get_by_role("button", name="Français").click()
        expect(other.page.locator("#status")).to_contain_text("autour de CEDEAO")
        assert "lang=fr" in other.page.url
        assert other.problems() == []


def test_print_exports_have_title_period_legend_and_source(explorer: Explorer) -> None:
    page = explorer.page
    explorer.open("#focus=org:wanep-mali&since=2023-09")
    explorer.shown()
    drawing = explorer.js("() => window.peacegraphExplorer.view.size()")
    with page.expect_download() as png:
        page.get_by_role("button", name="Exporter PNG").click()
    png.value.save_as(OUTPUT / "explorer-export.png")
    width, height = png_size((OUTPUT / "explorer-export.png").read_bytes())
    # Three times the drawing's size (print resolution), plus its frame.
    assert width >= 3 * drawing["width"] and height >= 3 * drawing["height"] + 3 * 100, (
        width,
        height,
        drawing,
    )
    with page.expect_download() as svg:
        page.get_by_role("button", name="Exporter SVG").click()
    svg.value.save_as(OUTPUT / "explorer-export.svg")
    markup = (OUTPUT / "explorer-export.svg").read_text()
    assert markup.startswith("<?xml") and "<svg" in markup
    assert "Réseau autour de WANEP-Mali" in markup
    assert "Période : depuis sept. 2023" in markup
    assert 'class="legend"' in markup and ">Organisation<" in markup and ">Événement<" in markup
    assert "Source : PeaceGraph, WANEP-Mali, rapport trimestriel" in markup
    assert explorer.problems() == []


def test_phone_layout_and_embedded_view(browser: Browser, served: str) -> None:
    with browsing(browser, served, "fr-FR", PHONE) as explorer:
        page = explorer.page
        explorer.open("#focus=org:cedeao")
        explorer.shown()
        stage = page.locator("#cy").bounding_box()
        assert stage is not None
        # The drawing is above the fold, and most of the screen.
        assert stage["y"] < 200 and stage["y"] + stage["height"] <= PHONE["height"]
        assert stage["height"] >= PHONE["height"] * 0.5
        assert explorer.js("() => document.documentElement.scrollWidth") <= PHONE["width"]
        # The panel is a bottom sheet, and the view is refitted above it.
        page.mouse.click(*explorer.where("org:cedeao"))
        expect(page.locator("#panel-title")).to_contain_text("CEDEAO")
        sheet = page.locator("#panel").bounding_box()
        assert sheet is not None
        assert abs(sheet["y"] + sheet["height"] - PHONE["height"]) < 2
        page.wait_for_timeout(300)
        for node in explorer.node_ids():
            y = explorer.js(
                "(id) => window.peacegraphExplorer.view.cy.getElementById(id).renderedPosition().y",
                node,
            )
            assert stage["y"] + y < sheet["y"], node
        page.screenshot(path=OUTPUT / "explorer-phone.png")
        assert explorer.problems() == []

    with browsing(browser, served, "fr-FR") as embedded:
        embedded.open("#focus=org:cedeao", path="/embed")
        embedded.shown()
        page = embedded.page
        expect(page.locator("#controls")).to_be_hidden()
        expect(page.locator("#export-json")).to_be_hidden()
        expect(page.locator("#open-full")).to_have_attribute("href", "/explore#focus=org:cedeao")
        expect(page.locator("#export-png")).to_be_visible()
        assert "org:wanep-mali" in embedded.node_ids()
        assert embedded.problems() == []


# ---- 500 nodes on screen ------------------------------------------------------------

SYNTHETIC = (Provenance("source:synthetic", "Test", "a generated graph"),)
ORGS, EVENTS = 20, 479


async def write_synthetic_graph(backend: str, servers: Neo4jServers, data_dir: Path) -> None:
    """A hub, 20 organisations around it and 479 events they organise and attend:
    exactly 500 nodes within two hops of the hub."""
    async with open_store(backend, servers, data_dir) as store:
        orgs = [
            Node(Label.ORGANIZATION, f"org:o{i}", f"Organisation {i}", {}, SYNTHETIC)
            for i in range(ORGS)
        ]
        events = [
            Node(Label.EVENT, f"event:e{i}", f"Event {i}", {"startDate": "2023-09"}, SYNTHETIC)
            for i in range(EVENTS)
        ]
        hub = Node(Label.ORGANIZATION, "org:hub", "Hub", {}, SYNTHETIC)
        await store.upsert_nodes([hub, *orgs, *events])
        rels = [Relationship(RelType.PARTNER_OF, "org:hub", o.id, {}, SYNTHETIC) for o in orgs]
        for i, event in enumerate(events):
            organiser, guest = orgs[i % ORGS].id, orgs[(i * 7 + 3) % ORGS].id
            rels.append(Relationship(RelType.ORGANIZED, organiser, event.id, {}, SYNTHETIC))
            if guest != organiser:
                rels.append(Relationship(RelType.ATTENDED, guest, event.id, {}, SYNTHETIC))
        await store.upsert_relationships(rels)


@pytest.mark.parametrize("backend", ["embedded", "neo4j"])
def test_500_nodes_are_laid_out_and_stay_interactive(
    backend: str,
    browser: Browser,
    neo4j_servers: Neo4jServers,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data_dir = tmp_path_factory.mktemp("large") / "data"
    # Playwright's sync API keeps an event loop running in this thread: write from another.
    with ThreadPoolExecutor(max_workers=1) as writer:
        writer.submit(
            lambda: asyncio.run(write_synthetic_graph(backend, neo4j_servers, data_dir))
        ).result()
    uri = neo4j_servers.get("scratch").uri if backend == "neo4j" else ""
    with serving(data_dir, "--no-seed", neo4j_uri=uri) as url:
        context = browser.new_context(viewport=LAPTOP)
        context.add_init_script(WATCH)
        try:
            explorer = Explorer(context.new_page(), url)
            started = time.monotonic()
            explorer.open("#focus=org:hub&depth=2&limit=500")
            explorer.shown()
            loaded_ms = (time.monotonic() - started) * 1000
            status = explorer.page.locator("#status")
            assert status.get_attribute("data-nodes") == "500"
            clicked = time.monotonic()
            explorer.page.mouse.click(*explorer.where("org:o3"))
            expect(explorer.page.locator("#panel-title")).to_contain_text("Organisation 3")
            click_ms = (time.monotonic() - clicked) * 1000
            metrics = {
                "nodes": 500,
                "edges": explorer.js("() => window.peacegraphExplorer.view.cy.edges().length"),
                "layout_ms": int(status.get_attribute("data-layout-ms") or -1),
                "layout_and_paint_ms": int(status.get_attribute("data-painted-ms") or -1),
                "page_open_to_drawn_ms": round(loaded_ms),
                "click_to_panel_ms": round(click_ms),
            }
            assert explorer.problems() == []
        finally:
            context.close()
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "explorer-metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    print(f"explorer with 500 nodes: {json.dumps(metrics)}")


def test_graphiql_opens_offline_and_answers_a_query(browser: Browser, served: str) -> None:
    """GraphiQL at /graphql is the bundled one (no CDN), renders under its CSP, and runs."""
    page = browser.new_page()
    try:
        page.add_init_script(WATCH)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        outside: list[str] = []
        page.on(
            "request",
            lambda request: (
                outside.append(request.url)
                if not request.url.startswith(served) and not request.url.startswith("data:")
                else None
            ),
        )
        page.goto(f"{served}/graphql", wait_until="networkidle")
        page.wait_for_selector(".graphiql-container", timeout=30_000)
        page.click(".graphiql-execute-button")
        page.wait_for_function(
            "() => document.querySelector('.graphiql-response')?.innerText.includes('org:cedeao')",
            timeout=30_000,
        )
        page.screenshot(path=str(OUTPUT / "graphiql.png"))
        problems = page.evaluate("window.__problems")
    finally:
        page.close()
    assert outside == [], outside
    assert errors == [] and problems == []
