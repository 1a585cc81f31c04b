"""The establishment on several dates at once (``establishment_on_dates``), which the
committee summary reads, gives exactly what ``establishment_on`` gives date by date."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from workforce import timeline
from workforce.models import AgencyReason, Assignment, Contract, Funding
from workforce.scopes import Scope
from workforce.selectors import establishment_on, establishment_on_dates

pytestmark = pytest.mark.django_db
D = Decimal


def assert_same_as_each_date(days, scope=None):
    """Assert that ``establishment_on_dates`` agrees with ``establishment_on`` on every figure
    it gives (totals, by role, agency by reason) for each of ``days``."""
    together = establishment_on_dates(days, scope)
    assert sorted(together) == sorted(set(days))
    for day in days:
        alone = establishment_on(day, scope)
        snapshot = together[day]
        assert snapshot.as_of == day
        assert snapshot.total == alone.total, day
        assert snapshot.by_role == alone.by_role, day
        assert snapshot.role_names == alone.role_names, day
        assert snapshot.agency_fte_by_reason == alone.agency_fte_by_reason, day
        assert snapshot.agency_headcount_by_reason == alone.agency_headcount_by_reason, day
    return together


def test_the_worked_example_on_its_day_and_around_it(worked_example):
    day = worked_example["day"]
    days = [dt.date(2017, 12, 31), dt.date(2018, 1, 1), dt.date(2019, 2, 28), dt.date(2019, 3, 1), day]
    together = assert_same_as_each_date(days)
    total = together[day].total
    assert (total.in_post_fte, total.agency_fte, total.establishment_fte, total.vacancy_fte) == (
        D("2.6"),
        D("2.5"),
        D("4.5"),
        D("1.9"),
    )
    assert (total.in_post_headcount, total.agency_headcount) == (3, 3)
    assert together[day].agency_fte_by_reason[AgencyReason.MATERNITY] == D("1.0")
    assert together[dt.date(2019, 2, 28)].agency_fte_by_reason[AgencyReason.MATERNITY] == 0
    assert together[dt.date(2017, 12, 31)].total.vacancy_fte == D("4.5")


def _changing_workforce():
    """Posts and assignments starting and ending on and around the dates the tests read,
    job shares, a worker in two roles, temporary posts and an overfilled post."""
    team = factories.team("Changing")
    other = factories.team("Fostering", case_holding=False)
    # A post created and one disestablished during the period.
    new_post = factories.post(team=team, active_from=dt.date(2020, 4, 1))
    old_post = factories.post(team=team, role_code="senior-practitioner", active_to=dt.date(2020, 6, 30))
    factories.assign(new_post, start=dt.date(2020, 4, 1))
    factories.assign(old_post, start=dt.date(2019, 1, 1), end=dt.date(2020, 6, 30))
    # A job share, one sharer leaving on a read date and the other the day after.
    shared = factories.post(team=team)
    factories.assign(shared, fte="0.5", start=dt.date(2019, 1, 1), end=dt.date(2020, 3, 31))
    factories.assign(shared, fte="0.5", start=dt.date(2019, 1, 1), end=dt.date(2020, 4, 1))
    # A worker holding two half posts in two roles, and agency cover of every kind.
    both = factories.worker()
    factories.assign(factories.post(team=team, fte="0.5"), worker_=both, fte="0.5", start=dt.date(2019, 6, 1))
    factories.assign(
        factories.post(team=other, role_code="team-manager", fte="0.5"),
        worker_=both,
        fte="0.5",
        start=dt.date(2020, 1, 1),
    )
    vacant = factories.post(team=other)
    agent = factories.worker()
    factories.assign(
        vacant,
        worker_=agent,
        contract=Contract.AGENCY,
        reason=AgencyReason.VACANCY,
        start=dt.date(2019, 6, 1),
        end=dt.date(2020, 6, 29),
    )
    factories.assign(
        vacant,
        worker_=agent,
        contract=Contract.AGENCY,
        reason=AgencyReason.VACANCY,
        start=dt.date(2020, 6, 30),
    )
    temporary = factories.post(team=team, funding=Funding.TEMPORARY)
    factories.assign(
        temporary, contract=Contract.AGENCY, reason=AgencyReason.ASYE_SUPPORT, start=dt.date(2020, 1, 1)
    )
    factories.assign(temporary, fte="0.4", contract=Contract.FIXED_TERM, start=dt.date(2019, 6, 1))
    # An overfilled post (data recorded before the rules, say): 1.6 FTE of employees in 1.0.
    overfilled = factories.post(team=team)
    factories.assign(overfilled, fte="0.8", start=dt.date(2019, 1, 1))
    second = factories.assign(overfilled, fte="0.2", start=dt.date(2019, 1, 1))
    Assignment.objects.filter(pk=second.pk).update(fte=D("0.8"))
    factories.post(team=team, fte="0.5")  # never filled
    return team, other


DAYS = [
    dt.date(2019, 3, 31),
    dt.date(2020, 3, 31),
    dt.date(2020, 4, 1),
    dt.date(2020, 6, 30),
    dt.date(2020, 7, 1),
]


def test_dates_where_posts_and_assignments_start_and_end():
    _changing_workforce()
    together = assert_same_as_each_date(DAYS)
    # The overfilled post has no vacancy, and does not hide the others' (0.5 + 0.5 + 1.0 + 0.5).
    assert together[DAYS[0]].total.vacancy_fte == D("2.5")
    # The agency worker whose cover was renewed on 30 June counts once.
    assert together[dt.date(2020, 7, 1)].total.agency_headcount == 2


def test_in_every_scope_and_in_any_order_of_dates():
    team, other = _changing_workforce()
    for scope in (Scope.case_holding(), Scope.team(other.pk), Scope.service_area(team.service_area_id)):
        assert_same_as_each_date(list(reversed(DAYS)), scope)
    assert establishment_on_dates([]) == {}


def test_a_few_queries_whatever_the_number_of_dates_or_posts(worked_example, django_assert_num_queries):
    # Kept by the writes: whether the kept changes are up to date, the changes summed by
    # date, the role names.
    with django_assert_num_queries(3):
        establishment_on_dates([worked_example["day"]])
    # An assignment updated behind the signals (``_changing_workforce``): the kept changes
    # are out of date, so the same check, then each assignment's dates, the posts by role
    # and dates, the role names.
    _changing_workforce()
    with django_assert_num_queries(4):
        establishment_on_dates(DAYS)
    timeline.rebuild()
    with django_assert_num_queries(3):
        establishment_on_dates(DAYS)
