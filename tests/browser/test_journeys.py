"""The three journeys people make most, in a real browser against the live server:
HR takes a candidate to an accepted offer, a manager records an exit conversation, and the
director builds, publishes and exports the committee report."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from foundation.periods import quarter_end_on_or_before
from leavers.models import ExitConversation
from recruitment.models import Application, Campaign
from reporting.models import CommitteeReport, ExportLog, ReportStatus
from tests import factories
from tests import factories_leavers as lf
from tests.browser.steps import fill_date, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def uk(day: dt.date) -> str:
    """Return ``day`` as the admin's date boxes take it."""
    return day.strftime("%d/%m/%Y")


def run_action(page, action: str, fields: dict[str, str], button: str) -> None:
    """Select the one application in the admin's list, run ``action`` and fill its form."""
    page.goto("/admin/recruitment/application/")
    page.locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Go").click()
    for selector, value in fields.items():
        box = page.locator(selector)
        if box.evaluate("element => element.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    page.locator(f"input[type=submit][value='{button}']").click()
    expect(page.locator(".messagelist .success")).to_contain_text("1 applications updated")


def test_hr_creates_a_campaign_adds_an_application_and_takes_it_to_an_accepted_offer(page):
    today = dt.date.today()
    team = factories.team("Child Protection East")
    factories.post(team=team, reference="CPE-1")
    factories.user("hr1", "hr", staff=True, first_name="Harriet", last_name="Rowe")

    sign_in(page, "hr1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Records")).to_be_visible()  # the admin, in the product's look
    page.goto("/admin/recruitment/campaign/add/")
    page.get_by_label("Title").fill("Experienced social workers, winter")
    page.locator("#id_roles_from").select_option(label="Social Worker")
    page.locator("#id_roles_add").click()
    page.locator("#id_opens_on").fill(uk(today - dt.timedelta(days=30)))
    page.locator("#id_cost").fill("6000")
    page.locator("#id_target_hires").fill("3")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    # The application, logged on the campaign's page.
    page.locator("#id_applications-0-first_name").fill("Priya")
    page.locator("#id_applications-0-last_name").fill("Okafor")
    page.locator("#id_applications-0-email").fill("priya.okafor@example.org")
    page.locator("#id_applications-0-role").select_option(label="Social Worker")
    page.locator("#id_applications-0-received_on").fill(uk(today - dt.timedelta(days=20)))
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    campaign = Campaign.objects.get()
    assert campaign.applications.get().full_name == "Priya Okafor"

    # Shortlisted, interviewed, offered, accepted: each a step HR takes in the admin.
    run_action(page, "shortlist", {"#id_on": str(today - dt.timedelta(days=15))}, "Shortlist")
    run_action(
        page,
        "record_interview",
        {"#id_held_on": str(today - dt.timedelta(days=10)), "#id_outcome": "appointable"},
        "Record an interview",
    )
    run_action(
        page,
        "make_offer",
        {"#id_offered_on": str(today - dt.timedelta(days=5)), "#id_salary_point": "SW3 point 2"},
        "Make an offer",
    )
    run_action(page, "accept_offer", {"#id_on": str(today - dt.timedelta(days=2))}, "Offer accepted")
    application = Application.objects.get()
    assert application.get_stage_display() == "Offer accepted"

    # The campaign's own page counts the acceptance.
    page.goto(f"/recruitment/{campaign.pk}/")
    expect(page.get_by_role("heading", name="Experienced social workers, winter")).to_be_visible()
    funnel = page.locator("table.funnel tfoot tr").first
    expect(funnel).to_contain_text("All roles (newly qualified excluded)")
    assert re.sub(r"\s+", " ", funnel.inner_text()).startswith(
        "All roles (newly qualified excluded) 1 1 1 1 1 0"
    )
    expect(page.get_by_role("cell", name="Offer accepted")).to_be_visible()
    screenshot(page, "1-hr-accepted-offer")


