"""The forecast against a hand calculation: a small establishment with known events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from planning import outlook
from recruitment import services as recruitment_services
from tests import factories
from tests import factories_leavers as leavers_f
from tests import factories_planning as planning_f
from tests import factories_recruitment as recruitment_f
from workforce.models import AgencyReason, Contract
from workforce.scopes import Scope

D = Decimal
AS_OF = dt.date(2024, 6, 30)
LONG_AGO = dt.date(2015, 1, 1)


@pytest.fixture
def small_team(db):
    """Ten social worker posts on 30 June 2024, with the events the records hold.

    Now: eight permanent social workers (P1-P8), P9 vacant with agency cover, P10 vacant:
    E 10, S 8, A 1, V 2. The year to 30 June 2024: two leavers of 1.0 FTE (from P9 and P10,
    not replaced): turnover 2 / 8 = 25.0%. Known ahead: the worker in P1 has given notice to
    leave on 31 August; an offer accepted on 1 June starts on 1 October; a new post P11 from
    1 November; two Frontline students qualify on 1 February 2025.
    """
    team = factories.team("Small Team")
    posts = [factories.post(team=team, reference=f"P{n}") for n in range(1, 11)]
    for post in posts[:8]:
        leavers_f.employee_in(post, start=LONG_AGO)
    leavers_f.leaver(post=posts[8], leaving_date=dt.date(2023, 12, 31), start=LONG_AGO)
    leavers_f.leaver(post=posts[9], leaving_date=dt.date(2024, 3, 31), start=LONG_AGO)
    factories.assign(
        posts[8], contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2024, 4, 1)
    )
    first = posts[0].assignments.get()
    from leavers import services as leavers_services

    leavers_services.record_leaver(
        worker=first.worker, leaving_date=dt.date(2024, 8, 31), category=leavers_f.category()
    )
    campaign = recruitment_f.campaign(opens_on=dt.date(2024, 4, 1), role_codes=("social-worker",))
    application = recruitment_f.application(campaign, received_on=dt.date(2024, 4, 10), team=team)
    recruitment_f.progress(application, to="accepted", offered=40, accepted=52)  # 20 May, 1 June
    application.refresh_from_db()
    application.start_planned_on = dt.date(2024, 10, 1)
    recruitment_services.save_application(application=application)
    factories.post(team=team, reference="P11", active_from=dt.date(2024, 11, 1))
    planning_f.cohort(
        headcount=2, expected_on=dt.date(2025, 2, 1), known_from=dt.date(2024, 1, 1), role_code=None
    )
    return team


def test_the_forecast_equals_the_hand_calculation(small_team):
    role = factories.role().pk
    # A median of 1 day from vacancy to start: every vacancy open at a quarter's start is filled in
    # it (ln 2 x 91.25 / 1 is more than all of them).
    made = outlook.build_outlook(as_of=AS_OF, quarters=4, changes={f"days_to_fill-{role}": D("1")})
    assumed = made.assumptions.role(role)
    assert (assumed.turnover, assumed.leavers_count, assumed.cover_share, assumed.starter_fte) == (
        D("25.0"),
        2,
        D("50.0"),
        D("1.00"),
    )
    assert made.base.start.establishment == D("10") and made.base.start.vacancy == D("2")
    q1, q2, q3, q4 = (quarter.central for quarter in made.base.quarters)
    # Q1: 1.0 FTE leaves with notice (more than the 8 x 25% / 4 = 0.5 expected); the 2.0 vacant filled;
    # agency cover follows the vacancies down by half of the 1.0 fewer: 1 - 0.5.
    assert (q1.establishment, q1.in_post, q1.agency, q1.vacancy) == (D("10"), D("9"), D("0.5"), D("1"))
    assert (q1.leavers, q1.starters) == (D("1"), D("2"))
    # Q2: P11 adds 1.0; the offer (1.0) and the rate (the 1.0 open) fill 1.0; 9 x 6.25% = 0.5625 leave:
    # n = 1 + 1 - 1 + 0.5625; cover 0.5 + 0.5 x 0.5625 = 0.78125.
    assert (q2.establishment, q2.in_post, q2.agency, q2.vacancy) == (
        D("11"),
        D("9.4375"),
        D("0.7812"),
        D("1.5625"),
    )
    assert q2.vacancy_rate == D("14.2")  # 1.5625 / 11
    # Q3: the 1.5625 open filled and the two students start; 9.4375 x 6.25% = 0.58984375 leave:
    # S 12.41015625; n = 1.5625 - 3.5625 + 0.58984375 < 0, so V 0 and cover 0.
    assert (q3.establishment, q3.in_post, q3.agency, q3.vacancy) == (D("11"), D("12.4102"), D("0"), D("0"))
    # Q4: 12.41015625 x 6.25% = 0.775634765625 leave; n is still below 0 (more employees than posts).
    assert (q4.in_post, q4.vacancy, q4.agency) == (D("11.6345"), D("0"), D("0"))
    # Turnover over the 12 months to each quarter-end: recorded, then forecast.
    assert q1.leavers_12_months == D("3")  # 31 Dec 2023 and 31 Mar 2024 recorded, 1.0 in Q1
    assert q1.turnover_rate == D("33.3")  # 3 / 9
    assert q4.leavers_12_months == D("2.9280")  # 1 + 0.5625 + 0.58984375 + 0.775634765625
    assert q4.turnover_rate == D("25.2")  # / 11.634521484375


def test_the_fill_share_is_ln_2_times_the_days_over_the_median():
    from foundation import measures

    assert measures.share_filled(D("91.25")) == measures.LN_2  # a median of a quarter: 69.3% a quarter
    assert measures.share_filled(D("182.5")) == measures.LN_2 / 2
    assert measures.share_filled(D("1")) == D("1") and measures.share_filled(None) == D("0")
    # The median allowing for vacancies still open: ln 2 x 365 x 10 FTE vacant on average / 73 FTE filled.
    assert measures.median_days_to_fill(D("10"), D("73")) == D("35")


def test_the_known_events_are_shown_by_quarter(small_team):
    made = outlook.build_outlook(as_of=AS_OF, quarters=4)
    known = {row.key: row.by_quarter for row in made.known}
    assert known["leaving"] == (D("1.00"), D("0"), D("0"), D("0"))
    assert known["offers_accepted"] == (D("0"), D("1.00"), D("0"), D("0"))
    assert known["posts"] == (D("0"), D("1.00"), D("0"), D("0"))
    assert known["cohorts"] == (D("0"), D("0"), D("2.00"), D("0"))


def test_the_range_brackets_the_central_forecast(small_team):
    made = outlook.build_outlook(as_of=AS_OF, quarters=4)
    for quarter in made.base.quarters:
        low, high = quarter.range("vacancy")
        assert low <= quarter.central.vacancy <= high
    last = made.base.quarters[-1]
    assert last.more_vacancies.vacancy > last.fewer_vacancies.vacancy


def test_the_same_records_give_the_same_forecast(small_team):
    first = outlook.build_outlook(as_of=AS_OF, quarters=8)
    second = outlook.build_outlook(as_of=AS_OF, quarters=8)
    assert first.base == second.base


def test_a_manager_s_scope_counts_only_their_teams(small_team):
    other = factories.team("Other Team")
    factories.post(team=other, reference="O1")
    mine = outlook.build_outlook(as_of=AS_OF, quarters=4, scope=Scope.team(small_team.pk))
    theirs = outlook.build_outlook(as_of=AS_OF, quarters=4, scope=Scope.team(other.pk))
    assert mine.base.start.establishment == D("10")
    assert theirs.base.start.establishment == D("1")
    # The cohort has no team: it counts only where every team is counted.
    assert "cohorts" not in {row.key for row in mine.known}
