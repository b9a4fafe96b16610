"""The browser-test harness: the app on a loopback port, driven by Debian's Chromium.

Playwright's own browser download cannot work here, so Playwright launches the
``chromium`` binary found on PATH (override with ``HOERING_CHROMIUM``). Without it the
browser tests are skipped locally and fail under ``HOERING_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("HOERING_CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("HOERING_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium not found on PATH (apt-get install chromium)")
        pytest.skip("chromium not found on PATH (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, request: pytest.FixtureRequest) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 at a free port for the duration of one test (the server's
    threads have connections of their own: the test must really commit)."""
    if request.node.get_closest_marker("commits") is None:
        pytest.fail("a test with a live server needs @pytest.mark.commits")
    app.config["WTF_CSRF_ENABLED"] = True  # the browser goes through the real forms
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def accessibility_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in violations
    )
