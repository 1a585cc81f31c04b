"""Why a rate moved: the parts add up exactly to the change, and the rate without the posts added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foundation import attribution
from leavers import services as leavers_services
from planning.movement import AGENCY, LEAVERS, OTHER, POSTS, STARTERS
from planning.selectors.movement import rate_movement
from tests import factories
from tests import factories_leavers as leavers_f
from workforce import services as workforce_services
from workforce.models import AgencyReason, Contract
from workforce.scopes import Scope

D = Decimal
BEFORE, AFTER = dt.date(2019, 3, 31), dt.date(2019, 6, 30)
LONG_AGO = dt.date(2015, 1, 1)


def test_shapley_parts_are_each_cause_s_change_averaged_over_both_orders():
    values = {0b00: Fraction(0), 0b01: Fraction(1), 0b10: Fraction(2), 0b11: Fraction(5)}
    parts = attribution.shapley_parts(("a", "b"), values.__getitem__)
    # a: (1 - 0 + 5 - 2) / 2 = 2; b: (2 - 0 + 5 - 1) / 2 = 3.
    assert parts == {"a": Fraction(2), "b": Fraction(3)}


def test_rounded_parts_add_up_to_the_rounded_total():
    thirds = {"a": Fraction(1, 3), "b": Fraction(1, 3), "c": Fraction(1, 3)}
    rounded = attribution.rounded_parts(thirds, D("1.0"), D("0.1"))
    assert sum(rounded.values()) == D("1.0")
    assert sorted(rounded.values()) == [D("0.3"), D("0.3"), D("0.4")]
    negative = {"a": Fraction(-26, 100), "b": Fraction(-26, 100)}
    assert sum(attribution.rounded_parts(negative, D("-0.6"), D("0.1")).values()) == D("-0.6")


@pytest.fixture
def quarter(db):
    """One team between 31 March and 30 June 2019, every kind of change in it.

    31 March: P1-P9 held (9.0), P10 vacant with agency cover: V 1, S 9, A 1; 10.0% and 10.0%.
    By 30 June: P11 and P12 added (1 May, additional posts); the worker in P1 left (30 April);
    P10 filled by a starter (1 May) and its agency cover ended; the worker in P2 went from 1.0
    to 0.8 FTE (1 June); agency engaged in P11 (1 June).
    30 June: S 8.8, V 1 + 0.2 + 2 = 3.2, A 1: vacancy rate 3.2 / 12 = 26.7%, agency 1 / 9.8 = 10.2%.
    """
    team = factories.team("Quarter Team")
    posts = {n: factories.post(team=team, reference=f"P{n}") for n in range(1, 11)}
    held = {n: leavers_f.employee_in(posts[n], start=LONG_AGO) for n in range(1, 10)}
    factories.assign(
        posts[10],
        contract=Contract.AGENCY,
        reason=AgencyReason.VACANCY,
        start=LONG_AGO,
        end=dt.date(2019, 4, 30),
    )
    for n in (11, 12):
        posts[n] = factories.post(team=team, reference=f"P{n}", active_from=dt.date(2019, 5, 1))
    leavers_services.record_leaver(
        worker=held[1], leaving_date=dt.date(2019, 4, 30), category=leavers_f.category()
    )
    leavers_f.employee_in(posts[10], start=dt.date(2019, 5, 1))
    two = posts[2].assignments.get()
    workforce_services.end_assignment(assignment=two, last_day=dt.date(2019, 5, 31))
    factories.assign(posts[2], worker_=held[2], fte="0.8", start=dt.date(2019, 6, 1))
    factories.assign(
        posts[11], contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2019, 6, 1)
    )
    return team


def test_the_parts_add_up_exactly_to_the_change(quarter):
    moved = rate_movement(start=BEFORE, end=AFTER, without_since=BEFORE)
    vacancy = moved.vacancy
    assert (vacancy.before, vacancy.after, vacancy.change) == (D("10.0"), D("26.7"), D("16.7"))
    # Exactly: 3.2 / 12 - 1 / 10 = 1/6, in percentage points.
    assert vacancy.exact_change == Fraction(50, 3)
    assert sum(part.exact for part in vacancy.parts) == vacancy.exact_change
    assert sum(part.points for part in vacancy.parts) == vacancy.change
    parts = {part.key: part for part in vacancy.parts}
    assert OTHER not in parts  # every change belongs to a cause
    assert parts[AGENCY].exact == 0  # agency does not move the vacancy rate
    assert parts[POSTS].points > parts[LEAVERS].points > 0 > parts[STARTERS].points

    agency = moved.agency
    assert (agency.before, agency.after, agency.change) == (D("10.0"), D("10.2"), D("0.2"))
    assert sum(part.exact for part in agency.parts) == agency.exact_change
    assert sum(part.points for part in agency.parts) == agency.change


def test_the_flows_between_the_dates(quarter):
    flows = rate_movement(start=BEFORE, end=AFTER).flows
    assert (flows.posts_added, flows.posts_removed) == (D("2"), D("0"))
    assert (flows.leavers, flows.leavers_count, flows.starters, flows.starters_count) == (
        D("1"),
        1,
        D("1"),
        1,
    )
    assert flows.fte_changes == D("-0.2")
    assert (flows.agency_engaged, flows.agency_released) == (D("1"), D("1"))


def test_the_rate_without_the_posts_added_since_a_date(quarter):
    moved = rate_movement(start=BEFORE, end=AFTER, without_since=BEFORE)
    without = moved.without
    # Without P11 and P12: V 1.2, S 8.8 -> 12.0%, a rise of 2.0 points from 10.0%.
    assert (without.posts_fte, without.vacancy_fte) == (D("2"), D("2"))
    assert (without.vacancy_rate_before, without.vacancy_rate, without.change) == (
        D("10.0"),
        D("12.0"),
        D("2.0"),
    )
    assert "Without the 2.0 FTE of posts added since 31 March 2019, the vacancy rate would be 12.0%" in (
        moved.sentence
    )
    assert moved.sentence.startswith(
        "Between 31 March 2019 and 30 June 2019 the vacancy rate rose from 10.0% to 26.7% "
        "(16.7 percentage points)."
    )


def test_the_decomposition_reads_a_fixed_number_of_queries(quarter):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rate_movement(start=BEFORE, end=AFTER, scope=Scope.team(quarter.pk), without_since=BEFORE)
        return len(queries)

    before = count()
    other = factories.team("Another")
    for n in range(5):
        post = factories.post(team=other, reference=f"X{n}", active_from=dt.date(2019, 4, 1))
        leavers_f.employee_in(post, start=dt.date(2019, 5, 1))
    factories.post(team=quarter, reference="P13", active_from=dt.date(2019, 5, 1))
    assert count() == before
