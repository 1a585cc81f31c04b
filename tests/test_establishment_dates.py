"""The establishment on several dates at once (``establishment_on_dates``): the FTEs it reads
as whole ten-thousandths, and the posts and assignments its shortcuts treat apart (job
shares, overfilled posts, temporary posts, records outside their post's life). Each case
must give exactly what ``establishment_on`` gives date by date."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from workforce.models import AgencyReason, Assignment, Contract, Funding, Post
from workforce.scopes import Scope
from workforce.selectors import establishment_on, establishment_on_dates, fte_of_units

pytestmark = pytest.mark.django_db
D = Decimal

DAYS = [dt.date(2021, 3, 31), dt.date(2021, 6, 30), dt.date(2021, 9, 30), dt.date(2021, 12, 31)]


def assert_same_as_each_date(days, scope=None):
    """Assert that ``establishment_on_dates`` gives every figure ``establishment_on`` gives on
    each of ``days``; return the snapshots."""
    together = establishment_on_dates(days, scope)
    for day in days:
        alone = establishment_on(day, scope)
        snapshot = together[day]
        assert snapshot.total == alone.total, day
        assert snapshot.by_role == alone.by_role, day
        assert snapshot.role_names == alone.role_names, day
        assert snapshot.agency_fte_by_reason == alone.agency_fte_by_reason, day
        assert snapshot.agency_headcount_by_reason == alone.agency_headcount_by_reason, day
    return together


def set_fte(record, fte):
    """Give ``record`` an FTE the rules would refuse (data recorded before them, say)."""
    type(record).objects.filter(pk=record.pk).update(fte=D(fte))


def test_fte_of_units_has_four_places():
    assert [repr(fte_of_units(units)) for units in (0, 1, 2900, 5000, 12345, 215562000)] == [
        "Decimal('0.0000')",
        "Decimal('0.0001')",
        "Decimal('0.2900')",
        "Decimal('0.5000')",
        "Decimal('1.2345')",
        "Decimal('21556.2000')",
    ]


def test_ftes_a_float_cannot_hold_exactly():
    # 0.29 and 0.57 are 2899.99... and 5699.99... ten-thousandths as floats (SQLite's decimals).
    team = factories.team()
    post = factories.post(team=team, fte="0.57")
    factories.assign(post, fte="0.29", start=dt.date(2021, 1, 1))
    factories.assign(factories.post(team=team, fte="0.58"), fte="0.58", start=dt.date(2021, 1, 1))
    together = assert_same_as_each_date(DAYS)
    total = together[DAYS[0]].total
    assert (total.establishment_fte, total.in_post_fte, total.vacancy_fte) == (
        D("1.15"),
        D("0.87"),
        D("0.28"),
    )


def test_job_shares_and_a_sharer_replaced_are_not_overfilled():
    team = factories.team()
    share = factories.post(team=team)
    factories.assign(share, fte="0.5", start=dt.date(2020, 1, 1))
    factories.assign(share, fte="0.5", start=dt.date(2020, 1, 1), end=dt.date(2021, 5, 31))
    factories.assign(share, fte="0.5", start=dt.date(2021, 6, 1))  # 1.5 FTE over the dates, 1.0 on each
    part = factories.post(team=team)
    factories.assign(part, fte="0.4", start=dt.date(2020, 1, 1), end=dt.date(2021, 7, 31))
    factories.assign(part, fte="0.4", start=dt.date(2021, 8, 1))
    together = assert_same_as_each_date(DAYS)
    assert [together[day].total.vacancy_fte for day in DAYS] == [D("0.6")] * 4


def test_posts_overfilled_on_some_dates_only():
    team = factories.team()
    # Two holders overlapping on the second and third dates: 0.8 over on those.
    overlapped = factories.post(team=team)
    factories.assign(overlapped, fte="1.0", start=dt.date(2020, 1, 1), end=dt.date(2021, 9, 30))
    late = factories.assign(overlapped, fte="0.2", start=dt.date(2021, 10, 1))
    Assignment.objects.filter(pk=late.pk).update(start=dt.date(2021, 6, 1), fte=D("0.8"))
    # One holder with more FTE than the post (reduced after they started, say): 0.4 over.
    reduced = factories.post(team=team, role_code="senior-practitioner")
    factories.assign(reduced, fte="1.0", start=dt.date(2020, 1, 1))
    set_fte(reduced, "0.6")
    # Employees on a temporary post are never a vacancy nor an excess.
    temporary = factories.post(team=team, funding=Funding.TEMPORARY, fte="0.5")
    factories.assign(temporary, fte="0.5", start=dt.date(2020, 1, 1))
    set_fte(temporary, "0.2")
    together = assert_same_as_each_date(DAYS)
    assert [together[day].total.vacancy_fte for day in DAYS] == [D("0"), D("0"), D("0"), D("0.2")]
    assert [together[day].total.in_post_fte for day in DAYS] == [D("2.5"), D("3.3"), D("3.3"), D("2.3")]


def test_agency_on_temporary_posts_covers_no_vacancy():
    team = factories.team()
    temporary = factories.post(team=team, funding=Funding.TEMPORARY)
    factories.assign(
        temporary, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2021, 1, 1)
    )
    vacant = factories.post(team=team)
    factories.assign(vacant, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=dt.date(2021, 1, 1))
    together = assert_same_as_each_date(DAYS)
    total = together[DAYS[0]].total
    assert (total.agency_fte, total.agency_covering_vacancies_fte, total.agency_headcount) == (
        D("2"),
        D("1"),
        2,
    )
    assert together[DAYS[0]].agency_fte_by_reason[AgencyReason.VACANCY] == D("2")


def test_assignments_outside_their_posts_life_and_between_the_dates():
    team = factories.team()
    closed = factories.post(team=team, active_to=dt.date(2021, 4, 30))
    after = factories.assign(closed, start=dt.date(2021, 1, 1), end=dt.date(2021, 4, 30))
    Assignment.objects.filter(pk=after.pk).update(start=dt.date(2021, 8, 1), end=None)  # outlives its post
    between = factories.post(team=team, active_from=dt.date(2021, 4, 1))
    factories.assign(between, start=dt.date(2021, 4, 1), end=dt.date(2021, 6, 29))  # on none of the dates
    factories.assign(between, start=dt.date(2021, 7, 1), end=dt.date(2021, 9, 30))
    together = assert_same_as_each_date(DAYS)
    assert [together[day].total.in_post_fte for day in DAYS] == [D("0"), D("0"), D("1.0"), D("0")]
    assert [together[day].total.posts for day in DAYS] == [1, 1, 1, 1]


def test_a_scope_of_a_few_teams():
    first, second, third = factories.team(), factories.team(), factories.team()
    both = factories.worker()  # half in the first team, half in the third
    for team, holder in ((first, both), (second, None), (third, both)):
        post = factories.post(team=team, fte="0.5")
        factories.assign(post, worker_=holder, fte="0.5", start=dt.date(2021, 5, 1))
        factories.post(team=team)
    few = Scope(team_ids=frozenset({first.pk, third.pk}))
    together = assert_same_as_each_date(DAYS, few)
    total = together[DAYS[1]].total
    assert (total.posts, total.in_post_fte, total.in_post_headcount, total.vacancy_fte) == (
        4,
        D("1.0"),
        1,
        D("2.0"),
    )
    assert Post.objects.count() == 6
