"""Nothing bad gets in: every case of issue 16's corpus of broken extracts, each refused with a
message naming the file, line or row and column, and the database left exactly as it was."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import Workbook

from dataio.importing.engine import Source, run_import
from foundation.dates import long_date
from leavers.models import ExitConversation, Leaver
from recruitment.models import Application, Campaign
from workforce.models import Absence, Assignment, Post, Team, Worker

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
MODELS = (Team, Post, Worker, Assignment, Absence, Leaver, ExitConversation, Campaign, Application)
WORKERS_HEADINGS = "staff_reference,first_name,last_name,swe_number,gender,ethnicity\n"


@pytest.fixture
def recorded():
    """The sample extract, imported: the records a routine monthly update meets."""
    call_command("import_workforce", *map(str, sorted(SAMPLES.glob("*.csv"))), stdout=io.StringIO())


def snapshot() -> tuple:
    """Return every record's fields and the count of history rows: equal before and after means
    the database is unchanged."""
    return tuple(
        (
            sorted(map(repr, model.objects.values_list())),
            model.history.count() if hasattr(model, "history") else None,
        )
        for model in MODELS
    )


def refused(sources: list[Source]) -> list[str]:
    """Import ``sources`` for real; return the problems, having checked that nothing changed."""
    before = snapshot()
    report = run_import(sources)
    assert not report.ok and not report.applied
    assert snapshot() == before
    return [str(problem) for problem in report.problems]


def xlsx(rows: list[list[object]], *, extra_sheets: tuple[str, ...] = ()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Extract"
    for row in rows:
        sheet.append(row)
    for title in extra_sheets:
        book.create_sheet(title).append(["anything"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(content: bytes, name: str, change) -> bytes:
    """Return the workbook ``content`` with its part ``name`` rewritten by ``change``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == name else data)
    return out.getvalue()


# --- Encodings -------------------------------------------------------------------------------


def test_a_shift_jis_file_is_refused_not_read_as_windows_1252(recorded):
    content = (WORKERS_HEADINGS + "W2001,田中,太郎,,,\nW2002,山田,花子,,,\n").encode("shift_jis")
    assert refused([Source("workers.csv", content)]) == [
        "workers.csv: The file is not UTF-8, and it does not read as Windows-1252 text (it may be cp932): "
        "line 2 would read as 'W2001,“c’†,‘¾˜Y,,,'. Save it from Excel as 'CSV UTF-8 (Comma delimited)' "
        "and import it again."
    ]


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("koi8_r", "Иван"),
        ("cp1251", "Петров"),
        ("cp1253", "Ομάδα"),
        ("iso8859_2", "Łukasz"),
        ("mac_roman", "Siobhán"),
        ("mac_roman", "Müller"),
        ("mac_roman", "Muñoz"),
        ("cp850", "Hélène"),
        ("cp437", "Brontë"),
        ("big5", "王小明"),
        ("gb2312", "王小明"),
        ("euc_kr", "김민준"),
    ],
)
def test_text_in_another_encoding_is_refused_whatever_it_is(recorded, encoding, name):
    content = (WORKERS_HEADINGS + f"W2001,{name},Smith,,,\n").encode(encoding)
    [message] = refused([Source("workers.csv", content)])
    assert message.startswith("workers.csv: The file is ")
    assert "line 2" in message and "Save it from Excel as 'CSV UTF-8" in message


def test_a_utf8_file_with_one_stray_windows_1252_byte_changes_no_name(recorded):
    """The corpus case: a routine update re-sent W1005's accented name in UTF-8 while another
    row carried one Windows-1252 byte. Read as Windows-1252 it rewrote Siobhán as SiobhÃ¡n."""
    content = (
        WORKERS_HEADINGS.encode()
        + "W1005,Siobhán,Ó Briain,SW0000101005,2,WIRI\n".encode()
        + "W2001,Zoë,Smith,,,\n".encode("cp1252")
    )
    assert refused([Source("workers.csv", content)]) == [
        "workers.csv: The file mixes encodings: line 2 is UTF-8 text, but line 3 is not UTF-8. Read "
        "either way, some names would be garbled. Save it from Excel as 'CSV UTF-8 (Comma delimited)' and "
        "import it again."
    ]
    assert Worker.objects.get(staff_reference="W1005").first_name == "Siobhán"


def test_a_stray_byte_on_the_same_line_as_utf8_text_is_refused_too(recorded):
    content = WORKERS_HEADINGS.encode() + "W1005,Siobhán,Zoë,,,\n".encode()[:-6] + "ë,,,\n".encode("cp1252")
    [message] = refused([Source("workers.csv", content)])
    assert message.startswith("workers.csv: The file is not UTF-8, and it does not read as Windows-1252")
    assert "line 2" in message


