"""Steps the journeys share: signing in and keeping a screenshot of the final page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

OUTPUT = Path(os.environ.get("TEST_OUTPUT_DIR", Path(__file__).resolve().parents[2] / "test-output"))
SCREENSHOTS = OUTPUT / "screenshots"
PASSWORD = "a-long-test-password-1"  # what tests.factories.user gives everyone


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot of the page as it is now under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in on the product's own sign-in page and land on the home dashboard."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def fill_date(page: Any, question: str, day: Any) -> None:
    """Type ``day`` into the GOV.UK date input (day, month and year boxes) asking ``question``."""
    boxes = page.get_by_role("group", name=question)
    boxes.get_by_label("Day").fill(str(day.day))
    boxes.get_by_label("Month").fill(str(day.month))
    boxes.get_by_label("Year").fill(str(day.year))
