"""Every page, for every role, at a phone's, a tablet's, a laptop's and a large screen's width:
none is wider than the window, axe-core finds no serious or critical accessibility problem,
and no script fails or request is refused. The pages walked are listed in tests/browser/pages.py.

The demonstration county is the data, as a new user would first meet the product: long team
names, hundreds of posts, every kind of leaver and campaign. One browser and one signed-in
tab per role keep the walk quick; each page is loaded once and measured at each width
(axe-core at the phone's and the laptop's, whose layouts differ: a large screen has the
laptop's layout, wider, and axe is the slow part of the walk).
A screenshot of each page at 390, 1280 and 1920 px is kept in test-output/screenshots/pages/.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.pages import AXE_WIDTHS, RECORDS, ROLES, SCREENSHOT_WIDTHS, WIDTHS, Page
from tests.browser.steps import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "workforce-demo-2026"
SCREENSHOT_HEIGHT = 5000
CONTRAST_WIDTH = 1280
# axe-core runs in the page (added before the page's own scripts, so the CSP allows it).
# Colour contrast, the slowest of its rules, does not change with the width: it is checked
# at the laptop's width only.
RUN_AXE = """async (contrast) => {
  const rules = contrast ? {} : {"color-contrast": {enabled: false}};
  const result = await axe.run(document, {resultTypes: ["violations"], rules});
  return result.violations
    .filter(v => ["serious", "critical"].includes(v.impact))
    .map(v => `${v.impact} ${v.id}: ${v.help} at `
      + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
}"""


def _watch(tab: Any, problems: list[str], where: list[str]) -> None:
    """Record script errors and refused requests against the page being walked."""
    tab.on("pageerror", lambda error: problems.append(f"{where[0]}: script error: {error}"))
    tab.on(
        "console",
        lambda message: (
            problems.append(f"{where[0]}: console: {message.text}")
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    tab.on(
        "response",
        lambda response: (
            problems.append(f"{where[0]}: {response.status} for {response.url}")
            if response.status >= 400
            else None
        ),
    )


def _check(tab: Any, role: str, page: Page, width: int, problems: list[str]) -> None:
    """Measure the page at ``width``: its width, axe-core's findings, and a screenshot."""
    tab.set_viewport_size({"width": width, "height": 900})
    where = f"{role} {page.slug} at {width}px"
    page_width = tab.evaluate("document.documentElement.scrollWidth")
    if page_width > width:
        problems.append(f"{where}: the page is {page_width}px wide, wider than the window")
    if width in AXE_WIDTHS:
        for violation in tab.evaluate(RUN_AXE, width == CONTRAST_WIDTH):
            problems.append(f"{where}: {violation}")
    if width not in SCREENSHOT_WIDTHS:
        return
    folder = SCREENSHOTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    # The whole page, down to a limit: a list of a hundred rows at 390 px is metres long.
    height = min(tab.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_HEIGHT)
    tab.screenshot(
        path=str(folder / f"{role}-{page.slug}-{width}.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )


def test_every_page_fits_every_width_and_passes_axe_for_every_role(live_server, monkeypatch):
    if connections["default"].vendor != "sqlite":
        # Widths and axe-core's findings are the browser's, whatever the database; every page's
        # answer on PostgreSQL, for every role, is checked by tests/test_access_table.py, and the
        # journeys run on both. The walk takes 2 to 3 minutes, so CI runs it once.
        pytest.skip("the page walk runs on SQLite only (the layout does not depend on the database)")
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (axe-core is in package.json)"
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=io.StringIO())

    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM under Playwright's loop
    problems: list[str] = []
    walked = 0
    for old in (SCREENSHOTS / "pages").glob("*.png"):
        old.unlink()  # the folder shows this walk only
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role, pages in ROLES.items():
            context = browser.new_context(
                base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
            )
            context.add_init_script(path=str(AXE))
            tab = context.new_page()
            tab.set_default_timeout(30_000)
            where = [f"{role} signing in"]
            _watch(tab, problems, where)
            tab.goto("/accounts/login/")
            tab.get_by_label("Username").fill(role)
            tab.get_by_label("Password").fill(DEMO_PASSWORD)
            tab.get_by_role("button", name="Sign in").click()
            tab.get_by_text("Signed in as").wait_for()
            for page in pages:
                url = page.url(RECORDS)
                where[0] = f"{role} {url}"
                tab.set_viewport_size({"width": AXE_WIDTHS[-1], "height": 900})
                response = tab.goto(url)
                if response is None or response.status != 200:
                    problems.append(f"{where[0]}: answered {response.status if response else 'nothing'}")
                    continue
                for width in WIDTHS:
                    _check(tab, role, page, width, problems)
                walked += 1
            context.close()
        browser.close()
        connections.close_all()  # those opened under Playwright's loop, while it runs
    assert not problems, "\n".join(problems)
    assert walked == sum(len(pages) for pages in ROLES.values())
