"""The committee report's recruitment section in depth: the internal share of interviews and
offers (the 2016 paper's footnote), the median days to offer and to start, and the offers
declined or withdrawn by reason, each worked by hand."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from recruitment.selectors import NOT_RECORDED, DeclineRow
from reporting.figures import RATE
from reporting.summary import build_committee_summary
from tests import factories
from tests import factories_recruitment as rf
from tests import factories_reporting as fr

pytestmark = pytest.mark.django_db
JUNE_2019 = dt.date(2019, 6, 30)
D = Decimal


@pytest.fixture
def section(worked_example, monkeypatch):
    """The 2016 paper's recruitment table, with its internal candidates as the demo has them."""
    stubs = fr.install_stubs(monkeypatch)
    sw, sp, tm = (factories.role(code) for code in ("social-worker", "senior-practitioner", "team-manager"))
    rows = [
        fr.funnel_row(
            sw.pk,
            "Social Worker",
            received=114,
            interviewed=35,
            offered=26,
            started=20,
            internal_interviewed=6,
            internal_offered=4,
            median_days_to_offer=D("31"),
            median_days_to_start=D("74.5"),
        ),
        fr.funnel_row(
            sp.pk,
            "Senior Practitioner",
            received=66,
            interviewed=47,
            offered=23,
            internal_interviewed=30,
            internal_offered=15,
            median_days_to_offer=D("28"),
        ),
        fr.funnel_row(
            tm.pk,
            "Team Manager",
            received=52,
            interviewed=27,
            offered=16,
            internal_interviewed=17,
            internal_offered=11,
        ),
    ]
    funnel = fr.funnel(start=dt.date(2018, 7, 1), end=JUNE_2019, rows=rows)
    stubs.funnel = replace(
        funnel,
        total=replace(funnel.total, median_days_to_offer=D("29.5"), median_days_to_start=D("74.5")),
        declines=[
            DeclineRow(1, "salary", "Salary", 5, 0),
            DeclineRow(2, "location-travel", "Location or travel", 2, 1, retired=True),
            DeclineRow(3, "the-role", "The role itself", 0, 0),
            DeclineRow(4, "accepted-another-offer", "Accepted another offer", 4, 1),
            DeclineRow(5, "withdrew", "Candidate withdrew", 0, 3),
            DeclineRow(6, "other", "Other", 0, 0),
            DeclineRow(None, NOT_RECORDED, "Not recorded", 0, 0),
        ],
    )
    summary = build_committee_summary(as_of=JUNE_2019, comparison_dates=[])
    return summary.section("recruitment"), (sw, sp, tm), summary


def cells(table, key: str) -> list[str]:
    return [cell.text for cell in table.row(key).cells]


def test_the_internal_share_of_interviews_and_offers(section):
    recruitment, (sw, sp, tm), _ = section
    table = recruitment.table("recruitment_internal")
    assert cells(table, f"role-{sw.pk}") == ["Social Worker", "6", "17.1%", "4", "15.4%"]  # 6/35, 4/26
    assert cells(table, f"role-{sp.pk}") == [
        "Senior Practitioner",
        "30",
        "63.8%",
        "15",
        "65.2%",
    ]  # 30/47, 15/23
    assert cells(table, f"role-{tm.pk}") == ["Team Manager", "17", "63.0%", "11", "68.8%"]  # 17/27, 11/16
    assert cells(table, "total") == [
        "Total (newly qualified excluded)",
        "53",
        "48.6%",
        "30",
        "46.2%",
    ]  # 53/109, 30/65
    assert cells(table, "newly_qualified") == ["Newly qualified (all roles)", "0", "–", "0", "–"]
    # The funnel prints the same share of offers, from the same figure.
    funnel = recruitment.table("recruitment_funnel")
    assert (
        funnel.cell("total", "internal_offers").text == table.cell("total", "internal_offered_percent").text
    )


def test_the_median_days_to_offer_and_to_start(section):
    recruitment, (sw, sp, tm), _ = section
    table = recruitment.table("recruitment_time")
    assert cells(table, f"role-{sw.pk}") == ["Social Worker", "31", "74.5"]
    assert cells(table, f"role-{sp.pk}") == ["Senior Practitioner", "28", "–"]  # nobody started
    assert cells(table, "total") == ["Total (newly qualified excluded)", "29.5", "74.5"]


def test_offers_declined_or_withdrawn_by_reason(section):
    recruitment, _, _ = section
    table = recruitment.table("recruitment_declines")
    assert [cells(table, row.key) for row in table.rows] == [
        ["Salary", "5", "0", "5", "31.3%"],  # 5 of 16
        ["Location or travel (retired)", "2", "1", "3", "18.8%"],
        ["The role itself", "0", "0", "0", "0.0%"],
        ["Accepted another offer", "4", "1", "5", "31.3%"],
        ["Candidate withdrew", "0", "3", "3", "18.8%"],
        ["Other", "0", "0", "0", "0.0%"],
        # "Not recorded" has no row when every offer has its reason.
        ["Total", "11", "5", "16", "100.0%"],
    ]
    assert table.row("total").total


def test_every_share_in_the_section_says_what_it_is_a_share_of(section):
    recruitment, _, _ = section
    for table in recruitment.tables:
        for index, column in enumerate(table.columns):
            if any(row.cells[index].kind == RATE for row in table.rows):
                assert "% of" in column.heading, (table.key, column.heading)


def test_the_definitions_of_the_new_tables_are_printed(section):
    _, _, summary = section
    for key in ("internal", "time_to_hire", "declines"):
        assert summary.definition(key).text
    assert "newly qualified included" in summary.definition("declines").text
    assert "'Not recorded'" in summary.definition("declines").text


def test_the_section_from_the_records_themselves(db):
    """No stand-ins: a small county's applications through to the report's tables."""
    county = rf.small_county()
    summary = build_committee_summary(as_of=dt.date(2025, 12, 31), comparison_dates=[])
    recruitment = summary.section("recruitment")
    internal = recruitment.table("recruitment_internal")
    assert cells(internal, "total")[1:] == [
        "2",
        "33.3%",
        "2",
        "50.0%",
    ]  # a5 and b1, of 6 interviewed, 4 offered
    declines = recruitment.table("recruitment_declines")
    assert cells(declines, "salary") == ["Salary", "1", "0", "1", "100.0%"]  # b1
    assert cells(declines, "total")[1:] == ["1", "0", "1", "100.0%"]
    time = recruitment.table("recruitment_time")
    assert cells(time, "total")[1:] == ["25.5", "59"]  # 21, 21, 30, 40; a1 started on day 59
    assert county["main"].title == "Main"
