"""Nothing bad gets in, continued from ``tests/test_import_safety.py``: workbooks read honestly
(formulas, errors, other and hidden sheets), work bounded however large or hostile the file
(rows, cells, expanded size, problems listed, the request body), and the campaign upload, the
other door; each refused with a message naming the cell or row, the database unchanged."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from dataio.importing.engine import Source, run_import
from recruitment.models import Application
from tests.test_import_safety import (  # noqa: F401 - recorded is a fixture
    SAMPLES,
    WORKERS_HEADINGS,
    _upload,
    recorded,
    refused,
    snapshot,
    with_part,
    xlsx,
)
from workforce.models import Assignment

pytestmark = pytest.mark.django_db


# --- XLSX read honestly -------------------------------------------------------------------------

ASSIGNMENT_ROW = ["W1002", "CPE-02", dt.date(2023, 5, 2)]


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(recorded):  # noqa: F811
    """The corpus case: read as blank, it cleared an assignment's end date."""
    rows = [["staff_reference", "post_reference", "start", "end", "fte", "contract"]]
    rows.append([*ASSIGNMENT_ROW, "=DATE(2026,5,1)", 0.6, "fixed_term"])
    assert refused([Source("assignments.xlsx", xlsx(rows))]) == [
        "assignments.xlsx, row 2, column end: cell D2 holds a formula with no saved value (the workbook was "
        "never calculated and saved in Excel); open it in Excel, save it, and import again, or type the "
        "value in"
    ]
    assert Assignment.objects.get(worker__staff_reference="W1002").end == dt.date(2026, 5, 1)


def test_a_formula_with_a_saved_value_is_read_as_that_value_with_a_note(recorded):  # noqa: F811
    rows = [["staff_reference", "post_reference", "start", "end", "fte", "contract"]]
    rows.append([*ASSIGNMENT_ROW, "=DATE(2026,4,30)", "=0.3*2", "fixed_term"])
    content = with_part(
        xlsx(rows),
        "xl/worksheets/sheet1.xml",
        lambda xml: (
            xml.replace(b"<f>DATE(2026,4,30)</f><v></v>", b"<f>DATE(2026,4,30)</f><v>46142</v>")
            .replace(b"<f>0.3*2</f><v></v>", b"<f>0.3*2</f><v>0.6</v>")
            .replace(b'<c r="D2"', b'<c r="D2" s="1"')
            .replace(b'<cellXfs count="1">', b'<cellXfs count="1">')
        ),
    )
    content = with_part(
        content,
        "xl/styles.xml",
        lambda xml: xml.replace(
            b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
            b'pivotButton="0" quotePrefix="0"/></cellXfs>',
            b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" '
            b'pivotButton="0" quotePrefix="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
            b'applyNumberFormat="1"/></cellXfs>',
        ),
    )
    report = run_import([Source("assignments.xlsx", content)])
    assert report.ok, [str(problem) for problem in report.problems]
    assert report.files[0].notes == [
        "1 cell of column end hold formulas (first D2): the values Excel saved for them were read",
        "1 cell of column fte hold formulas (first E2): the values Excel saved for them were read",
    ]
    assignment = Assignment.objects.get(worker__staff_reference="W1002")
    assert (assignment.end, assignment.fte) == (dt.date(2026, 4, 30), Decimal("0.6"))


def test_an_error_in_a_cell_is_refused_naming_it(recorded):  # noqa: F811
    rows = [["team", "service_area"], ["Team A", "x"]]
    content = with_part(
        xlsx(rows),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="B2" t="inlineStr"><is><t>x</t></is></c>', b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
        ),
    )
    assert refused([Source("teams.xlsx", content)]) == [
        "teams.xlsx, row 2, column service_area: cell B2 holds the error #DIV/0!, not a value"
    ]


def test_other_sheets_are_named_never_silently_ignored(recorded):  # noqa: F811
    rows = [["team", "service_area"], ["Team A", "Area"]]
    report = run_import([Source("teams.xlsx", xlsx(rows, extra_sheets=("Leavers", "Lookups")))], dry_run=True)
    assert report.ok
    assert report.files[0].notes == [
        "read the first sheet, 'Extract', only; the workbook's other sheets ('Leavers', 'Lookups') were not "
        "read"
    ]


def test_a_hidden_first_sheet_is_refused(recorded):  # noqa: F811
    book = Workbook()
    book.active.title = "Old"
    book.active.append(["team", "service_area"])
    book.active.sheet_state = "hidden"
    book.create_sheet("Teams").append(["team", "service_area"])
    out = io.BytesIO()
    book.save(out)
    assert refused([Source("teams.xlsx", out.getvalue())]) == [
        "teams.xlsx: The first sheet, 'Old', is hidden in Excel. Unhide it, or move the sheet to import to "
        "the front, and import again."
    ]


