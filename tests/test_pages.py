"""The product's own pages: one design system (GOV.UK Frontend, built without the crown or its
typeface), navigation with who is signed in, a label on every field, headers on every table,
error summaries that link to the field, and the director's reports pages."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from reporting.models import CommitteeReport, ReportStatus
from tests import factories
from tests import factories_leavers as lf
from tests import factories_reporting as fr

ROOT = Path(__file__).resolve().parent.parent
BUILT_CSS = ROOT / "static" / "build" / "app.css"


class Audit(HTMLParser):
    """Collect a page's form controls, labels and table headers."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple[str, str]] = []  # (tag or input type, id)
        self.labelled: set[str] = set()
        self.headers: list[dict] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") not in {"hidden", "submit", "button"}:
            self.controls.append((found.get("type", "text"), found.get("id", "")))
        elif tag in {"select", "textarea"}:
            self.controls.append((tag, found.get("id", "")))
        elif tag == "label" and found.get("for"):
            self.labelled.add(found["for"])
        elif tag == "th":
            self.headers.append(found)
        elif tag == "script":
            self.scripts.append(found)


def audit(page: str) -> Audit:
    parsed = Audit()
    parsed.feed(page)
    return parsed


def get(client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def county(worked_example):
    hr = factories.user("hr1", "hr", staff=True, first_name="Harriet", last_name="Rowe")
    manager = factories.user("tm1", "manager", teams=[worked_example["team"]], first_name="Tom")
    leaver = lf.leaver(post=worked_example["posts"]["P5"], leaving_date=dt.date(2019, 4, 30))
    with time_machine.travel(dt.datetime(2019, 8, 15, 12, 0), tick=False):
        yield {**worked_example, "hr": hr, "manager": manager, "leaver": leaver}


# --- The design system ------------------------------------------------------------------------


def test_the_stylesheet_is_gov_uk_frontend_without_the_crown_or_its_typeface():
    assert BUILT_CSS.exists(), "run `make static` (npm ci && npm run build) to build the stylesheet"
    css = BUILT_CSS.read_text()
    for component in (".govuk-error-summary", ".govuk-table", ".govuk-button", ".govuk-service-navigation"):
        assert component in css
    assert "GDS Transport" not in css and "govuk-crest" not in css and "govuk-header__logo" not in css
    assert "font-family:system-ui" in css
    assert "url(" not in css  # no fonts or images to fetch


def test_no_template_holds_an_inline_script():
    for template in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]:
        for tag in re.findall(r"<script[^>]*>", template.read_text()):
            assert "src=" in tag, f"inline script in {template}"


@pytest.mark.parametrize(
    ("user_key", "name", "role", "admin"),
    [("hr", "Harriet Rowe", "HR", True), ("manager", "Tom", "Team manager", False)],
)
def test_every_page_says_who_is_signed_in_and_offers_a_signing_out_form(
    client, county, user_key, name, role, admin
):
    client.force_login(county[user_key])
    for url in ("/", "/establishment/", "/recruitment/", "/leavers/", "/reports/"):
        page = get(client, url)
        assert f"Signed in as <strong>{name}</strong>" in page and f'app-header__role">{role}<' in page
        assert re.search(
            r'<form method="post" action="/accounts/logout/"><input type="hidden" name="csrf', page
        )
        for link in (
            'href="/establishment/"',
            'href="/recruitment/"',
            'href="/leavers/"',
            'href="/reports/"',
        ):
            assert link in page
        assert ('href="/admin/"' in page) is admin
        assert 'aria-current="page"' in page
        assert '<link rel="stylesheet" href="/static/build/app.css">' in page


def test_every_field_has_a_label_and_every_table_header_a_scope(client, county):
    client.force_login(county["hr"])
    director = factories.user("dir1", "director", staff=True)
    pages = [
        get(client, "/establishment/", as_of="2019-06-30"),
        get(client, "/recruitment/"),
        get(client, "/leavers/"),
        get(client, reverse("leavers:conversation"), leaver=county["leaver"].pk),
    ]
    client.force_login(director)
    pages += [get(client, reverse("pages:new_report")), get(client, "/reports/"), get(client, "/")]
    client.logout()
    pages.append(get(client, reverse("login")))
    controls = 0
    for page in pages:
        found = audit(page)
        controls += len(found.controls)
        unlabelled = [control for control in found.controls if control[1] not in found.labelled]
        assert not unlabelled, unlabelled
    assert controls > 30  # the filters, the conversation form, the new report form and sign-in
    for page in pages[:-1]:
        found = audit(page)
        assert all(header.get("scope") in {"col", "row"} for header in found.headers), found.headers


# --- Error summaries that link to the field ---------------------------------------------------


