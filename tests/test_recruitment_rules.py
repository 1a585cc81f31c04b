"""The order of an application's stages, each rule with the message a user sees, named by field."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from recruitment import services
from recruitment.models import Application, Campaign, Interview, InterviewOutcome, Stage
from tests import factories
from tests import factories_recruitment as rf

pytestmark = pytest.mark.django_db
D = dt.date


def errors_of(callable_, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        callable_(*args, **kwargs)
    return caught.value.message_dict


@pytest.fixture
def campaign():
    return rf.campaign(opens_on=D(2025, 1, 1))


@pytest.fixture
def app(campaign):
    return rf.application(campaign, received_on=D(2025, 2, 1))


def test_campaign_cannot_close_before_it_opens():
    errors = errors_of(
        services.save_campaign, campaign=Campaign(title="X", opens_on=D(2025, 3, 1), closes_on=D(2025, 2, 1))
    )
    assert errors == {
        "closes_on": ["The campaign cannot close (1 February 2025) before it opens (1 March 2025)."]
    }


def test_only_a_newly_qualified_cohort_has_a_cohort_start():
    errors = errors_of(
        services.save_campaign,
        campaign=Campaign(title="X", opens_on=D(2025, 3, 1), cohort_starts_on=D(2025, 9, 1)),
    )
    assert errors == {"cohort_starts_on": ["Only a newly qualified cohort has a cohort start date."]}


def test_application_cannot_be_received_before_the_campaign_opens(campaign):
    errors = errors_of(rf.application, campaign, received_on=D(2024, 12, 31))
    assert errors["received_on"] == [
        "The campaign opens on 1 January 2025; an application to it cannot be received before then "
        "(31 December 2024)."
    ]


def test_application_must_be_for_one_of_the_campaigns_roles():
    only_sw = rf.campaign(role_codes=("social-worker",))
    errors = errors_of(rf.application, only_sw, role_code="team-manager")
    assert errors == {"role": ["The campaign does not recruit for Team Manager; choose one of its roles."]}


def test_shortlisting_cannot_be_before_the_application(app):
    errors = errors_of(services.shortlist, application=app, shortlisted_on=D(2025, 1, 31))
    assert errors == {
        "shortlisted_on": [
            "The shortlisting (31 January 2025) cannot be before the application was received "
            "(1 February 2025)."
        ]
    }


def test_no_interview_without_shortlisting(app):
    errors = errors_of(services.record_interview, application=app, held_on=D(2025, 2, 10))
    assert errors == {
        "shortlisted_on": ["No interview without shortlisting: record the shortlisting date first."]
    }
    assert not Interview.objects.exists()


def test_interview_cannot_be_before_the_shortlisting(app):
    services.shortlist(application=app, shortlisted_on=D(2025, 2, 10))
    errors = errors_of(services.record_interview, application=app, held_on=D(2025, 2, 9))
    assert errors == {
        "interviews": [
            "The interview on 9 February 2025 cannot be before the shortlisting (10 February 2025)."
        ]
    }


def test_no_offer_without_an_interview(app):
    services.shortlist(application=app, shortlisted_on=D(2025, 2, 10))
    errors = errors_of(services.make_offer, application=app, offered_on=D(2025, 3, 1))
    assert errors == {
        "offered_on": ["No offer without an interview: record the interview the candidate attended."]
    }
    assert Application.objects.get(pk=app.pk).offered_on is None


def test_an_interview_the_candidate_missed_does_not_count(app):
    services.shortlist(application=app, shortlisted_on=D(2025, 2, 10))
    services.record_interview(
        application=app, held_on=D(2025, 2, 20), outcome=InterviewOutcome.DID_NOT_ATTEND
    )
    assert Application.objects.get(pk=app.pk).interviewed_on is None
    errors = errors_of(services.make_offer, application=app, offered_on=D(2025, 3, 1))
    assert "offered_on" in errors


def test_offer_cannot_be_before_the_interview(app):
    services.shortlist(application=app, shortlisted_on=D(2025, 2, 10))
    services.record_interview(application=app, held_on=D(2025, 2, 20))
    errors = errors_of(services.make_offer, application=app, offered_on=D(2025, 2, 19))
    assert errors == {
        "offered_on": ["The offer (19 February 2025) cannot be before the interview (20 February 2025)."]
    }


def test_the_first_interview_attended_is_the_interview_date(app):
    services.shortlist(application=app, shortlisted_on=D(2025, 2, 10))
    services.record_interview(application=app, held_on=D(2025, 2, 25), panel="Second stage")
    services.record_interview(application=app, held_on=D(2025, 2, 20), panel="First stage")
    app.refresh_from_db()
    assert app.interviewed_on == D(2025, 2, 20)
    assert app.stage == Stage.INTERVIEWED


def test_no_acceptance_without_an_offer(app):
    errors = errors_of(services.accept_offer, application=app, accepted_on=D(2025, 3, 1))
    assert errors == {"offer_accepted_on": ["No acceptance without an offer: record the offer date first."]}


def test_acceptance_cannot_be_before_the_offer(app):
    rf.progress(app, to="offered", offered=21)
    errors = errors_of(services.accept_offer, application=app, accepted_on=D(2025, 2, 21))
    assert errors == {
        "offer_accepted_on": [
            "The acceptance (21 February 2025) cannot be before the offer (22 February 2025)."
        ]
    }


def test_an_offer_cannot_be_both_accepted_and_declined(app):
    rf.progress(app, to="accepted")
    errors = errors_of(
        services.decline_offer, application=app, declined_on=D(2025, 3, 5), reason=rf.decline_reason()
    )
    assert errors == {
        "offer_declined_on": ["The offer was accepted on 1 March 2025; record a withdrawal instead."]
    }


def test_a_stage_is_recorded_once(app):
    rf.progress(app, to="shortlisted")
    errors = errors_of(services.shortlist, application=app, shortlisted_on=D(2025, 2, 20))
    assert errors == {"shortlisted_on": ["The shortlisting is already recorded (8 February 2025)."]}


def test_no_start_without_an_accepted_offer(app):
    rf.progress(app, to="offered")
    post = factories.post(team=factories.team())
    errors = errors_of(services.start_candidate, application=app, post=post, start_date=D(2025, 4, 1), fte=1)
    assert errors == {
        "offer_accepted_on": ["No start without an accepted offer: record the acceptance first."]
    }


def test_start_cannot_be_before_the_acceptance(app):
    rf.progress(app, to="accepted")  # accepted 1 March 2025
    post = factories.post(team=factories.team())
    errors = errors_of(services.start_candidate, application=app, post=post, start_date=D(2025, 2, 28), fte=1)
    assert errors == {
        "start_date": ["The start (28 February 2025) cannot be before the offer was accepted (1 March 2025)."]
    }


def test_a_start_cannot_be_typed_in_without_the_start_service(app):
    rf.progress(app, to="accepted")
    app.started_on = D(2025, 4, 1)
    errors = errors_of(services.save_application, application=app)
    assert errors == {"started_on": ["A start needs the assignment it created: use the start service."]}


def test_removing_the_only_interview_of_an_offered_application_is_refused(app):
    rf.progress(app, to="offered")
    errors = errors_of(services.save_application, application=app, interviews=[])
    assert "offered_on" in errors
    assert app.interviews.count() == 1


def test_stage_follows_the_furthest_date(app):
    assert app.stage == Stage.RECEIVED
    rf.progress(app, to="declined")
    assert app.stage == Stage.DECLINED
    assert app.get_stage_display() == "Offer declined"
