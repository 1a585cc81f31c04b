"""Starting a candidate fills a vacant establishment post, end to end through the establishment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from recruitment import services
from recruitment.models import Application, Stage
from tests import factories
from tests import factories_recruitment as rf
from workforce.models import AgencyReason, Assignment, Contract, Funding, StartOrigin, Worker
from workforce.selectors import establishment_on, posts_on

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2025, 4, 1)
EVE = D(2025, 3, 31)


def errors_of(callable_, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return caught.value.message_dict


@pytest.fixture
def team():
    return factories.team("Child Protection East")


@pytest.fixture
def vacant_post(team):
    return factories.post(team=team, reference="CPE-SW-1", fte="1.0")


@pytest.fixture
def accepted(team):
    """An external social worker who accepted an offer on 01/03/2025."""
    campaign = rf.campaign(opens_on=D(2025, 1, 1))
    app = rf.application(campaign, received_on=D(2025, 2, 1), first_name="Sam", last_name="Starter")
    return rf.progress(app, to="accepted")


def test_start_fills_the_post_and_closes_the_vacancy_from_the_start_date(team, vacant_post, accepted):
    factories.post(team=team, reference="CPE-SW-2")  # stays vacant
    before = establishment_on(START)
    assert before.total.vacancy_fte == Decimal("2.0")

    assignment = services.start_candidate(
        application=accepted, post=vacant_post, start_date=START, fte=Decimal("1.0"), staff_reference="E90001"
    )

    after = establishment_on(START)
    assert after.total.vacancy_fte == Decimal("1.0")  # one vacancy fewer
    assert after.total.in_post_fte == before.total.in_post_fte + 1
    assert posts_on(START).get(reference="CPE-SW-1").vacancy_fte == 0
    assert posts_on(EVE).get(reference="CPE-SW-1").vacancy_fte == 1  # vacant until the start
    worker = assignment.worker
    assert (worker.staff_reference, worker.full_name) == ("E90001", "Sam Starter")
    assert worker.service_start == START
    assert worker.start_origin == StartOrigin.NOT_KNOWN
    assert (assignment.contract, assignment.start, assignment.end) == (Contract.PERMANENT, START, None)
    accepted.refresh_from_db()
    assert accepted.stage == Stage.STARTED
    assert (accepted.started_on, accepted.assignment, accepted.worker, accepted.team) == (
        START,
        assignment,
        worker,
        team,
    )


def test_newly_qualified_starter_gets_the_newly_qualified_origin(vacant_post, accepted):
    accepted.newly_qualified = True
    services.save_application(application=accepted)
    assignment = services.start_candidate(application=accepted, post=vacant_post, start_date=START, fte=1)
    assert assignment.worker.start_origin == StartOrigin.NEWLY_QUALIFIED
    assert assignment.worker.staff_reference == f"R{accepted.pk:06d}"


def test_start_must_be_into_a_post_of_the_applications_role(team, accepted):
    manager_post = factories.post(team=team, reference="CPE-TM-1", role_code="team-manager")
    errors = errors_of(
        services.start_candidate, application=accepted, post=manager_post, start_date=START, fte=1
    )
    assert errors == {
        "post": ["Post CPE-TM-1 is a Team Manager post; this application is for Social Worker."]
    }


def test_start_must_be_into_an_establishment_post(team, accepted):
    temporary = factories.post(team=team, reference="TMP-1", funding=Funding.TEMPORARY)
    errors = errors_of(
        services.start_candidate, application=accepted, post=temporary, start_date=START, fte=1
    )
    assert errors == {"post": ["Post TMP-1 is temporary; a start fills a vacant establishment post."]}


def test_start_must_be_into_a_vacancy_big_enough(vacant_post, accepted):
    factories.assign(vacant_post, fte="0.6", start=D(2020, 1, 1))
    errors = errors_of(
        services.start_candidate, application=accepted, post=vacant_post, start_date=START, fte=1
    )
    assert errors == {"post": ["Post CPE-SW-1 has 0.4 FTE vacant on 1 April 2025; this start needs 1."]}
    assert not Worker.objects.filter(last_name="Starter").exists()  # nothing half-done
    assignment = services.start_candidate(
        application=accepted, post=vacant_post, start_date=START, fte=Decimal("0.4")
    )
    assert posts_on(START).get(reference="CPE-SW-1").vacancy_fte == 0
    assert assignment.fte == Decimal("0.4")


def test_start_onto_an_agency_contract_is_refused(vacant_post, accepted):
    errors = errors_of(
        services.start_candidate,
        application=accepted,
        post=vacant_post,
        start_date=START,
        fte=1,
        contract=Contract.AGENCY,
    )
    assert errors == {"contract": ["A start is onto a permanent or fixed-term contract."]}


def test_a_candidate_starts_once(vacant_post, accepted, team):
    services.start_candidate(application=accepted, post=vacant_post, start_date=START, fte=1)
    other = factories.post(team=team)
    errors = errors_of(services.start_candidate, application=accepted, post=other, start_date=START, fte=1)
    assert errors == {"started_on": ["The candidate already started on 1 April 2025."]}


def test_a_filled_post_later_in_time_is_refused_naming_the_fte(vacant_post, accepted):
    factories.assign(vacant_post, start=D(2025, 6, 1))  # someone else starts in June
    errors = errors_of(
        services.start_candidate, application=accepted, post=vacant_post, start_date=START, fte=1
    )
    assert "would hold 2 FTE on one day" in errors["fte"][0]


def test_internal_candidate_moves_and_their_old_post_falls_vacant(team):
    sw_post = factories.post(team=team, reference="CPE-SW-9")
    sp_post = factories.post(team=team, reference="CPE-SP-1", role_code="senior-practitioner")
    person = factories.worker(first_name="Ina", last_name="Ternal", service_start=D(2015, 9, 1))
    factories.assign(sw_post, worker_=person, start=D(2015, 9, 1))
    campaign = rf.campaign(opens_on=D(2025, 1, 1))
    app = rf.application(
        campaign, role_code="senior-practitioner", received_on=D(2025, 2, 1), internal=True, worker=person
    )
    rf.progress(app, to="accepted")

    services.start_candidate(application=app, post=sp_post, start_date=START, fte=1)

    person.refresh_from_db()
    assert person.service_start == D(2015, 9, 1)  # continuous service carries on
    assert person.start_origin is None  # an internal move is not a new starter
    old = Assignment.objects.get(post=sw_post)
    assert old.end == EVE
    day = establishment_on(START)
    assert posts_on(START).get(reference="CPE-SP-1").vacancy_fte == 0
    assert posts_on(START).get(reference="CPE-SW-9").vacancy_fte == 1
    assert day.total.in_post_headcount == 1


def test_agency_worker_who_accepts_is_awaiting_transfer_until_the_start(team, vacant_post):
    locum = factories.worker(first_name="Alex", last_name="Agency", service_start=None)
    cover = factories.assign(
        vacant_post, worker_=locum, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=D(2024, 6, 1)
    )
    campaign = rf.campaign(opens_on=D(2025, 1, 1))
    app = rf.application(campaign, received_on=D(2025, 2, 1), worker=locum)
    rf.progress(app, to="accepted")  # accepted 01/03/2025
    accepted_on = D(2025, 3, 1)

    cover.refresh_from_db()
    assert cover.end == D(2025, 2, 28) and cover.agency_reason == AgencyReason.VACANCY
    before = establishment_on(D(2025, 2, 28)).agency_fte_by_reason
    during = establishment_on(accepted_on).agency_fte_by_reason
    assert before[AgencyReason.VACANCY] == 1 and before[AgencyReason.AWAITING_TRANSFER] == 0
    assert during[AgencyReason.VACANCY] == 0 and during[AgencyReason.AWAITING_TRANSFER] == 1

    services.start_candidate(application=app, post=vacant_post, start_date=START, fte=1)

    agency = list(Assignment.objects.agency().filter(worker=locum).order_by("start"))
    assert [(a.start, a.end, a.agency_reason) for a in agency] == [
        (D(2024, 6, 1), D(2025, 2, 28), AgencyReason.VACANCY),
        (accepted_on, EVE, AgencyReason.AWAITING_TRANSFER),
    ]
    on_start = establishment_on(START).total
    assert (on_start.agency_fte, on_start.vacancy_fte, on_start.in_post_fte) == (0, 0, 1)
    locum.refresh_from_db()
    assert locum.service_start == START and locum.start_origin == StartOrigin.AGENCY


def test_withdrawal_after_acceptance_puts_the_agency_cover_back(team, vacant_post):
    locum = factories.worker(service_start=None)
    factories.assign(
        vacant_post, worker_=locum, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=D(2024, 6, 1)
    )
    app = rf.application(rf.campaign(opens_on=D(2025, 1, 1)), received_on=D(2025, 2, 1), worker=locum)
    rf.progress(app, to="accepted")
    services.withdraw_offer(
        application=app, withdrawn_on=D(2025, 3, 20), reason=rf.decline_reason("withdrew")
    )
    reasons = [(a.start, a.agency_reason) for a in Assignment.objects.filter(worker=locum).order_by("start")]
    assert reasons == [
        (D(2024, 6, 1), AgencyReason.VACANCY),
        (D(2025, 3, 1), AgencyReason.AWAITING_TRANSFER),
        (D(2025, 3, 20), AgencyReason.VACANCY),
    ]
    assert app.stage == Stage.WITHDRAWN


def test_agency_cover_of_the_vacancy_ends_the_day_before_the_start(vacant_post, accepted):
    cover = factories.assign(
        vacant_post, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=D(2024, 1, 1)
    )
    services.start_candidate(application=accepted, post=vacant_post, start_date=START, fte=1)
    cover.refresh_from_db()
    assert cover.end == EVE
    assert establishment_on(START).total.agency_fte == 0


def test_the_start_is_recorded_against_the_user(vacant_post, accepted):
    hr = factories.user("hr1", "hr", staff=True)
    assignment = services.start_candidate(
        application=accepted, post=vacant_post, start_date=START, fte=1, user=hr
    )
    assert assignment.history.latest().history_user == hr
    assert Application.objects.get(pk=accepted.pk).history.latest().history_user == hr


def test_an_existing_assignment_can_be_linked_as_the_start(vacant_post, accepted):
    person = factories.worker(service_start=START)
    assignment = factories.assign(vacant_post, worker_=person, start=START)
    services.record_existing_start(application=accepted, assignment=assignment)
    accepted.refresh_from_db()
    assert (accepted.started_on, accepted.worker, accepted.assignment) == (START, person, assignment)


def test_linking_an_assignment_in_another_roles_post_is_refused(team, accepted):
    post = factories.post(team=team, reference="CPE-TM-2", role_code="team-manager")
    assignment = factories.assign(post, start=START)
    errors = errors_of(services.record_existing_start, application=accepted, assignment=assignment)
    assert errors == {
        "assignment": ["Post CPE-TM-2 is a Team Manager post; this application is for Social Worker."]
    }