# --- Bounded work -------------------------------------------------------------------------------


def test_a_workbook_bomb_is_refused_unread(recorded):  # noqa: F811
    from benchmarks.import_bomb import bomb

    assert refused([Source("posts.xlsx", bomb())]) == [
        "posts.xlsx: The workbook's part xl/worksheets/sheet1.xml is compressed 294 times over (a real "
        "workbook is compressed less than 100 times): it is refused unread."
    ]


def test_a_workbook_too_large_once_expanded_is_refused_from_its_directory(recorded, settings):  # noqa: F811
    settings.IMPORT_MAX_XLSX_EXPANDED_BYTES = 4096
    [message] = refused([Source("teams.xlsx", xlsx([["team", "service_area"], ["A", "B"]]))])
    assert message.startswith("teams.xlsx: The workbook would expand to ")
    assert message.endswith("more than the 4 KB an import reads. Split it, or save it as CSV.")


def test_a_workbook_declaring_xml_entities_is_refused(recorded):  # noqa: F811
    content = with_part(
        xlsx([["team", "service_area"], ["A", "B"]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml,
    )
    assert refused([Source("teams.xlsx", content)]) == [
        "teams.xlsx: The workbook's part xl/worksheets/sheet1.xml declares XML entities, which no workbook "
        "needs; it is refused unread."
    ]


def test_rows_beyond_the_limit_are_refused_before_they_are_checked(recorded, settings):  # noqa: F811
    settings.IMPORT_MAX_ROWS = 5
    rows = "".join(f"Team {n},Area\n" for n in range(6))
    assert refused([Source("teams.csv", ("team,service_area\n" + rows).encode())]) == [
        "teams.csv: The file has more than 5 rows under its headings. Import at most that many at a time "
        "(split the file)."
    ]
    book = [["team", "service_area"], *([f"Team {n}", "Area"] for n in range(6))]
    assert refused([Source("teams.xlsx", xlsx(book))]) == [
        "teams.xlsx: A sheet of the workbook has more than 5 rows under its headings (empty rows Excel keeps "
        "count too). Import at most that many at a time, or delete the rows not needed."
    ]
    five = "".join(f"Team {n},Area\n" for n in range(5))
    assert run_import([Source("teams.csv", ("team,service_area\n" + five).encode())], dry_run=True).ok


def test_a_sheet_of_too_many_cells_is_refused_before_it_is_parsed(recorded, settings):  # noqa: F811
    settings.IMPORT_MAX_CELLS = 20
    wide = [["team", "service_area", *[None] * 30], ["Team A", "Area", *["x"] * 30]]
    assert refused([Source("teams.xlsx", xlsx(wide))]) == [
        "teams.xlsx: A sheet of the workbook holds more than 20 cells (empty cells Excel keeps count too), "
        "more than an import reads. Delete the rows and columns not needed, or split it."
    ]


def test_problems_are_listed_up_to_the_limit_then_counted(recorded, settings):  # noqa: F811
    settings.IMPORT_MAX_PROBLEMS = 3
    rows = "".join(f"W{5000 + n},Asha,Patel,SW1,,\n" for n in range(10))
    report = run_import([Source("workers.csv", (WORKERS_HEADINGS + rows).encode())])
    assert [problem.row for problem in report.problems] == [2, 3, 4]
    assert report.problem_count == 10
    assert report.more_problems() == "and 7 more problems, the first of them at workers.csv row 5"
    assert report.summary() == "Import rejected: 10 problems; nothing was changed."


def test_the_first_unlisted_problem_is_the_first_in_the_file_not_the_first_found(settings):
    """Problems are found kind by kind and cell checks before rules; the list is in file order."""
    from dataio.importing.report import FileReport, ImportReport, Problem

    settings.IMPORT_MAX_PROBLEMS = 2
    report = ImportReport(dry_run=True, files=[FileReport("a.csv"), FileReport("b.csv")])
    for file, row in [("b.csv", 2), ("a.csv", 9), ("a.csv", 3), ("b.csv", 1), ("a.csv", 5)]:
        report.add_problem(Problem(file, "bad", row=row))
    report.finish()
    assert [(problem.file, problem.row) for problem in report.problems] == [("a.csv", 3), ("a.csv", 5)]
    assert (report.first_unlisted.file, report.first_unlisted.row) == ("a.csv", 9)


def test_the_admin_page_lists_the_first_problems_and_says_how_many_more(recorded, client, settings):  # noqa: F811
    from tests import factories

    settings.IMPORT_MAX_PROBLEMS = 3
    client.force_login(factories.user("hr-user", "hr", staff=True))
    rows = "".join(f"W{5000 + n},Asha,Patel,SW1,,\n" for n in range(10))
    response = client.post(
        "/admin/dataio/importrun/upload/",
        {"files": [_upload("workers.csv", (WORKERS_HEADINGS + rows).encode())]},
    )
    page = response.content.decode()
    assert "10 problems to correct" in page
    assert "The first 3 are listed, and 7 more problems, the first of them at workers.csv row 5." in page
    assert page.count("Social Work England number must be") == 3


def test_a_small_workbook_of_many_rows_is_imported_in_the_background(settings):
    from dataio.background import in_background

    settings.JOBS_IMPORT_BACKGROUND_ROWS = 1000
    many = xlsx([["team", "service_area"], *([f"Team {n}", "Area"] for n in range(1200))])
    few = xlsx([["team", "service_area"], *([f"Team {n}", "Area"] for n in range(20))])
    assert len(many) < 256 * 1024
    assert in_background([Source("teams.xlsx", many)])
    assert not in_background([Source("teams.xlsx", few)])
    assert in_background([Source("teams.csv", ("team,service_area\n" + "A,B\n" * 1500).encode())])


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(settings, rf):
    from config.middleware import RequestSizeLimitMiddleware

    settings.REQUEST_MAX_BYTES = 1024

    class Unread(io.BytesIO):
        def read(self, *args):  # noqa: ANN002
            raise AssertionError("the body was read")

    def view(request):  # pragma: no cover - must not be reached
        raise AssertionError("the view was reached")

    request = rf.post("/admin/dataio/importrun/upload/", data=b"x", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(5 * 2**20)
    request.META["wsgi.input"] = Unread()
    response = RequestSizeLimitMiddleware(view)(request)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(
        "This upload is 5.0 MB, more than the 0 MB this service accepts in one request. Nothing was read"
    )


def test_the_size_limit_answers_413_through_the_whole_stack(client, settings):
    settings.REQUEST_MAX_BYTES = 2**20
    response = client.post(
        "/admin/dataio/importrun/upload/", data=b"x" * (2**20 + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert b"more than the 1 MB this service accepts" in response.content
    assert client.get("/admin/login/").status_code == 200


# --- The campaign upload, the other door ------------------------------------------------------


def test_the_campaign_upload_refuses_control_characters_and_unsaved_formulas():
    from recruitment.importing import ImportFileError, import_applications, read_rows
    from tests import factories_recruitment as rf_

    campaign = rf_.campaign(opens_on=dt.date(2025, 1, 1))
    content = b"first_name,last_name,role,received_on\nAda\x00,Lovelace,Social Worker,03/02/2025\n"
    result = import_applications(campaign=campaign, rows=read_rows(content=content, filename="a.csv"))
    assert [str(error) for error in result.errors] == [
        "Row 2, column first_name: holds NUL (U+0000) at character 4, which no record may contain (a sign "
        "of a damaged or wrongly saved file); remove it and import again"
    ]
    book = xlsx(
        [["first_name", "last_name", "role", "received_on"], ["Ada", "Lovelace", "Social Worker", "=TODAY()"]]
    )
    with pytest.raises(ImportFileError, match="cell D2 holds a formula with no saved value"):
        read_rows(content=book, filename="a.xlsx")
    with pytest.raises(ImportFileError, match="compressed 294 times over"):
        from benchmarks.import_bomb import bomb

        read_rows(content=bomb(), filename="a.xlsx")
    assert Application.objects.count() == 0


def test_a_background_import_keeps_the_count_and_the_text_as_read(recorded, settings):  # noqa: F811
    from dataio.background import report_data, report_from_data

    settings.IMPORT_MAX_PROBLEMS = 1
    content = (WORKERS_HEADINGS + "W2001,Zoë,Smith,SW1,,\nW2002,Zoë,Smith,SW2,,\n").encode()
    report = run_import([Source("workers.csv", content)], dry_run=True)
    kept = report_from_data(report_data(report))
    assert (kept.problem_count, kept.more_problems()) == (
        2,
        "and 1 more problem, the first of them at workers.csv row 3",
    )
    assert [(seen.value, seen.count) for seen in kept.files[0].text_seen] == [("Zoë", 2)]
