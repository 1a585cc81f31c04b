"""The home dashboard: the user's measures at the latest quarter-end against the previous one
and the target, eight quarter-ends of history, vacancies by role, agency by reason and the
exit conversations due, all from the committee summary, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from pages.dashboard import build_dashboard
from pages.sparklines import sparkline
from reporting.data_version import data_version
from tests import factories
from tests import factories_leavers as lf
from workforce.models import Contract

TODAY = dt.datetime(2019, 8, 15, 12, 0)  # the latest quarter-end is 30 June 2019
HOME = reverse("home")


@pytest.fixture
def county(worked_example):
    """DOMAIN.md's worked example, whose team manager's post P5 was held until its holder left
    on 30 April 2019 (no exit conversation yet), and another team with one vacant post."""
    lf.leaver(
        post=worked_example["posts"]["P5"],
        leaving_date=dt.date(2019, 4, 30),
        first_name="Lena",
        last_name="Lastday",
    )
    other = factories.team("Other Team")
    factories.post(team=other, reference="OT-1")
    lf.leaver(team=other, leaving_date=dt.date(2019, 5, 31), first_name="Olwen", last_name="Otherteam")
    with time_machine.travel(TODAY, tick=False):
        yield {**worked_example, "other": other}


def measures_of(dashboard) -> dict:
    return {measure.key: measure for measure in dashboard.measures}


def test_director_sees_each_measure_at_the_quarter_end_against_the_one_before(county):
    director = factories.user("dir", "director")
    dashboard = build_dashboard(user=director, today=dt.date(2019, 8, 15))
    assert (dashboard.as_of, dashboard.previous, dashboard.first) == (
        dt.date(2019, 6, 30),
        dt.date(2019, 3, 31),
        dt.date(2017, 9, 30),
    )
    found = measures_of(dashboard)
    # Both teams. 30 June 2019: S = 2.6, V = 1.9 + 2.0 (the other team's empty post and its
    # leaver's); 31 March: S = 3.6 + 1.0, V = 0.9 + 1.0.
    assert (found["vacancy"].value, found["vacancy"].fte) == ("60.0%", "3.9 FTE vacant")
    assert found["vacancy"].trend.text == "Up from 29.2% at 31 March 2019"


def test_manager_sees_only_their_team_with_arrows_words_and_the_target(client, county):
    manager = factories.user("tm", "manager", teams=[county["team"]])
    dashboard = build_dashboard(user=manager, today=dt.date(2019, 8, 15))
    assert dashboard.scope_label == "The teams you manage"
    found = measures_of(dashboard)
    # 31 March 2019: S = 3.6 (P5 still held), A = 2.5, V = 0.9; 30 June: S = 2.6, A = 2.5, V = 1.9.
    vacancy = found["vacancy"]
    assert (vacancy.value, vacancy.fte) == ("42.2%", "1.9 FTE vacant")
    assert (vacancy.trend.arrow, vacancy.trend.text, vacancy.trend.verdict) == (
        "▲",
        "Up from 20.0% at 31 March 2019",
        "worse",
    )
    assert (found["agency"].value, found["agency"].trend.text) == ("49.0%", "Up from 41.0% at 31 March 2019")
    # Turnover: 1.0 FTE left in the 12 months to 30 June, over S = 2.6.
    assert (found["turnover"].value, found["turnover"].fte) == ("38.5%", "1.0 FTE left in the 12 months")
    fill = found["permanent_fill"]
    assert (fill.value, fill.trend.arrow, fill.trend.text, fill.trend.verdict) == (
        "57.8%",
        "▼",
        "Down from 80.0% at 31 March 2019",
        "worse",
    )
    assert (fill.target.text, fill.target.met, fill.target.verdict) == ("Target 85%", False, "Below target")
    cover = found["vacancy_cover"]  # agency covering vacancies: 0.5 of 1.9, was 0.5 of 0.9
    assert (cover.value, cover.trend.text, cover.trend.verdict) == (
        "26.3%",
        "Down from 55.6% at 31 March 2019",
        "",
    )
    assert [item.text for item in vacancy.history][-2:] == ["20.0% (0.9)", "42.2% (1.9)"]
    assert len(vacancy.sparkline.points) == 8

    page = client_page(client, manager)
    assert "Up from 20.0% at 31 March 2019" in page and "(worse)" in page and "Below target" in page
    assert "Otherteam" not in page and "Other Team" not in page


def client_page(client, user) -> str:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_vacancies_by_role_and_agency_by_reason_link_into_the_establishment(county):
    manager = factories.user("tm", "manager", teams=[county["team"]])
    dashboard = build_dashboard(user=manager, today=dt.date(2019, 8, 15))
    vacancies = {row.label: (row.figure, row.detail, row.bar_width) for row in dashboard.vacancies}
    assert vacancies == {
        "Social Worker": ("0.9", "36.0%", 90),
        "Senior Practitioner": ("0.0", "0.0%", 0),
        "Team Manager": ("1.0", "100.0%", 100),
    }
    assert (dashboard.vacancy_total.figure, dashboard.vacancy_total.detail) == ("1.9", "42.2%")
    social_worker = next(row for row in dashboard.vacancies if row.label == "Social Worker")
    role = factories.role("social-worker").pk
    assert social_worker.url == f"/establishment/?as_of=2019-06-30&role={role}&vacant_only=on"
    agency = {row.label: (row.figure, row.detail) for row in dashboard.agency if row.figure != "0.0"}
    assert agency == {
        "Covering vacancies": ("0.5", "1"),
        "Covering maternity": ("1.0", "1"),
        "Additional capacity": ("1.0", "1"),
    }
    assert (dashboard.agency_total.figure, dashboard.agency_total.detail) == ("2.5", "3")


def test_exit_conversations_due_are_named_for_managers_and_counted_for_readers(client, county):
    manager = factories.user("tm", "manager", teams=[county["team"]])
    dashboard = build_dashboard(user=manager, today=dt.date(2019, 8, 15))
    assert dashboard.due_count == 1
    assert [(due.name, due.leaving_date) for due in dashboard.due] == [("Lena Lastday", dt.date(2019, 4, 30))]
    assert dashboard.due[0].url.startswith(reverse("leavers:conversation") + "?leaver=")
    assert dashboard.due_url == "/leavers/?conversation=due"

    reader = factories.user("rd", "reader")
    page = client_page(client, reader)
    read = build_dashboard(user=reader, today=dt.date(2019, 8, 15))
    assert (read.due_count, read.due) == (2, ())
    for private in ("Lena", "Lastday", "Olwen", "Otherteam", ">Record<"):
        assert private not in page
    assert '<span class="app-due-count">2</span>' in page


def test_the_home_page_lays_out_charts_without_script_and_with_text_for_each(client, county):
    page = client_page(client, factories.user("tm", "manager", teams=[county["team"]]))
    assert page.count('<svg class="app-sparkline"') == 6  # five measures and the caseload
    assert 'aria-label="Vacancy rate at the last 8 quarter-ends: 30 September 2017, ' in page
    assert "<script>" not in page and '<script type="module" src=' in page
    assert '<span class="app-trend__arrow" aria-hidden="true">▲</span>' in page


def test_the_home_page_takes_the_same_queries_however_much_data(client, county, django_assert_num_queries):
    manager = factories.user("tm", "manager", teams=[county["team"]])
    client.force_login(manager)
    client.get(HOME)  # the session and content types are cached after the first request
    # 2 the session and user, 2 the user's groups and managed teams, 1 the version of the
    # records, 46 the committee summary over eight quarter-ends (3 for the establishment on
    # all of them, 1 the turnovers, 20 the analyses, 1 the comparators, 5 and 1 a date the
    # caseloads, 8 the agency rules and spend, which the spend against the budget reuses), 1
    # the count of exit conversations due, 2 the permission to record them, 1 the first few,
    # and 3 saving the session.
    cache.clear()
    with django_assert_num_queries(58):
        client.get(HOME)
    for number in range(6):
        post = factories.post(team=county["team"], reference=f"MORE-{number}")
        factories.assign(post, contract=Contract.FIXED_TERM, fte="0.5")
        lf.leaver(team=county["team"], leaving_date=dt.date(2019, 1 + number, 10))
    # The records changed: the kept summary is rebuilt by a task, which the tests run as it is
    # queued (one more query: the task reads the version of the records again).
    with django_assert_num_queries(59):
        client.get(HOME)
    with django_assert_num_queries(12):  # unchanged since: the summary comes from the cache
        client.get(HOME)


def _vacancy_fte(dashboard) -> str:
    return next(measure.fte for measure in dashboard.measures if measure.key == "vacancy")


def test_the_cached_summary_is_never_out_of_date(county):
    """Every kind of change (a new record, an edit, a deletion) is seen at once: 3.9 FTE vacant
    in all teams (P2 0.4, P3 0.5, P5 1.0 after its holder left, OT-1 1.0 and the 1.0 post of
    the leaver of the other team), then a vacant post of 1.0, cut to 0.5, then deleted."""
    director = factories.user("ad", "director")
    assert _vacancy_fte(build_dashboard(user=director, today=TODAY.date())) == "3.9 FTE vacant"
    post = factories.post(team=county["team"], reference="NEW-1", fte="1.0")
    assert _vacancy_fte(build_dashboard(user=director, today=TODAY.date())) == "4.9 FTE vacant"
    post.fte = Decimal("0.5")
    post.save()
    assert _vacancy_fte(build_dashboard(user=director, today=TODAY.date())) == "4.4 FTE vacant"
    post.delete()
    assert _vacancy_fte(build_dashboard(user=director, today=TODAY.date())) == "3.9 FTE vacant"


@pytest.mark.queue
def test_after_a_change_the_kept_figures_show_at_once_marked_and_are_rebuilt_once(county, client, queue):
    """Through the real queue a change does not hold up the page: the figures kept are shown
    with a notice, one rebuild is queued, and once the worker has run it the next visit
    shows its figures."""
    director = factories.user("ad", "director")
    first = build_dashboard(user=director, today=TODAY.date())
    assert (_vacancy_fte(first), first.updating, queue.waiting()) == ("3.9 FTE vacant", False, 0)

    factories.post(team=county["team"], reference="NEW-1", fte="1.0")
    kept = build_dashboard(user=director, today=TODAY.date())
    assert (_vacancy_fte(kept), kept.updating, queue.waiting()) == ("3.9 FTE vacant", True, 1)
    client.force_login(director)
    page = client.get(HOME).content.decode()
    # Worked out at noon UTC, 13:00 British Summer Time.
    assert "Records have changed since these figures were worked out at 13:00 on 15 August 2019" in page
    assert queue.waiting() == 1  # one rebuild at a time for the same dates and scope

    assert queue.run() == 1  # the worker rebuilds it
    fresh = build_dashboard(user=director, today=TODAY.date())
    assert (_vacancy_fte(fresh), fresh.updating) == ("4.9 FTE vacant", False)
    assert "Records have changed" not in client.get(HOME).content.decode()

    factories.post(team=county["team"], reference="NEW-2", fte="1.0")
    assert build_dashboard(user=director, today=TODAY.date()).updating
    assert queue.waiting() == 1  # the lock went with the finished rebuild: a new change queues another


@pytest.mark.queue
def test_a_rebuild_lost_with_its_worker_is_queued_again_once_its_lock_expires(county, queue):
    from foundation.periods import previous_quarter_ends
    from pages.dashboard import QUARTERS
    from pages.summaries import summary_key
    from workforce.scopes import Scope

    director = factories.user("ad", "director")
    build_dashboard(user=director, today=TODAY.date())
    factories.post(team=county["team"], reference="NEW-1", fte="1.0")
    assert build_dashboard(user=director, today=TODAY.date()).updating
    queue.drop()  # the task lost (with a queue's server, say)
    assert build_dashboard(user=director, today=TODAY.date()).updating and queue.waiting() == 0
    everyone = summary_key(previous_quarter_ends(TODAY.date(), QUARTERS), Scope())
    assert cache.get(f"{everyone}:rebuilding")
    # As it expires, after REBUILD_LOCK_SECONDS (by Redis's own clock: no travelling in time).
    cache.delete(f"{everyone}:rebuilding")
    assert build_dashboard(user=director, today=TODAY.date()).updating
    assert queue.waiting() == 1
    queue.run()
    assert _vacancy_fte(build_dashboard(user=director, today=TODAY.date())) == "4.9 FTE vacant"


def test_each_scope_has_its_own_cached_summary(county):
    manager = factories.user("tm", "manager", teams=[county["team"]])
    other = factories.user("om", "manager", teams=[county["other"]])
    director = factories.user("ad", "director")
    mine = build_dashboard(user=manager, today=TODAY.date())
    theirs = build_dashboard(user=other, today=TODAY.date())
    everyone = build_dashboard(user=director, today=TODAY.date())
    assert {mine.scope_label, theirs.scope_label, everyone.scope_label} == {
        "The teams you manage",
        "All teams",
    }
    assert len({_vacancy_fte(mine), _vacancy_fte(theirs), _vacancy_fte(everyone)}) == 3


def test_the_version_of_the_records_moves_with_every_write_and_only_then(county):
    before = data_version()
    assert data_version() == before
    worker = factories.worker(first_name="New", last_name="Starter")
    created = data_version()
    assert created != before
    worker.first_name = "Renamed"
    worker.save()
    edited = data_version()
    assert edited not in {before, created}
    worker.delete()
    assert data_version() not in {before, created, edited}


def test_a_user_without_a_role_is_told_to_ask_for_one(client, db):
    page = client_page(client, factories.user("nobody"))
    assert "Your account has no role yet" in page


def test_a_sparkline_breaks_where_a_figure_is_undefined_and_marks_the_target():
    line = sparkline(
        [Decimal("10"), None, Decimal("12"), Decimal("14")],
        first_label="Mar 2019",
        last_label="Dec 2019",
        description="Vacancy rate",
        target=Decimal("12"),
    )
    assert len(line.points) == 3 and len(line.segments) == 1  # the lone first point has no line
    assert line.segments[0].count(" ") == 1
    top, bottom = min(p.y for p in line.points), max(p.y for p in line.points)
    assert line.points[0].y == bottom and line.points[-1].y == top  # higher figures higher up
    assert line.target_y == line.points[1].y  # the target is drawn at 12
    assert line.last == line.points[-1]
