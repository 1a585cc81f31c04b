"""Offers declined or withdrawn, and why: the code list, the rule on reasons (one place:
``recruitment.services``), the funnel's table of reasons worked by hand, the admin (single
edits and actions on many) and the applications import."""

import datetime as dt
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from dataio.importing.engine import Source, run_import
from recruitment import services
from recruitment.models import Application, DeclineReason, Stage
from recruitment.selectors import NOT_RECORDED, recruitment_funnel
from tests import factories
from tests import factories_recruitment as rf
from tests.test_recruitment_admin import application_form, messages_of
from workforce.scopes import Scope

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2025, 1, 1), D(2025, 12, 31)


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.message_dict


@pytest.fixture
def campaign():
    return rf.campaign(title="Main", opens_on=D(2024, 12, 1))


@pytest.fixture
def offered(campaign):
    return rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="offered")


# --- The code list -----------------------------------------------------------------------------


def test_the_reasons_are_seeded_in_order():
    assert [(r.code, r.name) for r in DeclineReason.objects.all()] == [
        ("salary", "Salary"),
        ("location-travel", "Location or travel"),
        ("the-role", "The role itself"),
        ("accepted-another-offer", "Accepted another offer"),
        ("withdrew", "Candidate withdrew"),
        ("other", "Other"),
    ]


# --- The rule --------------------------------------------------------------------------------


def test_a_new_decline_needs_a_reason(offered):
    errors = errors_of(services.decline_offer, application=offered, declined_on=D(2025, 3, 1), reason=None)
    assert errors == {
        "decline_reason": [
            "Say why the offer was declined: choose a reason (the list is kept in the admin under Offer "
            "decline reasons)."
        ]
    }
    assert Application.objects.get(pk=offered.pk).offer_declined_on is None


def test_a_new_withdrawal_needs_a_reason_even_after_acceptance(offered):
    services.accept_offer(application=offered, accepted_on=D(2025, 3, 1))
    errors = errors_of(services.withdraw_offer, application=offered, withdrawn_on=D(2025, 3, 9), reason=None)
    assert list(errors) == ["decline_reason"] and "withdrawn" in errors["decline_reason"][0]
    offered.refresh_from_db()
    assert offered.offer_withdrawn_on is None
    services.withdraw_offer(
        application=offered, withdrawn_on=D(2025, 3, 9), reason=rf.decline_reason("accepted-another-offer")
    )
    offered.refresh_from_db()
    assert (offered.stage, offered.decline_reason.code) == (Stage.WITHDRAWN, "accepted-another-offer")


def test_a_reason_belongs_only_to_an_offer_declined_or_withdrawn(offered):
    offered.decline_reason = rf.decline_reason()
    errors = errors_of(services.save_application, application=offered)
    assert errors == {
        "decline_reason": [
            "A reason is recorded only for an offer declined or withdrawn: record the date of the decline "
            "or withdrawal, or clear the reason."
        ]
    }


def test_a_declined_offer_cannot_then_be_withdrawn(offered):
    services.decline_offer(application=offered, declined_on=D(2025, 3, 1), reason=rf.decline_reason())
    errors = errors_of(
        services.withdraw_offer, application=offered, withdrawn_on=D(2025, 3, 5), reason=rf.decline_reason()
    )
    assert errors == {
        "offer_withdrawn_on": ["The offer was declined on 1 March 2025; there is no offer left to withdraw."]
    }


def test_a_retired_reason_stays_where_it_was_given_but_is_not_given_again(campaign):
    first = rf.progress(
        rf.application(campaign, received_on=D(2025, 2, 1)), to="declined", reason="location-travel"
    )
    DeclineReason.objects.filter(code="location-travel").update(active=False)
    second = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="offered")
    errors = errors_of(
        services.decline_offer,
        application=second,
        declined_on=D(2025, 3, 1),
        reason=DeclineReason.objects.get(code="location-travel"),
    )
    assert errors == {"decline_reason": ["The reason “Location or travel” is retired; choose a current one."]}
    first.refresh_from_db()
    first.salary_point = "KR10 point 2"  # an unrelated correction keeps the retired reason
    services.save_application(application=first)
    assert str(Application.objects.get(pk=first.pk).decline_reason) == "Location or travel (retired)"


