"""The establishment in the admin: rules shown on the form, no N+1 on changelists."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access import admin_filters
from tests import factories
from workforce.models import AbsenceReason, AgencyReason, Assignment, Contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client):
    client.force_login(factories.user("hr1", "hr", staff=True))
    return client


def grow(n: int) -> None:
    team = factories.team()
    for _ in range(n):
        person = factories.worker()
        post = factories.post(team=team)
        factories.assign(post, worker_=person, fte="0.5")
        factories.assign(post, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("model", ["post", "worker", "assignment", "absence", "team", "role", "servicearea"])
def test_changelists_do_not_grow_queries_with_rows(hr_client, model):
    url = reverse(f"admin:workforce_{model}_changelist")
    grow(3)
    small = queries_for(hr_client, url)
    grow(20)
    assert queries_for(hr_client, url) == small


AREA, TEAM = "the area", "the team"
LAST_YEAR = str(dt.date.today().year - 1)


@pytest.mark.parametrize(
    ("model", "filters", "listed", "searched"),
    [
        ("post", {}, 14, 14),
        ("post", {"service_area": AREA, "team": TEAM, "active_from_period": LAST_YEAR}, 14, 16),
        ("assignment", {}, 15, 15),  # with the suppliers to filter by
        ("assignment", {"service_area": AREA, "team": TEAM, "start_period": LAST_YEAR}, 15, 17),
        ("absence", {}, 11, 11),
        ("absence", {"start_period": "past_12_months"}, 11, 11),
        ("worker", {}, 11, 11),
        ("team", {}, 13, 13),
        ("team", {"service_area": AREA}, 13, 14),
    ],
)
def test_changelist_queries_are_pinned_with_the_filters(
    hr_client, monkeypatch, django_assert_num_queries, model, filters, listed, searched
):
    """Teams and service areas are listed while few and searched for when many (at
    40,000 posts): a chosen one searched for costs one query for its name, no more."""
    team = factories.team("North 1", area=factories.service_area("North"))
    person = factories.worker()
    factories.assign(factories.post(team=team), worker_=person)
    factories.absence(person, reason=AbsenceReason.SIC, start=dt.date(2025, 1, 6), end=dt.date(2025, 1, 10))
    params = {
        name: {AREA: team.service_area_id, TEAM: team.pk}.get(value, value) for name, value in filters.items()
    }
    url = reverse(f"admin:workforce_{model}_changelist")
    with django_assert_num_queries(listed):
        assert hr_client.get(url, params).status_code == 200
    monkeypatch.setattr(admin_filters, "SHORT_LIST", 0)
    with django_assert_num_queries(searched):
        assert hr_client.get(url, params).status_code == 200


def test_post_changelist_shows_vacancy_today(hr_client):
    team = factories.team()
    post = factories.post(team=team, reference="VAC-1", fte="1.0")
    factories.assign(post, fte="0.6")
    page = hr_client.get(reverse("admin:workforce_post_changelist")).content.decode()
    assert "Vacancy FTE today" in page
    assert '<td class="field-vacancy_today">0.4</td>' in page


def test_overfilling_a_post_in_the_admin_shows_the_rule_on_the_field(hr_client):
    team = factories.team()
    post = factories.post(team=team, reference="CSC-1")
    factories.assign(post, fte="0.8")
    person = factories.worker()
    response = hr_client.post(
        reverse("admin:workforce_assignment_add"),
        {
            "worker": person.pk,
            "post": post.pk,
            "start": "2024-01-01",
            "end": "",
            "fte": "0.5",
            "contract": "permanent",
            "agency_reason": "",
            "agency_supplier": "",
            "weekly_charge": "",
        },
    )
    assert response.status_code == 200
    assert (
        "Post CSC-1 is 1 FTE; with this assignment its employees would hold 1.3 FTE"
        in response.content.decode()
    )
    assert Assignment.objects.filter(post=post).count() == 1


def test_two_inline_assignments_that_overfill_together_are_refused(hr_client):
    team = factories.team()
    post = factories.post(team=team, reference="CSC-2")
    a, b = factories.worker(), factories.worker()
    url = reverse("admin:workforce_post_change", args=[post.pk])
    data = {
        "reference": "CSC-2",
        "team": team.pk,
        "role": post.role.pk,
        "fte": "1.0",
        "active_from": "2010-01-01",
        "active_to": "",
        "funding": "establishment",
        "assignments-TOTAL_FORMS": "2",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    for index, person in enumerate((a, b)):
        data.update(
            {
                f"assignments-{index}-worker": person.pk,
                f"assignments-{index}-start": "2024-01-01",
                f"assignments-{index}-fte": "0.6",
                f"assignments-{index}-contract": "permanent",
            }
        )
    response = hr_client.post(url, data)
    assert response.status_code == 200
    assert "would hold 1.2 FTE" in response.content.decode()
    assert not Assignment.objects.filter(post=post).exists()


def test_agency_without_reason_in_the_admin(hr_client):
    post = factories.post(team=factories.team())
    response = hr_client.post(
        reverse("admin:workforce_assignment_add"),
        {
            "worker": factories.worker().pk,
            "post": post.pk,
            "start": "2024-01-01",
            "fte": "1",
            "contract": "agency",
        },
    )
    assert "An agency assignment needs a reason" in response.content.decode()


def test_admin_edit_is_kept_in_history(hr_client):
    post = factories.post(team=factories.team(), reference="HIST-1")
    data = {
        "reference": "HIST-1",
        "team": post.team.pk,
        "role": post.role.pk,
        "fte": "0.5",
        "active_from": "2010-01-01",
        "funding": "establishment",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    assert hr_client.post(reverse("admin:workforce_post_change", args=[post.pk]), data).status_code == 302
    latest = post.history.latest()
    assert latest.fte == 0.5 and latest.history_user.username == "hr1"
    assert hr_client.get(reverse("admin:workforce_post_history", args=[post.pk])).status_code == 200
