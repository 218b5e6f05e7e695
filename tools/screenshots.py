"""Screenshots of the explorer's French view for the README, taken from the seeded
service in Debian's chromium (so they can be refreshed after a change):

    .venv/bin/python tools/screenshots.py            # writes docs/screenshots/

It takes the map and the slider too (`tools/screenshots_map.py` takes only those), and
the review page (`tools/screenshots_review.py`).
It builds nothing: run `npm run build` first. The browser speaks French, as the
officers' do, and the page reaches no network but the local service.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, ViewportSize
from screenshots_map import local_only, parse_out, seeded_browser, shoot_map
from screenshots_review import shoot_review

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
#: Drawn, and the panel filled, when both live regions have been updated.
READY = (
    "() => document.querySelector('#status')?.dataset.version > 0"
    " && document.querySelector('#panel-title')"
)
SHOTS = {
    # file: (viewport, URL fragment)
    "explorer-fr.png": (LAPTOP, "#focus=org:wanep-mali&selected=org:cedeao&lang=fr"),
    "explorer-phone.png": (PHONE, "#focus=org:cedeao&selected=org:cedeao&lang=fr"),
}


def shoot(browser: Browser, base: str, out: Path) -> None:
    for name, (viewport, fragment) in SHOTS.items():
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        try:
            page = context.new_page()
            page.route("**/*", local_only(base))
            page.goto(f"{base}/explore{fragment}")
            page.wait_for_function(READY, timeout=90_000)
            page.wait_for_timeout(800)  # the layout's last frames
            page.screenshot(path=str(out / name))
            print(f"wrote {out / name}")
        finally:
            context.close()


def main() -> None:
    out = parse_out(__doc__.split("\n\n")[0])
    with seeded_browser() as (browser, base):
        shoot(browser, base, out)
        shoot_map(browser, base, out)
    shoot_review(out)  # its own service: it adds a draft and a token to the store


if __name__ == "__main__":
    main()
