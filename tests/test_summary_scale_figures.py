"""The committee summary's reads at scale give the figures their definitions give.

``establishment_on_dates`` and the workforce analyses read plain rows and count alike
ones together; these tests hold them, on a generated workforce with job shares, moves,
agency cover and absences, to ``establishment_on`` date by date and to the definitions
worked record by record.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from foundation.periods import add_months, default_comparison_dates, months_to, weekdays_between
from tests import factories
from tests.test_summary_scale_queries import assert_same_as_each_date
from workforce import analysis
from workforce.models import EMPLOYEE_CONTRACTS, Absence, Assignment, Post, ServiceArea, Team
from workforce.scopes import Scope

TODAY = dt.date(2026, 11, 22)
AS_OF = dt.date(2026, 10, 31)
D = Decimal


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Generate 60 posts with two years of history once, in a transaction rolled back afterwards."""
    import time_machine

    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0), tick=False):
            call_command(
                "generate_scale", posts=60, years=2, seed=11, today=TODAY.isoformat(), stdout=io.StringIO()
            )
            yield
        transaction.set_rollback(True)


def scopes() -> list[Scope]:
    area = ServiceArea.objects.order_by("pk").first()
    team = Team.objects.order_by("pk").last()
    return [Scope.everything(), Scope.case_holding(), Scope.service_area(area.pk), Scope.team(team.pk)]


@pytest.mark.django_db
def test_the_establishment_on_the_summary_dates_and_between_is_the_establishment_on_each(generated):
    days = [*default_comparison_dates(AS_OF), AS_OF, dt.date(2025, 6, 15), dt.date(2026, 1, 1), TODAY]
    for scope in scopes():
        assert_same_as_each_date(days, scope)


def expected_absence(start: dt.date, end: dt.date, scope: Scope) -> tuple[Decimal, dict[str, Decimal]]:
    """Return (days available, days lost by reason) worked assignment by assignment and absence
    by absence, as the definitions say."""
    assignments = list(
        scope.filter_posts(Assignment.objects.filter(post__role__in_scope=True), "post")
        .filter(contract__in=EMPLOYEE_CONTRACTS)
        .overlapping(start, end)
    )
    available = sum(
        (a.fte * weekdays_between(max(a.start, start), min(a.end or end, end)) for a in assignments), D("0")
    )
    employees = {a.worker_id for a in assignments}
    lost: dict[str, Decimal] = defaultdict(lambda: D("0"))
    # Alike absences (same reason and, across the window's edges, the same dates) are taken pro
    # rata together, as the product does: the same sums, divided once.
    grouped: dict[tuple, Decimal] = defaultdict(lambda: D("0"))
    for absence in (
        Absence.objects.filter(worker_id__in=employees).exclude(end__lt=start).exclude(start__gt=end)
    ):
        inside = absence.start >= start and (absence.end is None or absence.end <= end)
        key = (absence.reason, None, None) if inside else (absence.reason, absence.start, absence.end)
        grouped[key] += absence.working_days_lost
    for (reason, began, ended), days in grouped.items():
        if began is None:
            lost[reason] += days
        else:
            lost[reason] += analysis.days_lost_within(
                days_lost=days, absence_start=began, absence_end=ended, start=start, end=end
            )
    cents = Decimal("0.01")
    return available.quantize(cents, rounding=ROUND_HALF_UP), {
        reason: days.quantize(cents, rounding=ROUND_HALF_UP) for reason, days in lost.items()
    }


@pytest.mark.django_db
def test_absence_over_a_window_is_worked_record_by_record(generated, monkeypatch):
    start, end = months_to(AS_OF, 12)
    for scope in scopes():
        available, lost = expected_absence(start, end, scope)
        figures = analysis.absence_over(start=start, end=end, scope=scope)
        assert figures.days_available == available
        assert {reason: days for reason, days in figures.days_lost_by_reason if days} == {
            reason: days for reason, days in lost.items() if days
        }
        # Absences read by date and matched to the workers in Python, or asked for by worker.
        monkeypatch.setattr(analysis, "FEW_WORKERS", 0)
        assert analysis.absence_over(start=start, end=end, scope=scope) == figures
        monkeypatch.setattr(analysis, "FEW_WORKERS", 10**6)
        assert analysis.absence_over(start=start, end=end, scope=scope) == figures


@pytest.mark.django_db
def test_the_experience_profile_counts_each_employee_once_with_all_their_fte(generated):
    def band(qualified: dt.date | None) -> str:
        if qualified is None:
            return analysis.NOT_RECORDED
        if qualified > add_months(AS_OF, -12):
            return analysis.ASYE
        if qualified > add_months(AS_OF, -24):
            return analysis.UNDER_2
        if qualified > add_months(AS_OF, -60):
            return analysis.TWO_TO_5
        return analysis.FIVE_PLUS

    for scope in scopes():
        fte_by_worker: dict = defaultdict(lambda: D("0"))
        for a in (
            scope.filter_posts(Assignment.objects.filter(post__role__in_scope=True), "post")
            .filter(contract__in=EMPLOYEE_CONTRACTS)
            .active_on(AS_OF)
            .select_related("worker")
        ):
            fte_by_worker[a.worker] += a.fte
        profile = analysis.experience_profile(day=AS_OF, scope=scope)
        for key, _ in analysis.EXPERIENCE_BANDS:
            workers = [worker for worker in fte_by_worker if band(worker.date_qualified) == key]
            assert profile.band(key).headcount == len(workers), key
            assert profile.band(key).fte == sum((fte_by_worker[w] for w in workers), D("0")), key


@pytest.mark.django_db
def test_an_employee_alone_with_more_fte_than_the_post_leaves_no_vacancy_and_hides_none():
    team = factories.team()
    half = factories.post(team=team, fte="0.5")
    holder = factories.assign(half, fte="0.5", start=dt.date(2019, 1, 1))
    # Recorded before the rules, say: 0.8 FTE in a half post, and a full post vacant.
    Assignment.objects.filter(pk=holder.pk).update(fte=D("0.8"))
    factories.post(team=team)
    days = [dt.date(2018, 12, 31), dt.date(2019, 1, 1), dt.date(2019, 6, 30)]
    together = assert_same_as_each_date(days, Scope.team(team.pk))
    assert together[dt.date(2019, 1, 1)].total.vacancy_fte == D("1.0")
    assert together[dt.date(2018, 12, 31)].total.vacancy_fte == D("1.5")
    assert Post.objects.filter(team=team).count() == 2
