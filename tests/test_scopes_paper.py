"""Scopes by role, by several teams and case-holding within a service area: read the same
way on reports and the command line (``Scope.parse``), and chosen on /leavers/ and
/recruitment/."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from leavers.selectors import leavers_analysis
from tests import factories
from tests import factories_leavers as lf
from workforce.models import Role
from workforce.scopes import Scope, ScopeError

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    east = factories.service_area("Children in Care")
    west = factories.service_area("Early Help")
    holding = factories.team("Care East", area=east)
    support = factories.team("Care Support", area=east, case_holding=False)
    early = factories.team("Early West", area=west)
    for team in (holding, support, early):
        lf.leaver(team=team, leaving_date=dt.date(2019, 5, 31))
    return {"east": east, "holding": holding, "support": support, "early": early}


def test_case_holding_within_a_service_area_reads_back_the_same(county):
    scope = Scope.parse("case-holding; service-area:Children in Care")
    assert scope.case_holding_only and scope.service_area_id == county["east"].pk
    assert scope.label == "Case-holding teams in Children in Care"
    assert Scope.parse(scope.as_text()) == scope
    assert scope.as_text() == f"case-holding;service-area:{county['east'].pk}"
    analysis = leavers_analysis(start=dt.date(2019, 1, 1), end=dt.date(2019, 6, 30), scope=scope)
    assert analysis.total == 1  # Care Support is not case-holding; Early West is elsewhere


def test_several_teams_and_a_role(county):
    role = Role.objects.get(name="Social Worker")
    scope = Scope.parse("team:Care East,Early West;role:Social Worker")
    assert scope.team_ids == {county["holding"].pk, county["early"].pk} and scope.role_id == role.pk
    assert scope.label == "Care East and Early West: Social Worker role"
    assert Scope.parse(scope.as_text()) == scope
    analysis = leavers_analysis(start=dt.date(2019, 1, 1), end=dt.date(2019, 6, 30), scope=scope)
    assert analysis.total == 2
    for text in ("team:Nowhere", "role:Wizard", "case-holding:yes", "everything"):
        with pytest.raises(ScopeError):
            Scope.parse(text)


def test_the_leavers_page_chooses_case_holding_teams_in_a_service_area(client, county):
    client.force_login(factories.user("hr1", "hr", staff=True))
    with time_machine.travel(dt.datetime(2019, 7, 15, 12, 0), tick=False):
        response = client.get(
            reverse("leavers:leavers"),
            {"service_area": county["east"].pk, "case_holding": "on", "period_after": "2019-01-01",
             "period_before": "2019-06-30"},
        )  # fmt: skip
        several = client.get(
            reverse("leavers:leavers"),
            {"team": [county["holding"].pk, county["early"].pk], "period_after": "2019-01-01",
             "period_before": "2019-06-30"},
        )  # fmt: skip
    analysis = response.context["analysis"]
    assert analysis.total == 1 and analysis.scope.label == "Case-holding teams in Children in Care"
    assert several.status_code == 200, several.content.decode()[:300]
    assert several.context["analysis"].total == 2


def test_the_recruitment_page_narrows_the_funnel_to_case_holding_teams(client, county):
    client.force_login(factories.user("hr1", "hr", staff=True))
    response = client.get(
        reverse("recruitment:campaigns"), {"case_holding": "on", "team": [county["early"].pk]}
    )
    assert response.status_code == 200
    scope = response.context["funnel"].scope
    assert scope.case_holding_only and scope.team_ids == {county["early"].pk}
