"""Bulk upload of applications: CSV and XLSX, row errors named by row and column, all or nothing."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from recruitment.importing import ImportFileError, import_applications, read_rows
from recruitment.models import Application
from tests import factories
from tests import factories_recruitment as rf

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "First name,Last name,Email,Role,Received on,Internal,Newly qualified,Source,Team,Staff reference\n"
    "Ada,Lovelace,ada@example.org,Social Worker,03/02/2025,no,yes,Frontline,Team A,\n"
    "Grace,Hopper,grace@example.org,team-manager,2025-02-04,yes,no,internal,,W-77\n"
)


@pytest.fixture
def campaign():
    factories.team("Team A")
    factories.worker(staff_reference="W-77", first_name="Grace", last_name="Hopper")
    return rf.campaign(opens_on=dt.date(2025, 1, 1), role_codes=("social-worker", "team-manager"))


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_good_csv_previews_without_saving_then_imports(campaign):
    rows = read_rows(content=GOOD_CSV.encode(), filename="applications.csv")
    preview = import_applications(campaign=campaign, rows=rows, dry_run=True)
    assert preview.ok and not preview.saved
    assert [a.full_name for a in preview.applications] == ["Ada Lovelace", "Grace Hopper"]
    assert not Application.objects.exists()

    done = import_applications(campaign=campaign, rows=rows, dry_run=False)
    assert done.saved
    ada, grace = Application.objects.order_by("received_on")
    assert (ada.role.code, ada.newly_qualified, ada.internal, ada.source.code, ada.team.name) == (
        "social-worker",
        True,
        False,
        "frontline",
        "Team A",
    )
    assert (grace.role.code, grace.internal, grace.worker.staff_reference) == ("team-manager", True, "W-77")
    assert grace.received_on == dt.date(2025, 2, 4)


def test_an_xlsx_file_with_real_date_cells(campaign):
    content = xlsx(
        [
            ["first_name", "last_name", "role", "received_on"],
            ["Mary", "Seacole", "Social Worker", dt.datetime(2025, 3, 1)],
        ]
    )
    rows = read_rows(content=content, filename="applications.xlsx")
    result = import_applications(campaign=campaign, rows=rows, dry_run=False)
    assert result.saved
    assert Application.objects.get().received_on == dt.date(2025, 3, 1)


def test_every_problem_names_the_row_and_column_and_nothing_is_saved(campaign):
    content = (
        "first_name,last_name,email,role,received_on,internal,team,staff_reference\n"
        "Ada,Lovelace,ada@example.org,Social Worker,03/02/2025,no,,\n"  # row 2: good
        ",Nobody,not-an-email,Head of Service,31/02/2025,maybe,Team Z,W-404\n"  # row 3: every column
        "Early,Bird,early@example.org,Social Worker,01/12/2024,no,,\n"  # row 4: before the campaign
        "Ada,Lovelace,ADA@example.org,Social Worker,05/02/2025,no,,\n"  # row 5: duplicate of row 2
    )
    rows = read_rows(content=content.encode(), filename="applications.csv")
    result = import_applications(campaign=campaign, rows=rows, dry_run=False)
    assert not result.saved
    assert not Application.objects.exists()
    messages = [str(error) for error in result.errors]
    assert messages == [
        "Row 3, column first_name: is empty; it is required.",
        "Row 3, column role: 'Head of Service' is not one of this campaign's roles "
        "(Social Worker, Team Manager).",
        "Row 3, column received_on: '31/02/2025' is not a date; write it as 31/01/2026.",
        "Row 3, column internal: 'maybe' should be yes or no.",
        "Row 3, column team: 'Team Z' is not a team.",
        "Row 3, column staff_reference: No worker has the staff reference 'W-404'.",
        "Row 4, column received_on: The campaign opens on 1 January 2025; an application to it cannot be "
        "received before then (1 December 2024).",
        "Row 5, column email: Row 2 already has an application from ADA@example.org for Social Worker.",
    ]


def test_a_model_rule_is_reported_on_its_column(campaign):
    content = (
        "first_name,last_name,email,role,received_on\nAda,Lovelace,not-an-email,Social Worker,03/02/2025\n"
    )
    result = import_applications(
        campaign=campaign, rows=read_rows(content=content.encode(), filename="a.csv")
    )
    assert [str(e) for e in result.errors] == ["Row 2, column email: Enter a valid email address."]


def test_someone_already_in_the_campaign_is_refused(campaign):
    rf.application(campaign, email="ada@example.org", received_on=dt.date(2025, 2, 1))
    content = (
        "first_name,last_name,email,role,received_on\nAda,Lovelace,ada@example.org,Social Worker,03/02/2025\n"
    )
    result = import_applications(
        campaign=campaign, rows=read_rows(content=content.encode(), filename="a.csv")
    )
    assert [str(e) for e in result.errors] == [
        "Row 2, column email: ada@example.org has already applied to this campaign for Social Worker."
    ]


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"first_name,last_name\nA,B\n", "a.csv", "Row 1: the header has no role, received_on column."),
        (b"", "a.csv", "The file is empty."),
        (b"anything", "a.txt", "Upload a .csv or .xlsx file."),
        (b"not a workbook", "a.xlsx", "The XLSX file cannot be opened: This is not a readable XLSX workbook"),
        ("first_name\n\x81".encode("latin-1"), "a.csv", "The CSV file cannot be read: The file is neither"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(content, filename, message):
    with pytest.raises(ImportFileError) as caught:
        read_rows(content=content, filename=filename)
    assert str(caught.value).startswith(message)
