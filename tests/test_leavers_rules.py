"""Recording leavers and exit conversations: each rule, with the message a person sees."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from leavers import services
from leavers.models import ExitConversation, Leaver
from leavers.rules import completed_years
from tests import factories
from tests import factories_leavers as lf
from workforce.models import Assignment, Contract
from workforce.selectors import establishment_on

pytestmark = pytest.mark.django_db
LEFT = dt.date(2019, 3, 31)


@pytest.fixture
def team():
    return factories.team("Child Protection East")


@pytest.fixture
def manager(team):
    return factories.user("mgr", "manager", teams=[team])


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- length of service ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (dt.date(2016, 3, 1), dt.date(2019, 2, 28), 2),
        (dt.date(2016, 3, 1), dt.date(2019, 3, 1), 3),
        (dt.date(2016, 2, 29), dt.date(2017, 2, 28), 0),  # a leap-day start completes on 1 March
        (dt.date(2016, 2, 29), dt.date(2017, 3, 1), 1),
        (dt.date(2019, 1, 1), dt.date(2019, 1, 1), 0),
    ],
)
def test_length_of_service_counts_completed_calendar_years(start, end, years):
    assert completed_years(start, end) == years


# --- recording a leaver --------------------------------------------------------------


def test_recording_a_leaver_derives_fte_service_team_and_role(team):
    post = factories.post(team=team, role_code="senior-practitioner", reference="CSC-1")
    person = lf.employee_in(post, fte="0.8", start=dt.date(2016, 3, 1))
    leaver = services.record_leaver(worker=person, leaving_date=dt.date(2019, 2, 28), category=lf.category())
    leaver.refresh_from_db()
    assert leaver.fte_at_leaving == Decimal("0.8")
    assert leaver.service_start == dt.date(2016, 3, 1)
    assert leaver.service_days == (dt.date(2019, 2, 28) - dt.date(2016, 3, 1)).days == 1094
    assert leaver.service_years == 2
    assert (leaver.team, leaver.role.code, leaver.post, leaver.contract) == (
        team,
        "senior-practitioner",
        post,
        Contract.PERMANENT,
    )


def test_the_post_is_vacant_from_the_day_after_leaving(team):
    post = factories.post(team=team, reference="CSC-1")
    person = lf.employee_in(post)
    services.record_leaver(worker=person, leaving_date=LEFT, category=lf.category())
    assert Assignment.objects.get(worker=person).end == LEFT
    assert establishment_on(LEFT).total.vacancy_fte == Decimal("0")
    assert establishment_on(LEFT + dt.timedelta(days=1)).total.vacancy_fte == Decimal("1")


def test_an_assignment_already_ending_on_the_leaving_date_is_left_as_it_is(team):
    post = factories.post(team=team)
    person = lf.employee_in(post, end=LEFT)
    leaver = services.record_leaver(worker=person, leaving_date=LEFT, category=lf.category())
    assert leaver.fte_at_leaving == Decimal("1")
    assignment = Assignment.objects.get(worker=person)
    assert assignment.end == LEFT
    assert assignment.history.count() == 1  # never saved again


def test_fte_at_leaving_adds_up_every_post_held_on_the_day(team):
    half = factories.post(team=team, fte="0.5", reference="HALF")
    other = factories.post(team=factories.team("Assessment North"), fte="1.0", reference="OTHER")
    person = lf.employee_in(half, fte="0.5")
    factories.assign(
        other, worker_=person, fte="0.3", contract=Contract.FIXED_TERM, start=dt.date(2018, 1, 1)
    )
    leaver = services.record_leaver(worker=person, leaving_date=LEFT, category=lf.category())
    assert leaver.fte_at_leaving == Decimal("0.8")
    assert leaver.post == half  # the larger share is the last team
    assert set(Assignment.objects.filter(worker=person).values_list("end", flat=True)) == {LEFT}


def test_recording_the_same_departure_twice_is_refused(team):
    leaver = lf.leaver(team=team, leaving_date=LEFT)
    with pytest.raises(ValidationError) as excinfo:
        services.record_leaver(worker=leaver.worker, leaving_date=LEFT, category=lf.category())
    assert errors_of(excinfo) == {
        "worker": [
            f"{leaver.worker} is already recorded as leaving on 31 March 2019 "
            "(Resignation to new employment). "
            "Correct that record rather than adding another."
        ]
    }
    with pytest.raises(ValidationError, match="already recorded as leaving"):
        services.record_leaver(worker=leaver.worker, leaving_date=dt.date(2019, 2, 1), category=lf.category())
    assert Leaver.objects.count() == 1


def test_someone_who_rejoins_can_leave_again(team):
    first = lf.leaver(team=team, leaving_date=dt.date(2017, 6, 30), start=dt.date(2015, 1, 1))
    person = first.worker
    person.service_start = dt.date(2018, 1, 1)
    person.save()
    factories.assign(factories.post(team=team), worker_=person, start=dt.date(2018, 1, 1))
    again = services.record_leaver(
        worker=person, leaving_date=LEFT, category=lf.category("resignation-other")
    )
    assert again.service_start == dt.date(2018, 1, 1)
    assert again.service_years == 1
    assert person.leavings.count() == 2


def test_a_leaving_date_before_service_started_is_refused(team):
    post = factories.post(team=team)
    person = lf.employee_in(post, start=dt.date(2019, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.record_leaver(worker=person, leaving_date=dt.date(2018, 12, 31), category=lf.category())
    assert errors_of(excinfo) == {
        "leaving_date": [
            "The leaving date 31 December 2018 is before the start of continuous service (1 January 2019)."
        ]
    }
    assert not Leaver.objects.exists()
    assert Assignment.objects.get(worker=person).end is None


def test_an_agency_worker_is_not_a_leaver(team):
    post = factories.post(team=team)
    agency = factories.assign(post, contract=Contract.AGENCY, reason="vacancy")
    with pytest.raises(ValidationError) as excinfo:
        services.record_leaver(worker=agency.worker, leaving_date=LEFT, category=lf.category())
    assert "only employees (permanent or fixed-term) are leavers" in errors_of(excinfo)["worker"][0]


def test_a_leaving_date_when_no_post_was_held_is_refused(team):
    person = lf.employee_in(factories.post(team=team), end=dt.date(2018, 12, 31))
    with pytest.raises(ValidationError) as excinfo:
        services.record_leaver(worker=person, leaving_date=LEFT, category=lf.category())
    assert errors_of(excinfo)["leaving_date"] == [
        f"{person} holds no employee post on 31 March 2019 (their last employee assignment ended on "
        "31 December 2018): the leaving date is the last day in post."
    ]


def test_a_worker_without_a_service_start_counts_from_their_first_employee_post(team):
    person = factories.worker(service_start=None)
    factories.assign(factories.post(team=team), worker_=person, start=dt.date(2018, 9, 1))
    leaver = services.record_leaver(worker=person, leaving_date=LEFT, category=lf.category())
    assert leaver.service_start == dt.date(2018, 9, 1)
    assert leaver.service_years == 0


def test_a_retired_category_is_hidden_from_new_leavers_but_kept_on_old_ones(team):
    leaver = lf.leaver(team=team, category_code="redundancy")
    redundancy = lf.category("redundancy")
    redundancy.active = False
    redundancy.save()
    leaver.refresh_from_db()
    services.save_leaver(leaver=leaver)  # an old record keeps its retired category
    with pytest.raises(ValidationError) as excinfo:
        lf.leaver(team=team, category_code="redundancy")
    assert errors_of(excinfo) == {"category": ["The category “Redundancy” is retired; choose a current one."]}


def test_a_recorded_leavers_worker_and_date_cannot_be_changed(team):
    leaver = lf.leaver(team=team)
    leaver.leaving_date = dt.date(2019, 1, 31)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.save_leaver(leaver=leaver)


# --- exit conversations --------------------------------------------------------------


def test_the_manager_records_the_exit_conversation(team, manager):
    leaver = lf.leaver(team=team)
    conversation = lf.conversation(
        leaver,
        user=manager,
        destination_code="agency-local",
        reason_codes=("better-pay", "workload"),
        quote="…chose to go locum",
        quote_consent=True,
    )
    assert conversation.recorded_by == manager
    assert sorted(conversation.reasons.values_list("code", flat=True)) == ["better-pay", "workload"]
    assert conversation.history.count() >= 1


def test_recording_again_corrects_the_one_conversation(team, manager):
    leaver = lf.leaver(team=team)
    lf.conversation(leaver, user=manager, reason_codes=("better-pay",))
    lf.conversation(leaver, user=manager, destination_code="not-known", reason_codes=("caring",))
    conversation = ExitConversation.objects.get()
    assert conversation.destination.code == "not-known"
    assert list(conversation.reasons.values_list("code", flat=True)) == ["caring"]


def test_manager_cannot_record_another_teams_leavers_conversation(team, manager):
    elsewhere = lf.leaver(team=factories.team("Disabled Children North"))
    with pytest.raises(PermissionDenied):
        lf.conversation(elsewhere, user=manager)
    assert not ExitConversation.objects.exists()


@pytest.mark.parametrize("group", ["director", "reader"])
def test_only_managers_and_hr_record_conversations(team, group):
    leaver = lf.leaver(team=team)
    with pytest.raises(PermissionDenied):
        lf.conversation(leaver, user=factories.user("someone", group))
    hr = factories.user("hr1", "hr")
    assert lf.conversation(leaver, user=hr).recorded_by == hr


def test_a_conversation_needs_at_least_one_reason(team, manager):
    leaver = lf.leaver(team=team)
    with pytest.raises(ValidationError) as excinfo:
        lf.conversation(leaver, user=manager, reason_codes=())
    assert errors_of(excinfo) == {"reasons": ["Choose at least one reason for leaving."]}
    assert not ExitConversation.objects.exists()


@time_machine.travel(dt.datetime(2019, 4, 10, 12, 0), tick=False)
def test_a_conversation_cannot_be_dated_in_the_future(team, manager):
    leaver = lf.leaver(team=team)
    with pytest.raises(ValidationError) as excinfo:
        lf.conversation(leaver, user=manager, held_on=dt.date(2019, 4, 11))
    assert errors_of(excinfo) == {"held_on": ["The conversation cannot be dated in the future."]}


def test_consent_without_a_quote_is_refused(team, manager):
    leaver = lf.leaver(team=team)
    with pytest.raises(ValidationError) as excinfo:
        lf.conversation(leaver, user=manager, quote="  ", quote_consent=True)
    assert errors_of(excinfo) == {
        "quote": ["There is no quote to consent to: enter the quote, or untick the consent."]
    }


def test_retired_destinations_and_reasons_stay_on_old_conversations_only(team, manager):
    leaver = lf.leaver(team=team)
    lf.conversation(leaver, user=manager, destination_code="agency-london", reason_codes=("journey",))
    for code_table, code in ((lf.destination, "agency-london"), (lambda c: lf.reasons(c)[0], "journey")):
        retired = code_table(code)
        retired.active = False
        retired.save()
    # The old conversation can be corrected without losing its retired codes...
    lf.conversation(
        leaver, user=manager, destination_code="agency-london", reason_codes=("journey", "health")
    )
    # ...but a new one cannot use them.
    another = lf.leaver(team=team)
    with pytest.raises(ValidationError) as excinfo:
        lf.conversation(another, user=manager, destination_code="agency-london")
    assert "retired" in errors_of(excinfo)["destination"][0]
    with pytest.raises(ValidationError) as excinfo:
        lf.conversation(another, user=manager, reason_codes=("journey",))
    assert errors_of(excinfo) == {"reasons": ["These reasons are retired: Journey to work."]}


def test_the_manager_group_may_record_exit_conversations(manager):
    assert manager.has_perm("leavers.record_exit_conversation")
    assert not manager.has_perm("leavers.change_leaver")
