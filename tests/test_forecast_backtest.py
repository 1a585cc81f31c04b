"""The backtest: forecasts made as at past quarter-ends, from what the records held then."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leavers import services as leavers_services
from planning import inputs as ev
from planning.backtest import backtest
from planning.selectors import forecast_inputs
from tests import factories
from tests import factories_leavers as leavers_f

D = Decimal
TODAY = dt.date(2024, 7, 15)


@pytest.fixture
def steady_team(db):
    """Ten posts, nine held since 2015 and P10 vacant; the worker in P1 leaves on 15 May 2024."""
    team = factories.team("Steady Team")
    posts = [factories.post(team=team, reference=f"P{n}") for n in range(1, 11)]
    workers = [leavers_f.employee_in(post, start=dt.date(2015, 1, 1)) for post in posts[:9]]
    leavers_services.record_leaver(
        worker=workers[0], leaving_date=dt.date(2024, 5, 15), category=leavers_f.category()
    )
    return team


def test_the_errors_are_the_mean_absolute_differences_from_what_happened(steady_team):
    result = backtest(today=TODAY)
    assert result.origins[0] == dt.date(2022, 6, 30) and result.origins[-1] == dt.date(2024, 3, 31)
    assert result.last_actual == dt.date(2024, 6, 30)
    by_ahead = {row.ahead: row for row in result.accuracy}
    # Every forecast says V 1, S 9; on 30 June 2024 it was V 2, S 8 (the leaver was not known).
    assert (by_ahead[1].forecasts, by_ahead[1].vacancy_error, by_ahead[1].in_post_error) == (
        8,
        D("0.1"),
        D("0.1"),
    )
    assert (by_ahead[2].forecasts, by_ahead[2].vacancy_error) == (7, D("0.1"))  # 1 / 7
    assert (by_ahead[4].forecasts, by_ahead[4].vacancy_error) == (5, D("0.2"))  # 1 / 5
    assert by_ahead[1].vacancy_in_range == D("87.5")  # no leavers in the year before: no range


def test_a_leaver_is_known_a_month_ahead_when_testing_against_the_past(steady_team):
    as_known = forecast_inputs(
        origins=[dt.date(2024, 3, 31), dt.date(2024, 4, 30)], quarters=4, as_known=True
    )
    leaving = {day: [e for e in made.events if e.kind == ev.LEAVING] for day, made in as_known.items()}
    assert leaving[dt.date(2024, 3, 31)] == []  # 45 days ahead: notice not yet given
    assert [e.day for e in leaving[dt.date(2024, 4, 30)]] == [dt.date(2024, 5, 16)]
    today = forecast_inputs(origins=[dt.date(2024, 3, 31)], quarters=4)[dt.date(2024, 3, 31)]
    assert [e.kind for e in today.events] == [ev.LEAVING]  # the records hold it now


def test_the_backtest_reads_a_fixed_number_of_queries(steady_team):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            backtest(today=TODAY)
        return len(queries)

    before = count()
    for n in range(4):
        post = factories.post(team=steady_team, reference=f"N{n}", active_from=dt.date(2023, 1, 1))
        leavers_f.employee_in(post, start=dt.date(2023, 6, 1))
    assert count() == before
