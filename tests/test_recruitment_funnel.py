"""The recruitment funnel over hand-worked data, by scope, with its query count pinned."""

import datetime as dt
from decimal import Decimal

import pytest

from recruitment.selectors import campaigns_with_funnel, cost_per_start, recruitment_funnel
from tests import factories
from tests import factories_recruitment as rf
from workforce.scopes import Scope

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2025, 1, 1), D(2025, 12, 31)


@pytest.fixture
def county():
    return rf.small_county()


def counts(row) -> tuple:
    return (row.received, row.shortlisted, row.interviewed, row.offered, row.accepted, row.started)


def test_funnel_per_role_over_the_window(county):
    funnel = recruitment_funnel(start=START, end=END)
    assert [row.role_name for row in funnel.rows] == ["Social Worker", "Senior Practitioner", "Team Manager"]
    sw, sp, tm = funnel.rows
    assert counts(sw) == (6, 5, 5, 3, 1, 1)
    assert (sw.internal_received, sw.internal_interviewed, sw.internal_offered) == (1, 1, 1)
    assert sw.median_days_to_offer == Decimal("30")  # 21, 30, 40
    assert sw.median_days_to_start == Decimal("59")
    assert counts(sp) == (2, 2, 1, 1, 0, 0)
    assert sp.internal_offer_share == Decimal("100.0")
    assert counts(tm) == (0, 0, 0, 0, 0, 0)  # the main campaign recruits for it; nobody applied


def test_total_excludes_the_newly_qualified_who_are_counted_apart(county):
    funnel = recruitment_funnel(start=START, end=END)
    assert counts(funnel.total) == (8, 7, 6, 4, 1, 1)
    assert funnel.total.median_days_to_offer == Decimal("25.5")  # 21, 21, 30, 40
    assert funnel.total.internal_offer_share == Decimal("50.0")
    assert counts(funnel.newly_qualified) == (2, 1, 1, 1, 1, 0)
    [cohort] = funnel.cohorts
    assert (cohort.title, cohort.starts_on, cohort.target_hires) == ("Cohort", D(2025, 9, 1), 2)
    assert (cohort.received, cohort.offered, cohort.accepted, cohort.started) == (2, 1, 1, 0)


def test_conversions_and_internal_share(county):
    sw = recruitment_funnel(start=START, end=END).rows[0]
    assert sw.conversions == [
        ("Received to interviewed", Decimal("83.3")),  # 5 / 6
        ("Interviewed to offered", Decimal("60.0")),  # 3 / 5
        ("Offered to accepted", Decimal("33.3")),  # 1 / 3
        ("Accepted to started", Decimal("100.0")),
    ]
    assert sw.internal_share == Decimal("16.7")
    assert recruitment_funnel(start=START, end=END).rows[2].conversions[0][1] is None  # no applications: "–"


def test_cost_per_start_counts_campaigns_running_in_the_window(county):
    funnel = recruitment_funnel(start=START, end=END)
    assert funnel.campaign_cost == Decimal("8000.00")  # main and cohort; last year's closed in 2024
    assert funnel.starts == 1
    assert funnel.cost_per_start == Decimal("8000.00")
    assert cost_per_start(Decimal("100"), 3) == Decimal("33.33")
    assert cost_per_start(Decimal("100"), 0) is None


def test_stages_after_the_window_end_do_not_count(county):
    spring = recruitment_funnel(start=START, end=D(2025, 3, 14))
    sw = spring.rows[0]
    # a1 (offer 22/02, accepted 01/03, start 01/04); a2 and a3 (received 01/03, shortlisted
    # 08/03, interviewed 15/03).
    assert counts(sw) == (3, 3, 1, 1, 1, 0)
    assert spring.starts == 0 and spring.cost_per_start is None


def test_a_team_scope_counts_only_that_teams_applications(county):
    funnel = recruitment_funnel(start=START, end=END, scope=Scope.team(county["one"].pk))
    assert [row.role_name for row in funnel.rows] == ["Social Worker", "Senior Practitioner", "Team Manager"]
    assert counts(funnel.rows[0]) == (6, 5, 5, 3, 1, 1)
    assert counts(funnel.rows[1]) == (0, 0, 0, 0, 0, 0)
    assert funnel.newly_qualified.received == 0  # the cohort has no team yet
    assert funnel.campaign_cost == Decimal("6000.00")  # only campaigns with an application in scope


def test_a_service_area_and_a_role_scope(county):
    area = recruitment_funnel(start=START, end=END, scope=Scope.service_area(county["two"].service_area_id))
    assert counts(area.total) == (2, 2, 1, 1, 0, 0)
    by_role = recruitment_funnel(
        start=START, end=END, scope=Scope().with_role(factories.role("senior-practitioner").pk)
    )
    assert [row.role_name for row in by_role.rows] == ["Senior Practitioner"]


def test_one_campaigns_funnel(county):
    funnel = recruitment_funnel(start=D(2000, 1, 1), end=END, campaign=county["cohort"])
    assert funnel.rows == [] and funnel.newly_qualified.received == 2
    assert funnel.campaign_cost == Decimal("2000.00")