def test_declines_from_before_reasons_were_kept_stay_not_recorded(offered):
    # As the records were before this version: declined, with no reason.
    Application.objects.filter(pk=offered.pk).update(offer_declined_on=D(2025, 3, 1))
    offered.refresh_from_db()
    offered.salary_point = "KR10 point 4"
    services.save_application(application=offered)  # nothing guessed, nothing demanded
    offered.refresh_from_db()
    assert offered.decline_reason is None
    # HR may add the reason once they know it.
    offered.decline_reason = rf.decline_reason("salary")
    services.save_application(application=offered)
    assert Application.objects.get(pk=offered.pk).decline_reason.code == "salary"


def test_the_reason_is_kept_in_the_history_with_who_gave_it(offered):
    user = factories.user("hr2", "hr", staff=True)
    services.decline_offer(
        application=offered, declined_on=D(2025, 3, 1), reason=rf.decline_reason(), user=user
    )
    latest = offered.history.latest()
    assert (latest.decline_reason.code, latest.history_user) == ("salary", user)


# --- The funnel's table of reasons, worked by hand -----------------------------------------------


@pytest.fixture
def declines(campaign):
    """Offers to applications received in 2025 unless said (received + 28 days: the answer).

    d1 SW salary, declined 01/03    d2 SP salary, declined 29/03 (team two)
    d3 SW another offer, 29/04      d4 SW withdrew, withdrawn 10/03 (before accepting)
    d5 SW accepted, then withdrawn 15/06: withdrew
    d6 SW declined 20/04 before reasons were kept          d7 SW location, 29/06 (retired since)
    d8 newly qualified, the role itself, 29/06             d9 received 15/12/2024: outside
    d10 received 01/12, declined 05/01/2026: after the end  d12 offered, no answer yet
    d11 received 20/01, declined 01/03 and withdrawn 05/03, both before reasons were kept
    """
    one, two = factories.team("Team One"), factories.team("Team Two")

    def app(received, role="social-worker", team=one, **fields):
        return rf.application(campaign, role_code=role, received_on=received, team=team, **fields)

    rf.progress(app(D(2025, 2, 1)), to="declined", reason="salary")
    rf.progress(app(D(2025, 3, 1), role="senior-practitioner", team=two), to="declined", reason="salary")
    rf.progress(app(D(2025, 4, 1)), to="declined", reason="accepted-another-offer")
    rf.progress(app(D(2025, 2, 10)), to="withdrawn", reason="withdrew")
    d5 = rf.progress(app(D(2025, 5, 1)), to="accepted")
    services.withdraw_offer(application=d5, withdrawn_on=D(2025, 6, 15), reason=rf.decline_reason("withdrew"))
    d6 = rf.progress(app(D(2025, 3, 10)), to="offered")
    Application.objects.filter(pk=d6.pk).update(offer_declined_on=D(2025, 4, 20))
    rf.progress(app(D(2025, 6, 1)), to="declined", reason="location-travel")
    rf.progress(app(D(2025, 6, 1), team=None, newly_qualified=True), to="declined", reason="the-role")
    rf.progress(app(D(2024, 12, 15)), to="declined", reason="salary")
    rf.progress(app(D(2025, 12, 1)), to="declined", offered=21, accepted=35, reason="salary")
    d11 = rf.progress(app(D(2025, 1, 20)), to="offered")
    Application.objects.filter(pk=d11.pk).update(
        offer_declined_on=D(2025, 3, 1), offer_withdrawn_on=D(2025, 3, 5)
    )
    rf.progress(app(D(2025, 7, 1)), to="offered")
    DeclineReason.objects.filter(code="location-travel").update(active=False)
    return {"one": one, "two": two}


def table(funnel) -> list[tuple[str, int, int, bool]]:
    return [(row.code, row.declined, row.withdrawn, row.retired) for row in funnel.declines]


def test_offers_declined_or_withdrawn_by_reason_over_the_year(declines):
    funnel = recruitment_funnel(start=START, end=END)
    assert table(funnel) == [
        ("salary", 2, 0, False),  # d1, d2 (d9 before the window, d10 after its end)
        ("location-travel", 1, 0, True),  # d7: retired since, still counted
        ("the-role", 1, 0, False),  # d8: the newly qualified are included
        ("accepted-another-offer", 1, 0, False),  # d3
        ("withdrew", 0, 2, False),  # d4 and d5
        ("other", 0, 0, False),
        (NOT_RECORDED, 1, 1, False),  # d6; d11 counted once, as withdrawn
    ]
    total = funnel.declines_total
    assert (total.declined, total.withdrawn, total.total) == (6, 3, 9)


