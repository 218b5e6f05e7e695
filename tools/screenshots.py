"""Screenshots of the explorer's French view for the README, taken from the seeded
service in Debian's chromium (so they can be refreshed after a change):

    .venv/bin/python tools/screenshots.py            # writes docs/screenshots/

The map and the time slider have their own (`tools/screenshots_map.py`). It builds
nothing: run `npm run build` first. The browser speaks French, as the officers' do, and
the page reaches no network but the local service.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, ViewportSize, sync_playwright
from screenshots_map import CHROMIUM, REPO, free_port, local_only, wait_ready

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
            print(f"wrote {(out / name).relative_to(REPO)}")
        finally:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "peacegraph.app.cli", "serve", "--port", str(port)]
        command += ["--init", "--data-dir", str(Path(scratch) / "data")]
        with open(Path(scratch) / "serve.log", "wb") as log:
            server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
            try:
                wait_ready(base, server)
                with sync_playwright() as driver:
                    browser = driver.chromium.launch(
                        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                    )
                    try:
                        shoot(browser, base, args.out)
                    finally:
                        browser.close()
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
