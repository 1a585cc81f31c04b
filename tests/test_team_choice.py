"""Choosing a team in the filter forms (``workforce.team_choice``): the team list follows
the service area, long lists are not offered at all, and what the form accepts (so what
it selects) does not change."""

import re

import pytest
from django import forms
from django.test import RequestFactory

from leavers.filters import LeaverFilter
from leavers.models import Leaver
from tests import factories
from workforce import team_choice
from workforce.filters import EstablishmentFilter
from workforce.models import Post
from workforce.team_choice import CHOOSE_AREA_FIRST, QuickSelect

CHOICES = [
    ("", "Any"),
    (1, "Child Protection East"),
    (2, 'Tom & Jerry\'s "<Team>"'),
    ("Grouped", [(3, "Three"), (4, "Four")]),
]


def tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", [None, "", "2", 2, "4", "no such value"])
def test_quick_select_writes_what_django_select_writes(value):
    attrs = {"class": "govuk-select", "aria-describedby": "id_team-hint"}
    quick = QuickSelect(attrs=attrs, choices=CHOICES).render("team", value, attrs={"id": "id_team"})
    django = forms.Select(attrs=attrs, choices=CHOICES).render("team", value, attrs={"id": "id_team"})
    assert tidy(quick) == tidy(django)


def test_quick_select_marks_only_the_first_match_selected():
    html = QuickSelect(choices=[("1", "One"), (1, "One again")]).render("n", "1")
    assert html.count("selected") == 1


@pytest.fixture
def county(db):
    areas = {name: factories.service_area(name) for name in ("Child Protection", "Children in Care", "Empty")}
    teams = {
        "cp-east": factories.team("CP East", area=areas["Child Protection"]),
        "cp-west": factories.team("CP West", area=areas["Child Protection"]),
        "cic-north": factories.team("CiC North", area=areas["Children in Care"]),
    }
    return {"areas": areas, "teams": teams}


def offered(filterset) -> tuple[list[str], list[str]]:
    """Return the labels of the teams and of the service areas the form offers (not 'Any')."""
    filterset.offer_choices()
    fields = filterset.form.fields
    return (
        [label for value, label in fields["team"].widget.choices if value != ""],
        [label for value, label in fields["service_area"].widget.choices if value != ""],
    )


def establishment_filter(user, **query) -> EstablishmentFilter:
    request = RequestFactory().get("/establishment/", query)
    request.user = user
    filterset = EstablishmentFilter(request.GET or None, queryset=Post.objects.all(), request=request)
    filterset.qs  # noqa: B018 - the view filters before it renders the form
    return filterset


def test_every_team_and_area_with_teams_when_few(county):
    hr = factories.user("hr1", "hr")
    teams, areas = offered(establishment_filter(hr))
    assert teams == ["CP East", "CP West", "CiC North"]
    assert areas == ["Child Protection", "Children in Care"]


def test_a_chosen_area_offers_its_teams_only(county):
    hr = factories.user("hr1", "hr")
    area = county["areas"]["Child Protection"]
    teams, areas = offered(establishment_filter(hr, service_area=area.pk))
    assert teams == ["CP East", "CP West"]
    assert areas == ["Child Protection", "Children in Care"]


def test_a_chosen_team_stays_offered_when_outside_the_chosen_area(county):
    hr = factories.user("hr1", "hr")
    area, team = county["areas"]["Child Protection"], county["teams"]["cic-north"]
    filterset = establishment_filter(hr, service_area=area.pk, team=team.pk)
    assert filterset.form.is_valid()
    teams, _ = offered(filterset)
    assert teams == ["CP East", "CP West", "CiC North"]
    assert f'<option value="{team.pk}" selected>CiC North</option>' in filterset.form["team"].as_widget()


def test_too_many_teams_are_not_offered_until_an_area_is_chosen(county, monkeypatch):
    monkeypatch.setattr(team_choice, "TEAM_LIST_LIMIT", 2)
    hr = factories.user("hr1", "hr")
    filterset = establishment_filter(hr)
    assert offered(filterset)[0] == []
    assert filterset.form["team"].help_text == CHOOSE_AREA_FIRST
    chosen = establishment_filter(hr, team=county["teams"]["cp-west"].pk)
    assert offered(chosen)[0] == ["CP West"]
    assert chosen.form["team"].help_text == CHOOSE_AREA_FIRST  # a bound form, its fields made
    area = establishment_filter(hr, service_area=county["areas"]["Child Protection"].pk)
    assert offered(area)[0] == ["CP East", "CP West"]
    assert area.form["team"].help_text == ""


def test_the_form_still_accepts_any_team_the_person_may_see(county, monkeypatch):
    monkeypatch.setattr(team_choice, "TEAM_LIST_LIMIT", 0)
    hr = factories.user("hr1", "hr")
    post = factories.post(team=county["teams"]["cic-north"])
    factories.post(team=county["teams"]["cp-east"])
    filterset = establishment_filter(hr, team=county["teams"]["cic-north"].pk)
    assert list(filterset.qs) == [post]


def test_a_manager_is_offered_only_their_own_teams_and_their_areas(county):
    manager = factories.user("mgr", "manager", teams=[county["teams"]["cp-east"]])
    assert offered(establishment_filter(manager)) == (["CP East"], ["Child Protection"])
    others = establishment_filter(manager, team=county["teams"]["cic-north"].pk)
    assert "team" in others.form.errors
    assert offered(others)[0] == ["CP East"]


def test_the_leavers_filter_offers_teams_the_same_way(county):
    hr = factories.user("hr1", "hr")
    area = county["areas"]["Children in Care"]
    request = RequestFactory().get("/leavers/", {"service_area": area.pk})
    request.user = hr
    filterset = LeaverFilter(request.GET, queryset=Leaver.objects.all(), request=request)
    filterset.qs  # noqa: B018
    assert offered(filterset) == (["CiC North"], ["Child Protection", "Children in Care"])


def test_two_queries_whatever_the_number_of_teams(county, django_assert_num_queries):
    hr = factories.user("hr1", "hr")
    filterset = establishment_filter(hr)
    filterset.form.fields["team"].queryset.count()  # the user's access, cached for the request
    with django_assert_num_queries(2):
        offered(filterset)
    for index in range(5):
        factories.team(f"More {index}", area=factories.service_area(f"More area {index}"))
    filterset = establishment_filter(hr)
    with django_assert_num_queries(2):
        offered(filterset)
