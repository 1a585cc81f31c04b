"""Admin list filters that stay quick on big tables: periods, and records listed or searched for."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from access import admin_filters
from access.admin_filters import period_bounds
from tests import factories
from tests import factories_leavers as lf
from tests import factories_recruitment as rf

D = dt.date
POSTS = reverse("admin:workforce_post_changelist")
APPLICATIONS = reverse("admin:recruitment_application_changelist")
LEAVERS = reverse("admin:leavers_leaver_changelist")


# --- periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("this_month", (D(2026, 11, 1), D(2026, 12, 1))),
        ("past_12_months", (D(2025, 11, 23), D(2026, 11, 23))),
        ("2024", (D(2024, 1, 1), D(2025, 1, 1))),
        ("2024-02", (D(2024, 2, 1), D(2024, 3, 1))),
        ("2024-12", (D(2024, 12, 1), D(2025, 1, 1))),
        ("earlier", (None, D(2021, 1, 1))),
        ("later", (D(2027, 1, 1), None)),
    ],
)
def test_period_bounds(value, bounds):
    assert period_bounds(value, D(2026, 11, 22)) == bounds


def test_the_past_12_months_from_29_february_start_on_1_march():
    assert period_bounds("past_12_months", D(2028, 2, 29)) == (D(2027, 3, 1), D(2028, 3, 1))


def test_this_month_in_december_ends_on_1_january():
    assert period_bounds("this_month", D(2026, 12, 31)) == (D(2026, 12, 1), D(2027, 1, 1))


@pytest.mark.parametrize("value", ["abc", "20x4", "2024-ab", "2024-13", "99"])
def test_a_period_that_is_not_one_is_refused(value):
    with pytest.raises(ValueError):
        period_bounds(value, D(2026, 11, 22))


def spec_of(response, parameter_name: str):
    """Return the list filter of the changelist ``response`` that uses ``parameter_name``."""
    return next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == parameter_name
    )


@pytest.fixture
def hr_client(client, db):
    client.force_login(factories.user("hr1", "hr", staff=True))
    return client


def test_posts_by_year_then_month_without_a_date_hierarchy(hr_client):
    year = timezone.localdate().year - 3
    team = factories.team()
    factories.post(team=team, reference="OLD-MARCH", active_from=D(year, 3, 10))
    factories.post(team=team, reference="OLD-JULY", active_from=D(year, 7, 1))
    factories.post(team=team, reference="NEWER", active_from=D(year + 1, 3, 10))

    page = hr_client.get(POSTS)
    assert page.context["cl"].date_hierarchy is None
    choices = dict(spec_of(page, "active_from_period").lookup_choices)
    assert str(year) in choices and f"{year}-03" not in choices  # months once a year is chosen

    by_year = hr_client.get(POSTS, {"active_from_period": str(year)})
    assert f"– March {year}" in dict(spec_of(by_year, "active_from_period").lookup_choices).values()
    assert {p.reference for p in by_year.context["cl"].result_list} == {"OLD-MARCH", "OLD-JULY"}

    by_month = hr_client.get(POSTS, {"active_from_period": f"{year}-03"})
    assert [p.reference for p in by_month.context["cl"].result_list] == ["OLD-MARCH"]

    earlier = hr_client.get(POSTS, {"active_from_period": "earlier"})
    assert "OLD-MARCH" not in {p.reference for p in earlier.context["cl"].result_list}


def test_a_made_up_period_is_shown_as_an_error_not_a_crash(hr_client):
    response = hr_client.get(POSTS, {"active_from_period": "soon"})
    assert response.status_code == 302 and response.url.endswith("?e=1")


# --- records listed, or searched for once there are many -------------------------------------


@pytest.fixture
def two_areas(db):
    north, south = factories.service_area("North"), factories.service_area("South")
    teams = {
        "north 1": factories.team("North 1", area=north),
        "north 2": factories.team("North 2", area=north),
        "south 1": factories.team("South 1", area=south),
    }
    for team in teams.values():
        factories.post(team=team, reference=f"P-{team.name}")
    return {"north": north, "south": south, **teams}


def test_teams_are_those_of_the_chosen_service_area(hr_client, two_areas):
    everything = hr_client.get(POSTS)
    assert {label for _, label in spec_of(everything, "team").lookup_choices} >= {"North 1", "South 1"}
    assert {label for _, label in spec_of(everything, "service_area").lookup_choices} >= {"North", "South"}

    north = hr_client.get(POSTS, {"service_area": two_areas["north"].pk})
    assert [label for _, label in spec_of(north, "team").lookup_choices] == ["North 1", "North 2"]
    assert {p.reference for p in north.context["cl"].result_list} == {"P-North 1", "P-North 2"}

    one_team = hr_client.get(POSTS, {"service_area": two_areas["north"].pk, "team": two_areas["north 2"].pk})
    assert [p.reference for p in one_team.context["cl"].result_list] == ["P-North 2"]
    # Choosing another service area clears the team (it would be in the old area).
    all_areas, *area_links = spec_of(one_team, "service_area").choices(one_team.context["cl"])
    assert all("team=" not in link["query_string"] for link in area_links)
    assert f"team={two_areas['north 2'].pk}" in all_areas["query_string"]


def test_many_teams_are_searched_for_with_the_other_filters_kept(hr_client, two_areas, monkeypatch):
    monkeypatch.setattr(admin_filters, "SHORT_LIST", 1)
    response = hr_client.get(POSTS, {"funding": "establishment", "team": two_areas["south 1"].pk})
    spec = spec_of(response, "team")
    assert spec.lookup_choices == []
    assert 'data-field-name="team"' in spec.search_box and "admin-autocomplete" in spec.search_box
    assert '<option value="{}" selected>South 1</option>'.format(two_areas["south 1"].pk) in spec.search_box
    assert spec.hidden_fields == [("funding", "establishment")]
    page = response.content.decode()
    assert "select2" in page and 'class="choice-or-search-filter"' in page
    assert [p.reference for p in response.context["cl"].result_list] == ["P-South 1"]


def test_a_manager_sees_only_their_own_teams_and_no_search_box(client, two_areas, monkeypatch):
    manager = factories.user("mgr", "manager", staff=True, teams=[two_areas["north 1"], two_areas["north 2"]])
    manager.user_permissions.add(Permission.objects.get(codename="view_leaver"))
    for team in ("north 1", "south 1"):
        lf.leaver(team=two_areas[team], last_name=f"Left {team}")
    client.force_login(manager)
    monkeypatch.setattr(admin_filters, "SHORT_LIST", 1)  # more teams than listed, and no team admin
    response = client.get(LEAVERS)
    assert [label for _, label in spec_of(response, "team").lookup_choices] == ["North 1", "North 2"]
    assert spec_of(response, "team").search_box == ""
    assert [label for _, label in spec_of(response, "service_area").lookup_choices] == ["North"]
    leavers = response.context["cl"].result_list
    assert [leaver.worker.last_name for leaver in leavers] == ["Left north 1"]
    # Asking for another team's leavers by the URL finds none.
    other = client.get(LEAVERS, {"team": two_areas["south 1"].pk})
    assert list(other.context["cl"].result_list) == []


def test_applications_by_campaign_searched_for_by_title(hr_client, monkeypatch):
    spring = rf.campaign(title="Spring social workers", opens_on=D(2025, 3, 1))
    autumn = rf.campaign(title="Autumn managers", opens_on=D(2025, 9, 1))
    rf.application(spring, received_on=D(2025, 3, 5), last_name="Springer")
    rf.application(autumn, received_on=D(2025, 9, 5), last_name="Autumnal")

    listed = hr_client.get(APPLICATIONS)
    assert [label for _, label in spec_of(listed, "campaign").lookup_choices][:2] == [
        "Autumn managers",
        "Spring social workers",
    ]
    monkeypatch.setattr(admin_filters, "SHORT_LIST", 1)
    chosen = hr_client.get(APPLICATIONS, {"campaign": spring.pk})
    assert 'data-field-name="campaign"' in spec_of(chosen, "campaign").search_box
    assert [a.last_name for a in chosen.context["cl"].result_list] == ["Springer"]

    found = hr_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "recruitment", "model_name": "application", "field_name": "campaign", "term": "spring"},
    )
    assert found.status_code == 200
    assert [result["text"] for result in found.json()["results"]] == ["Spring social workers"]


def test_searching_by_team_and_service_area_names(hr_client, two_areas):
    by_area = hr_client.get(POSTS, {"q": "South"})
    assert [p.reference for p in by_area.context["cl"].result_list] == ["P-South 1"]
    leaver = lf.leaver(team=two_areas["north 2"], last_name="Gone")
    found = hr_client.get(LEAVERS, {"q": "North 2"})
    assert list(found.context["cl"].result_list) == [leaver]


@pytest.mark.parametrize(
    ("model", "filters", "listed", "searched"),
    [
        ("leaver", {}, 15, 15),
        ("leaver", {"service_area": "area", "team": "team", "leaving_date_period": "earlier"}, 15, 17),
        ("exitconversation", {}, 15, 15),
        ("exitconversation", {"team": "team", "held_on_period": "earlier"}, 15, 16),
    ],
)
def test_leavers_changelist_queries_are_pinned_with_the_filters(
    hr_client, two_areas, monkeypatch, django_assert_num_queries, model, filters, listed, searched
):
    """Teams and service areas are listed while few and searched for when many (at
    40,000 posts): a chosen one searched for costs one query for its name, no more."""
    hr = factories.user("hr2", "hr", staff=True)
    for name in ("north 1", "south 1"):
        lf.conversation(lf.leaver(team=two_areas[name]), user=hr)
    chosen = {"area": two_areas["north"].pk, "team": two_areas["north 1"].pk}
    params = {name: chosen.get(value, value) for name, value in filters.items()}
    url = reverse(f"admin:leavers_{model}_changelist")
    with django_assert_num_queries(listed):
        assert hr_client.get(url, params).status_code == 200
    monkeypatch.setattr(admin_filters, "SHORT_LIST", 0)
    with django_assert_num_queries(searched):
        assert hr_client.get(url, params).status_code == 200
