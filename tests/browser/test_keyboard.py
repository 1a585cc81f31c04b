"""Journeys made with the keyboard alone: Tab to move, typing into boxes, Space to tick,
Enter to follow a link or press a button. No click, no mouse. Each step Tabs forward until
the control it needs has the focus, and fails if the control is never reached (a control
the keyboard cannot reach is a failure of WCAG 2.1.1)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from leavers.models import ExitConversation
from reporting.models import CommitteeReport, ReportStatus
from tests import factories
from tests import factories_leavers as lf
from tests import factories_reporting as rpf
from tests.browser.steps import PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MOST_TABS = 120


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the element ``selector`` finds (a Playwright selector) has the focus."""
    target = page.locator(selector).first.element_handle()
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("target => document.activeElement === target", target):
            return
    raise AssertionError(f"Tab never reached {selector}")


def type_into(page: Any, selector: str, text: str) -> None:
    """Tab to the box ``selector``, clear it and type ``text``."""
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def sign_in_by_keyboard(page: Any, username: str) -> None:
    page.goto("/accounts/login/")
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_a_manager_records_an_exit_conversation_with_the_keyboard_alone(page):
    today = dt.date.today()
    team = factories.team("Children in Care North")
    factories.user("tm1", "manager", teams=[team], first_name="Morgan", last_name="Lee")
    leaver = lf.leaver(
        team=team, leaving_date=today - dt.timedelta(days=21), first_name="Amy", last_name="Bennett"
    )
    held = today - dt.timedelta(days=14)

    sign_in_by_keyboard(page, "tm1")
    tab_to(page, "section.app-due a[href*='/leavers/conversation/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Record the exit conversation")).to_be_visible()
    type_into(page, "#id_held_on-day", str(held.day))
    type_into(page, "#id_held_on-month", str(held.month))
    type_into(page, "#id_held_on-year", str(held.year))
    tab_to(page, "#id_destination")
    page.keyboard.type("Another local")  # a closed list box chooses the option typed
    for reason in ("Workload and work-life balance", "Journey to work"):  # in the list's order
        tab_to(page, f"#{page.get_by_label(reason).get_attribute('id')}")
        page.keyboard.press("Space")
    type_into(page, "#id_quote", "The travel and the caseload together were too much.")
    tab_to(page, "#id_quote_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:has-text('Save the exit conversation')")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Exit conversation recorded for Amy Bennett"
    )
    conversation = ExitConversation.objects.get(leaver=leaver)
    assert conversation.held_on == held and conversation.destination.name == "Another local authority"
    assert sorted(reason.name for reason in conversation.reasons.all()) == [
        "Journey to work",
        "Workload and work-life balance",
    ]
    assert conversation.quote_consent
    screenshot(page, "keyboard-1-manager-exit-conversation")


def test_hr_filters_the_establishment_with_the_keyboard_alone(page, worked_example):
    other = factories.team("Disabled Children North", area=factories.service_area("Disabled Children"))
    factories.post(team=other, reference="DCN-1")
    factories.user("hr1", "hr", staff=True, first_name="Harriet", last_name="Rowe")

    sign_in_by_keyboard(page, "hr1")
    tab_to(page, "nav a[href='/establishment/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("^Establishment on"))).to_be_visible()
    type_into(page, "#id_as_of", "30/6/2019")
    tab_to(page, "#id_team")
    page.keyboard.type("Worked Example")
    tab_to(page, "#id_vacant_only")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:has-text('Apply filters')")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Establishment on 30 June 2019")).to_be_visible()
    expect(page.locator("#establishment-scope")).to_have_text("Worked Example Team: vacant posts only")
    posts = page.get_by_role("region", name=re.compile("^Posts")).locator("tbody tr")
    expect(posts).to_have_count(3)  # P2, P3 and P5 have a vacancy on the day
    expect(page.locator("#totals-whole")).to_contain_text("42.2%")  # the rates of all six posts
    screenshot(page, "keyboard-2-hr-filtered-establishment")


def test_the_director_publishes_a_report_with_the_keyboard_alone(page, worked_example):
    factories.user("dir1", "director", staff=True, first_name="Dana", last_name="Fairfax")
    draft = rpf.report(scope="case-holding")

    sign_in_by_keyboard(page, "dir1")
    tab_to(page, "nav a[href='/reports/']")
    page.keyboard.press("Enter")
    tab_to(page, f"a[href='/reports/{draft.pk}/']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Draft paper: preview")).to_be_visible()
    tab_to(page, f"a[href='/reports/{draft.pk}/publish/']")
    page.keyboard.press("Enter")
    # The check page: what is missing, then the confirmation naming the committee and meeting.
    expect(page.get_by_role("heading", name="Before publishing")).to_be_visible()
    tab_to(page, "input[name=confirm]")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:has-text('Publish and freeze these figures')")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Published")
    assert CommitteeReport.objects.get().status == ReportStatus.PUBLISHED
    screenshot(page, "keyboard-3-director-published-report")
