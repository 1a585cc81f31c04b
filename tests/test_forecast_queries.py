"""The forecast's reads: a fixed number of queries, whatever the number of records or dates."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning.selectors import forecast_inputs
from tests import factories
from tests import factories_leavers as leavers_f
from tests import factories_planning as planning_f
from tests.test_forecast import AS_OF, small_team  # noqa: F401 - the fixture
from workforce.scopes import Scope


def _count(**kwargs: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        forecast_inputs(**kwargs)
    return len(queries)


def test_the_forecast_reads_fifteen_queries(small_team):  # noqa: F811
    # The establishment (three: from the changes kept by the writes for the whole council, from
    # the records for a team), then one a read; the cohorts' teams one more (none if no cohort).
    council = _count(origins=[AS_OF], quarters=8)
    team = _count(origins=[AS_OF], quarters=8, scope=Scope.team(small_team.pk))
    assert (council, team) == (15, 15)
    other = factories.team("Another Team")
    for n in range(5):
        post = factories.post(team=other, reference=f"X{n}", active_from=dt.date(2023, 1, 1))
        leavers_f.employee_in(post, start=dt.date(2023, 6, 1), end=dt.date(2024, 8, 31))
    planning_f.cohort(name="More", teams=[other], expected_on=dt.date(2024, 10, 1))
    assert _count(origins=[AS_OF], quarters=8) == council
    assert _count(origins=[AS_OF], quarters=8, scope=Scope.team(small_team.pk)) == team
    # Eight as-at dates at once (the backtest) read no more.
    eight = [dt.date(2022, 9, 30) + dt.timedelta(days=91 * n) for n in range(8)]
    assert _count(origins=eight, quarters=4, as_known=True) == council
