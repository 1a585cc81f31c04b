"""The leavers page, the exit conversation form and the admin, as each kind of user meets them."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leavers.models import ExitConversation, Leaver
from tests import factories
from tests import factories_leavers as lf
from workforce import team_choice
from workforce.models import Assignment

pytestmark = pytest.mark.django_db
URL = reverse("leavers:leavers")
FORM_URL = reverse("leavers:conversation")


@pytest.fixture(autouse=True)
def mid_july_2019():
    with time_machine.travel(dt.datetime(2019, 7, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def county():
    mine = factories.team("Child Protection East")
    other = factories.team("Disabled Children North")
    hr = factories.user("hr1", "hr", staff=True)
    own = lf.leaver(team=mine, first_name="Mina", last_name="Mineteam", leaving_date=dt.date(2019, 5, 31))
    recorded = lf.leaver(
        team=mine, first_name="Rhys", last_name="Recorded", leaving_date=dt.date(2019, 4, 30)
    )
    lf.conversation(
        recorded, user=hr, quote="…wanted a new opportunity", quote_consent=True, notes="Secret note"
    )
    theirs = lf.leaver(
        team=other, first_name="Olwen", last_name="Otherteam", leaving_date=dt.date(2019, 6, 28)
    )
    lf.conversation(theirs, user=hr, quote="Do not quote me", notes="Other team's note")
    return {"mine": mine, "other": other, "own": own, "recorded": recorded, "theirs": theirs, "hr": hr}


def login(client, username, group, **kwargs):
    user = factories.user(username, group, **kwargs)
    client.force_login(user)
    return user


def form_data(leaver, **changes):
    data = {
        "leaver": leaver.pk,
        "held_on": "2019-05-20",
        "destination": lf.destination("agency-local").pk,
        "reasons": [r.pk for r in lf.reasons("better-pay", "workload")],
        "notes": "Offered flexible working; declined.",
        "quote": "…went locum for the money",
        "quote_consent": "on",
    }
    data.update(changes)
    return data


# --- the page ------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_manager_sees_their_teams_leavers_with_conversations_due_highlighted(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    response = client.get(URL)
    page = response.content.decode()
    assert "Mina Mineteam" in page and "Rhys Recorded" in page
    assert "Olwen" not in page and "Otherteam" not in page and "Do not quote me" not in page
    rows = {row.record.worker.last_name: row for row in response.context["table"].rows}
    assert set(rows) == {"Mineteam", "Recorded"}
    assert '<tr class="due' in page and "Exit conversation due" in page
    assert f"{FORM_URL}?leaver={county['own'].pk}" in page
    assert "…wanted a new opportunity" in page  # a consented quote from their own team
    analysis = response.context["analysis"]
    assert (analysis.total, analysis.without_conversation) == (2, 1)


def test_manager_cannot_see_another_team_by_editing_the_filter(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    response = client.get(URL, {"team": county["other"].pk})
    assert "team" in response.context["filter"].form.errors
    assert "Olwen" not in response.content.decode()
    assert response.context["analysis"].total == 2


def test_filters_narrow_by_period_category_and_conversation(client, county):
    login(client, "hr2", "hr")
    due = client.get(URL, {"conversation": "due"})
    assert [row.record.worker.last_name for row in due.context["table"].rows] == ["Mineteam"]
    recorded = client.get(URL, {"conversation": "recorded", "team": county["other"].pk})
    assert [row.record.worker.last_name for row in recorded.context["table"].rows] == ["Otherteam"]
    may = client.get(URL, {"period_after": "2019-05-01", "period_before": "2019-05-31"})
    assert [row.record.worker.last_name for row in may.context["table"].rows] == ["Mineteam"]
    assert may.context["analysis"].total == 1
    other_category = client.get(URL, {"category": lf.category("dismissal").pk})
    assert len(other_category.context["table"].rows) == 0


def test_the_service_area_narrows_the_list_the_analysis_and_the_teams_offered(client, county):
    login(client, "hr2", "hr")
    care = factories.team("Children in Care West", area=factories.service_area("Children in Care"))
    lf.leaver(team=care, first_name="Cara", last_name="Careteam", leaving_date=dt.date(2019, 6, 1))
    response = client.get(URL, {"service_area": care.service_area.pk})
    assert [row.record.worker.last_name for row in response.context["table"].rows] == ["Careteam"]
    assert response.context["analysis"].total == 1
    assert response.context["analysis"].scope.label == "Children in Care"
    page = response.content.decode()
    assert f'<option value="{care.pk}">Children in Care West</option>' in page
    assert ">Child Protection East</option>" not in page  # a Child Protection team
    both = client.get(URL, {"service_area": care.service_area.pk, "team": county["mine"].pk})
    assert len(both.context["table"].rows) == 0 and both.context["analysis"].total == 0


def test_too_many_teams_to_list_ask_for_the_service_area_first(client, county, monkeypatch):
    monkeypatch.setattr(team_choice, "TEAM_LIST_LIMIT", 1)
    login(client, "hr2", "hr")
    page = client.get(URL).content.decode()
    assert f'<div id="id_team-hint" class="govuk-hint">{team_choice.CHOOSE_AREA_FIRST}</div>' in page
    assert 'aria-describedby="id_team-hint"' in page
    assert ">Child Protection East</option>" not in page
    area = client.get(URL, {"service_area": county["mine"].service_area.pk}).content.decode()
    assert ">Child Protection East</option>" in area and team_choice.CHOOSE_AREA_FIRST not in area


def test_the_period_defaults_to_the_twelve_months_to_today(client, county):
    login(client, "hr2", "hr")
    lf.leaver(team=county["mine"], last_name="Longgone", leaving_date=dt.date(2018, 7, 15))
    response = client.get(URL)
    assert "Longgone" not in response.content.decode()
    assert (response.context["start"], response.context["end"]) == (
        dt.date(2018, 7, 16),
        dt.date(2019, 7, 15),
    )


def test_hr_and_the_director_see_every_team(client, county):
    login(client, "dir", "director")
    page = client.get(URL).content.decode()
    assert "Olwen Otherteam" in page and "Mina Mineteam" in page
    assert FORM_URL not in page  # the director reads; managers record


def test_reader_sees_figures_but_no_names_notes_or_quotes(client, county):
    login(client, "rdr", "reader")
    response = client.get(URL)
    page = response.content.decode()
    assert response.context["table"] is None
    assert response.context["analysis"].total == 3
    for private in ("Mina", "Mineteam", "Olwen", "Rhys", "Secret note", "…wanted a new opportunity"):
        assert private not in page
    # No staff reference (W and five digits); a random CSRF token may hold "W0" by chance.
    assert not re.search(r"\bW\d{5}\b", page)
    assert "Resignation to new employment" in page


def test_page_query_count_does_not_grow_with_leavers(client, county):
    login(client, "hr2", "hr")
    client.get(URL)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    small = count()
    team = factories.team(area=factories.service_area())
    for _ in range(10):
        factories.team(area=factories.service_area())
    for week in range(20):
        leaver = lf.leaver(team=team, leaving_date=dt.date(2019, 1, 1) + dt.timedelta(days=week * 7))
        if week % 2:
            lf.conversation(leaver, user=county["hr"])
    assert count() == small
    # session, user, groups; the user's and groups' permissions (the record link); the
    # rows' count; the six queries of the analysis; service area, team, role and category
    # choices; the page of rows; the session's save (savepoint, update, release).
    assert small == 20


# --- the exit conversation form ------------------------------------------------------


def test_manager_records_the_exit_conversation(client, county):
    manager = login(client, "mgr", "manager", teams=[county["mine"]])
    page = client.get(FORM_URL, {"leaver": county["own"].pk}).content.decode()
    assert "Mina Mineteam" in page
    response = client.post(FORM_URL, form_data(county["own"]))
    assert response.status_code == 302 and response["Location"] == URL
    conversation = ExitConversation.objects.get(leaver=county["own"])
    assert conversation.recorded_by == manager
    assert conversation.quote_consent is True
    assert sorted(conversation.reasons.values_list("code", flat=True)) == ["better-pay", "workload"]
    assert "Recorded 20 May 2019" in client.get(URL).content.decode()


def test_manager_can_correct_their_conversation(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    page = client.get(FORM_URL, {"leaver": county["recorded"].pk}).content.decode()
    assert "Change the exit conversation" in page and "Secret note" in page
    client.post(FORM_URL, form_data(county["recorded"], reasons=[lf.reasons("caring")[0].pk]))
    assert list(county["recorded"].exit_conversation.reasons.values_list("code", flat=True)) == ["caring"]


def test_manager_cannot_open_another_teams_leavers_form(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    response = client.get(FORM_URL, {"leaver": county["theirs"].pk})
    assert response.status_code == 404
    assert "Olwen" not in response.content.decode()


def test_manager_cannot_post_another_teams_leaver(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    before = county["theirs"].exit_conversation.notes
    response = client.post(FORM_URL, form_data(county["theirs"], notes="Overwritten"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "That leaver is not one of your teams&#x27; leavers." in page
    assert "Olwen" not in page and "Other team&#x27;s note" not in page
    assert ExitConversation.objects.get(leaver=county["theirs"]).notes == before


def test_form_shows_each_rule_against_its_field(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    response = client.post(FORM_URL, form_data(county["own"], reasons=[], quote="", held_on="2019-08-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "reasons" in errors
    assert not ExitConversation.objects.filter(leaver=county["own"]).exists()
    response = client.post(FORM_URL, form_data(county["own"], quote="", held_on="2019-08-01"))
    errors = response.context["form"].errors
    assert errors["held_on"] == ["The conversation cannot be dated in the future."]
    assert errors["quote"] == ["There is no quote to consent to: enter the quote, or untick the consent."]


def test_retired_reasons_are_not_offered_on_new_conversations(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    journey = lf.reasons("journey")[0]
    journey.active = False
    journey.save()
    page = client.get(FORM_URL, {"leaver": county["own"].pk}).content.decode()
    assert "Journey to work" not in page and "Better pay elsewhere" in page


@pytest.mark.parametrize("group", ["director", "reader"])
def test_readers_and_the_director_cannot_use_the_form(client, county, group):
    login(client, "someone", group)
    assert client.get(FORM_URL, {"leaver": county["own"].pk}).status_code == 403
    assert client.post(FORM_URL, form_data(county["own"])).status_code == 403


# --- the admin -----------------------------------------------------------------------


@pytest.fixture
def staff_manager(client, county):
    """A manager who has been given admin access to leavers: still only their own teams."""
    user = login(client, "mgr", "manager", teams=[county["mine"]], staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="leavers", codename__in=["view_leaver", "view_exitconversation"]
        )
    )
    return user


def test_manager_cannot_open_another_teams_leaver_in_the_admin(client, county, staff_manager):
    listing = client.get(reverse("admin:leavers_leaver_changelist")).content.decode()
    assert "Mineteam" in listing and "Otherteam" not in listing
    response = client.get(reverse("admin:leavers_leaver_change", args=[county["theirs"].pk]))
    assert response.status_code == 302  # "does not exist": sent back to the admin index
    conversation = county["theirs"].exit_conversation
    response = client.get(reverse("admin:leavers_exitconversation_change", args=[conversation.pk]))
    assert response.status_code == 302
    mine = client.get(
        reverse("admin:leavers_exitconversation_change", args=[county["recorded"].exit_conversation.pk])
    )
    assert mine.status_code == 200


def test_a_plain_manager_cannot_reach_the_admin(client, county):
    login(client, "mgr", "manager", teams=[county["mine"]])
    response = client.get(reverse("admin:leavers_leaver_change", args=[county["own"].pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hr_records_a_leaver_in_the_admin_and_the_post_falls_vacant(client, county):
    client.force_login(county["hr"])
    post = factories.post(team=county["mine"], reference="CSC-9")
    person = lf.employee_in(post, start=dt.date(2018, 2, 1))
    response = client.post(
        reverse("admin:leavers_leaver_add"),
        {"worker": person.pk, "leaving_date": "2019-06-30", "category": lf.category("resignation-other").pk},
    )
    assert response.status_code == 302, response.content.decode()
    leaver = Leaver.objects.get(worker=person)
    assert (leaver.service_years, leaver.recorded_by) == (1, county["hr"])
    assert Assignment.objects.get(worker=person).end == dt.date(2019, 6, 30)


def test_recording_a_leaver_twice_in_the_admin_shows_the_rule(client, county):
    client.force_login(county["hr"])
    own = county["own"]
    response = client.post(
        reverse("admin:leavers_leaver_add"),
        {"worker": own.worker.pk, "leaving_date": "2019-05-31", "category": lf.category().pk},
    )
    assert response.status_code == 200
    assert "is already recorded as leaving on 31 May 2019" in response.content.decode()
    assert Leaver.objects.filter(worker=own.worker).count() == 1


def test_hr_edits_an_exit_conversation_in_the_admin(client, county):
    client.force_login(county["hr"])
    conversation = county["theirs"].exit_conversation
    response = client.post(
        reverse("admin:leavers_exitconversation_change", args=[conversation.pk]),
        {
            "held_on": "2019-06-20",
            "destination": lf.destination("not-known").pk,
            "reasons": [lf.reasons("health")[0].pk],
            "notes": "Corrected by HR",
            "quote": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    conversation.refresh_from_db()
    assert conversation.notes == "Corrected by HR"
    assert list(conversation.reasons.values_list("code", flat=True)) == ["health"]
    assert conversation.history.count() >= 2


@pytest.mark.parametrize(
    "model", ["leaver", "exitconversation", "leavingcategory", "destination", "exitreason"]
)
def test_admin_changelists_do_not_grow_queries_with_rows(client, county, model):
    client.force_login(county["hr"])
    url = reverse(f"admin:leavers_{model}_changelist")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    team = factories.team()
    for week in range(8):
        leaver = lf.leaver(team=team, leaving_date=dt.date(2019, 1, 1) + dt.timedelta(days=week * 7))
        lf.conversation(leaver, user=county["hr"])
    assert count() == small


def test_hr_opens_every_leavers_admin_page(client, county):
    client.force_login(county["hr"])
    conversation = county["recorded"].exit_conversation
    for url in (
        reverse("admin:leavers_leaver_add"),
        reverse("admin:leavers_leaver_change", args=[county["own"].pk]),
        reverse("admin:leavers_exitconversation_add"),
        reverse("admin:leavers_exitconversation_change", args=[conversation.pk]),
        reverse("admin:leavers_leaver_history", args=[county["own"].pk]),
        reverse("admin:leavers_leavingcategory_change", args=[lf.category().pk]),
    ):
        assert client.get(url).status_code == 200, url
    add_page = client.get(reverse("admin:leavers_exitconversation_add")).content.decode()
    choices = add_page.split('name="leaver"')[1].split("</select>")[0]
    assert "Mineteam" in choices and "Recorded" not in choices  # only leavers without one yet
