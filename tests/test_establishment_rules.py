"""Each rule of the establishment, with the message a user sees, named by field."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from workforce import services
from workforce.models import Absence, AbsenceReason, Assignment, Contract, Funding, Post, Worker
from workforce.rules import peak_fte
from workforce.selectors import posts_on

pytestmark = pytest.mark.django_db
D = dt.date


def errors_of(callable_, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return caught.value.message_dict


@pytest.fixture
def team():
    return factories.team()


@pytest.mark.parametrize("fte", ["0", "-0.5", "1.01", "2"])
def test_post_fte_must_be_more_than_zero_and_at_most_one(team, fte):
    post = Post(reference="X1", team=team, role=factories.role(), fte=Decimal(fte), active_from=D(2020, 1, 1))
    errors = errors_of(services.save_post, post=post)
    assert errors["fte"] == ["FTE must be more than 0 and no more than 1 (for example 0.5 for a half post)."]
    assert not Post.objects.filter(reference="X1").exists()


def test_half_post_is_accepted(team):
    assert factories.post(team=team, fte="0.5").fte == Decimal("0.5")


def test_post_cannot_end_before_it_starts(team):
    post = Post(
        reference="X2",
        team=team,
        role=factories.role(),
        fte=1,
        active_from=D(2020, 5, 1),
        active_to=D(2020, 4, 30),
    )
    assert errors_of(services.save_post, post=post) == {
        "active_to": ["The post's active-to date cannot be before its active-from date."]
    }


def test_assignment_cannot_end_before_it_starts(team):
    post = factories.post(team=team)
    errors = errors_of(factories.assign, post, start=D(2020, 5, 1), end=D(2020, 4, 1))
    assert errors == {"end": ["The assignment cannot end before it starts."]}


def test_assignment_fte_range_names_the_field(team):
    post = factories.post(team=team)
    errors = errors_of(factories.assign, post, fte="1.5")
    assert "FTE must be more than 0" in errors["fte"][0]


def test_employees_cannot_overfill_a_post(team):
    post = factories.post(team=team, fte="1.0", reference="CSC-9")
    factories.assign(post, fte="0.6", start=D(2020, 1, 1))
    errors = errors_of(factories.assign, post, fte="0.6", start=D(2021, 1, 1))
    assert errors["fte"] == [
        "Post CSC-9 is 1 FTE; with this assignment its employees would hold 1.2 FTE on one day. "
        "Employees in a post cannot add up to more than the post's FTE (end the other assignment first)."
    ]
    assert Assignment.objects.filter(post=post).count() == 1


def test_job_share_that_fits_is_accepted(team):
    post = factories.post(team=team, fte="1.0")
    factories.assign(post, fte="0.6")
    factories.assign(post, fte="0.4", contract=Contract.FIXED_TERM)
    assert posts_on(D(2024, 1, 1)).get(pk=post.pk).vacancy_fte == 0


def test_overfill_is_checked_on_every_day_not_only_the_start(team):
    post = factories.post(team=team, fte="1.0")
    factories.assign(post, fte="0.5", start=D(2020, 1, 1), end=D(2020, 12, 31))
    factories.assign(post, fte="0.5", start=D(2021, 6, 1))
    # Starts before both and runs open-ended: overlaps the second one from June 2021.
    with pytest.raises(ValidationError):
        factories.assign(post, fte="0.6", start=D(2021, 1, 1))


def test_successor_may_start_the_day_after_the_leaver(team):
    post = factories.post(team=team, fte="1.0")
    factories.assign(post, fte="1.0", start=D(2020, 1, 1), end=D(2020, 6, 30))
    factories.assign(post, fte="1.0", start=D(2020, 7, 1))
    assert Assignment.objects.filter(post=post).count() == 2


def test_agency_cover_does_not_count_against_the_post(team):
    post = factories.post(team=team, fte="1.0")
    factories.assign(post, fte="1.0")
    factories.assign(post, fte="1.0", contract=Contract.AGENCY, reason="maternity")
    assert Assignment.objects.filter(post=post).count() == 2


def test_agency_assignment_needs_a_reason(team):
    post = factories.post(team=team)
    errors = errors_of(factories.assign, post, contract=Contract.AGENCY, reason="")
    assert errors["agency_reason"][0].startswith("An agency assignment needs a reason")


def test_employee_assignment_cannot_carry_an_agency_reason(team):
    post = factories.post(team=team)
    assignment = Assignment(
        worker=factories.worker(),
        post=post,
        start=D(2020, 1, 1),
        fte=1,
        contract=Contract.PERMANENT,
        agency_reason="vacancy",
    )
    assert errors_of(services.save_assignment, assignment=assignment) == {
        "agency_reason": ["Only agency assignments have an agency reason and supplier."]
    }


def test_assignment_must_fall_within_the_post(team):
    post = factories.post(team=team, active_from=D(2020, 1, 1), active_to=D(2020, 12, 31), reference="CSC-7")
    before = errors_of(factories.assign, post, start=D(2019, 1, 1))
    assert "only active from 1 January 2020" in before["start"][0]
    assert "ends on 31 December 2020" in errors_of(factories.assign, post, start=D(2020, 2, 1))["end"][0]


def test_worker_cannot_exceed_one_fte_across_posts(team):
    person = factories.worker(staff_reference="E777")
    factories.assign(factories.post(team=team), worker_=person, fte="0.6")
    errors = errors_of(factories.assign, factories.post(team=team), worker_=person, fte="0.6")
    assert errors["fte"] == [
        "E777 would work 1.2 FTE on one day across their assignments; a worker cannot exceed 1.0 FTE."
    ]


@pytest.mark.parametrize("number", ["SW12345", "S10000012345", "SW00000123456", "1200000012345"])
def test_social_work_england_number_has_the_census_format(number):
    worker = Worker(staff_reference="E1", first_name="A", last_name="B", swe_number=number)
    errors = errors_of(services.save_worker, worker=worker)
    assert errors["swe_number"] == [
        "Social Work England number must be two letters followed by ten digits "
        "(the census format, for example SW0000012345)."
    ]


def test_social_work_england_number_is_stored_upper_case():
    assert factories.worker(swe_number="sw0000012345").swe_number == "SW0000012345"


def test_temporary_post_cannot_have_a_vacancy(team):
    temporary = factories.post(team=team, funding=Funding.TEMPORARY)
    establishment = factories.post(team=team)
    rows = {p.pk: p for p in posts_on(D(2024, 1, 1))}
    assert rows[temporary.pk].vacancy_fte == 0
    assert rows[establishment.pk].vacancy_fte == 1


def test_absence_cannot_end_before_it_starts():
    person = factories.worker()
    absence = Absence(worker=person, reason=AbsenceReason.SIC, start=D(2020, 3, 2), end=D(2020, 3, 1))
    assert errors_of(services.save_absence, absence=absence) == {
        "end": ["The absence cannot end before it starts."]
    }


def test_peak_fte_sweeps_every_day():
    intervals = [(D(2020, 1, 1), D(2020, 1, 31), Decimal("0.5")), (D(2020, 1, 31), None, Decimal("0.5"))]
    assert peak_fte(intervals, start=D(2020, 1, 1), end=None) == Decimal("1.0")
    assert peak_fte(intervals, start=D(2020, 2, 1), end=None) == Decimal("0.5")
    back_to_back = [(D(2020, 1, 1), D(2020, 1, 31), Decimal("1")), (D(2020, 2, 1), None, Decimal("1"))]
    assert peak_fte(back_to_back, start=D(2019, 1, 1), end=None) == Decimal("1")
