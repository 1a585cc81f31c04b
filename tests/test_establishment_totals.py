"""The establishment page's totals (``workforce.selectors.post_totals``): one grouped query
giving exactly what summing each post's figures from ``posts_on`` gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from tests import factories
from workforce.models import AgencyReason, Assignment, Contract, Funding
from workforce.selectors import PostTotals, fte, post_totals, posts_on

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 6, 30)


def summed(posts) -> PostTotals:
    """Return E, S, A, V the long way: the sum of each post's annotated figures."""
    sums = posts.order_by().aggregate(
        e=Sum("fte", filter=Q(funding=Funding.ESTABLISHMENT)),
        s=Sum("employee_fte"),
        a=Sum("agency_fte"),
        v=Sum("vacancy_fte"),
    )
    return PostTotals(fte(sums["e"]), fte(sums["s"]), fte(sums["a"]), fte(sums["v"]), posts.count())


@pytest.fixture
def county(worked_example):
    """The worked example, and a second area with awkward posts."""
    north = factories.team("North", area=factories.service_area("Disabled Children"))
    over = factories.post(team=north, reference="N-OVER", fte="0.5")
    # Over-filled (the rules refuse it, so made directly, as an old import might have):
    # no vacancy, never a negative one.
    Assignment.objects.create(
        worker=factories.worker(),
        post=over,
        start=factories.LONG_AGO,
        fte=Decimal("0.6"),
        contract=Contract.PERMANENT,
    )
    split = factories.post(team=north, reference="N-SPLIT", fte="1.0")  # two part-timers, one agency
    factories.assign(split, fte="0.4", contract=Contract.FIXED_TERM)
    factories.assign(split, fte="0.3")
    factories.assign(split, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY)
    ended = factories.post(team=north, reference="N-ENDED", fte="1.0")  # its holder left before DAY
    factories.assign(ended, fte="1.0", start=dt.date(2018, 1, 1), end=dt.date(2019, 6, 29))
    factories.assign(ended, fte="1.0", start=dt.date(2019, 7, 1))  # and the next starts after it
    factories.post(team=north, reference="N-GONE", active_to=dt.date(2019, 1, 1))  # not active on DAY
    factories.post(team=north, reference="N-SEC", fte="1.0", funding=Funding.TEMPORARY)
    return {"example": worked_example["team"], "north": north}


@pytest.mark.parametrize(
    "narrowing",
    [
        {},
        {"team__service_area__name": "Disabled Children"},
        {"team__name": "Worked Example Team"},
        {"vacancy_fte__gt": 0},
        {"agency_fte__gt": 0},
        {"funding": Funding.ESTABLISHMENT},
        {"role__code": "team-manager"},
        {"reference": "no such post"},
    ],
)
def test_totals_are_the_sums_of_each_posts_figures(county, narrowing):
    posts = posts_on(DAY).filter(**narrowing)
    assert post_totals(posts, DAY) == summed(posts)


def test_the_worked_example(county):
    totals = post_totals(posts_on(DAY).filter(team=county["example"]), DAY)
    assert totals == PostTotals(
        establishment_fte=fte("4.5"),
        in_post_fte=fte("2.6"),
        agency_fte=fte("2.5"),
        vacancy_fte=fte("1.9"),
        posts=6,
    )


def test_the_awkward_posts_by_hand(county):
    totals = post_totals(posts_on(DAY).filter(team=county["north"]), DAY)
    # E: 0.5 + 1.0 + 1.0 (not the temporary post, nor the one no longer active);
    # S: 0.6 + 0.4 + 0.3; A: 0.5; V: 0 (over-filled) + (1.0 - 0.7) + 1.0 (between holders).
    assert totals == PostTotals(
        establishment_fte=fte("2.5"),
        in_post_fte=fte("1.3"),
        agency_fte=fte("0.5"),
        vacancy_fte=fte("1.3"),
        posts=4,
    )


