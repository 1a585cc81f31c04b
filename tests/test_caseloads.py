"""Caseloads: the records' rules, who is a case holder, and DfE's caseload measure worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from foundation import measures
from tests import factories
from tests.factories_caseloads import worked_caseloads
from workforce.models import AgencyReason, Caseload, Contract
from workforce.scopes import Scope
from workforce.selectors.caseloads import CaseloadFigures, case_holders_on, caseloads_on

pytestmark = pytest.mark.django_db
D = Decimal
DAY = dt.date(2019, 6, 30)


@pytest.fixture
def caseloads(worked_example):
    """The worked example with its caseloads on 30 June 2019 (``factories_caseloads``)."""
    return worked_caseloads(worked_example)


# --- DOMAIN.md's definition, worked by hand ------------------------------------------------------


def test_caseload_per_case_holder_is_cases_over_the_fte_of_case_holders_worked_by_hand(caseloads):
    snapshot = caseloads_on(DAY)
    total = snapshot.total
    # Known: 22 + 12 + 9 + 14 = 57 cases held by 1.0 + 0.6 + 0.5 + 1.0 = 3.1 FTE.
    assert (total.cases, total.fte, total.holders) == (57, D("3.1"), 4)
    assert total.per_case_holder == D("18.4")  # 57 / 3.1 = 18.387...
    # P6's agency social worker holds a case-holding post but has no caseload in the 45 days.
    assert (total.not_known, total.not_known_fte, total.case_holders) == (1, D("1.0"), 5)
    # More than 20 cases: P1's social worker alone, 1 of the 4 whose caseload is known.
    assert total.above_threshold == 1 and total.above_threshold_share == D("25.0")
    assert snapshot.spread == {"0-10": 1, "11-15": 2, "16-20": 0, "21-25": 1, "26+": 0}


def test_newly_qualified_caseloads_against_everyone_elses(caseloads):
    snapshot = caseloads_on(DAY)
    assert (snapshot.asye.cases, snapshot.asye.fte, snapshot.asye.per_case_holder) == (
        12,
        D("0.6"),
        D("20.0"),
    )
    assert (snapshot.others.cases, snapshot.others.fte) == (45, D("2.5"))
    assert snapshot.others.per_case_holder == D("18.0")
    assert snapshot.others.not_known == 1  # the stale caseload is not an ASYE's


def test_by_role_and_by_team(caseloads):
    snapshot = caseloads_on(DAY)
    roles = {snapshot.role_names[pk]: figures for pk, figures in snapshot.by_role.items()}
    assert roles["Social Worker"].cases == 43 and roles["Social Worker"].fte == D("2.1")
    assert roles["Social Worker"].per_case_holder == D("20.5")  # 43 / 2.1
    assert roles["Social Worker"].not_known == 1
    assert roles["Senior Practitioner"].per_case_holder == D("14.0")
    assert set(roles) == {"Social Worker", "Senior Practitioner"}  # the empty manager's post has none
    (team,) = snapshot.by_team.values()
    assert team == snapshot.total
    assert snapshot.team_names == {caseloads["team"].pk: "Worked Example Team"}


def test_a_caseload_not_known_is_counted_apart_never_as_zero(caseloads):
    total = caseloads_on(DAY).total
    # Were the stale caseload zero, the FTE would be 4.1 and the measure 13.9.
    assert total.per_case_holder == measures.caseload_per_case_holder(57, D("3.1"))
    assert total.fte == D("3.1")


def test_the_latest_caseload_within_the_staleness_limit_is_used(caseloads, settings):
    # 10 May is 51 days before 30 June: known with a 60-day limit, and it is the latest one.
    settings.WORKFORCE = {**settings.WORKFORCE, "CASELOAD_STALE_DAYS": 60}
    total = caseloads_on(DAY).total
    assert (total.cases, total.not_known) == (74, 0)
    # Exactly the limit's first day still counts: 45 days before 30 June is 16 May.
    settings.WORKFORCE = {**settings.WORKFORCE, "CASELOAD_STALE_DAYS": 45}
    factories.caseload(caseloads["a6"], on=dt.date(2019, 5, 16), cases=16)
    assert caseloads_on(DAY).total.cases == 73
    # On 31 May, P1's social worker held 15 (the caseload of 28 June was not yet there).
    may = {holder.worker_id: holder.cases for holder in case_holders_on(dt.date(2019, 5, 31))}
    assert may[caseloads["w1"].pk] == 15


def test_the_threshold_is_a_setting(caseloads, settings):
    settings.WORKFORCE = {**settings.WORKFORCE, "CASELOAD_THRESHOLD": 13}
    assert caseloads_on(DAY).total.above_threshold == 2  # 22 and 14
    assert caseloads_on(DAY, threshold=25).total.above_threshold == 0


# --- Who is a case holder ------------------------------------------------------------------------


def test_a_social_worker_in_a_case_holding_team_with_no_cases_counts_with_zero(caseloads):
    factories.caseload(caseloads["w1"], on=DAY, cases=0)  # e.g. on leave, cases reallocated
    total = caseloads_on(DAY).total
    assert (total.cases, total.fte, total.holders) == (35, D("3.1"), 4)
    assert caseloads_on(DAY).spread["0-10"] == 2


def test_someone_else_is_a_case_holder_only_with_cases(caseloads):
    manager = factories.worker()
    factories.assign(caseloads["posts"]["P5"], worker_=manager, start=dt.date(2019, 1, 7))
    factories.caseload(manager, on=DAY, cases=0)
    assert caseloads_on(DAY).total.case_holders == 5  # a team manager with no cases: not one
    factories.caseload(manager, on=DAY - dt.timedelta(days=1), cases=3)
    assert caseloads_on(DAY).total.case_holders == 5  # the later 0 stands
    Caseload.objects.filter(worker=manager, recorded_on=DAY).delete()
    assert caseloads_on(DAY).total.case_holders == 6


def test_a_social_worker_in_a_team_that_is_not_case_holding_is_a_case_holder_only_with_cases(db):
    fostering = factories.team("Fostering Support", case_holding=False)
    worker = factories.worker()
    factories.assign(factories.post(team=fostering), worker_=worker, start=dt.date(2018, 1, 1))
    assert case_holders_on(DAY) == []
    factories.caseload(worker, on=DAY, cases=4)
    (holder,) = case_holders_on(DAY)
    assert holder.cases == 4


def test_roles_outside_childrens_social_work_are_left_out(db):
    from workforce.models import Role

    support = Role.objects.create(name="Family Support Worker", code="fsw", org_role=5, in_scope=False)
    team = factories.team()
    post = factories.post(team=team)
    post.role = support
    post.save()
    worker = factories.worker()
    factories.assign(post, worker_=worker, start=dt.date(2018, 1, 1))
    factories.caseload(worker, on=DAY, cases=12)
    assert case_holders_on(DAY) == []


def test_someone_in_two_posts_is_counted_once_in_their_main_posts_team(db):
    east, west = factories.team("East"), factories.team("West")
    worker = factories.worker()
    factories.assign(
        factories.post(team=east, fte="0.4"), worker_=worker, fte="0.4", start=dt.date(2018, 1, 1)
    )
    factories.assign(
        factories.post(team=west, fte="0.6"), worker_=worker, fte="0.6", start=dt.date(2018, 1, 1)
    )
    factories.caseload(worker, on=DAY, cases=15)
    snapshot = caseloads_on(DAY)
    assert snapshot.total.holders == 1 and snapshot.total.fte == D("1.0")
    assert list(snapshot.by_team) == [west.pk]
    assert caseloads_on(DAY, Scope.team(west.pk)).total.cases == 15
    assert caseloads_on(DAY, Scope.team(east.pk)).total == CaseloadFigures()


def test_a_scope_counts_its_own_teams_only(caseloads):
    other = factories.team("Other Team")
    worker = factories.worker()
    factories.assign(factories.post(team=other), worker_=worker, start=dt.date(2018, 1, 1))
    factories.caseload(worker, on=DAY, cases=30)
    assert caseloads_on(DAY).total.cases == 87
    assert caseloads_on(DAY, Scope.team(caseloads["team"].pk)).total.cases == 57
    assert caseloads_on(DAY, Scope.team(other.pk)).total.cases == 30
    senior = factories.role("senior-practitioner")
    assert caseloads_on(DAY, Scope().with_role(senior.pk)).total.cases == 14


def test_query_counts_do_not_grow_with_case_holders(caseloads, django_assert_num_queries):
    # The posts in social work roles, the newly qualified, the assignments on the day, the
    # caseloads of the 45 days to it, the teams' names and the roles' names.
    with django_assert_num_queries(6):
        caseloads_on(DAY, Scope.team(caseloads["team"].pk))
    for number in range(8):
        team = factories.team()
        worker = factories.worker()
        factories.assign(factories.post(team=team), worker_=worker, start=dt.date(2018, 1, 1))
        factories.caseload(worker, on=DAY, cases=10 + number)
        agency = factories.assign(
            factories.post(team=team),
            contract=Contract.AGENCY,
            reason=AgencyReason.VACANCY,
            start=dt.date(2019, 1, 7),
        )
        factories.caseload(agency.worker, on=DAY, cases=number)
    with django_assert_num_queries(6):
        snapshot = caseloads_on(DAY)
    assert snapshot.total.case_holders == 5 + 16


# --- The records' rules --------------------------------------------------------------------------


def test_a_caseload_needs_the_worker_in_a_post_on_the_date(caseloads):
    with pytest.raises(ValidationError) as error:
        factories.caseload(caseloads["w1"], on=dt.date(2017, 12, 31), cases=10)
    assert error.value.message_dict == {
        "recorded_on": ["The worker held no post on 31 December 2017, so cannot have held cases then."]
    }


def test_one_caseload_per_worker_and_date(caseloads):
    with pytest.raises(ValidationError) as error:
        factories.caseload(caseloads["w1"], on=dt.date(2019, 6, 28), cases=10)
    assert "already exists" in str(error.value)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"cases": 101}, "cases", "less than or equal to 100"),
        ({"cases": 10, "child_protection": 7, "looked_after": 4}, "cases", "add up to 11, more than the 10"),
        (
            {"cases": 10, "child_in_need": 1, "child_protection": 2, "looked_after": 3, "care_leaver": 1},
            "cases",
            "four types of case add up to 7, not 10",
        ),
    ],
)
def test_cases_and_their_types_must_make_sense(caseloads, fields, field, message):
    with pytest.raises(ValidationError) as error:
        factories.caseload(caseloads["w1"], on=dt.date(2019, 6, 14), **fields)
    assert message in " ".join(error.value.message_dict[field])


def test_a_caseload_cannot_be_dated_in_the_future(caseloads, time_machine):
    time_machine.move_to(dt.datetime(2019, 6, 29, 12, 0))
    with pytest.raises(ValidationError) as error:
        factories.caseload(caseloads["w2"], on=dt.date(2019, 6, 30), cases=1)
    assert error.value.message_dict["recorded_on"] == [
        "A caseload cannot be recorded for a date after today."
    ]


def test_every_change_is_kept_in_the_history(caseloads):
    from workforce.caseload_services import save_caseload

    record = Caseload.objects.get(worker=caseloads["a3"], recorded_on=DAY)
    record.cases = 11
    save_caseload(caseload=record)
    assert [h.cases for h in record.history.order_by("history_date")] == [9, 11]


def test_a_trend_date_counts_exactly_as_the_detailed_date_does(caseloads, django_assert_num_queries):
    from workforce.selectors.caseloads import caseloads_on_dates

    east = factories.team("East")
    split = factories.worker(date_qualified=dt.date(2019, 1, 14))  # ASYE, in two posts at once
    factories.assign(
        factories.post(team=east, fte="0.4"), worker_=split, fte="0.4", start=dt.date(2019, 1, 14)
    )
    factories.assign(
        factories.post(team=east, fte="0.5"), worker_=split, fte="0.5", start=dt.date(2019, 1, 14)
    )
    factories.caseload(split, on=DAY, cases=8)
    may = dt.date(2019, 5, 31)
    # The posts, the newly qualified, the assignments on both dates at once and each date's
    # caseloads; no names without a detailed date.
    with django_assert_num_queries(5):
        trend = caseloads_on_dates([may, DAY])
    for day in (may, DAY):
        detailed = caseloads_on(day)
        assert (trend[day].total, trend[day].asye, trend[day].others) == (
            detailed.total,
            detailed.asye,
            detailed.others,
        )
        assert trend[day].by_team == {} and trend[day].spread == {}
    assert trend[DAY].asye.cases == 12 + 8 and trend[DAY].asye.fte == D("1.5")  # 0.6 + 0.4 + 0.5
