"""Caseloads where people see them: the home page's card with its trend and comparators, and
the establishment page's cases per post holder and team totals, each user's own teams only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pages.dashboard import build_dashboard
from tests import factories
from tests.factories_caseloads import comparator, worked_caseloads
from workforce.models import ComparatorArea

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2019, 8, 15, 12, 0)  # the latest quarter-end is 30 June 2019
MARCH = dt.date(2019, 3, 31)
JUNE = dt.date(2019, 6, 30)
ESTABLISHMENT = reverse("workforce:establishment")


@pytest.fixture
def county(worked_example):
    """The worked example's caseloads (18.4 per FTE case holder at 30 June 2019, 16.8 at 31 March),
    England's figures for 2018, and another team with a case holder of 30 cases."""
    people = worked_caseloads(worked_example)
    for key, cases in (("w1", 20), ("w2", 10), ("a3", 9), ("a4", 12), ("a6", 18)):
        factories.caseload(people[key], on=MARCH, cases=cases)
    comparator(ComparatorArea.ENGLAND, 2018, vacancy_rate="17.1", caseload="16.9")
    other = factories.team("Other Team")
    busy = factories.worker(first_name="Bea", last_name="Busy")
    factories.assign(factories.post(team=other, reference="OT-1"), worker_=busy, start=dt.date(2018, 1, 1))
    factories.caseload(busy, on=JUNE, cases=30)
    factories.caseload(busy, on=MARCH, cases=30)
    with time_machine.travel(TODAY, tick=False):
        yield {**people, "other": other, "busy": busy}


def card(dashboard):
    return next(measure for measure in dashboard.measures if measure.key == "caseloads")


def test_the_manager_sees_their_teams_caseload_with_its_trend_and_comparators(county):
    manager = factories.user("tm", "manager", teams=[county["team"]])
    found = card(build_dashboard(user=manager, today=TODAY.date()))
    assert (found.value, found.fte) == (
        "18.4",
        "cases per FTE: 57 cases, 4 case holders; 1 with more than 20 cases; 1 not known",
    )
    assert (found.trend.arrow, found.trend.text, found.trend.verdict) == (
        "▲",
        "Up from 16.8 at 31 March 2019",
        "worse",  # more cases per social worker
    )
    assert found.comparators == ("England 2018: 16.9",)
    assert [item.text for item in found.history][-2:] == ["16.8", "18.4"]
    assert found.sparkline.description.endswith("31 March 2019, 16.8; 30 June 2019, 18.4")


def test_the_director_sees_every_team(county):
    director = factories.user("dir", "director")
    found = card(build_dashboard(user=director, today=TODAY.date()))
    # 57 + 30 cases held by 3.1 + 1.0 FTE.
    assert found.value == "21.2" and found.fte.startswith("cases per FTE: 87 cases, 5 case holders")


def test_the_measures_show_their_comparators_on_the_home_page(client, county):
    client.force_login(factories.user("dir", "director"))
    page = client.get(reverse("home")).content.decode()
    assert 'id="measure-caseloads"' in page and "Caseload per case holder" in page
    assert "<li>England 2018: 17.1%</li>" in page  # the vacancy rate
    assert "<li>England 2018: 16.9</li>" in page
    assert "Up from 19.4 at 31 March 2019" in page  # 99 cases by 5.1 FTE then


def test_the_establishment_page_shows_cases_per_post_holder_and_team_totals(client, county):
    client.force_login(factories.user("hr9", "hr", staff=True))
    page = client.get(ESTABLISHMENT, {"as_of": "2019-06-30"}).content.decode()
    assert "30 cases" in page  # Bea Busy's, beside her name
    assert "22 cases" in page
    assert "caseload not known" in page  # P6's agency social worker
    assert 'id="caseloads-by-team"' in page
    assert "Other Team" in page and "30.0" in page  # 30 cases by 1.0 FTE


def test_a_manager_sees_only_their_own_teams_caseloads(client, county):
    client.force_login(factories.user("tm", "manager", teams=[county["team"]]))
    page = client.get(ESTABLISHMENT, {"as_of": "2019-06-30"}).content.decode()
    assert "Other Team" not in page and "30 cases" not in page
    assert "18.4" in page


def test_readers_see_cases_but_no_names(client, county):
    client.force_login(factories.user("rd", "reader"))
    page = client.get(ESTABLISHMENT, {"as_of": "2019-06-30"}).content.decode()
    assert "Busy" not in page and "30 cases" in page


def test_the_establishment_page_takes_the_same_queries_with_caseloads(
    client, county, django_assert_num_queries
):
    client.force_login(factories.user("hr9", "hr", staff=True))
    client.get(ESTABLISHMENT)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the totals worked out each time (the records change between), not kept
    with CaptureQueriesContext(connection) as before:
        client.get(ESTABLISHMENT, {"as_of": "2019-06-30"})
    for number in range(5):
        worker = factories.worker()
        factories.assign(factories.post(team=county["other"]), worker_=worker, start=dt.date(2018, 1, 1))
        factories.caseload(worker, on=JUNE, cases=10 + number)
    cache.clear()
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(ESTABLISHMENT, {"as_of": "2019-06-30"})