def test_the_reasons_by_the_end_of_april_and_of_february(declines):
    spring = recruitment_funnel(start=START, end=D(2025, 4, 30))
    assert table(spring) == [
        ("salary", 2, 0, False),
        ("the-role", 0, 0, False),  # a retired reason unused in the window has no row
        ("accepted-another-offer", 1, 0, False),
        ("withdrew", 0, 1, False),
        ("other", 0, 0, False),
        (NOT_RECORDED, 1, 1, False),
    ]
    # By 2 March d11 had declined but not yet been withdrawn.
    winter = recruitment_funnel(start=START, end=D(2025, 3, 2))
    assert [(code, d, w) for code, d, w, _ in table(winter) if d or w] == [
        ("salary", 1, 0),
        (NOT_RECORDED, 1, 0),
    ]


def test_the_reasons_in_a_scope(declines):
    two = recruitment_funnel(start=START, end=END, scope=Scope.team(declines["two"].pk))
    assert [(code, d, w) for code, d, w, _ in table(two) if d or w] == [("salary", 1, 0)]
    assert [row.code for row in two.declines][-1] == NOT_RECORDED
    nobody = recruitment_funnel(start=START, end=END, scope=Scope(team_ids=frozenset()))
    assert nobody.declines_total.total == 0


def test_the_internal_share_of_interviews():
    rf.small_county()
    funnel = recruitment_funnel(start=START, end=END)
    social_workers = funnel.rows[0]
    assert (social_workers.internal_interviewed, social_workers.interviewed) == (1, 5)
    assert str(social_workers.internal_interview_share) == "20.0"
    assert str(funnel.total.internal_interview_share) == "33.3"  # a5 and b1 of 6 interviewed
    assert funnel.newly_qualified.internal_interview_share == 0  # 0 of 1
    assert funnel.rows[2].internal_interview_share is None  # nobody interviewed: "–"


# --- The admin -----------------------------------------------------------------------------------


@pytest.fixture
def hr_client(client):
    client.force_login(factories.user("hr1", "hr", staff=True))
    return client


def offer_form(app: Application, **changes) -> dict:
    """Return the change form of an offered application as the admin posts it, with ``changes``."""
    data = application_form(
        app,
        offered_on=app.offered_on.isoformat(),
        salary_point=app.salary_point,
        **{
            "interviews-TOTAL_FORMS": "1",
            "interviews-INITIAL_FORMS": "1",
            "interviews-0-id": app.interviews.get().pk,
            "interviews-0-application": app.pk,
            "interviews-0-held_on": app.interviewed_on.isoformat(),
            "interviews-0-panel": "",
            "interviews-0-outcome": "appointable",
        },
    )
    return {**data, "decline_reason": "", **changes}


