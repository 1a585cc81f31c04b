"""The absence and experience analyses read in two shapes: grouped in the database (as on
PostgreSQL) or as rows counted in Python (as on SQLite, by worker for a few employees or
by date for many). Every shape gives the same hand-worked figures on either database."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from workforce import analysis
from workforce.models import AgencyReason, Contract, StartOrigin
from workforce.scopes import Scope

D = Decimal
START, END = dt.date(2018, 7, 1), dt.date(2019, 6, 30)  # 260 weekdays


@pytest.fixture(params=["grouped in the database", "rows by worker", "rows by date"])
def shape(request, monkeypatch):
    """Run the analyses in one shape whatever the database."""
    monkeypatch.setattr(analysis, "_database_hashes_groups", lambda: request.param.startswith("grouped"))
    monkeypatch.setattr(analysis, "FEW_WORKERS", 0 if request.param == "rows by date" else 500)
    return request.param


@pytest.fixture
def workforce():
    """Two teams: in team A a worker who moved posts in the window and one holding two posts
    at once, an agency worker and a worker who left before the window; one employee in B."""
    mine, theirs = factories.team(), factories.team()
    mover = factories.worker(date_qualified=dt.date(2018, 7, 1))  # in the ASYE on END
    factories.assign(
        factories.post(team=mine),
        worker_=mover,
        fte="0.5",
        start=dt.date(2018, 1, 1),
        end=dt.date(2018, 12, 31),
    )
    factories.assign(factories.post(team=mine), worker_=mover, fte="0.5", start=dt.date(2019, 1, 1))
    two_posts = factories.worker(date_qualified=None)
    factories.assign(factories.post(team=mine), worker_=two_posts, fte="0.5")
    factories.assign(factories.post(team=mine), worker_=two_posts, fte="0.5")
    agency = factories.worker(date_qualified=dt.date(2010, 1, 1))
    factories.assign(
        factories.post(team=mine), worker_=agency, contract=Contract.AGENCY, reason=AgencyReason.VACANCY
    )
    left = factories.worker(date_qualified=dt.date(2010, 1, 1))
    factories.assign(factories.post(team=mine), worker_=left, end=dt.date(2018, 6, 30))
    elsewhere = factories.worker(date_qualified=dt.date(2010, 1, 1))
    factories.assign(factories.post(team=theirs), worker_=elsewhere)

    def away(person, reason, start, end, days):
        factories.absence(person, reason=reason, start=start, end=end, days=days)

    away(mover, "SIC", dt.date(2018, 9, 3), dt.date(2018, 9, 7), "5")  # inside: in full
    # Across the window's start, alike: (10 + 3) days, 10 of their 20 calendar days inside.
    away(mover, "MAT", dt.date(2018, 6, 21), dt.date(2018, 7, 10), "10")
    away(two_posts, "MAT", dt.date(2018, 6, 21), dt.date(2018, 7, 10), "3")
    away(mover, "TRN", dt.date(2019, 6, 24), dt.date(2019, 7, 3), "3")  # across the end: 7 of 10 days
    away(two_posts, "OTH", dt.date(2019, 6, 26), None, "1.25")  # open: runs to the window's end
    away(two_posts, "UNP", dt.date(2018, 6, 29), dt.date(2018, 7, 1), "1")  # 1 of 3 days: 0.33
    away(two_posts, "SIC", dt.date(2018, 1, 1), dt.date(2018, 1, 5), "5")  # before the window
    away(agency, "SIC", dt.date(2018, 10, 1), dt.date(2018, 10, 2), "2")  # not an employee
    away(left, "SIC", dt.date(2018, 8, 1), dt.date(2018, 8, 2), "2")  # not employed in the window
    away(elsewhere, "SIC", dt.date(2018, 10, 1), dt.date(2018, 10, 2), "2")  # another team
    return mine, theirs


@pytest.mark.django_db
def test_absence_in_a_scope_of_a_few_teams(shape, workforce, django_assert_num_queries):
    mine, _ = workforce
    with django_assert_num_queries(2):
        figures = analysis.absence_over(start=START, end=END, scope=Scope(team_ids=frozenset({mine.pk})))
    # The mover: 0.5 x 131 weekdays (July to December) + 0.5 x 129 (January to June); two
    # posts: 2 x 0.5 x 260.
    assert figures.days_available == D("390.00")
    assert dict(figures.days_lost_by_reason) == {
        "MAT": D("6.50"),
        "SIC": D("5.00"),
        "OTH": D("1.25"),
        "PUB": D("0.00"),
        "TRN": D("2.10"),
        "UNA": D("0.00"),
        "UNP": D("0.33"),
    }
    assert figures.days_lost == D("15.18")


@pytest.mark.django_db
def test_absence_over_everything_and_another_team(shape, workforce):
    _, theirs = workforce
    everything = analysis.absence_over(start=START, end=END)
    assert everything.days_available == D("650.00")
    assert dict(everything.days_lost_by_reason)["SIC"] == D("7.00")
    assert everything.days_lost == D("17.18")
    other = analysis.absence_over(start=START, end=END, scope=Scope.team(theirs.pk))
    assert (other.days_available, other.days_lost) == (D("260.00"), D("2.00"))


@pytest.mark.django_db
def test_absence_in_a_scope_with_no_teams_is_nothing(shape, workforce):
    figures = analysis.absence_over(start=START, end=END, scope=Scope(team_ids=frozenset()))
    assert (figures.days_available, figures.days_lost) == (D("0.00"), D("0.00"))


@pytest.mark.django_db
def test_experience_counts_a_worker_in_two_posts_once(shape, workforce, django_assert_num_queries):
    mine, _ = workforce
    with django_assert_num_queries(1):
        profile = analysis.experience_profile(day=END, scope=Scope(team_ids=frozenset({mine.pk})))
    assert [(band.key, band.headcount, band.fte) for band in profile.bands] == [
        ("asye", 1, D("0.5")),
        ("under_2", 0, D("0")),
        ("2_to_5", 0, D("0")),
        ("5_plus", 0, D("0")),
        ("not_recorded", 1, D("1.0")),
    ]
    assert (profile.headcount, profile.fte) == (2, D("1.5"))
    everything = analysis.experience_profile(day=END)
    assert (everything.band("5_plus").headcount, everything.headcount, everything.fte) == (1, 3, D("2.5"))
    nothing = analysis.experience_profile(day=END, scope=Scope(team_ids=frozenset()))
    assert (nothing.headcount, nothing.fte) == (0, D("0"))


# --- Starters (one shape; most starters hold one assignment, the others are checked) ------------


@pytest.mark.django_db
def test_a_move_inside_the_window_and_two_posts_begun_together(django_assert_num_queries):
    team = factories.team()
    # Starts in August, moves in March: one start, at the first post's FTE.
    mover = factories.worker(start_origin=StartOrigin.OTHER_LA)
    factories.assign(
        factories.post(team=team),
        worker_=mover,
        fte="0.8",
        start=dt.date(2018, 8, 1),
        end=dt.date(2019, 2, 28),
    )
    factories.assign(factories.post(team=team), worker_=mover, fte="0.6", start=dt.date(2019, 3, 1))
    # Two half posts begun on one day: both begin the employment; one worker.
    halves = factories.worker(start_origin=StartOrigin.NEWLY_QUALIFIED)
    factories.assign(factories.post(team=team), worker_=halves, fte="0.5", start=dt.date(2019, 1, 7))
    factories.assign(factories.post(team=team), worker_=halves, fte="0.5", start=dt.date(2019, 1, 7))
    with django_assert_num_queries(2):
        starters = analysis.starters_by_origin(start=START, end=END)
    assert (starters.headcount, starters.fte) == (2, D("1.8"))
    assert (starters.group(StartOrigin.OTHER_LA).headcount, starters.group(StartOrigin.OTHER_LA).fte) == (
        1,
        D("0.8"),
    )
    newly = starters.group(StartOrigin.NEWLY_QUALIFIED)
    assert (newly.headcount, newly.fte) == (1, D("1.0"))
