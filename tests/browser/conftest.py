"""Browser journeys: Playwright driving Debian's Chromium against the live test server.

Without Chromium these tests are skipped, and the run says so plainly; ``.ci/run``
installs it (``apt-get install chromium``) so CI always runs them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
NO_CHROMIUM = "Chromium is not installed, so the browser journeys are skipped: apt-get install chromium"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not CHROMIUM:
        terminalreporter.write_line(NO_CHROMIUM, yellow=True, bold=True)


@pytest.fixture
def page(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Return a fresh tab of Chromium (British locale) on the live server, failing the test on
    any script error or failed request.

    Playwright runs for this test only, and starts after the test database is ready: its
    synchronous API keeps an event loop running in the test's thread, under which Django
    hands out other connection objects (and refuses the ORM unless told it is safe).
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1366, "height": 900},
            locale="en-GB",
            timezone_id="Europe/London",
            accept_downloads=True,
        )
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        problems: list[str] = []
        tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        tab.on("console", lambda message: _console(message, problems))
        tab.on("response", lambda response: _response(response, problems))
        yield tab
        context.close()
        browser.close()
        connections.close_all()  # those the test opened under Playwright's loop
    assert not problems, problems


def _console(message: Any, problems: list[str]) -> None:
    # A CSP refusal or a broken script is an error here; failed loads are checked by status.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        problems.append(f"console: {message.text}")


def _response(response: Any, problems: list[str]) -> None:
    # The Django admin has no icon, so Chromium's own request for one is not a problem.
    if response.status >= 400 and not response.url.endswith("/favicon.ico"):
        problems.append(f"{response.status} for {response.url}")
