"""Caseloads and comparators kept in the admin: through the services, rules named on the form,
history kept, lists that do not grow queries with rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.factories_caseloads import comparator
from workforce.models import Caseload, Comparator, ComparatorArea

pytestmark = pytest.mark.django_db
DAY = dt.date(2019, 6, 30)


@pytest.fixture
def hr(client):
    user = factories.user("hr1", "hr", staff=True)
    client.force_login(user)
    return user


def held(team=None):
    worker = factories.worker()
    factories.assign(factories.post(team=team or factories.team()), worker_=worker, start=dt.date(2018, 1, 1))
    return worker


def test_hr_records_a_caseload_and_the_history_names_them(client, hr):
    worker = held()
    response = client.post(
        reverse("admin:workforce_caseload_add"),
        {"worker": worker.pk, "recorded_on": "2019-06-30", "cases": "17", "child_protection": "6"},
    )
    assert response.status_code == 302
    record = Caseload.objects.get()
    assert (record.cases, record.child_protection, record.child_in_need) == (17, 6, None)
    assert record.history.get().history_user == hr


def test_the_form_names_what_is_wrong(client, hr):
    worker = held()
    response = client.post(
        reverse("admin:workforce_caseload_add"),
        {"worker": worker.pk, "recorded_on": "2017-06-30", "cases": "5", "looked_after": "8"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["recorded_on"] == [
        "The worker held no post on 30 June 2017, so cannot have held cases then."
    ]
    assert not Caseload.objects.exists()


def test_hr_enters_a_comparator_with_its_source(client, hr):
    response = client.post(
        reverse("admin:workforce_comparator_add"),
        {
            "area": "england",
            "year": "2023",
            "vacancy_rate": "17.1",
            "caseload": "16.3",
            "source": "DfE CSWW 2023",
        },
    )
    assert response.status_code == 302
    assert Comparator.objects.get().history.get().history_user == hr
    response = client.post(
        reverse("admin:workforce_comparator_add"),
        {"area": "region", "year": "2023", "source": "DfE CSWW 2023"},
    )
    assert "Give at least one figure" in response.content.decode()


@pytest.mark.parametrize("model", ["caseload", "comparator"])
def test_lists_do_not_grow_queries_with_rows(client, hr, model):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"admin:workforce_{model}_changelist")).status_code == 200
        return len(captured)

    def grow(number: int) -> None:
        for offset in range(number):
            factories.caseload(held(), on=DAY, cases=offset)
            comparator(ComparatorArea.ENGLAND, 2000 + len(Comparator.objects.all()), caseload="16")

    grow(2)
    small = queries()
    grow(8)
    assert queries() == small


def test_a_manager_with_admin_access_sees_only_their_teams_caseloads(client):
    own, other = factories.team("Own"), factories.team("Other")
    factories.caseload(held(own), on=DAY, cases=12)
    factories.caseload(held(other), on=DAY, cases=30)
    manager = factories.user("tm", "manager", teams=[own], staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="view_caseload"))
    client.force_login(manager)
    page = client.get(reverse("admin:workforce_caseload_changelist")).content.decode()
    assert ">12<" in page and ">30<" not in page