def test_utf8_with_a_bom_that_turns_out_mixed_names_the_line(recorded):
    content = b"\xef\xbb\xbf" + WORKERS_HEADINGS.encode() + "W2001,Zoë,Smith,,,\n".encode("cp1252")
    assert refused([Source("workers.csv", content)]) == [
        "workers.csv: The file starts with the mark of UTF-8 text, but line 2 is not UTF-8 (the file mixes "
        "encodings, so it cannot be read with certainty). Save it from Excel as 'CSV UTF-8 (Comma "
        "delimited)' and import it again."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\nx,y\n".encode("utf-16-le"), "The file is UTF-16 text without its byte-order mark."),
        (
            b"\xff\xfe\x00\x00" + "a,b\n".encode("utf-32-le"),
            "The file is UTF-32 text, which is not accepted.",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "This is not a text file. Upload a CSV or XLSX file."),
    ],
    ids=["utf-16 without its mark", "utf-32", "a pdf"],
)
def test_files_in_no_accepted_encoding_get_a_message(recorded, content, message):
    assert refused([Source("workers.csv", content)])[0].startswith(f"workers.csv: {message}")


@pytest.mark.parametrize(
    "name",
    [
        "Siobhán Ó Súilleabháin",
        "Seán Ó hÉigeartaigh",
        "Zoë “Zo” Brontë",
        "Ødegård – Café",
        "Naïve £1,650.00",
        "Æsa Œuvre",
        "RENÉE O’BRIEN",
    ],
)
def test_windows_1252_text_as_uk_hr_files_hold_it_is_read(name):
    from foundation.encodings import decode_text

    decoded = decode_text(f"last_name\n{name}\n".encode("cp1252"))
    assert (decoded.encoding, decoded.text.splitlines()[1]) == ("Windows-1252", name)


def test_bytes_that_read_plausibly_both_ways_are_refused_not_guessed():
    """JOSÉ’S in Windows-1252 is valid UTF-8 for JOSɒS: neither reading is certain."""
    from foundation.encodings import NotDecodable, decode_text

    with pytest.raises(NotDecodable) as caught:
        decode_text("last_name\nJOSÉ’S\n".encode("cp1252"))
    assert str(caught.value) == (
        "The file cannot be read with certainty: line 2 reads as 'JOSɒS' as UTF-8 but as 'JOSÉ’S' as "
        "Windows-1252. Save it from Excel as 'CSV UTF-8 (Comma delimited)' and import it again."
    )
    # Real UTF-8 holding a modifier letter (a Ukrainian apostrophe) is UTF-8 for certain.
    assert decode_text("last_name\nSolovʼyov\n".encode()).text == "last_name\nSolovʼyov\n"


def test_a_plausible_windows_1252_file_is_read_and_every_accent_shown_before_confirming(recorded):
    content = (
        WORKERS_HEADINGS + "W2001,Zoë,O’Brien,,,\nW2002,José,Muñoz – Café,,,\nW2003,Ann,Lee,,,\n"
    ).encode("cp1252")
    report = run_import([Source("workers.csv", content)], dry_run=True)
    assert report.ok
    [file] = report.files
    assert file.notes == ["read as Windows-1252 text (not UTF-8)"]
    assert [(seen.value, seen.row, seen.column) for seen in file.text_seen] == [
        ("Zoë", 2, "first_name"),
        ("O’Brien", 2, "last_name"),
        ("José", 3, "first_name"),
        ("Muñoz – Café", 3, "last_name"),
    ]
    out = io.StringIO()
    path = Path(__file__).parent / "_tmp_workers.csv"
    path.write_bytes(content)
    try:
        call_command("import_workforce", str(path), "--dry-run", stdout=out)
    finally:
        path.unlink()
    assert "Muñoz – Café  (row 3, last_name)" in out.getvalue()


def test_the_admin_preview_shows_the_text_as_read(recorded, client):
    from tests import factories

    client.force_login(factories.user("hr-user", "hr", staff=True))
    content = (WORKERS_HEADINGS + "W2001,Zoë,O’Brien,,,\n").encode("cp1252")
    response = client.post("/admin/dataio/importrun/upload/", {"files": [_upload("workers.csv", content)]})
    page = response.content.decode()
    assert "text beyond plain ASCII, as it was read" in page
    assert "<td>O’Brien</td>" in page


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- Text that betrays damage ------------------------------------------------------------------


def test_a_nul_late_in_a_file_is_refused_naming_row_and_column(recorded):
    rows = "".join(f"W{3000 + n},Name{n},Smith,,,\n" for n in range(300))
    content = (WORKERS_HEADINGS + rows + "W2001,As\x00ha,Patel,,,\n").encode()
    assert refused([Source("workers.csv", content)]) == [
        "workers.csv, row 302, column first_name: holds NUL (U+0000) at character 3, which no record may "
        "contain (a sign of a damaged or wrongly saved file); remove it and import again"
    ]


