"""The explorer's map of places and its time slider, in a real browser (Debian
chromium), on both stores, in French and in English.

The map must read without any network: the page may only reach the service it came
from (every other request is refused and recorded), so the country outline is the
bundled Natural Earth one and there are no tiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Route, expect

from peacegraph.app.settings import Settings, SettingsError
from peacegraph.graph.store import Store
from tests.app.test_explorer import Explorer, browser, browsing, require_bundle, served
from tests.support.http import client_for

__all__ = ["browser", "served"]  # fixtures, shared with test_explorer.py

LOCALES = {"fr-FR": ("Carte", "Graphe"), "en-US": ("Map", "Graph")}


# ---- the tiles setting (plain HTTP; before the browser tests, as in test_explorer.py:
# Playwright's sync API keeps an event loop running once started) ----

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


@pytest.mark.asyncio(loop_scope="session")
async def test_tiles_are_a_setting_off_by_default(store: Store) -> None:
    require_bundle()
    async with client_for(store) as client:
        plain = await client.get("/explore")
    assert "peacegraph-tiles" not in plain.text
    assert "img-src 'self';" in plain.headers["content-security-policy"]

    settings = Settings.from_env({"PEACEGRAPH_MAP_TILES": TILES})
    async with client_for(store, settings) as client:
        page, embed = await client.get("/explore"), await client.get("/embed")
    for response in (page, embed):
        assert f'<meta name="peacegraph-tiles" content="{TILES}">' in response.text
        policy = response.headers["content-security-policy"]
        assert "img-src 'self' https://tile.openstreetmap.org;" in policy


@pytest.mark.parametrize(
    "value",
    [
        "http://tile.example.org/{z}/{x}/{y}.png",
        "https://tiles.example.org/map.png",
        "https://a.example.org/{z}/{x}/{y}.png; script-src *",
    ],
)
def test_a_tile_url_that_is_not_one_https_template_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="PEACEGRAPH_MAP_TILES"):
        Settings.from_env({"PEACEGRAPH_MAP_TILES": value})


# ---- in the browser ----


@dataclass
class Offline:
    """The page, the locale its browser speaks, and what it tried to reach elsewhere."""

    page: Explorer
    locale: str
    refused: list[str] = field(default_factory=list)


@pytest.fixture(params=list(LOCALES))
def offline(request: pytest.FixtureRequest, browser: Browser, served: str) -> Iterator[Offline]:
    """The page in a browser speaking the locale, allowed to reach only the service."""
    with browsing(browser, served, request.param) as page:
        found = Offline(page, request.param)

        def only_the_service(route: Route) -> None:
            if route.request.url.startswith(served):
                route.continue_()
            else:
                found.refused.append(route.request.url)
                route.abort()

        page.page.route("**/*", only_the_service)
        yield found


def markers(page: Explorer) -> list[dict[str, str]]:
    found: list[dict[str, str]] = page.js(
        """() => [...document.querySelectorAll('#map path.map-marker')].map(
             (p) => ({id: p.dataset.id, events: p.dataset.events}))"""
    )
    return found


def test_the_map_shows_each_located_place_of_the_view_over_the_bundled_outline(
    offline: Offline,
) -> None:
    to_map, to_graph = LOCALES[offline.locale]
    refused = offline.refused
    explorer = offline.page
    explorer.open("#focus=place:region-mopti")
    explorer.shown()
    toggle = explorer.page.locator("#view-toggle")
    expect(toggle).to_have_text(to_map)
    places = {n["id"] for n in explorer.nodes() if n["kind"] == "Place"}
    assert {"place:region-mopti", "place:mopti", "place:djenne", "place:mali"} <= places
    toggle.click()
    expect(toggle).to_have_text(to_graph)
    # A count of events per place: on a cold Neo4j each new statement is compiled first,
    # which takes seconds on a loaded machine.
    explorer.page.wait_for_function(
        "() => Number(document.querySelector('#map-note').dataset.markers) > 0",
        timeout=90_000,
    )
    shown = markers(explorer)
    assert {m["id"] for m in shown} == places  # every place of the seed has a point
    assert explorer.page.locator("#map path.map-mali").count() == 1
    assert explorer.page.locator("#map path.map-country").count() > 100
    mopti = next(m for m in shown if m["id"] == "place:region-mopti")
    # The events of the view held in the region: the electoral-law campaigns and the
    # sessions on the electoral body (those held in its towns are a hop further).
    assert int(mopti["events"]) == 2
    assert "view=map" in explorer.page.url

    # A click event on the circle itself (the map may still be easing to its bounds,
    # so a click at screen coordinates could land beside it).
    explorer.page.locator('#map path.map-marker[data-id="place:djenne"]').dispatch_event("click")
    explorer.page.wait_for_function(
        "() => window.peacegraphExplorer.state().selected === 'place:djenne'"
    )
    expect(explorer.page.locator("#panel-title")).to_contain_text("Djenné")
    assert refused == [], "the map reached out of the service"
    assert explorer.problems() == []


def test_the_slider_narrows_the_view_keeps_the_open_partnership_and_is_in_the_link(
    offline: Offline,
) -> None:
    refused = offline.refused
    explorer = offline.page
    explorer.open("#focus=org:cedeao&depth=2")
    explorer.shown()
    explorer.page.wait_for_function("() => window.peacegraphExplorer.slider.months.length > 1")
    months = explorer.js("() => window.peacegraphExplorer.slider.months")
    assert months[0] == "2023-07" and months[-1] == "2023-09"
    before = explorer.node_ids()
    assert "event:2023-08-11-campagne-rss-bamako" in before

    with explorer.updates():
        explorer.page.locator("#slider-from").evaluate(
            """(thumb) => {
              thumb.value = String(window.peacegraphExplorer.slider.months.indexOf('2023-09'));
              thumb.dispatchEvent(new Event('input'));
              thumb.dispatchEvent(new Event('change'));
            }"""
        )
    after = explorer.node_ids()
    assert after < before
    assert "event:2023-08-11-campagne-rss-bamako" not in after
    # CEDEAO and WANEP-Mali are partners since 2011 with no end: in every later period.
    assert {"org:cedeao", "org:wanep-mali"} <= after
    assert "since=2023-09" in explorer.page.url
    expect(explorer.page.locator("#since")).to_have_value("2023-09")
    expect(explorer.page.locator("#slider-period")).to_contain_text("2023")

    explorer.open("#focus=org:cedeao&depth=2&since=2023-09")
    explorer.shown()
    explorer.page.wait_for_function(
        "() => document.querySelector('#slider-period').dataset.since === '2023-09'"
    )
    assert explorer.node_ids() == after
    assert refused == []
    assert explorer.problems() == []
