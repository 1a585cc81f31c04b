"""Figures built before anyone opens them (``pages.warming``, the scheduled work
``warm-dashboards``, run when the product starts): every user's dashboard, the shared ones
first, and each upcoming draft's figures; what is kept and current is left alone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from pages import summaries
from pages.dashboard import dashboard_days
from pages.warming import user_scopes, warm
from tests import factories
from tests import factories_reporting as fr
from workforce.scopes import Scope

TODAY = dt.date(2019, 8, 15)


@pytest.fixture
def council(worked_example):
    """The worked example's team and another, with people of every role."""
    cache.clear()
    other = factories.team("Other Team")
    factories.post(team=other, reference="OT-1")
    team = worked_example["team"]
    factories.user("hr1", "hr")
    factories.user("dir1", "director")
    factories.user("reader1", "reader")
    factories.user("man1", "manager", teams=[team])
    factories.user("man2", "manager", teams=[team])  # the same team: the same dashboard
    factories.user("man3", "manager", teams=[other])
    factories.user("gone", "hr", is_active=False)
    factories.user("nobody")  # no role: no dashboard
    with time_machine.travel(dt.datetime(2019, 8, 15, 12, 0), tick=False):
        yield {"team": team, "other": other}
    cache.clear()


def test_each_distinct_dashboard_once_the_most_shared_first(council):
    scopes = user_scopes()
    assert scopes[0] == Scope()  # HR, the director and the reader: the whole council
    assert sorted(scope.team_ids for scope in scopes[1:]) == sorted(
        [frozenset({council["team"].pk}), frozenset({council["other"].pk})]
    )
    assert {scope.label for scope in scopes[1:]} == {"The teams you manage"}


def test_warming_builds_what_is_not_kept_then_leaves_it_until_the_records_change(council):
    done = warm(today=TODAY)  # the suite's queue runs each task as it is queued
    assert (done.dashboards, done.queued) == (3, 3)
    days = dashboard_days(TODAY)
    assert all(summaries.version_kept(days, scope) is not None for scope in user_scopes())
    assert warm(today=TODAY).queued == 0
    factories.post(team=council["other"], reference="OT-2")  # the records change
    assert warm(today=TODAY).queued == 3


def test_the_scheduled_work_runs_it_and_says_what_it_did(council):
    out = io.StringIO()
    call_command("run_scheduled", "warm-dashboards", stdout=out)
    said = "3 of 3 dashboards queued to be built (the others are kept and current); 0 draft reports' figures"
    assert f"{said} queued." in out.getvalue()


def test_an_upcoming_draft_has_its_figures_kept_and_a_past_or_published_one_not(council, monkeypatch):
    from reporting import selectors

    upcoming = fr.report(meeting_date=dt.date(2019, 9, 2))
    past = fr.report(meeting_date=dt.date(2019, 7, 1))
    built = []
    real = selectors.live_summary
    monkeypatch.setattr(selectors, "live_summary", lambda report: built.append(report.pk) or real(report))
    assert warm(today=TODAY).drafts == 1
    assert built == [upcoming.pk] and past.pk not in built
    selectors.kept_live_summary(upcoming)  # the director's first preview: kept already
    assert built == [upcoming.pk]
    warm(today=TODAY)  # the next morning, nothing changed: kept, left alone
    assert built == [upcoming.pk]


@pytest.mark.queue
def test_through_the_queue_the_first_visitor_finds_the_dashboard_built(council, client, queue, monkeypatch):
    warm(today=TODAY)
    assert queue.run() == 3  # the worker builds them

    def must_not_build(**kwargs):
        raise AssertionError("the visitor's dashboard was built while they waited")

    monkeypatch.setattr(summaries, "build_committee_summary", must_not_build)
    for username in ("hr1", "man1", "man3"):
        client.force_login(_user(username))
        assert client.get(reverse("home")).status_code == 200


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def test_the_most_opened_first_a_draft_after_the_councils_dashboard(council, monkeypatch):
    """Four people open the whole council's dashboard, two managers one team's, the two
    directors a draft, one manager the other team's: they are queued (and, in the suite,
    built) in that order, dashboards first where as many open a draft."""
    from reporting import selectors

    factories.user("dir2", "director")
    fr.report(meeting_date=dt.date(2019, 9, 2))
    built = []
    build, live = summaries._build, selectors.live_summary
    monkeypatch.setattr(
        summaries, "_build", lambda days, scope: built.append(scope.team_ids) or build(days, scope)
    )
    monkeypatch.setattr(selectors, "live_summary", lambda report: built.append("draft") or live(report))
    warm(today=TODAY)
    assert built == [None, frozenset({council["team"].pk}), "draft", frozenset({council["other"].pk})]
