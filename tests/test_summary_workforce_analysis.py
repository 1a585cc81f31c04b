"""The workforce analyses the summary reads: starters by origin, the experience profile,
absence and agency spend, and the period helpers they use; hand-worked numbers."""

import datetime as dt
from decimal import Decimal

import pytest

from foundation.periods import (
    default_baseline,
    default_comparison_dates,
    financial_year_label,
    weekdays_between,
)
from tests import factories
from workforce import analysis
from workforce.models import AgencyReason, Contract, StartOrigin
from workforce.scopes import Scope

D = Decimal
START, END = dt.date(2018, 7, 1), dt.date(2019, 6, 30)


# --- Periods (pure) ------------------------------------------------------------------------


def test_weekdays_between_counts_monday_to_friday_inclusive():
    assert weekdays_between(dt.date(2024, 1, 1), dt.date(2024, 1, 31)) == 23
    assert weekdays_between(dt.date(2024, 1, 6), dt.date(2024, 1, 7)) == 0  # a weekend
    assert weekdays_between(dt.date(2024, 1, 5), dt.date(2024, 1, 4)) == 0


def test_default_comparison_dates_are_the_baseline_and_the_last_three_quarter_ends():
    assert default_baseline(dt.date(2019, 6, 30)) == dt.date(2018, 3, 31)  # the 2017/18 baseline
    assert default_comparison_dates(dt.date(2019, 6, 30)) == [
        dt.date(2018, 3, 31),
        dt.date(2018, 12, 31),
        dt.date(2019, 3, 31),
        dt.date(2019, 6, 30),
    ]
    assert default_comparison_dates(dt.date(2026, 11, 22))[0] == dt.date(2025, 3, 31)


def test_financial_year_label():
    assert financial_year_label(dt.date(2019, 6, 30)) == "2019/20"
    assert financial_year_label(dt.date(2020, 3, 31)) == "2019/20"


# --- Starters ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_move_between_posts_is_not_a_start_but_a_new_employee_is():
    team = factories.team()
    mover = factories.worker(start_origin=StartOrigin.OTHER_LA)
    first, second = factories.post(team=team), factories.post(team=team)
    factories.assign(first, worker_=mover, start=dt.date(2017, 1, 1), end=dt.date(2018, 9, 30))
    factories.assign(second, worker_=mover, start=dt.date(2018, 10, 1))
    newcomer = factories.worker(start_origin=StartOrigin.OTHER_LA)
    factories.assign(factories.post(team=team), worker_=newcomer, fte="0.6", start=dt.date(2019, 2, 1))

    starters = analysis.starters_by_origin(start=START, end=END)
    assert starters.headcount == 1
    assert starters.group(StartOrigin.OTHER_LA).fte == D("0.6")


@pytest.mark.django_db
def test_an_agency_worker_taking_a_permanent_post_and_a_returner_are_starters():
    team = factories.team()
    converted = factories.worker(start_origin=StartOrigin.AGENCY)
    post = factories.post(team=team)
    factories.assign(
        post,
        worker_=converted,
        contract=Contract.AGENCY,
        reason=AgencyReason.AWAITING_TRANSFER,
        start=dt.date(2018, 1, 1),
        end=dt.date(2018, 12, 31),
    )
    factories.assign(post, worker_=converted, start=dt.date(2019, 1, 1))
    returner = factories.worker()  # no origin recorded
    other = factories.post(team=team)
    factories.assign(other, worker_=returner, start=dt.date(2015, 1, 1), end=dt.date(2017, 12, 31))
    factories.assign(other, worker_=returner, start=dt.date(2019, 3, 1))

    starters = analysis.starters_by_origin(start=START, end=END)
    assert starters.headcount == 2
    assert starters.group(StartOrigin.AGENCY).headcount == 1
    assert starters.group(StartOrigin.NOT_YET_COLLECTED).headcount == 1


@pytest.mark.django_db
def test_starters_in_other_teams_are_outside_a_team_scope():
    mine, theirs = factories.team(), factories.team()
    factories.assign(factories.post(team=mine), worker_=factories.worker(), start=dt.date(2019, 1, 1))
    factories.assign(factories.post(team=theirs), worker_=factories.worker(), start=dt.date(2019, 1, 1))
    assert analysis.starters_by_origin(start=START, end=END, scope=Scope.team(mine.pk)).headcount == 1


