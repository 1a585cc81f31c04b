"""The director plans ahead in a real browser: opens the forecast, changes an assumption, makes a
scenario with a lever (the additional capacity stopped), saves it shared, and sees it in a
committee report's "Looking ahead" section."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from foundation.periods import quarter_end_on_or_before
from planning.models import LeverKind, Scenario
from reporting.models import CommitteeReport
from tests import factories
from tests import factories_leavers as leavers_f
from tests.browser.steps import fill_date, screenshot, sign_in
from workforce.models import AgencyReason, Contract, Funding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_director_makes_a_scenario_and_puts_it_in_a_report(page):
    today = dt.date.today()
    team = factories.team("Child Protection East")
    long_ago = dt.date(2015, 1, 1)
    for n in range(1, 9):
        post = factories.post(team=team, reference=f"CPE-{n}")
        if n <= 6:
            leavers_f.employee_in(post, start=long_ago)
    for n in range(1, 3):  # approved additional capacity, covered by agency
        post = factories.post(
            team=team, reference=f"TMP-{n}", funding=Funding.TEMPORARY, active_from=long_ago
        )
        factories.assign(
            post, contract=Contract.AGENCY, reason=AgencyReason.ADDITIONAL_CAPACITY, start=long_ago
        )
    factories.user("dir1", "director", staff=True, first_name="Dana", last_name="Fairfax")

    sign_in(page, "dir1")
    page.goto("/planning/")
    expect(page.get_by_role("heading", name="Planning ahead", exact=True)).to_be_visible()
    expect(page.locator("#forecast-summary")).to_contain_text("the vacancy rate is forecast at")

    # An assumption changed on the page: the box keeps the value given.
    role = factories.role().pk
    page.locator(f"#id_cover_share-{role}").fill("100")
    page.get_by_role("button", name="Recalculate with these assumptions").click()
    expect(page.locator(f"#id_cover_share-{role}")).to_have_value("100")

    # A scenario: the additional capacity stopped from next quarter, previewed, then saved.
    page.get_by_role("link", name="Make a scenario").click()
    page.get_by_label("Name").fill("Stop the additional capacity")
    page.get_by_label("Shared with colleagues").check()
    page.locator("#id_levers-0-kind").select_option(value=LeverKind.CAPACITY)
    page.locator("#id_levers-0-starts_on").fill(
        (quarter_end_on_or_before(today) + dt.timedelta(days=1)).isoformat()
    )
    page.get_by_role("button", name="Preview against the base forecast").click()
    expect(
        page.get_by_role("heading", name="Preview: the scenario against the base forecast")
    ).to_be_visible()
    expect(page.locator("table.app-forecast-table")).to_contain_text(
        "Agency workers (A, FTE), with the scenario"
    )
    page.get_by_role("button", name="Save the scenario").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Stop the additional capacity"
    )
    scenario = Scenario.objects.get()
    assert scenario.shared and scenario.owner.username == "dir1"
    assert list(scenario.levers.values_list("kind", flat=True)) == [LeverKind.CAPACITY]
    expect(page.locator("#forecast-summary")).to_contain_text("with the scenario")
    agency = page.locator("table", has=page.locator("caption", has_text="Agency rate (the chart's figures)"))
    expect(agency.get_by_role("columnheader", name="With the scenario")).to_be_visible()

    # The committee report: the forecast included, with the scenario beside it.
    page.get_by_role("link", name="Committee reports").first.click()
    page.get_by_role("link", name="Build a new report").click()
    page.get_by_label("Committee", exact=True).fill("Children's Services Scrutiny Committee")
    fill_date(page, "Meeting date", today + dt.timedelta(days=45))
    page.get_by_label("Include the forecast").check()
    page.get_by_label("Scenario beside the forecast").select_option(label="Stop the additional capacity")
    page.get_by_role("button", name="Build the report").click()

    expect(page.get_by_role("heading", name="Looking ahead")).to_be_visible()
    forecast = page.locator("#table-forecast")
    expect(forecast).to_contain_text("Vacancy rate: Stop the additional capacity")
    expect(page.get_by_text("With the scenario “Stop the additional capacity”")).to_be_visible()
    report = CommitteeReport.objects.get()
    assert report.forecast_included and report.forecast_scenario == scenario
    screenshot(page, "4-director-report-looking-ahead")
