"""Lighthouse (mobile) scores of the home, event and checkout pages of a running portal.

    make run                                  # in another terminal: the demo portal on :8000
    npm i -E lighthouse@12.2.3                # once, outside the project (not a dependency)
    CHROME_PATH=/usr/bin/chromium .venv/bin/python -m bench.lighthouse

The checkout page needs a hold: a browser chooses one ticket of the first event that sells
general admission, and Lighthouse reads the checkout with that browser's session cookie.
Prints one row per page and writes bench/results/lighthouse.json. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.stack import ROOT

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"


def _checkout_with_a_hold(base: str, chromium: str) -> tuple[str, str, str]:
    """(event path, checkout path, session cookie) after choosing one ticket."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROME_FLAGS.split())
        page = browser.new_page(locale="ru-RU")
        page.goto(base + "/events/")
        links = page.locator("a[href^='/events/']").evaluate_all(
            "els => [...new Set(els.map(e => e.getAttribute('href')))]"
        )
        for href in links:
            if href.count("/") != 3:  # /events/<slug>/ only
                continue
            page.goto(base + href)
            quantity = page.locator("input[id^=qty-]").first
            if not quantity.count():
                continue
            quantity.fill("1")
            quantity.locator("xpath=ancestor::form").locator("button[type=submit]").click()
            page.wait_for_url("**/orders/checkout/**")
            checkout = page.url.removeprefix(base)
            cookies = page.context.cookies()
            browser.close()
            session = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
            return href, checkout, session
        browser.close()
    raise SystemExit("no event with general-admission tickets on sale: run `make run` first")


def _lighthouse(url: str, cookie: str, chromium: str) -> dict[str, int]:
    # the lighthouse command on PATH (node_modules/.bin), else npx from the current directory
    found = shutil.which("lighthouse")
    command = [found] if found else [shutil.which("npx") or "npx", "lighthouse"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        finished = subprocess.run(
            [
                *command,
                url,
                "--quiet",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--extra-headers={json.dumps({'Cookie': cookie})}",
                "--output=json",
                f"--output-path={out}",
            ],
            env={**os.environ, "CHROME_PATH": chromium},
            timeout=300,
            capture_output=True,
            text=True,
        )
        if finished.returncode:
            raise SystemExit(f"lighthouse failed on {url}:\n{finished.stderr[-2000:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    args = parser.parse_args()
    base = args.base.rstrip("/")
    event, checkout, cookie = _checkout_with_a_hold(base, args.chromium)
    pages = {"home": "/", "event": event, "checkout": checkout}
    scores = {name: _lighthouse(base + path, cookie, args.chromium) for name, path in pages.items()}
    print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:<10}" + "".join(f"{row[c]:>16}" for c in CATEGORIES))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "lighthouse.json").write_text(json.dumps(scores, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