@pytest.mark.parametrize(
    "character", ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufffd"]
)
def test_control_characters_are_refused_in_csv(recorded, character):
    content = (WORKERS_HEADINGS + f"W2001,Asha,Pa{character}tel,,,\n").encode()
    [message] = refused([Source("workers.csv", content)])
    assert message.startswith("workers.csv, row 2, column last_name: holds ")


def test_tabs_and_line_breaks_are_text_not_control_characters(recorded):
    content = b'staff_reference,first_name,last_name\nW2001,Asha,"Patel\nJones"\n'
    report = run_import([Source("workers.csv", content)])
    assert report.ok
    assert Worker.objects.get(staff_reference="W2001").last_name == "Patel\nJones"


def test_control_characters_are_refused_in_xlsx_cells_whatever_their_kind(recorded):
    """Excel writes a control character as _x0001_; it is read as the character and refused."""
    rows = [["team", "service_area"], ["Team_x0001_A", "Area"], ["Team B", "Area_x001B_"]]
    assert refused([Source("teams.xlsx", xlsx(rows))]) == [
        "teams.xlsx, row 2, column team: holds a control character (U+0001) at character 5, which no record "
        "may contain (a sign of a damaged or wrongly saved file); remove it and import again",
        "teams.xlsx, row 3, column service_area: holds escape (U+001B) at character 5, which no record may "
        "contain (a sign of a damaged or wrongly saved file); remove it and import again",
    ]


def test_mojibake_is_refused_whatever_the_file_was_read_as(recorded):
    content = (WORKERS_HEADINGS + "W1005,SiobhÃ¡n,Ã“ Briain,,,\n").encode()
    assert refused([Source("workers.csv", content)]) == [
        "workers.csv, row 2, column first_name: 'SiobhÃ¡n' looks like UTF-8 text read as Windows-1252 (it "
        "would be 'Siobhán'); save the file again as 'CSV UTF-8' from the program that made it, and import "
        "that",
        "workers.csv, row 2, column last_name: 'Ã“ Briain' looks like UTF-8 text read as Windows-1252 (it "
        "would be 'Ó Briain'); save the file again as 'CSV UTF-8' from the program that made it, and import "
        "that",
    ]
    assert Worker.objects.get(staff_reference="W1005").first_name == "Siobhán"


def test_mojibake_in_a_workbook_is_refused_too(recorded):
    rows = [["team", "service_area"], ["Ã‰quipe Nord", "Child Protection"]]
    [message] = refused([Source("teams.xlsx", xlsx(rows))])
    assert message.startswith("teams.xlsx, row 2, column team: 'Ã‰quipe Nord' looks like UTF-8 text")


# --- Ranges ------------------------------------------------------------------------------------

ASSIGNMENT = (
    "staff_reference,post_reference,start,end,fte,contract,agency_reason,agency_supplier,weekly_charge\n"
)


def test_a_negative_weekly_charge_is_refused_as_negative_days_are(recorded):
    content = ASSIGNMENT + "A2001,CPE-03,2024-06-03,,0.5,agency,vacancy,Sanctuary Personnel,-850.00\n"
    assert refused([Source("assignments.csv", content.encode())]) == [
        "assignments.csv, row 2, column weekly_charge: -850.00 is negative; this cannot be below 0."
    ]


def test_a_negative_weekly_charge_is_refused_in_the_admin_too():
    """The range is on the model: the admin's form, the services and the import share it."""
    assignment = Assignment(weekly_charge=Decimal("-850.00"))
    with pytest.raises(ValidationError) as caught:
        assignment.clean_fields(exclude=["worker", "post", "start", "fte", "contract"])
    assert caught.value.message_dict == {"weekly_charge": ["-850.00 is negative; this cannot be below 0."]}


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "CPE-01,Child Protection East,Social Worker,1,1899-12-31,,",
            "active_from",
            "31 December 1899 is not a",
        ),
        (
            "CPE-01,Child Protection East,Social Worker,1,2010-04-01,2099-03-31,",
            "active_to",
            "31 March 2099 is not",
        ),
        ("CPE-01,Child Protection East,Social Worker,1.5,2010-04-01,,", "fte", "FTE must be more than 0"),
        ("CPE-01,Child Protection East,Social Worker,-1,2010-04-01,,", "fte", "FTE must be more than 0"),
    ],
)
def test_post_dates_and_fte_out_of_range_are_refused(recorded, row, column, message):
    content = "post_reference,team,role,fte,active_from,active_to,funding\n" + row + "\n"
    [problem] = refused([Source("posts.csv", content.encode())])
    assert problem.startswith(f"posts.csv, row 2, column {column}: {message}")


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ("2025-01-13,2025-01-24,-1", "working_days_lost", "-1 is negative; this cannot be below 0."),
        (
            "2025-01-13,2025-01-24,13",
            "working_days_lost",
            "13 working days lost in an absence of 12 calendar days: it cannot be more.",
        ),
        ("1066-10-14,,0", "start", "14 October 1066 is not a plausible date"),
    ],
)
def test_absence_days_and_dates_out_of_range_are_refused(recorded, cells, column, message):
    content = "staff_reference,reason,start,end,working_days_lost\nW1001,SIC," + cells + "\n"
    [problem] = refused([Source("absences.csv", content.encode())])
    assert problem.startswith(f"absences.csv, row 2, column {column}: {message}")