# --- Experience ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_experience_bands_by_time_since_qualifying():
    team = factories.team()
    for qualified, fte in (
        (dt.date(2018, 7, 1), "1.0"),  # ASYE until 30 June 2019 inclusive
        (dt.date(2018, 6, 30), "1.0"),  # 12 months done: under 2 years
        (dt.date(2017, 7, 1), "0.5"),  # under 2 years
        (dt.date(2016, 1, 1), "1.0"),  # 2 to under 5
        (dt.date(2014, 6, 30), "1.0"),  # exactly 5 years: 5+
        (None, "1.0"),
    ):
        person = factories.worker(date_qualified=qualified)
        factories.assign(factories.post(team=team), worker_=person, fte=fte)
    profile = analysis.experience_profile(day=END)
    assert [(band.key, band.headcount) for band in profile.bands] == [
        ("asye", 1),
        ("under_2", 2),
        ("2_to_5", 1),
        ("5_plus", 1),
        ("not_recorded", 1),
    ]
    assert profile.band("under_2").fte == D("1.5")
    assert profile.headcount == 6


# --- Absence and agency spend ------------------------------------------------------------------------


@pytest.mark.django_db
def test_absence_rate_is_days_lost_pro_rata_over_days_available():
    team = factories.team()
    person = factories.worker()
    factories.assign(factories.post(team=team), worker_=person, fte="0.5", start=dt.date(2019, 6, 3))
    # 10 days lost over 20 calendar days, half of them inside the window.
    factories.absence(person, reason="SIC", start=dt.date(2019, 6, 21), end=dt.date(2019, 7, 10), days="10")
    figures = analysis.absence_over(start=START, end=END)
    assert figures.days_available == D("10.00")  # 0.5 FTE x 20 weekdays, 3 to 28 June
    assert figures.days_lost == D("5.00")
    assert figures.rate == D("50.0")
    assert dict(figures.days_lost_by_reason)["SIC"] == D("5.00")


@pytest.mark.django_db
def test_agency_spend_is_the_weekly_charge_pro_rata_by_days():
    team = factories.team()
    post = factories.post(team=team)
    # £1,700 a week from 17 June (14 days to 30 June): £3,400; the earlier days are outside.
    factories.assign(post, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2019, 6, 17))
    assert analysis.agency_spend(start=dt.date(2019, 6, 1), end=END) == D("3400.00")
    assert analysis.agency_spend(start=dt.date(2019, 6, 1), end=dt.date(2019, 6, 19)) == D("728.57")


@pytest.mark.django_db
def test_each_analysis_takes_a_fixed_number_of_queries(django_assert_num_queries):
    team = factories.team()
    for _ in range(5):
        person = factories.worker(date_qualified=dt.date(2016, 1, 1))
        post = factories.post(team=team)
        factories.assign(post, worker_=person, start=dt.date(2019, 1, 1))
        factories.absence(person, reason="SIC", start=dt.date(2019, 2, 1), end=dt.date(2019, 2, 2), days="2")
        factories.assign(post, contract=Contract.AGENCY, reason=AgencyReason.SICKNESS)
    with django_assert_num_queries(2):
        analysis.starters_by_origin(start=START, end=END)
    with django_assert_num_queries(1):
        analysis.experience_profile(day=END)
    with django_assert_num_queries(2):
        analysis.absence_over(start=START, end=END)
    with django_assert_num_queries(1):
        analysis.agency_spend(start=START, end=END)


def test_days_lost_count_pro_rata_to_the_calendar_days_inside_the_window():
    from decimal import Decimal

    from workforce.analysis import days_lost_within

    window = {"start": dt.date(2019, 1, 6), "end": dt.date(2019, 12, 31)}
    # 10 days lost over 1-10 January: 5 of its 10 calendar days fall in the window.
    assert days_lost_within(
        days_lost=Decimal("10"), absence_start=dt.date(2019, 1, 1), absence_end=dt.date(2019, 1, 10), **window
    ) == Decimal("5")
    # An open absence runs to the window's end: all of it is inside.
    assert days_lost_within(
        days_lost=Decimal("4"), absence_start=dt.date(2019, 12, 22), absence_end=None, **window
    ) == Decimal("4")
    # Wholly before the window: nothing.
    assert days_lost_within(
        days_lost=Decimal("3"), absence_start=dt.date(2018, 12, 1), absence_end=dt.date(2018, 12, 3), **window
    ) == Decimal("0")
