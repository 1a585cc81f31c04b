"""Recruitment in the admin: single edits, actions on many, the start and the upload, all through services."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import admin_filters
from recruitment import services
from recruitment.models import Application, Interview, Stage
from tests import factories
from tests import factories_recruitment as rf
from workforce.models import AgencyReason, Assignment, Contract
from workforce.selectors import establishment_on

pytestmark = pytest.mark.django_db
D = dt.date
CHANGELIST = reverse("admin:recruitment_application_changelist")


@pytest.fixture
def hr_client(client):
    client.force_login(factories.user("hr1", "hr", staff=True))
    return client


@pytest.fixture
def campaign():
    return rf.campaign(title="Spring", opens_on=D(2025, 1, 1))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def application_form(app: Application, **changes) -> dict:
    data = {
        "campaign": app.campaign_id,
        "role": app.role_id,
        "team": app.team_id or "",
        "received_on": app.received_on.isoformat(),
        "source": "",
        "first_name": app.first_name,
        "last_name": app.last_name,
        "email": app.email,
        "phone": "",
        "worker": app.worker_id or "",
        "start_origin": "",
        "shortlisted_on": app.shortlisted_on.isoformat() if app.shortlisted_on else "",
        "offered_on": "",
        "salary_point": "",
        "salary": "",
        "market_premium": "",
        "start_planned_on": "",
        "offer_accepted_on": "",
        "offer_declined_on": "",
        "offer_withdrawn_on": "",
        "interviews-TOTAL_FORMS": "0",
        "interviews-INITIAL_FORMS": "0",
        "interviews-MIN_NUM_FORMS": "0",
        "interviews-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_an_offer_without_an_interview_is_refused_on_the_form(hr_client, campaign):
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="shortlisted")
    url = reverse("admin:recruitment_application_change", args=[app.pk])
    response = hr_client.post(url, application_form(app, offered_on="2025-03-01"))
    assert response.status_code == 200
    assert (
        "Offered on: No offer without an interview: record the interview the candidate attended."
        in response.content.decode()
    )
    assert Application.objects.get(pk=app.pk).offered_on is None


def test_an_interview_and_the_offer_can_be_recorded_together(hr_client, campaign):
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="shortlisted")
    url = reverse("admin:recruitment_application_change", args=[app.pk])
    data = application_form(
        app,
        offered_on="2025-03-01",
        **{
            "interviews-TOTAL_FORMS": "1",
            "interviews-0-held_on": "2025-02-20",
            "interviews-0-panel": "Team manager, HR adviser",
            "interviews-0-outcome": "appointable",
        },
    )
    response = hr_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    app.refresh_from_db()
    assert (app.interviewed_on, app.offered_on, app.stage) == (D(2025, 2, 20), D(2025, 3, 1), Stage.OFFERED)
    assert app.history.latest().history_user.username == "hr1"


def test_an_interview_before_the_shortlisting_is_refused_in_the_inline(hr_client, campaign):
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="shortlisted")
    data = application_form(
        app,
        **{
            "interviews-TOTAL_FORMS": "1",
            "interviews-0-held_on": "2025-02-02",
            "interviews-0-outcome": "pending",
        },
    )
    response = hr_client.post(reverse("admin:recruitment_application_change", args=[app.pk]), data)
    assert (
        "Interviews: The interview on 2 February 2025 cannot be before the shortlisting (8 February 2025)."
    ) in (
        response.content.decode()
    )
    assert not Interview.objects.exists()


def test_applications_are_logged_one_by_one_on_the_campaign(hr_client, campaign):
    url = reverse("admin:recruitment_campaign_change", args=[campaign.pk])
    data = {
        "title": "Spring",
        "roles": [r.pk for r in campaign.roles.all()],
        "opens_on": "2025-01-01",
        "closes_on": "",
        "channels": [],
        "partner_name": "",
        "cost": "0",
        "target_hires": "",
        "cohort_starts_on": "",
        "applications-TOTAL_FORMS": "2",
        "applications-INITIAL_FORMS": "0",
        "applications-MIN_NUM_FORMS": "0",
        "applications-MAX_NUM_FORMS": "1000",
        "applications-0-first_name": "Ada",
        "applications-0-last_name": "Lovelace",
        "applications-0-role": factories.role().pk,
        "applications-0-received_on": "2025-02-01",
        "applications-1-first_name": "Too",
        "applications-1-last_name": "Early",
        "applications-1-role": factories.role().pk,
        "applications-1-received_on": "2024-12-01",
    }
    response = hr_client.post(url, data)
    content = response.content.decode()
    assert "an application to it cannot be received before then (1 December 2024)" in content
    assert not Application.objects.exists()
    data["applications-TOTAL_FORMS"] = "1"
    assert hr_client.post(url, data).status_code == 302
    assert Application.objects.get().full_name == "Ada Lovelace"


def select(action: str, apps, **fields) -> dict:
    return {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in apps], **fields}


def test_shortlisting_many_reports_each_failure_and_does_the_rest(hr_client, campaign):
    fresh = rf.application(campaign, received_on=D(2025, 2, 1), first_name="Fresh")
    done = rf.progress(
        rf.application(campaign, received_on=D(2025, 2, 1), first_name="Done"), to="shortlisted"
    )
    late = rf.application(campaign, received_on=D(2025, 3, 1), first_name="Late")
    asked = hr_client.post(CHANGELIST, select("shortlist", [fresh, done, late]))
    assert asked.status_code == 200 and "3 applications selected" in asked.content.decode()
    response = hr_client.post(
        CHANGELIST, select("shortlist", [fresh, done, late], on="2025-02-10", apply="1")
    )
    assert response.status_code == 302
    got = messages_of(response)
    assert f"Done {done.last_name}: The shortlisting is already recorded (8 February 2025)." in got
    assert (
        f"Late {late.last_name}: The shortlisting (10 February 2025) cannot be before the application was "
        "received (1 March 2025)." in got
    )
    assert "Shortlist: 1 applications updated." in got
    fresh.refresh_from_db()
    assert fresh.shortlisted_on == D(2025, 2, 10)


def test_interview_offer_and_acceptance_actions(hr_client, campaign):
    team = factories.team()
    post = factories.post(team=team)
    locum = factories.worker(service_start=None)
    factories.assign(
        post, worker_=locum, contract=Contract.AGENCY, reason=AgencyReason.VACANCY, start=D(2024, 1, 1)
    )
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1), worker=locum), to="shortlisted")
    hr_client.post(
        CHANGELIST,
        select("record_interview", [app], held_on="2025-02-20", panel="TM", outcome="appointable", apply=1),
    )
    hr_client.post(
        CHANGELIST, select("make_offer", [app], offered_on="2025-02-25", salary_point="KR10/3", apply=1)
    )
    hr_client.post(CHANGELIST, select("accept_offer", [app], on="2025-03-01", apply=1))
    app.refresh_from_db()
    assert (app.interviewed_on, app.offered_on, app.salary_point, app.offer_accepted_on) == (
        D(2025, 2, 20),
        D(2025, 2, 25),
        "KR10/3",
        D(2025, 3, 1),
    )
    reasons = establishment_on(D(2025, 3, 1)).agency_fte_by_reason
    assert reasons[AgencyReason.AWAITING_TRANSFER] == 1 and reasons[AgencyReason.VACANCY] == 0


def test_starting_a_candidate_from_the_admin_fills_the_post(hr_client, campaign):
    team = factories.team("Assessment North")
    post = factories.post(team=team, reference="AN-SW-1")
    factories.post(team=team, reference="AN-TM-1", role_code="team-manager")
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="accepted")
    url = reverse("admin:recruitment_application_start", args=[app.pk])
    page = hr_client.get(url).content.decode()
    assert "AN-SW-1 – Assessment North (1.0 FTE vacant" in page and "AN-TM-1" not in page
    change = reverse("admin:recruitment_application_change", args=[app.pk])
    assert url in hr_client.get(change).content.decode()  # the "Start the candidate" button

    early = hr_client.post(
        url, {"post": post.pk, "start_date": "2025-02-01", "fte": "1", "contract": "permanent"}
    )
    assert (
        "The start (1 February 2025) cannot be before the offer was accepted (1 March 2025)."
        in early.content.decode()
    )

    response = hr_client.post(
        url,
        {
            "post": post.pk,
            "start_date": "2025-04-01",
            "fte": "1",
            "contract": "permanent",
            "end_vacancy_cover": "on",
        },
    )
    assert response.status_code == 302
    assert "starts in AN-SW-1 on 1 April 2025" in messages_of(response)[0]
    assert establishment_on(D(2025, 4, 1)).total.vacancy_fte == 1  # only the team manager post
    assert Assignment.objects.get(post=post).worker.full_name == app.full_name


def test_starting_many_picks_a_vacant_post_of_each_role_and_reports_who_could_not_start(hr_client, campaign):
    team = factories.team()
    factories.post(team=team, reference="SW-A")
    apps = [rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="accepted") for _ in range(2)]
    response = hr_client.post(
        CHANGELIST,
        select(
            "start_in_vacant_posts", apps, start_date="2025-04-01", fte="1", contract="permanent", apply=1
        ),
    )
    got = messages_of(response)
    assert "Start: 1 applications updated." in got
    assert any("No Social Worker post has 1 FTE vacant on 1 April 2025." in m for m in got)
    assert Application.objects.filter(started_on=D(2025, 4, 1)).count() == 1


def test_upload_previews_then_imports_all(hr_client, campaign):
    url = reverse("admin:recruitment_campaign_upload", args=[campaign.pk])
    content = b"first_name,last_name,role,received_on\nAda,Lovelace,Social Worker,03/02/2025\n"
    preview = hr_client.post(url, {"file": SimpleUploadedFile("a.csv", content)})
    assert "Preview: 1 application to import" in preview.content.decode()
    assert not Application.objects.exists()
    done = hr_client.post(url, {"confirm": "1"})
    assert done.status_code == 302
    assert "Imported 1 applications." in messages_of(done)
    assert Application.objects.get().full_name == "Ada Lovelace"


def test_upload_with_a_bad_row_shows_the_row_and_imports_nothing(hr_client, campaign):
    url = reverse("admin:recruitment_campaign_upload", args=[campaign.pk])
    content = (
        b"first_name,last_name,role,received_on\nAda,Lovelace,Social Worker,03/02/2025\nBo,Peep,Chef,x\n"
    )
    page = hr_client.post(url, {"file": SimpleUploadedFile("a.csv", content)}).content.decode()
    assert "<td>3</td><td>role</td><td>&#x27;Chef&#x27; is not one of this campaign&#x27;s roles" in page
    assert "Import these" not in page
    hr_client.post(url, {"confirm": "1"})
    assert not Application.objects.exists()


def test_managers_have_no_recruitment_admin(client, campaign):
    client.force_login(factories.user("mgr", "manager", staff=True))
    assert client.get(CHANGELIST).status_code == 403


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(campaign, n: int) -> None:
    team = factories.team()
    for _ in range(n):
        rf.progress(rf.application(campaign, received_on=D(2025, 2, 1), team=team), to="offered")
        rf.campaign(opens_on=D(2025, 2, 1))


@pytest.mark.parametrize("model", ["campaign", "application", "channel"])
def test_changelists_do_not_grow_queries_with_rows(hr_client, campaign, model):
    url = reverse(f"admin:recruitment_{model}_changelist")
    grow(campaign, 3)
    small = queries_for(hr_client, url)
    grow(campaign, 15)
    assert queries_for(hr_client, url) == small


@pytest.mark.parametrize(
    ("model", "filters", "listed", "searched"),
    [
        # 15: the offer decline reasons are listed to filter by.
        ("application", {}, 15, 15),
        ("application", {"campaign": "the campaign", "received_on_period": "2025"}, 15, 16),
        ("campaign", {}, 15, 15),
        ("campaign", {"opens_on_period": "2025"}, 15, 15),
    ],
)
def test_changelist_queries_are_pinned_with_the_filters(
    hr_client, campaign, monkeypatch, django_assert_num_queries, model, filters, listed, searched
):
    """Campaigns are listed while few and searched for by title when many (at 40,000
    posts): a chosen one searched for costs one query for its title, no more."""
    grow(campaign, 2)
    params = {name: campaign.pk if value == "the campaign" else value for name, value in filters.items()}
    url = reverse(f"admin:recruitment_{model}_changelist")
    with django_assert_num_queries(listed):
        assert hr_client.get(url, params).status_code == 200
    monkeypatch.setattr(admin_filters, "SHORT_LIST", 0)
    with django_assert_num_queries(searched):
        assert hr_client.get(url, params).status_code == 200


def test_campaign_page_shows_its_applications_without_a_query_each(hr_client, campaign):
    url = reverse("admin:recruitment_campaign_change", args=[campaign.pk])
    grow(campaign, 3)
    small = queries_for(hr_client, url)
    grow(campaign, 15)
    page = hr_client.get(url).content.decode()
    assert queries_for(hr_client, url) == small
    assert page.count('class="inlineviewlink"') == 18  # each links to its own page, to move its stages


def test_application_page_does_not_grow_with_interviews(hr_client, campaign):
    app = rf.progress(rf.application(campaign, received_on=D(2025, 2, 1)), to="offered")
    url = reverse("admin:recruitment_application_change", args=[app.pk])
    small = queries_for(hr_client, url)
    for day in (3, 4, 5):
        services.record_interview(application=app, held_on=D(2025, 3, day))
    assert queries_for(hr_client, url) == small


def test_the_director_can_look_but_not_move_applications(client, campaign):
    client.force_login(factories.user("dir", "director", staff=True))
    app = rf.application(campaign, received_on=D(2025, 2, 1))
    page = client.get(CHANGELIST).content.decode()
    assert app.last_name in page and "Shortlist the selected applications" not in page
    client.post(CHANGELIST, select("shortlist", [app], on="2025-02-10", apply="1"))
    app.refresh_from_db()
    assert app.shortlisted_on is None
    assert client.get(reverse("admin:recruitment_application_start", args=[app.pk])).status_code == 403
