"""The establishment on a date: the worked example of DOMAIN.md and pinned query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from tests import factories
from workforce.models import AgencyReason, Contract
from workforce.scopes import Scope
from workforce.selectors import establishment_on, posts_on

pytestmark = pytest.mark.django_db
D = Decimal


def test_worked_example_totals(worked_example):
    total = establishment_on(worked_example["day"]).total
    assert total.in_post_fte == D("2.6")  # S
    assert total.agency_fte == D("2.5")  # A
    assert total.establishment_fte == D("4.5")  # E
    assert total.vacancy_fte == D("1.9")  # V = 0.4 + 0.5 + 1.0
    assert total.vacancy_rate == D("42.2")
    assert total.agency_rate == D("49.0")
    assert total.permanent_fill_rate == D("57.8")
    assert total.in_post_headcount == 3
    assert total.agency_headcount == 3


def test_worked_example_per_post(worked_example):
    rows = {p.reference: p for p in posts_on(worked_example["day"])}
    assert {ref: rows[ref].vacancy_fte for ref in rows} == {
        "P1": D("0"),
        "P2": D("0.4"),
        "P3": D("0.5"),
        "P4": D("0"),
        "P5": D("1.0"),
        "P6": D("0"),
    }
    assert rows["P4"].employee_fte == D("1.0") and rows["P4"].agency_fte == D("1.0")
    assert [a.contract for a in rows["P4"].current_assignments] == [Contract.AGENCY, Contract.PERMANENT]


def test_vacancy_covered_by_agency_is_still_a_vacancy(worked_example):
    snapshot = establishment_on(worked_example["day"])
    assert snapshot.total.agency_covering_vacancies_fte == D("0.5")
    assert snapshot.total.vacancy_agency_cover_rate == D("26.3")  # 0.5 / 1.9


def test_employee_on_maternity_leave_still_holds_the_post(worked_example):
    p4 = posts_on(worked_example["day"]).get(reference="P4")
    assert p4.vacancy_fte == 0


def test_agency_by_reason(worked_example):
    snapshot = establishment_on(worked_example["day"])
    assert snapshot.agency_fte_by_reason[AgencyReason.VACANCY] == D("0.5")
    assert snapshot.agency_fte_by_reason[AgencyReason.MATERNITY] == D("1.0")
    assert snapshot.agency_fte_by_reason[AgencyReason.ADDITIONAL_CAPACITY] == D("1.0")
    assert snapshot.agency_fte_by_reason[AgencyReason.SICKNESS] == 0
    assert snapshot.agency_headcount_by_reason[AgencyReason.MATERNITY] == 1


def test_groupings_by_role_team_and_service_area(worked_example):
    snapshot = establishment_on(worked_example["day"])
    by_role = {snapshot.role_names[k]: v for k, v in snapshot.by_role.items()}
    assert by_role["Social Worker"].vacancy_fte == D("0.9")
    assert by_role["Senior Practitioner"].vacancy_fte == D("0")
    assert by_role["Team Manager"].vacancy_fte == D("1.0")
    assert by_role["Social Worker"].in_post_headcount == 2
    team = worked_example["team"]
    assert snapshot.by_team[team.pk].vacancy_fte == D("1.9")
    assert snapshot.by_service_area[team.service_area_id].in_post_fte == D("2.6")


def test_dates_outside_assignments_and_posts(worked_example):
    before = establishment_on(dt.date(2017, 12, 31)).total
    assert before.in_post_fte == 0 and before.agency_fte == 0
    assert before.vacancy_fte == D("4.5")


def test_scope_narrows_to_case_holding_teams_and_one_team(worked_example):
    other = factories.team("Fostering", case_holding=False)
    factories.post(team=other)
    day = worked_example["day"]
    assert establishment_on(day).total.establishment_fte == D("5.5")
    assert establishment_on(day, Scope.case_holding()).total.establishment_fte == D("4.5")
    assert establishment_on(day, Scope.team(other.pk)).total.vacancy_fte == D("1.0")


def test_roles_out_of_scope_are_not_counted(worked_example):
    from workforce.models import Role

    Role.objects.filter(code="team-manager").update(in_scope=False)
    assert establishment_on(worked_example["day"]).total.vacancy_fte == D("0.9")


def _grow(n: int) -> None:
    team = factories.team()
    for index in range(n):
        post = factories.post(team=team, role_code="senior-practitioner" if index % 3 else "social-worker")
        factories.assign(post, fte="0.5")
        factories.assign(post, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY)


def test_establishment_query_count_does_not_grow_with_posts(worked_example, django_assert_num_queries):
    day = worked_example["day"]
    # 1 grouped figures, 1 agency cover of vacancies, 4 distinct headcounts, 1 agency by reason.
    with django_assert_num_queries(7):
        establishment_on(day)
    _grow(30)
    with django_assert_num_queries(7):
        snapshot = establishment_on(day)
    assert snapshot.total.vacancy_fte == D("1.9") + D("15")


def test_posts_on_with_holders_is_two_queries_at_any_size(worked_example, django_assert_num_queries):
    day = worked_example["day"]
    with django_assert_num_queries(2):  # the posts with their figures, and their holders
        small = [(p.reference, len(p.current_assignments), p.team.service_area.name) for p in posts_on(day)]
    _grow(25)
    with django_assert_num_queries(2):
        large = [(p.reference, len(p.current_assignments), p.team.service_area.name) for p in posts_on(day)]
    assert len(small) == 6 and len(large) == 31
