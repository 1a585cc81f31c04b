"""The demonstration county: deterministic, safe to run twice, refuses live systems."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Q
from django.test import override_settings

from workforce.demo import demo_dates
from workforce.models import AgencyReason, Assignment, Funding, Post, Team, Worker
from workforce.selectors import establishment_on

TODAY = dt.date(2026, 11, 22)


def test_refuses_with_debug_off_unless_forced(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo")


@pytest.mark.django_db
def test_builds_a_county_of_the_promised_size(demo):
    assert Team.objects.count() == 25
    assert Team.objects.values("service_area").distinct().count() == 5
    establishment = Post.objects.filter(funding=Funding.ESTABLISHMENT).count()
    assert 280 <= establishment <= 320
    assert Post.objects.filter(funding=Funding.TEMPORARY).count() == 26
    reasons = set(Assignment.objects.agency().values_list("agency_reason", flat=True))
    assert reasons == set(AgencyReason.values)


@pytest.mark.django_db
def test_prints_one_login_per_kind_of_user(demo):
    for username in ("hr", "manager", "director", "reader"):
        user = get_user_model().objects.get(username=username)
        assert user.groups.filter(name=username).exists()
        assert f"  {username}" in demo
    manager = get_user_model().objects.get(username="manager")
    assert manager.managed_teams.count() == 2


@pytest.mark.django_db
def test_running_twice_adds_nothing(demo):
    before = (Post.objects.count(), Worker.objects.count(), Assignment.objects.count())
    with override_settings(DEBUG=True):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
    assert (Post.objects.count(), Worker.objects.count(), Assignment.objects.count()) == before
    assert "already there" in out.getvalue()


@pytest.mark.django_db
def test_today_looks_like_a_county_under_pressure(demo):
    total = establishment_on(TODAY).total
    assert Decimal("5") < total.vacancy_rate < Decimal("20")
    assert Decimal("8") < total.agency_rate < Decimal("25")
    assert total.agency_headcount > 30


@pytest.mark.django_db
def test_departures_are_planned_to_match_the_paper(demo):
    """144 employees leave in the 26 months to the last month-end, 86 in the last 14;
    56 of the 144 with under three years' service, 23 under one year."""
    dates = demo_dates(TODAY)
    gone = (
        Worker.objects.filter(assignments__contract__in=["permanent", "fixed_term"])
        .annotate(
            last=Max("assignments__end"),
            open=Count(
                "assignments", filter=Q(assignments__end__isnull=True) | Q(assignments__end__gte=TODAY)
            ),
        )
        .filter(open=0)
    )
    window = [w for w in gone if dates.window_26_start <= w.last <= dates.window_end]
    assert len(window) == 144
    assert len([w for w in window if w.last >= dates.window_14_start]) == 86
    service_days = [(w.last - w.service_start).days for w in window]
    assert len([d for d in service_days if d < 3 * 365]) == 56
    assert len([d for d in service_days if d < 365]) == 23
