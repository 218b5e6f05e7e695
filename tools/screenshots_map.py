"""Screenshots of the explorer's map and time slider for the README, taken from the
seeded service in Debian's chromium (so they can be refreshed after a change):

    .venv/bin/python tools/screenshots_map.py            # writes docs/screenshots/

It builds nothing: run `npm run build` first. The page is in French, as officers see it,
and reaches no network but the local service (the map's outline is bundled).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Route, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = {
    # file: (URL fragment, what must be drawn before the picture is taken)
    "map.png": (
        "#focus=org:wanep-mali&depth=2&view=map",
        "() => Number(document.querySelector('#map-note')?.dataset.markers) > 0",
    ),
    "slider.png": (
        "#focus=org:cedeao&depth=2&since=2023-09",
        "() => document.querySelector('#slider-period')?.dataset.since === '2023-09'"
        " && document.querySelector('#status')?.dataset.version",
    ),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"`peacegraph serve` exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("`peacegraph serve` was not ready within 120 s")


def local_only(base: str) -> Callable[[Route], None]:
    """Let the page reach the local service only: the map must not need the network."""

    def route(request: Route) -> None:
        if request.request.url.startswith(base):
            request.continue_()
        else:
            request.abort()

    return route


def shoot(page: Page, base: str, fragment: str, ready: str, target: Path) -> None:
    page.goto(f"{base}/explore{fragment}")
    page.wait_for_function(ready, timeout=90_000)
    page.wait_for_timeout(800)  # the layout's last frames and the map's fit animation
    page.screenshot(path=str(target))
    print(f"wrote {target}")


def shoot_map(browser: Browser, base: str, out: Path) -> None:
    """The map and the slider, in French, on a laptop screen."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.route("**/*", local_only(base))
        for name, (fragment, ready) in SHOTS.items():
            shoot(page, base, fragment, ready, out / name)
    finally:
        context.close()


@contextmanager
def seeded_browser() -> Iterator[tuple[Browser, str]]:
    """Debian's chromium, and the address of a seeded `peacegraph serve` on the
    embedded store in a scratch folder; both stopped afterwards."""
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
                        yield browser, base
                    finally:
                        browser.close()
            finally:
                server.terminate()
                server.wait(timeout=30)


def parse_out(description: str) -> Path:
    """The folder the screenshots go to (`--out`), created if need be."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    return out


def main() -> None:
    out = parse_out(__doc__.split("\n\n")[0])
    with seeded_browser() as (browser, base):
        shoot_map(browser, base, out)


if __name__ == "__main__":
    main()