def test_campaigns_carry_their_funnel_to_date(county):
    rows = {c.title: c for c in campaigns_with_funnel()}
    main = rows["Main"]
    # a1-a7 and b1, b2: a7's offer in 2026 counts too (to date).
    assert (main.received, main.interviewed, main.offered, main.accepted, main.started) == (9, 7, 6, 1, 1)
    assert [r.name for r in main.roles.all()] == ["Social Worker", "Senior Practitioner", "Team Manager"]
    mine = {c.title: c.received for c in campaigns_with_funnel(Scope.team(county["two"].pk))}
    assert mine == {"Main": 2}


def test_rows_for_roles_only_a_running_campaign_recruits_for(county):
    # Before "Main" opened only "Last year" ran (team managers); the cohort's roles never give rows.
    funnel = recruitment_funnel(start=D(2024, 1, 1), end=D(2024, 11, 30))
    assert [row.role_name for row in funnel.rows] == ["Team Manager"]
    assert counts(funnel.rows[0]) == (0, 0, 0, 0, 0, 0) and funnel.rows[0].median_days_to_offer is None
    social_workers = Scope().with_role(factories.role("social-worker").pk)
    assert recruitment_funnel(start=D(2024, 1, 1), end=D(2024, 11, 30), scope=social_workers).rows == []


def test_a_scope_of_no_teams_has_an_empty_funnel(county):
    funnel = recruitment_funnel(start=START, end=END, scope=Scope(team_ids=frozenset()))
    assert counts(funnel.total) == (0, 0, 0, 0, 0, 0) and funnel.newly_qualified.received == 0
    assert funnel.total.median_days_to_offer is None and funnel.total.median_days_to_start is None
    assert (funnel.campaign_cost, funnel.starts, funnel.cohorts) == (Decimal("0.00"), 0, [])


def test_days_to_offer_across_month_year_and_leap_day_ends():
    """Medians of whole days between dates across 29 February and a new year, with
    applications alike in role and days each counted."""
    campaign = rf.campaign(title="Leap", opens_on=D(2023, 12, 1), cost="0")
    team = factories.team("Leap team")

    def offered(received: dt.date, days: int) -> None:
        app = rf.application(campaign, received_on=received, team=team)
        rf.progress(app, to="offered", shortlisted=0, interviewed=0, offered=days)

    offered(D(2024, 2, 27), 3)  # offered 01/03/2024, across the leap day
    offered(D(2024, 2, 27), 3)  # alike: counted twice
    offered(D(2024, 12, 31), 1)  # offered 01/01/2025
    offered(D(2024, 3, 1), 400)  # offered 05/04/2025
    funnel = recruitment_funnel(start=D(2024, 1, 1), end=D(2025, 12, 31))
    assert str(funnel.rows[0].median_days_to_offer) == "3.0"  # 1, 3, 3, 400
    offered(D(2024, 6, 1), 10)
    funnel = recruitment_funnel(start=D(2024, 1, 1), end=D(2025, 12, 31))
    assert str(funnel.rows[0].median_days_to_offer) == "3"  # 1, 3, 3, 10, 400
    assert str(funnel.total.median_days_to_offer) == "3"
    # By the end of 2024 the offers of 2025 do not count: 3, 3, 10.
    assert str(recruitment_funnel(start=D(2024, 1, 1), end=D(2024, 12, 31)).total.median_days_to_offer) == "3"
    offered(D(2024, 6, 2), 6)
    # 3, 3, 6, 10 by the end of 2024.
    assert (
        str(recruitment_funnel(start=D(2024, 1, 1), end=D(2024, 12, 31)).total.median_days_to_offer) == "4.5"
    )


REASONS = ("salary", "location-travel", "the-role", "accepted-another-offer", "withdrew", "other")


def grow(county, n: int) -> None:
    """Add ``n`` offers, one in three left open, the others declined or withdrawn for every reason."""
    for index in range(n):
        app = rf.application(county["main"], received_on=D(2025, 2, 1 + index % 20), team=county["one"])
        rf.progress(app, to=("offered", "declined", "withdrawn")[index % 3], reason=REASONS[index % 6])


def test_funnel_query_count_does_not_grow_with_applications(county, django_assert_num_queries):
    # Counts per role; days for the medians; roles targeted; campaign cost; starts; cohorts;
    # offers declined or withdrawn by reason.
    with django_assert_num_queries(7):
        recruitment_funnel(start=START, end=END, scope=Scope.team(county["one"].pk))
    grow(county, 25)
    with django_assert_num_queries(7):
        funnel = recruitment_funnel(start=START, end=END, scope=Scope.team(county["one"].pk))
    assert funnel.rows[0].received == 31


def test_campaign_list_query_count_does_not_grow(county, django_assert_num_queries):
    # The campaigns with their counts; their roles; their channels.
    with django_assert_num_queries(3):
        list(campaigns_with_funnel())
    grow(county, 10)
    for index in range(5):
        rf.campaign(title=f"More {index}", opens_on=D(2025, 2, 1))
    with django_assert_num_queries(3):
        assert len(list(campaigns_with_funnel())) == 8