def test_a_birth_date_must_be_of_someone_at_least_16():
    worker = Worker(staff_reference="W9", first_name="A", last_name="B", birth_date=dt.date.today())
    with pytest.raises(ValidationError) as caught:
        worker.full_clean()
    assert "is not a plausible date of birth" in caught.value.message_dict["birth_date"][0]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("cost", "-1", "Ensure this value is greater than or equal to 0."),
        ("cost", "25000000", "25000000 is more than any real campaign's cost (at most 10,000,000)"),
        ("target_hires", "50000", "50000 is more than any real campaign's target of hires"),
        ("opens_on", "1850-01-01", "1 January 1850 is not a plausible date"),
    ],
)
def test_campaign_money_and_dates_out_of_range_are_refused(column, value, message):
    values = {"campaign": "Spring", "roles": "Social Worker", "opens_on": "2025-03-01", column: value}
    content = ",".join(values) + "\n" + ",".join(values.values()) + "\n"
    [problem] = refused([Source("campaigns.csv", content.encode())])
    assert problem.startswith(f"campaigns.csv, row 2, column {column}: {message}")


# --- Every problem of a row ---------------------------------------------------------------------


def test_every_problem_of_a_row_is_listed_whatever_failed_first(recorded):
    """The corpus case: a bad SWE number went unreported beside a bad gender and ethnicity."""
    content = WORKERS_HEADINGS + "W2001,Asha,Patel,SW12,7,ZZZZ\n"
    assert refused([Source("workers.csv", content.encode())]) == [
        "workers.csv, row 2, column gender: '7' is not a known census gender code (use one of: 0, 1, 2, 9)",
        "workers.csv, row 2, column ethnicity: 'ZZZZ' is not a known census ethnicity code (use one of: "
        "WBRI, WIRI, WOTH, MWBC, MWBA, MWAS, MOTH, AIND, APKN, ABAN, AOTH, BCRB, BAFR, BOTH, CHNE, OOTH, "
        "REFU, NOBT)",
        "workers.csv, row 2, column swe_number: Social Work England number must be two letters followed by "
        "ten digits (the census format, for example SW0000012345).",
    ]


def test_a_row_naming_a_missing_record_still_has_its_other_cells_checked(recorded):
    content = "post_reference,team,role,fte,active_from\nCPE-99,No Such Team,Social Worker,3,1850-01-01\n"
    assert refused([Source("posts.csv", content.encode())]) == [
        "posts.csv, row 2, column team: there is no team 'No Such Team' (it is neither already recorded nor "
        "in a teams file of this import)",
        "posts.csv, row 2, column fte: FTE must be more than 0 and no more than 1 (for example 0.5 for a "
        "half post).",
        "posts.csv, row 2, column active_from: 1 January 1850 is not a plausible date: dates run from "
        "1 January 1900 "
        f"to {long_date(_ten_years())} (ten years from today).",
    ]


def _ten_years() -> dt.date:
    from workforce.validators import latest_date

    return latest_date()


def test_an_assignment_breaking_several_rules_lists_them_all(recorded):
    content = ASSIGNMENT + "W1001,CPE-06,2024-09-01,2026-06-30,1,permanent,vacancy,,\n"
    assert refused([Source("assignments.csv", content.encode())]) == [
        "assignments.csv, row 2, column agency_reason: Only agency assignments have an agency reason and "
        "supplier.",
        "assignments.csv, row 2, column start: Post CPE-06 is only active from 1 October 2024; the "
        "assignment cannot start before that.",
        "assignments.csv, row 2, column end: Post CPE-06 ends on 31 March 2026; the assignment must end by "
        "then.",
        "assignments.csv, row 2, column fte: W1001 would work 2 FTE on one day across their assignments; a "
        "worker cannot exceed 1.0 FTE.",
    ]
