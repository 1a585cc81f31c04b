"""Importing the monthly HR extract: samples, idempotence, all or nothing, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from openpyxl.styles import Font

from dataio.importing.engine import Source, run_import
from dataio.importing.kinds import KINDS
from dataio.models import ImportOutcome, ImportRun
from leavers.models import ExitConversation, Leaver
from recruitment.models import Application, Campaign
from workforce.models import Absence, Assignment, Post, Team, Worker

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "docs" / "samples"
SAMPLE_FILES = sorted(SAMPLES.glob("*.csv"))

TEAMS = "team,service_area,case_holding\nChild Protection East,Child Protection,yes\n"
POSTS = (
    "post_reference,team,role,fte,active_from,active_to,funding\n"
    "CPE-01,Child Protection East,Social Worker,1,2010-04-01,,establishment\n"
    "CPE-02,Child Protection East,Senior Practitioner,0.5,2010-04-01,,establishment\n"
)
WORKERS = (
    "staff_reference,first_name,last_name,swe_number\nW1,Asha,Patel,SW0000000001\nW2,Tom,Reed,SW0000000002\n"
)
ASSIGNMENTS = (
    "staff_reference,post_reference,start,end,fte,contract,agency_reason,agency_supplier,weekly_charge\n"
    "W1,CPE-01,2020-01-06,,1,permanent,,,\n"
    'W2,CPE-02,2021-03-01,,0.5,agency,vacancy,Hays,"£1,650.00"\n'
)


def csv_source(name: str, text: str, encoding: str = "utf-8") -> Source:
    return Source(name=name, content=text.encode(encoding))


def xlsx_bytes(rows: list[list[object]], *, trailing_formatted_rows: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for offset in range(trailing_formatted_rows):
        sheet.cell(row=len(rows) + 5 + offset, column=2).font = Font(bold=True)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def establishment(*extra: Source, dry_run: bool = False):
    return run_import(
        [
            csv_source("teams.csv", TEAMS),
            csv_source("posts.csv", POSTS),
            csv_source("workers.csv", WORKERS),
            *extra,
        ],
        dry_run=dry_run,
    )


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def counts() -> tuple[int, ...]:
    return (
        Team.objects.count(),
        Post.objects.count(),
        Worker.objects.count(),
        Assignment.objects.count(),
        Absence.objects.count(),
        Leaver.objects.count(),
        Campaign.objects.count(),
        Application.objects.count(),
    )


def history_rows() -> int:
    return sum(
        model.history.count()
        for model in (Team, Post, Worker, Assignment, Absence, Leaver, ExitConversation, Application)
    )


# --- The samples -----------------------------------------------------------------------------


def test_samples_import_cleanly_into_an_empty_database():
    assert counts() == (0, 0, 0, 0, 0, 0, 0, 0)
    out = io.StringIO()
    call_command("import_workforce", *map(str, SAMPLE_FILES), stdout=out)
    assert "Imported: 70 created, 0 updated, 0 unchanged in 15 files." in out.getvalue()
    assert counts() == (3, 9, 11, 11, 3, 1, 1, 4)
    leaver = Leaver.objects.get()
    assert leaver.worker.staff_reference == "W1007" and leaver.fte_at_leaving == 1
    conversation = ExitConversation.objects.get()
    assert (conversation.leaver, conversation.destination.code, conversation.quote_consent) == (
        leaver,
        "another-la",
        True,
    )
    assert sorted(conversation.reasons.values_list("code", flat=True)) == ["progression", "workload"]
    started = Application.objects.get(email="sam.jones@example.org")
    assert started.started_on == dt.date(2025, 12, 1)
    assert (started.assignment.post.reference, started.worker.staff_reference) == ("CIN-02", "W1009")
    assert Worker.objects.get(staff_reference="W1005").last_name == "Ó Briain"
    assert ImportRun.objects.get().outcome == ImportOutcome.APPLIED


def test_reimporting_the_same_extract_changes_nothing():
    call_command("import_workforce", *map(str, SAMPLE_FILES), stdout=io.StringIO())
    before, history = counts(), history_rows()
    out = io.StringIO()
    call_command("import_workforce", *map(str, SAMPLE_FILES), stdout=out)
    assert "Imported: 0 created, 0 updated, 70 unchanged in 15 files." in out.getvalue()
    assert counts() == before
    assert history_rows() == history  # not even a history row


def test_dry_run_reports_what_would_happen_and_saves_nothing():
    out = io.StringIO()
    call_command("import_workforce", *map(str, SAMPLE_FILES), "--dry-run", stdout=out)
    assert "Dry run, nothing saved: would be 70 created" in out.getvalue()
    assert "teams.csv (teams): would be 3 created" in out.getvalue()
    assert counts() == (0, 0, 0, 0, 0, 0, 0, 0)
    assert ImportRun.objects.get().outcome == ImportOutcome.CHECKED


def test_files_named_in_any_order_are_applied_in_dependency_order():
    report = run_import(
        [
            csv_source("assignments.csv", ASSIGNMENTS),
            csv_source("workers.csv", WORKERS),
            csv_source("posts.csv", POSTS),
            csv_source("teams.csv", TEAMS),
        ]
    )
    assert report.ok, messages(report)
    assert [file.kind for file in report.files] == ["teams", "posts", "workers", "assignments"]
    agency = Assignment.objects.get(worker__staff_reference="W2")
    assert agency.weekly_charge == Decimal("1650.00") and agency.agency_reason == "vacancy"


def test_a_corrected_extract_updates_records_in_place():
    assert establishment(csv_source("assignments.csv", ASSIGNMENTS)).ok
    post = Post.objects.get(reference="CPE-02")
    held = Assignment.objects.get(worker__staff_reference="W1")
    corrected_posts = POSTS.replace("Senior Practitioner,0.5", "Senior Practitioner,1")
    corrected = ASSIGNMENTS.replace("W1,CPE-01,2020-01-06,,1", "W1,CPE-01,2020-01-06,2025-06-30,1")
    report = run_import([csv_source("posts.csv", corrected_posts), csv_source("assignments.csv", corrected)])
    assert report.ok, messages(report)
    assert report.totals == {"created": 0, "updated": 2, "unchanged": 2}
    post.refresh_from_db()
    held.refresh_from_db()
    assert post.fte == 1 and held.end == dt.date(2025, 6, 30)
    assert held.history.count() == 2  # created, then corrected once
    changed = [outcome for file in report.files for outcome in file.changed]
    assert {change for outcome in changed for change in outcome.changes} == {
        "FTE: 0.5 → 1",
        "end: (blank) → 30 June 2025",
    }


def test_ending_one_holder_and_starting_the_next_works_in_either_row_order():
    assert establishment(csv_source("assignments.csv", ASSIGNMENTS)).ok
    corrected = (
        "staff_reference,post_reference,start,end,fte,contract\n"
        "W2,CPE-01,2025-07-01,,1,permanent\n"  # the new holder comes first in the file
        "W1,CPE-01,2020-01-06,2025-06-30,1,permanent\n"
    )
    extra = (
        "staff_reference,post_reference,start,end,fte,contract,agency_reason\n"
        "W2,CPE-02,2021-03-01,2025-06-30,0.5,agency,vacancy\n"
    )
    report = run_import([csv_source("assignments.csv", corrected), csv_source("assignments 2.csv", extra)])
    assert report.ok, messages(report)
    assert Assignment.objects.filter(post__reference="CPE-01").count() == 2


# --- All or nothing, and the rules of the services -----------------------------------------


def test_one_bad_row_anywhere_rejects_every_file_and_changes_nothing(tmp_path):
    for sample in SAMPLE_FILES:
        (tmp_path / sample.name).write_bytes(sample.read_bytes())
    absences = tmp_path / "absences.csv"
    absences.write_text(absences.read_text() + "W1001,SIC,2025-02-03,2025-01-31,3\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Import rejected: 1 problem; nothing was changed\."):
        call_command(
            "import_workforce", *sorted(map(str, tmp_path.iterdir())), stdout=io.StringIO(), stderr=err
        )
    assert "absences.csv, row 5, column end: The absence cannot end before it starts." in err.getvalue()
    assert counts() == (0, 0, 0, 0, 0, 0, 0, 0)
    assert ImportRun.objects.get().outcome == ImportOutcome.REJECTED


def test_overfilling_a_post_is_refused_as_it_is_in_the_admin():
    overfill = ASSIGNMENTS + "W2,CPE-01,2022-01-01,,0.5,permanent,,,\n"
    report = establishment(csv_source("assignments.csv", overfill))
    assert messages(report) == [
        "assignments.csv, row 4, column fte: Post CPE-01 is 1 FTE; with this assignment its employees would "
        "hold 1.5 FTE on one day. Employees in a post cannot add up to more than the post's FTE (end the "
        "other assignment first)."
    ]
    assert counts()[:4] == (0, 0, 0, 0)


def test_every_row_problem_is_reported_not_just_the_first():
    bad = (
        "staff_reference,post_reference,start,end,fte,contract,agency_reason\n"
        "W1,CPE-01,2020-01-06,,1.5,permanent,\n"
        "W9,CPE-01,2020-01-06,,1,permanent,\n"
        "W2,CPE-09,2020-01-06,,1,permanent,\n"
        "W2,CPE-02,31/02/2021,,0.5,agency,\n"
        "W2,CPE-02,2021-03-01,,0.5,agency,\n"
        "W1,CPE-02,2021-03-01,,0.5,contractor,\n"
    )
    report = establishment(csv_source("assignments.csv", bad))
    assert messages(report) == [
        "assignments.csv, row 2, column fte: FTE must be more than 0 and no more than 1 (for example 0.5 for "
        "a half post).",
        "assignments.csv, row 2, column fte: Post CPE-01 is 1 FTE; with this assignment its employees would "
        "hold 1.5 FTE on one day. Employees in a post cannot add up to more than the post's FTE (end the "
        "other assignment first).",
        "assignments.csv, row 2, column fte: W1 would work 1.5 FTE on one day across their assignments; a "
        "worker cannot exceed 1.0 FTE.",
        "assignments.csv, row 3, column staff_reference: there is no worker 'W9' (it is neither already "
        "recorded nor in a workers file of this import)",
        "assignments.csv, row 4, column post_reference: there is no post 'CPE-09' (it is neither already "
        "recorded nor in a posts file of this import)",
        "assignments.csv, row 5, column start: '31/02/2021' is not a date: write dates as YYYY-MM-DD or "
        "DD/MM/YYYY (day first), or use an Excel date cell",
        "assignments.csv, row 6, column agency_reason: An agency assignment needs a reason (covering a "
        "vacancy, maternity, sickness, awaiting transfer, ASYE support or additional capacity).",
        "assignments.csv, row 7, column contract: 'contractor' is not a known contract (use one of: "
        "permanent, fixed_term, agency)",
    ]


def test_a_row_that_fails_explains_the_rows_that_depend_on_it():
    teams = TEAMS + ",Child Protection,yes\n"
    posts = POSTS + "CPE-03,Nowhere Team,Social Worker,1,2010-04-01,,establishment\n"
    workers = WORKERS + "W3,Sam,Jones,SW12\n"
    assignments = "staff_reference,post_reference,start,fte,contract\nW3,CPE-01,2020-01-06,1,permanent\n"
    report = run_import(
        [
            csv_source("teams.csv", teams),
            csv_source("posts.csv", posts),
            csv_source("workers.csv", workers),
            csv_source("assignments.csv", assignments),
        ]
    )
    assert messages(report) == [
        "teams.csv, row 3, column team: a value is required",
        "posts.csv, row 4, column team: there is no team 'Nowhere Team' (it is neither already recorded "
        "nor in a teams file of this import)",
        "workers.csv, row 4, column swe_number: Social Work England number must be two letters followed by "
        "ten digits (the census format, for example SW0000012345).",
        "assignments.csv, row 2, column staff_reference: worker 'W3' is not imported because its own row has "
        "problems (workers.csv row 4)",
    ]


def test_leavers_are_recorded_through_the_leavers_service_and_close_the_post():
    assert establishment(csv_source("assignments.csv", ASSIGNMENTS)).ok
    leavers = "staff_reference,leaving_date,leaving_category\nW1,2025-03-31,Normal retirement\n"
    report = run_import([csv_source("leavers.csv", leavers)])
    assert report.ok, messages(report)
    leaver = Leaver.objects.get()
    assert leaver.category.code == "normal-retirement" and leaver.fte_at_leaving == 1
    assert Assignment.objects.get(worker__staff_reference="W1").end == dt.date(2025, 3, 31)
    # The next month's extract still shows the assignment open: it stays closed, nothing changes.
    again = run_import([csv_source("assignments.csv", ASSIGNMENTS), csv_source("leavers.csv", leavers)])
    assert again.ok and again.totals["unchanged"] == 3
    assert Assignment.objects.get(worker__staff_reference="W1").end == dt.date(2025, 3, 31)


def test_an_agency_worker_cannot_be_imported_as_a_leaver():
    assert establishment(csv_source("assignments.csv", ASSIGNMENTS)).ok
    leavers = "staff_reference,leaving_date,leaving_category\nW2,2025-03-31,resignation-other\n"
    (problem,) = run_import([csv_source("leavers.csv", leavers)]).problems
    assert problem.row == 2 and problem.column == "staff_reference"
    assert "only employees (permanent or fixed-term) are leavers" in problem.message


def test_applications_follow_the_recruitment_rules():
    campaigns = SAMPLES / "campaigns.csv"
    applications = (
        "campaign,role,email,first_name,last_name,received_on,offered_on\n"
        "Autumn 2025 experienced social workers,Social Worker,a@example.org,A,B,2025-09-08,2025-10-01\n"
        "Autumn 2025 experienced social workers,Team Manager,c@example.org,C,D,2025-09-08,\n"
    )
    report = run_import(
        [Source("campaigns.csv", campaigns.read_bytes()), csv_source("applications.csv", applications)]
    )
    assert messages(report) == [
        "applications.csv, row 2, column offered_on: No offer without an interview: record the interview the "
        "candidate attended.",
        "applications.csv, row 3, column role: The campaign does not recruit for Team Manager; choose one of "
        "its roles.",
    ]


# --- What the files look like ---------------------------------------------------------------


def test_unknown_columns_are_named_with_the_nearest_known_one():
    posts = POSTS.replace("active_to", "actve_to").replace("funding", "Budget code")
    report = run_import([csv_source("posts.csv", posts)])
    known = ", ".join(column.name for column in KINDS[1].columns)
    assert messages(report) == [
        f"posts.csv, row 1, column actve_to: unknown column in a posts file. Did you mean 'active_to'? The "
        f"columns are: {known}.",
        f"posts.csv, row 1, column Budget code: unknown column in a posts file. The columns are: {known}.",
    ]


def test_missing_required_columns_are_named():
    report = run_import([csv_source("posts.csv", "post_reference,team,role\nCPE-01,A,Social Worker\n")])
    assert messages(report) == [
        "posts.csv, row 1: the required column 'fte' is missing from this posts file",
        "posts.csv, row 1: the required column 'active_from' is missing from this posts file",
    ]


def test_headings_may_be_written_as_people_write_them():
    teams = "Team,Service Area,Case-holding\nChild Protection East,Child Protection,Y\n"
    assert run_import([csv_source("export-1.csv", teams)]).ok
    assert Team.objects.get().case_holding is True


def test_a_file_is_recognised_by_its_headings_whatever_its_name():
    report = run_import([csv_source("EXPORT_0625.csv", TEAMS), csv_source("data.csv", POSTS)])
    assert report.ok and [file.kind for file in report.files] == ["teams", "posts"]


def test_a_file_that_is_no_known_kind_says_so():
    report = run_import([csv_source("notes.csv", "colour,size\nred,2\n")])
    assert messages(report) == [
        "notes.csv: cannot tell what this file holds from its headings or its name. Use the headings in "
        "docs/import.md, or put the kind of file (teams, posts, workers, suppliers, assignments, invoices, "
        "absences, leavers, exit_conversations, campaigns, applications, starts, caseloads, comparators, "
        "cohorts) in its name."
    ]


def test_a_duplicated_column_is_refused():
    report = run_import([csv_source("teams.csv", "team,service_area,team\nA,B,C\n")])
    assert messages(report) == ["teams.csv, row 1, column team: the column appears twice (columns 1 and 3)"]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "utf-16"],
)
def test_text_in_any_of_the_encodings_excel_writes_is_read(encoding, prefix):
    text = "team,service_area,case_holding\nÉquipe Siobhán – Nord,Child Protection,yes\n"
    report = run_import([Source("teams.csv", prefix + text.encode(encoding))])
    assert report.ok, messages(report)
    assert Team.objects.get().name == "Équipe Siobhán – Nord"


def test_windows_1252_is_noted_in_the_report():
    report = run_import([csv_source("teams.csv", TEAMS.replace("East", "Éast"), "cp1252")])
    assert report.files[0].notes == ["read as Windows-1252 text (not UTF-8)"]


def test_a_file_in_no_readable_encoding_gets_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "teams.csv"
    path.write_bytes(b"team,service_area\nA\x81\x8d,B\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_workforce", str(path), stdout=io.StringIO(), stderr=err)
    assert (
        "teams.csv: The file is neither UTF-8 nor Windows-1252 text: line 2 holds a byte that neither can "
        "hold. Save it from Excel as 'CSV UTF-8 (Comma delimited)' and import it again."
    ) in err.getvalue()


def test_semicolon_separated_files_are_read():
    report = run_import([csv_source("teams.csv", "team;service_area\nA;B\n")])
    assert report.ok and Team.objects.get().service_area.name == "B"


def test_excel_date_cells_and_serial_numbers_are_dates():
    rows = [
        ["post_reference", "team", "role", "fte", "active_from", "active_to"],
        ["CPE-01", "Child Protection East", "Social Worker", 1, dt.datetime(2019, 4, 1), 46112],
        ["CPE-02", "Child Protection East", "social-worker", 0.5, 43556, "31/03/2026"],
    ]
    report = run_import([csv_source("teams.csv", TEAMS), Source("posts.xlsx", xlsx_bytes(rows))])
    assert report.ok, messages(report)
    first, second = Post.objects.order_by("reference")
    assert (first.active_from, first.active_to) == (dt.date(2019, 4, 1), dt.date(2026, 3, 31))
    assert (second.active_from, second.active_to, second.fte) == (
        dt.date(2019, 4, 1),
        dt.date(2026, 3, 31),
        Decimal("0.5"),
    )


def test_a_serial_number_in_a_csv_date_column_is_read_as_excel_writes_it():
    posts = POSTS.replace("2010-04-01", "40269")  # 1 April 2010
    assert establishment().ok
    assert run_import([csv_source("posts.csv", posts)]).ok
    assert Post.objects.filter(active_from=dt.date(2010, 4, 1)).count() == 2


def test_empty_trailing_rows_are_ignored_and_row_numbers_stay_true():
    csv_text = TEAMS + ",,\n\n" + "Children in Care North,Children in Care,maybe\n" + ",,\n,,\n\n"
    report = run_import([csv_source("teams.csv", csv_text)])
    assert messages(report) == ["teams.csv, row 5, column case_holding: 'maybe' is not yes or no"]
    rows = [["team", "service_area"], ["Child Protection East", "Child Protection"], [None, None], ["", ""]]
    report = run_import([Source("teams.xlsx", xlsx_bytes(rows, trailing_formatted_rows=40))])
    assert report.ok, messages(report)
    assert report.totals["created"] == 1


def test_a_value_under_no_heading_is_refused():
    report = run_import([csv_source("teams.csv", "team,service_area\nA,B,surprise\n")])
    assert messages(report) == [
        "teams.csv: Row 2 has a value in column 3, which has no heading. Give the column a heading or remove "
        "the value."
    ]


def test_duplicated_references_within_a_file_name_both_rows():
    workers = WORKERS + "w1,Asha,Patel-Jones,SW0000000003\n"
    report = run_import([csv_source("workers.csv", workers)])
    assert messages(report) == [
        "workers.csv, row 4, column staff_reference: worker w1 appears more than once (first at workers.csv "
        "row 2); each worker may appear only once"
    ]
    assert Worker.objects.count() == 0


def test_duplicated_assignments_are_matched_on_worker_post_and_start():
    assignments = ASSIGNMENTS + "W1,CPE-01,06/01/2020,,1,permanent,,,\n"
    report = establishment(csv_source("assignments.csv", assignments))
    assert messages(report) == [
        "assignments.csv, row 4, column staff_reference: assignment W1 / CPE-01 / 6 January 2020 "
        "appears more than once (first at assignments.csv row 2); each assignment may appear only once"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("teams.csv", b"", "teams.csv: The file is empty; the first row must hold the column headings."),
        (
            "posts.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
            "posts.xls: This is an old Excel 97-2003 (.xls) workbook. Save it as .xlsx or CSV and import "
            "again.",
        ),
        (
            "posts.xlsx",
            b"post_reference,team\n",
            "posts.xlsx: The name ends in .xlsx but the file is not an Excel workbook.",
        ),
        ("posts.xlsx", b"PK\x03\x04broken", "posts.xlsx: This is not a readable XLSX workbook"),
    ],
    ids=["empty", "old xls", "csv named xlsx", "broken xlsx"],
)
def test_files_that_are_not_tables_get_a_message(name, content, message):
    report = run_import([Source(name, content)])
    assert messages(report)[0].startswith(message)


def test_a_missing_path_is_a_message_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.csv: cannot be read"):
        call_command("import_workforce", str(tmp_path / "nowhere.csv"))


# --- The documentation -----------------------------------------------------------------------


def test_docs_describe_every_column_of_every_file():
    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for kind in KINDS:
        section = re.search(rf"^## [^\n]*`{kind.name}`[^\n]*$(.*?)(?=^#{{1,2}} |\Z)", text, re.M | re.S)
        assert section, f"docs/import.md has no section for {kind.name}"
        documented = re.findall(r"^\| `([a-z_]+)` \|", section.group(1), re.M)
        assert documented == kind.column_names, kind.name
    for sample in SAMPLE_FILES:
        assert f"docs/samples/{sample.name}" in text or sample.name in text


@pytest.mark.parametrize(
    "cell",
    [
        "2019-06-30",
        "30/06/2019",
        "30/6/2019",
        "30-06-2019",
        "30.06.2019",
        "30 Jun 2019",
        "30 June 2019",
        "30-Jun-2019",
        "2019-06-30 00:00:00",
        "43646",
        43646,
        43646.0,
        dt.datetime(2019, 6, 30),
        dt.date(2019, 6, 30),
    ],
)
def test_every_way_a_date_arrives_reads_as_the_same_day(cell):
    from dataio.importing import values

    assert values.date(cell) == dt.date(2019, 6, 30)


@pytest.mark.parametrize("cell", ["06/30/2019", "31/02/2019", "yesterday", "4364.5", True, 0])
def test_dates_that_cannot_be_read_are_refused_not_guessed(cell):
    from dataio.importing import values

    with pytest.raises(values.CellError, match="is not a date"):
        values.date(cell)