def test_manager_records_an_exit_conversation_and_sees_it_counted(page):
    today = dt.date.today()
    team = factories.team("Children in Care North")
    factories.user("tm1", "manager", teams=[team], first_name="Morgan", last_name="Lee")
    leaver = lf.leaver(
        team=team,
        leaving_date=today - dt.timedelta(days=21),
        first_name="Amy",
        last_name="Bennett",
        start=dt.date(2021, 9, 1),
    )

    sign_in(page, "tm1")
    due = page.locator("section.app-due")
    expect(due).to_contain_text("1 leaver from")
    due.get_by_role("link", name="Record the exit conversation with Amy Bennett").click()

    expect(page.get_by_role("heading", name="Record the exit conversation")).to_be_visible()
    fill_date(page, "Date of the conversation", today - dt.timedelta(days=14))
    page.get_by_label("Where they are going").select_option(label="Another local authority")
    page.get_by_label("Workload and work-life balance").check()
    page.get_by_label("Journey to work").check()
    page.get_by_label("Quote", exact=True).fill("The travel and the caseload together were too much.")
    page.get_by_label("The leaver consented to this being quoted anonymously").check()
    page.get_by_role("button", name="Save the exit conversation").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Exit conversation recorded for Amy Bennett"
    )
    expect(page.get_by_text("Exit conversations recorded for 1; not yet recorded for 0.")).to_be_visible()
    destinations = page.locator("table", has=page.locator("caption", has_text="Destinations"))
    expect(
        destinations.get_by_role("row", name=re.compile(r"^Another local authority 1 100\.0%$"))
    ).to_be_visible()
    reasons = page.locator("table", has=page.locator("caption", has_text="Reasons given"))
    expect(reasons.get_by_role("row", name=re.compile(r"^Journey to work 1 100\.0%$"))).to_be_visible()
    expect(page.locator("blockquote.quote")).to_contain_text("The travel and the caseload together")
    conversation = ExitConversation.objects.get(leaver=leaver)
    assert conversation.quote_consent and conversation.recorded_by.username == "tm1"
    screenshot(page, "2-manager-exit-conversation")

    page.get_by_role("link", name="Home").click()
    expect(page.locator("section.app-due")).to_contain_text("0 leavers from")


def test_director_builds_publishes_and_exports_the_report_for_the_latest_quarter(page, worked_example, queue):
    quarter_end = quarter_end_on_or_before(dt.date.today())
    factories.user("dir1", "director", staff=True, first_name="Dana", last_name="Fairfax")

    sign_in(page, "dir1")
    page.get_by_role("link", name="Committee reports").first.click()
    page.get_by_role("link", name="Build a new report").click()
    as_at = page.get_by_role("group", name="Figures as at")  # the latest quarter-end is offered
    expect(as_at.get_by_label("Day")).to_have_value(str(quarter_end.day))
    expect(as_at.get_by_label("Month")).to_have_value(str(quarter_end.month))
    expect(as_at.get_by_label("Year")).to_have_value(str(quarter_end.year))
    page.get_by_label("Committee", exact=True).fill("Children's Services Scrutiny Committee")
    fill_date(page, "Meeting date", quarter_end + dt.timedelta(days=45))
    page.get_by_label("Teams covered").select_option(label="Case-holding teams")
    page.get_by_role("button", name="Build the report").click()

    # The preview: the paper as the committee will read it, with the quarter's figures.
    expect(page.get_by_role("heading", name="Draft paper: preview")).to_be_visible()
    measures = page.locator("#table-measures")
    expect(measures.get_by_role("row", name=re.compile("^Vacancy rate"))).to_contain_text("42.2% (1.9)")
    page.get_by_role("link", name="Check and publish").click()
    # The check lists what is missing, and publishing asks to confirm the committee and meeting.
    expect(page.get_by_role("heading", name="Before publishing")).to_be_visible()
    expect(page.locator(".publish-concerns")).to_contain_text("“Background” is empty.")
    screenshot(page, "3-director-publishing-check")
    confirmation = re.compile("Publish this paper for the Children.s Services Scrutiny Committee meeting on")
    page.get_by_role("checkbox", name=confirmation).check()
    page.get_by_role("button", name="Publish and freeze these figures").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Published")
    report = CommitteeReport.objects.get()
    assert (report.status, report.as_at, report.scope) == (
        ReportStatus.PUBLISHED,
        quarter_end,
        "case-holding",
    )

    # The PDF: exported by the task worker, then downloaded from its page. (The worker runs in
    # this test's thread, which shares the live server's database connection: so not while
    # the job's page is refreshing.)
    page.get_by_role("button", name="PDF of this paper").click()
    expect(page.get_by_role("status")).to_contain_text("Waiting to start")
    job_page = page.url
    page.goto("about:blank")
    assert queue.run() >= 1
    page.goto(job_page)
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name=re.compile("^Download committee-report-")).click()
    pdf = pdf_download.value
    assert pdf.suggested_filename == f"committee-report-{quarter_end.isoformat()}-case-holding-teams.pdf"
    with open(pdf.path(), "rb") as file:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(file.read())).pages).split())
    assert "Children's Services Scrutiny Committee" in text and "42.2% (1.9)" in text
    assert "Published" in text

    # The spreadsheet: every table a sheet, the rates stored as numbers.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("button", name="Excel (XLSX) of this paper").click()
    job_page = page.url
    page.goto("about:blank")
    queue.run()
    page.goto(job_page)
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name=re.compile("^Download committee-report-")).click()
    with open(xlsx_download.value.path(), "rb") as file:
        book = load_workbook(io.BytesIO(file.read()))
    sheet = book["Turnover, vacancy and agency"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    vacancy = rows["Vacancy rate"]
    assert round(vacancy[-2], 3) == 0.422 and vacancy[-1] == pytest.approx(1.9)
    assert book["Contents"]["B2"].value.date() == quarter_end
    assert sorted(ExportLog.objects.values_list("format", flat=True)) == ["pdf", "xlsx"]

    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", name="Published paper")).to_be_visible()
    screenshot(page, "3-director-published-report")
