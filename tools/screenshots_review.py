"""The review page's screenshot for the README, from a seeded service in Debian's
chromium:

    .venv/bin/python tools/screenshots_review.py     # writes docs/screenshots/review-fr.png

It drafts the Q3 2023 report with `peacegraph extract`, linked to the reviewed seed
(`--known`, so statuses are known, new or ambiguous as against a populated graph), keeps
the draft with `peacegraph review add`, makes an editor token, and shows the page in
French with one fact accepted and another open for editing. It builds nothing: run
`npm run build` first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from screenshots_map import CHROMIUM, REPO, free_port, local_only, parse_out, wait_ready

REPORT = REPO / "peacegraph" / "seed" / "reports" / "wanep-mali-2023-q3-report.md"
SEED = REPO / "peacegraph" / "seed" / "data" / "wanep-mali-2023-q3"


def cli(data_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "PEACEGRAPH_STORE"}}
    command = [sys.executable, "-m", "peacegraph.app.cli", *args, "--data-dir", str(data_dir)]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def shoot_review(out: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        data, draft = Path(scratch) / "data", Path(scratch) / "wanep-mali-2023-q3"
        subprocess.run(
            [sys.executable, "-m", "peacegraph.app.cli", "extract", str(REPORT), "--out",
             str(draft), "--known", str(SEED), "--quiet"],
            check=True,
        )  # fmt: skip
        command = [sys.executable, "-m", "peacegraph.app.cli", "serve", "--port", str(port)]
        with open(Path(scratch) / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [*command, "--init", "--data-dir", str(data)], stdout=log, stderr=subprocess.STDOUT
            )
            try:
                wait_ready(base, server)
                token = cli(data, "token", "create", "--name", "amina", "--role", "editor")
                cli(data, "review", "add", str(draft))
                with sync_playwright() as driver:
                    browser = driver.chromium.launch(
                        executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                    )
                    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="fr-FR")
                    page.route("**/*", local_only(base))
                    page.goto(f"{base}/explore/review")
                    page.fill("#token-input", token.splitlines()[-1])
                    page.click("#token-form button[type=submit]")
                    facts = page.locator("li.fact")
                    facts.nth(0).get_by_role("button", name="Accepter").click()
                    page.wait_for_selector('li.fact[data-decision="accepted"]')
                    facts.nth(2).get_by_role("button", name="Modifier").click()
                    facts.nth(1).hover()
                    page.screenshot(path=str(out / "review-fr.png"))
                    print(f"wrote {out / 'review-fr.png'}")
                    browser.close()
            finally:
                server.terminate()
                server.wait(timeout=30)


def main() -> None:
    shoot_review(parse_out(__doc__.split("\n\n")[0]))


if __name__ == "__main__":
    main()
