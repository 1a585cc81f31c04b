"""The drafted sentences pick their words from the figures: over or under budget, target
met or missed, risen, fallen or unchanged, and no data, over a grid of cases that includes
overspends and zero denominators. A sentence never says the opposite of its table."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from foundation.windows import Window
from reporting import sentences
from reporting.figures import Column, CommitteeSummary, Row, Section, Table, rate_cell, text_cell
from reporting.sections import agency_spend_section
from reporting.selectors import AgencySpend

D = Decimal
AS_OF = dt.date(2019, 6, 30)
BASELINE = dt.date(2018, 3, 31)
YEAR = Window(dt.date(2019, 4, 1), dt.date(2020, 3, 31))
QUARTER = Window(dt.date(2019, 4, 1), AS_OF)


def summary(*sections: Section, baseline: dt.date | None = BASELINE) -> CommitteeSummary:
    dates = (BASELINE, AS_OF) if baseline else (AS_OF,)
    return CommitteeSummary(
        as_of=AS_OF,
        dates=dates,
        baseline=baseline,
        scope_text="all",
        scope_label="All teams",
        window_start=dt.date(2018, 7, 1),
        window_end=AS_OF,
        window_months=12,
        built_at=dt.datetime(2019, 7, 1, 9, 0),
        sections=sections,
        definitions=(),
    )


def spend(amount: str, budget: str | None, *, days_covered: int | None = None) -> AgencySpend:
    whole = D(budget) if budget is not None else None
    to_date = None if whole is None else (whole * 91 / 366).quantize(D("0.01"))
    return AgencySpend(
        period_start=YEAR.start,
        period_end=YEAR.end,
        period_label="2019/20",
        start=QUARTER.start,
        end=QUARTER.end,
        budget=whole,
        spend=D(amount),
        budget_to_date=to_date,
        projected=(D(amount) * 366 / 91).quantize(D("0.01")),
        budget_days=91 if days_covered is None else days_covered,
    )


@pytest.mark.parametrize(
    ("amount", "budget", "verdict", "not_said"),
    [
        ("70000", "250000", "£7,842 over budget", "under budget"),  # 62,158 for the quarter
        ("1000000", "250000", "£937,842 over budget (1608.8% of the budget)", "under budget"),
        ("50000", "250000", "£12,158 under budget", "over budget"),
        ("62158.47", "250000", "in line with the budget", "over budget"),
        ("62158.70", "250000", "in line with the budget", "under budget"),  # 23p: £0 as printed
        ("10", "0", "no budget", "under budget"),  # a zero budget: nothing to divide by
        ("0", None, "No agency budget is recorded", "over budget"),
        ("5000", None, "No agency budget is recorded", "under budget"),
    ],
)
def test_agency_spend_says_over_or_under_budget_as_the_figures_do(amount, budget, verdict, not_said):
    section = agency_spend_section(spend(amount, budget), QUARTER)
    drafted = sentences.DRAFTERS["agency_spend"](section, summary(section))
    if budget == "0":
        # A budget of nothing: the spend is over it, and no percentage is made up.
        assert "over budget" in drafted and "% of the budget" not in drafted
    else:
        assert verdict in drafted
    assert not_said not in drafted.replace(verdict, "")


def test_agency_spend_with_a_budget_for_part_of_its_window_gives_no_verdict():
    section = agency_spend_section(spend("70000", "250000", days_covered=30), QUARTER)
    drafted = sentences.DRAFTERS["agency_spend"](section, summary(section))
    assert "cannot be judged against the budget" in drafted
    assert "over budget" not in drafted and "under budget" not in drafted


def measures_section(before: dict[str, Decimal | None], now: dict[str, Decimal | None]) -> Section:
    keys = ("turnover", "vacancy", "agency")
    rows = tuple(
        Row(key, (text_cell(key), rate_cell(before[key], D("1")), rate_cell(now[key], D("1"))))
        for key in keys
    )
    columns = (Column("measure", ""), Column(BASELINE.isoformat(), ""), Column(AS_OF.isoformat(), ""))
    return Section(key="measures", title="", tables=(Table("measures", "", columns, rows),))


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        (D("10.0"), D("12.5"), "the turnover rate has risen from 10.0% to 12.5%"),
        (D("12.5"), D("10.0"), "the turnover rate has fallen from 12.5% to 10.0%"),
        (D("10.0"), D("10.0"), "the turnover rate is unchanged at 10.0%"),
        (None, D("10.0"), "the turnover rate is now 10.0% (there was no figure at the baseline)"),
        (
            D("10.0"),
            None,
            "there is no turnover rate now (nothing to divide by), against 10.0% at the baseline",
        ),
        (None, None, "there is no turnover rate at either date (nothing to divide by)"),
    ],
)
def test_the_measures_sentence_says_risen_fallen_unchanged_or_no_data(before, now, expected):
    others = {"vacancy": D("5.0"), "agency": D("5.0")}
    section = measures_section({"turnover": before, **others}, {"turnover": now, **others})
    drafted = sentences.DRAFTERS["measures"](section, summary(section))
    assert expected in drafted
    assert "the vacancy rate is unchanged at 5.0%" in drafted


def permanent_fill_section(permanent: Decimal | None, target: Decimal | None) -> Section:
    columns = tuple(
        Column(key, "") for key in ("date", "establishment", "vacancy", "permanent", "agency", "target")
    )
    row = Row(
        AS_OF.isoformat(),
        (
            text_cell(""),
            text_cell(""),
            text_cell(""),
            rate_cell(permanent),
            rate_cell(D("2.0")),
            rate_cell(target),
        ),
    )
    return Section(key="permanent_fill", title="", tables=(Table("permanent_fill", "", columns, (row,)),))


@pytest.mark.parametrize(
    ("permanent", "target", "expected", "not_said"),
    [
        (D("85.0"), D("85"), "This meets the target of 85%.", "has not been met"),
        (D("90.5"), D("85"), "This meets the target of 85%.", "has not been met"),
        (D("84.9"), D("85"), "The target of 85% has not been met.", "meets the target"),
        (None, D("85"), "there were no establishment posts", "target"),
    ],
)
def test_the_permanent_fill_sentence_says_target_met_or_missed(permanent, target, expected, not_said):
    section = permanent_fill_section(permanent, target)
    drafted = sentences.DRAFTERS["permanent_fill"](section, summary(section, baseline=None))
    assert expected in drafted and not_said not in drafted


def test_every_sentence_of_an_empty_council_says_there_is_no_data(db):
    from reporting.summary import build_committee_summary

    built = build_committee_summary(as_of=AS_OF, comparison_dates=[BASELINE])
    said = {section.key: section.sentence for section in built.sections}
    assert "%" not in said["measures"].replace("no turnover rate", "")
    assert said["starters"].startswith("No employees started")
    assert said["leavers"].startswith("No employees left")
    assert said["reasons"].startswith("No employees left")
    assert said["recruitment"].endswith(
        "no applications were received (newly qualified applicants excluded)."
    )
    assert said["absence"].startswith("No working days were available")
    assert "None" not in " ".join(said.values()) and "–%" not in " ".join(said.values())


def test_a_sentence_reworded_by_the_author_is_kept_and_flagged_on_the_check_page():
    section = agency_spend_section(spend("70000", "250000"), QUARTER)
    built = sentences.redraft(summary(section))
    edited = sentences.apply(built, {"agency_spend": "Contract management continues to control costs."})
    assert edited.section("agency_spend").sentence != edited.section("agency_spend").drafted
    assert replace(edited.section("agency_spend"), sentence="").drafted.startswith("Agency spend in")
