"""`jsna serve` end to end: it serves the site, and an edit is rebuilt and reloaded by itself."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import CHAPTER


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _wait(predicate, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


@contextlib.contextmanager
def serving(project):
    """`jsna serve` on a free port; yields its host:port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jsna", "serve", "--project", str(project), "--port", "0", "--no-pdf"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        line = _wait(lambda: next((l for l in iter(process.stdout.readline, "") if "serving" in l), None))
        yield line.split("http://", 1)[1].split("/", 1)[0]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_rebuilds_on_change_and_pages_reload(project):
    with serving(project) as base:
        url = f"http://{base}/children-in-need/index.html"
        page = _get(url)
        assert b"Contacts fell." in page
        assert b"/__jsna__/version" in page, "served pages carry the reload script"
        assert b"/__jsna__/version" not in (project / "site/children-in-need/index.html").read_bytes()
        version = json.loads(_get(f"http://{base}/__jsna__/version"))["version"]

        (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell sharply."))
        _wait(lambda: json.loads(_get(f"http://{base}/__jsna__/version"))["version"] > version)
        assert b"Contacts fell sharply." in _get(url)

        # A mistake is reported, and the last good site keeps being served.
        (project / "indicators.yaml").write_text("indicators: [\n")
        status = _wait(lambda: (s := json.loads(_get(f"http://{base}/__jsna__/version")))["error"] and s)
        assert status["error"].startswith("indicators.yaml:")
        assert b"Contacts fell sharply." in _get(url)


@pytest.mark.browser
def test_an_open_page_reloads_itself_in_a_real_browser(project):
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM

    with serving(project) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        page = browser.new_page()
        page.goto(f"http://{base}/children-in-need/index.html")
        assert "Contacts fell." in page.content()
        page.wait_for_timeout(1500)  # the reload script has asked for the build number once
        (project / "chapters/children-in-need.md").write_text(CHAPTER.replace("Contacts fell.", "Contacts fell in the browser."))
        page.wait_for_function("document.body.textContent.includes('Contacts fell in the browser.')", timeout=30000)
        browser.close()