def test_one_query_whatever_the_filter(county, django_assert_num_queries):
    posts = posts_on(DAY).filter(vacancy_fte__gt=0, team__service_area__name="Disabled Children")
    with django_assert_num_queries(1):
        post_totals(posts, DAY)


ONLY_AS_FILTERS = {"vacant": {"vacancy_fte__gt": 0}, "agency": {"agency_fte__gt": 0}}


@pytest.mark.parametrize("only", [("vacant",), ("agency",), ("vacant", "agency")])
@pytest.mark.parametrize(
    "narrowing", [{}, {"team__service_area__name": "Disabled Children"}, {"role__code": "team-manager"}]
)
def test_only_vacant_or_agency_covered_posts_as_the_page_filters_choose_them(county, only, narrowing):
    """``only`` works the page's "vacant only" and "agency-covered only" out in the same pass:
    the same totals as filtering the posts on their figures first (one subquery per post)."""
    chosen = {name: value for kind in only for name, value in ONLY_AS_FILTERS[kind].items()}
    expected = summed(posts_on(DAY).filter(**narrowing, **chosen))
    assert post_totals(posts_on(DAY).filter(**narrowing), DAY, only=only) == expected


def test_only_vacant_and_only_agency_covered_in_the_worked_example_by_hand(county):
    posts = posts_on(DAY).filter(team=county["example"])
    # Vacant on 30 June 2019: P2 (1.0 - 0.6), P3 (0.5, covered by agency), P5 (1.0); not P6
    # (temporary funding) nor P4 (its holder on maternity leave still holds it).
    assert post_totals(posts, DAY, only=("vacant",)) == PostTotals(
        establishment_fte=fte("2.5"),
        in_post_fte=fte("0.6"),
        agency_fte=fte("0.5"),
        vacancy_fte=fte("1.9"),
        posts=3,
    )
    # Agency-covered: P3 (0.5), P4 (1.0, maternity cover), P6 (1.0, temporary funding).
    assert post_totals(posts, DAY, only=("agency",)) == PostTotals(
        establishment_fte=fte("1.5"),
        in_post_fte=fte("1.0"),
        agency_fte=fte("2.5"),
        vacancy_fte=fte("0.5"),
        posts=3,
    )
    assert post_totals(posts, DAY, only=("vacant", "agency")) == PostTotals(
        establishment_fte=fte("0.5"),
        in_post_fte=fte("0"),
        agency_fte=fte("0.5"),
        vacancy_fte=fte("0.5"),
        posts=1,
    )


def test_kept_totals_are_the_totals_for_each_choice_of_posts_until_the_records_change(county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workforce.selectors import kept_post_totals

    everything, north = posts_on(DAY), posts_on(DAY).filter(team=county["north"])
    assert kept_post_totals(everything, DAY) == summed(everything)
    assert kept_post_totals(north, DAY) == summed(north)  # another choice: not the first's
    assert kept_post_totals(north, DAY, only=("vacant",)) == post_totals(north, DAY, only=("vacant",))
    expected = summed(north)
    with CaptureQueriesContext(connection) as captured:
        assert kept_post_totals(north, DAY) == expected
    assert len(captured) == 1  # the version of the records only: the totals were kept
    post = factories.post(team=county["north"], reference="N-NEW", fte="1.0")
    factories.assign(post, fte="1.0", start=dt.date(2019, 1, 1))
    fresh = summed(posts_on(DAY).filter(team=county["north"]))
    assert fresh != expected and fresh.posts == expected.posts + 1
    assert kept_post_totals(posts_on(DAY).filter(team=county["north"]), DAY) == fresh
    assert kept_post_totals(
        posts_on(dt.date(2019, 1, 1)).filter(team=county["north"]), dt.date(2019, 1, 1)
    ) == (summed(posts_on(dt.date(2019, 1, 1)).filter(team=county["north"])))
