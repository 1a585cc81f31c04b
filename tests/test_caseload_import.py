"""Importing caseloads and comparators: the case management extract and published figures,
all or nothing, with messages naming the row and column, and idempotent."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from dataio.importing.engine import Source, run_import
from tests import factories
from workforce.models import Caseload, Comparator, ComparatorArea

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
D = Decimal


def csv_source(name: str, text: str) -> Source:
    return Source(name, text.encode("utf-8"))


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


@pytest.fixture
def samples():
    call_command("import_workforce", *map(str, sorted(SAMPLES.glob("*.csv"))), stdout=io.StringIO())


def test_the_sample_extract_records_every_case_holders_month_ends(samples):
    assert Caseload.objects.count() == 12
    record = Caseload.objects.get(worker__staff_reference="W1001", recorded_on=dt.date(2025, 9, 30))
    assert (record.cases, record.typed_cases) == (
        19,
        {"child_in_need": 6, "child_protection": 9, "looked_after": 3, "care_leaver": 1},
    )
    partial = Caseload.objects.get(worker__staff_reference="A2002", recorded_on=dt.date(2025, 9, 30))
    assert partial.typed_cases == {"child_protection": 7}
    england = Comparator.objects.get(area=ComparatorArea.ENGLAND, year=2024)
    assert (england.vacancy_rate, england.caseload, england.illustrative) == (D("18.0"), D("16.5"), True)


def test_importing_the_same_caseloads_again_changes_nothing(samples):
    history = Caseload.history.count() + Comparator.history.count()
    report = run_import(
        [
            Source("caseloads.csv", (SAMPLES / "caseloads.csv").read_bytes()),
            Source("comparators.csv", (SAMPLES / "comparators.csv").read_bytes()),
        ]
    )
    assert report.ok
    assert [outcome.action for file in report.files for outcome in file.outcomes] == ["unchanged"] * 15
    assert Caseload.history.count() + Comparator.history.count() == history


def test_a_corrected_extract_updates_the_caseload_in_place_and_names_the_importer(samples):
    hr = factories.user("hr2", "hr", staff=True)
    report = run_import(
        [csv_source("caseloads.csv", "staff_reference,date,cases\nw1002,30/09/2025,14\n")], user=hr
    )
    assert report.ok
    (outcome,) = report.files[0].outcomes
    assert (outcome.action, outcome.changes) == ("updated", ("cases: 13 → 14",))
    record = Caseload.objects.get(worker__staff_reference="W1002", recorded_on=dt.date(2025, 9, 30))
    assert record.cases == 14 and record.history.first().history_user == hr


def test_one_bad_row_and_nothing_is_imported_with_every_problem_named(samples):
    before = Caseload.objects.count()
    report = run_import(
        [
            csv_source(
                "october.csv",
                "staff_reference,date,cases,child_protection\n"
                "W1001,2025-10-31,18,\n"  # fine on its own
                "W1001,2025-11-30,120,\n"
                "W9999,2025-10-31,3,\n"
                "W1002,2025-10-31,5,9\n"
                "W1006,2024-12-31,4,\n"  # started 6 January 2025
                "W1006,2025-10-31,-2,\n",
            )
        ]
    )
    assert not report.ok
    assert messages(report) == [
        "october.csv, row 3, column cases: Ensure this value is less than or equal to 100.",
        "october.csv, row 4, column staff_reference: there is no worker 'W9999' (it is neither already "
        "recorded nor in a workers file of this import)",
        "october.csv, row 5, column cases: The types of case given add up to 9, more than the 5 cases.",
        "october.csv, row 6, column date: The worker held no post on 31 December 2024, so cannot have "
        "held cases then.",
        "october.csv, row 7, column cases: '-2' is not a whole number",
    ]
    assert Caseload.objects.count() == before


def test_a_worker_and_date_twice_is_refused(samples):
    report = run_import(
        [
            csv_source(
                "caseloads.csv", "staff_reference,date,cases\nW1001,2025-10-31,18\nw1001,31/10/2025,17\n"
            )
        ]
    )
    assert messages(report) == [
        "caseloads.csv, row 3, column staff_reference: caseload w1001 / 31 October 2025 appears more than "
        "once (first at caseloads.csv row 2); each caseload may appear only once"
    ]


def test_a_caseload_file_can_name_workers_and_posts_of_the_same_import(db):
    files = [
        csv_source("teams.csv", "team,service_area\nChild Protection East,Child Protection\n"),
        csv_source(
            "posts.csv",
            "post_reference,team,role,fte,active_from\n"
            "CPE-01,Child Protection East,Social Worker,1,2020-04-01\n",
        ),
        csv_source("workers.csv", "staff_reference,first_name,last_name\nW1,Asha,Patel\n"),
        csv_source(
            "assignments.csv",
            "staff_reference,post_reference,start,fte,contract\nW1,CPE-01,2021-01-04,1,permanent\n",
        ),
        csv_source("cms extract.csv", "staff_reference,date,cases\nW1,2021-01-31,7\n"),
    ]
    report = run_import(files)
    assert report.ok, messages(report)
    assert [file.kind for file in report.files] == ["teams", "posts", "workers", "assignments", "caseloads"]
    assert Caseload.objects.get().cases == 7


def test_comparators_are_matched_by_area_and_year_and_take_percentages(samples):
    report = run_import(
        [
            csv_source(
                "comparators.csv",
                "area,year,vacancy_rate,caseload,source\n"
                "England,2024,17.9%,16.5,DfE CSWW 2024 table 1\n"
                "statistical neighbours,2023,16.2,15.9,DfE CSWW 2023 table 1\n",
            )
        ]
    )
    assert report.ok, messages(report)
    england = Comparator.objects.get(area=ComparatorArea.ENGLAND, year=2024)
    assert (england.vacancy_rate, england.turnover_rate, england.source) == (
        D("17.9"),
        D("15.0"),  # a column not in the file is left as it is
        "DfE CSWW 2024 table 1",
    )
    assert Comparator.objects.get(area=ComparatorArea.STATISTICAL_NEIGHBOURS, year=2023).caseload == D("15.9")


def test_comparators_that_cannot_be_right_are_refused(db):
    report = run_import(
        [
            csv_source(
                "comparators.csv",
                "area,year,vacancy_rate,source\n"
                "wales,2024,3,DfE\n"
                "england,2024,130,DfE\n"
                "region,2024,,DfE\n"
                "england,1999,3,DfE\n"
                "england,2023,4,\n",
            )
        ]
    )
    assert messages(report) == [
        "comparators.csv, row 2, column area: 'wales' is not a known comparator area (use one of: england, "
        "region, statistical_neighbours)",
        "comparators.csv, row 3, column vacancy_rate: Ensure this value is less than or equal to 100.",
        "comparators.csv, row 4: Give at least one figure: turnover, vacancy or agency rate, caseload or "
        "absence rate.",
        "comparators.csv, row 5, column year: Ensure this value is greater than or equal to 2000.",
        "comparators.csv, row 6, column source: a value is required",
    ]
    assert not Comparator.objects.exists()