def test_filter_forms_summarise_their_errors_at_the_top_linked_to_the_field(client, county):
    client.force_login(county["hr"])
    establishment = get(client, "/establishment/", as_of="not a date")
    assert '<a href="#id_as_of">As at: Enter a real date, like 30/6/2019</a>' in establishment
    assert establishment.index("govuk-error-summary") < establishment.index("<h1")
    assert 'aria-describedby="id_as_of-hint id_as_of-error"' in establishment
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in establishment
    assert '<option value="" selected>Any</option>' in establishment  # not Django's dashes
    recruitment = get(client, "/recruitment/", start="2019-06-01", end="2019-01-01")
    assert '<a href="#id_end">To: The period cannot end before it starts.</a>' in recruitment
    leavers = get(client, "/leavers/", period_after="31/31/2019", period_before="2019-07-01")
    assert '<a href="#id_period_0">Left between: Enter a valid date.</a>' in leavers
    # The two boxes keep the names the filter reads, each with its own label.
    assert re.search(
        r'<label class="govuk-label" for="id_period_0">From</label><input type="text" name="period_after"',
        leavers,
    )
    assert re.search(
        r'<label class="govuk-label" for="id_period_1">To</label><input type="text" name="period_before"',
        leavers,
    )


def test_the_exit_conversation_form_links_each_error_to_its_field(client, county):
    client.force_login(county["manager"])
    response = client.post(
        reverse("leavers:conversation"), {"leaver": county["leaver"].pk, "held_on": "", "quote": "Fine"}
    )
    page = response.content.decode()
    # GOV.UK's date input: the summary links to the day box, and the message says what to do.
    assert '<a href="#id_held_on-day">Date of the conversation: Enter the date</a>' in page
    assert '<a href="#id_destination">Where they are going: This field is required.</a>' in page
    assert '<a href="#id_reasons_0">Reasons for leaving: This field is required.</a>' in page
    assert 'id="id_reasons_0"' in page and "govuk-checkboxes__input" in page


def test_the_sign_in_form_links_its_error_to_the_username(client, county):
    page = client.post(reverse("login"), {"username": "hr1", "password": "wrong"}).content.decode()
    assert '<a href="#id_username">Your username and password did not match. Please try again.</a>' in page


# --- Committee reports ------------------------------------------------------------------------


def test_the_director_has_the_reports_buttons_and_a_reader_none(client, county):
    draft = fr.report()
    director = factories.user("dir1", "director", staff=True)
    client.force_login(director)
    listing = get(client, "/reports/")
    assert f'href="{reverse("pages:new_report")}"' in listing
    assert f'href="{reverse("reporting:report", args=[draft.pk])}"' in listing
    page = get(client, reverse("reporting:report", args=[draft.pk]))
    assert "Check and publish" in page and "Draft paper: preview" in page
    assert page.count('action="/reports/' + str(draft.pk) + "/prepare/") == 6
    client.force_login(factories.user("rd", "reader"))
    assert reverse("pages:new_report") not in get(client, "/reports/")


def test_the_director_builds_a_report_for_the_latest_quarter_from_the_reports_page(client, county):
    client.force_login(factories.user("dir1", "director", staff=True))
    form = get(client, reverse("pages:new_report"))
    # The latest quarter-end is offered, in the day, month and year boxes.
    for part, value in (("day", "30"), ("month", "6"), ("year", "2019")):
        assert re.search(rf'name="as_at-{part}" [^>]*value="{value}"', form)
    response = client.post(
        reverse("pages:new_report"),
        {
            "committee": "Corporate Parenting Panel",
            "meeting_date": "2019-09-12",
            "as_at": "2019-06-30",
            "scope": "case-holding",
            "window_months": "12",
            "title": "Recruitment and retention of children's social workers",
        },
    )
    report = CommitteeReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:report", args=[report.pk]
    )
    assert (report.committee, report.as_at, report.scope, report.status) == (
        "Corporate Parenting Panel",
        dt.date(2019, 6, 30),
        "case-holding",
        ReportStatus.DRAFT,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Draft saved." in page and "42.2% (1.9)" in page


def test_a_new_report_with_mistakes_lists_them_linked_to_the_fields(client, county):
    client.force_login(factories.user("dir1", "director", staff=True))
    page = client.post(
        reverse("pages:new_report"),
        {
            "committee": "",
            "meeting_date": "2019-09-12",
            "as_at": "",
            "scope": "team:999",
            "window_months": "0",
        },
    ).content.decode()
    assert '<a href="#id_committee">Committee: This field is required.</a>' in page
    assert '<a href="#id_as_at-day">Figures as at: Enter the date</a>' in page
    assert '<a href="#id_scope">Teams covered: Select a valid choice.' in page
    assert '<a href="#id_window_months">Analysis window (months): Ensure this value is greater than' in page
    assert not CommitteeReport.objects.exists()


@pytest.mark.parametrize("group", ["hr", "manager", "reader"])
def test_only_directors_build_reports(client, county, group):
    client.force_login(factories.user(f"{group}9", group, staff=True))
    assert client.get(reverse("pages:new_report")).status_code == 403
    assert client.post(reverse("pages:new_report"), {"committee": "X"}).status_code == 403