def test_a_decline_without_a_reason_is_refused_on_the_form(hr_client, offered):
    url = reverse("admin:recruitment_application_change", args=[offered.pk])
    response = hr_client.post(url, offer_form(offered, offer_declined_on="2025-03-01"))
    assert response.status_code == 200
    assert "Say why the offer was declined" in response.content.decode()
    assert Application.objects.get(pk=offered.pk).offer_declined_on is None
    salary = rf.decline_reason("salary")
    response = hr_client.post(
        url, offer_form(offered, offer_declined_on="2025-03-01", decline_reason=salary.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    offered.refresh_from_db()
    assert (offered.offer_declined_on, offered.decline_reason) == (D(2025, 3, 1), salary)


def test_the_form_offers_current_reasons_and_the_one_the_application_has(hr_client, campaign):
    app = rf.progress(
        rf.application(campaign, received_on=D(2025, 2, 1)), to="declined", reason="location-travel"
    )
    DeclineReason.objects.filter(code__in=["location-travel", "other"]).update(active=False)
    page = hr_client.get(reverse("admin:recruitment_application_change", args=[app.pk])).content.decode()
    choice = re.search(r'<select name="decline_reason".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", choice)
    assert options == [
        "---------",
        "Salary",
        "Location or travel (retired)",
        "The role itself",
        "Accepted another offer",
        "Candidate withdrew",
    ]


def test_declining_many_offers_at_once_asks_for_the_reason(hr_client, campaign):
    apps = [rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="offered") for _ in range(2)]
    selected = {ACTION_CHECKBOX_NAME: [a.pk for a in apps], "action": "decline_offer"}
    response = hr_client.post(
        reverse("admin:recruitment_application_changelist"), {**selected, "apply": "1", "on": "2025-03-02"}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Application.objects.filter(offer_declined_on__isnull=False).exists()
    reason = rf.decline_reason("accepted-another-offer")
    response = hr_client.post(
        reverse("admin:recruitment_application_changelist"),
        {**selected, "apply": "1", "on": "2025-03-02", "reason": reason.pk},
    )
    assert "Offer declined: 2 applications updated." in messages_of(response)
    assert set(Application.objects.values_list("decline_reason__code", flat=True)) == {
        "accepted-another-offer"
    }


def test_withdrawing_many_offers_at_once_records_the_reason(hr_client, campaign):
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="accepted")
    reason = rf.decline_reason("withdrew")
    response = hr_client.post(
        reverse("admin:recruitment_application_changelist"),
        {
            ACTION_CHECKBOX_NAME: [app.pk],
            "action": "withdraw_offer",
            "apply": "1",
            "on": "2025-03-20",
            "reason": reason.pk,
        },
    )
    assert "Offer withdrawn: 1 applications updated." in messages_of(response)
    app.refresh_from_db()
    assert (app.stage, app.decline_reason) == (Stage.WITHDRAWN, reason)


def test_hr_retire_and_add_reasons_in_the_admin_with_history(hr_client):
    reason = rf.decline_reason("other")
    url = reverse("admin:recruitment_declinereason_change", args=[reason.pk])
    response = hr_client.post(url, {"code": "other", "name": "Other", "active": "", "order": "60"})
    assert response.status_code == 302
    reason.refresh_from_db()
    assert not reason.active and reason.history.latest().history_user.username == "hr1"
    response = hr_client.post(
        reverse("admin:recruitment_declinereason_add"),
        {"code": "failed-checks", "name": "Pre-employment checks not met", "active": "on", "order": "70"},
    )
    assert response.status_code == 302 and DeclineReason.objects.filter(code="failed-checks").exists()
    listed = hr_client.get(reverse("admin:recruitment_declinereason_changelist")).content.decode()
    assert "Pre-employment checks not met" in listed and "Accepted another offer" in listed


# --- The applications import ----------------------------------------------------------------------

HEADER = (
    "campaign,role,email,first_name,last_name,received_on,shortlisted_on,interviewed_on,"
    "interview_outcome,offered_on,offer_declined_on,decline_reason\n"
)
ROW = (
    "Main,Social Worker,{email},A,B,2025-02-01,2025-02-05,2025-02-10,appointable,2025-02-15,"
    "{declined},{reason}\n"
)


def import_rows(*rows: str):
    return run_import([Source("applications.csv", (HEADER + "".join(rows)).encode())])


def test_the_import_takes_the_reason_by_code_or_name(campaign):
    report = import_rows(
        ROW.format(email="a@example.org", declined="2025-02-20", reason="salary"),
        ROW.format(email="b@example.org", declined="2025-02-20", reason="Accepted another offer"),
    )
    assert report.problems == []
    reasons = dict(Application.objects.values_list("email", "decline_reason__code"))
    assert reasons == {"a@example.org": "salary", "b@example.org": "accepted-another-offer"}
    # The same file again, its reason left blank: nothing changes.
    again = import_rows(ROW.format(email="a@example.org", declined="2025-02-20", reason=""))
    assert (
        again.problems == []
        and Application.objects.get(email="a@example.org").decline_reason.code == "salary"
    )


def test_an_import_that_takes_the_decline_away_takes_its_reason_too(campaign):
    assert (
        import_rows(ROW.format(email="a@example.org", declined="2025-02-20", reason="salary")).problems == []
    )
    report = import_rows(ROW.format(email="a@example.org", declined="", reason=""))
    assert report.problems == []
    application = Application.objects.get(email="a@example.org")
    assert (application.offer_declined_on, application.decline_reason) == (None, None)
    assert application.stage == Stage.OFFERED


def test_the_import_names_the_row_and_column_of_a_missing_or_unknown_reason(campaign):
    report = import_rows(
        ROW.format(email="a@example.org", declined="2025-02-20", reason=""),
        ROW.format(email="b@example.org", declined="2025-02-20", reason="pay"),
    )
    assert [str(problem) for problem in report.problems] == [
        "applications.csv, row 2, column decline_reason: Say why the offer was declined: choose a "
        "reason (the list is kept in the admin under Offer decline reasons).",
        "applications.csv, row 3, column decline_reason: there is no offer decline reason 'pay' (the "
        "reasons are: Accepted another offer, Candidate withdrew, Location or travel, Other, Salary, "
        "The role itself)",
    ]
    assert not Application.objects.exists()  # all or nothing


def test_the_sample_declined_offer_comes_with_its_reason():
    from tests.test_import import SAMPLE_FILES

    assert run_import([Source(path.name, path.read_bytes()) for path in SAMPLE_FILES]).problems == []
    assert (
        Application.objects.get(email="priya.shah@example.org").decline_reason.code
        == "accepted-another-offer"
    )
