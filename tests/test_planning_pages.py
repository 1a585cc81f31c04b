"""The planning page and the scenario pages, as each kind of user meets them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from planning.models import LeverKind, Scenario
from tests import factories
from tests import factories_leavers as leavers_f
from tests import factories_planning as planning_f
from tests.test_forecast import AS_OF, small_team  # noqa: F401 - the fixture
from workforce.models import Worker

pytestmark = pytest.mark.django_db
PAGE = f"/planning/?as_at={AS_OF.isoformat()}"


def client_for(username: str, group: str | None, **fields) -> Client:
    client = Client()
    client.force_login(factories.user(username, group, **fields))
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_director_sees_the_forecast_its_assumptions_and_accuracy(small_team):  # noqa: F811
    response = client_for("dir", "director", staff=True).get(PAGE)
    assert response.status_code == 200
    page = text(response)
    assert "By 30 Jun 2025 the vacancy rate is forecast at" in page
    assert "measured 25.0%: 2 leavers, 2.0 FTE in the year" in page
    assert "Offers accepted, still to start" in page and "Trainees and cohorts qualifying or starting" in page
    assert "How accurate has the forecast been?" in page
    assert "Why the rates moved" in page


def test_changing_an_assumption_changes_the_forecast(small_team):  # noqa: F811
    client = client_for("dir", "director", staff=True)
    role = factories.role().pk
    measured = client.get(f"/planning/forecast.json?as_at={AS_OF}").json()
    changed = client.get(f"/planning/forecast.json?as_at={AS_OF}&turnover-{role}=50").json()
    assert changed["assumptions"]["roles"][0]["turnover_percent"] == "50"
    assert measured["assumptions"]["roles"][0]["turnover_percent"] == "25.0"
    assert float(changed["base"]["quarters"][-1]["in_post"]) < float(
        measured["base"]["quarters"][-1]["in_post"]
    )
    # The page shows the value given in the box, and the one measured beside it.
    page = client.get(f"{PAGE}&turnover-{role}=50").content.decode()
    assert f'name="turnover-{role}"' in page and 'value="50"' in page


def test_a_wrong_assumption_is_named_and_the_measured_one_used(small_team):  # noqa: F811
    role = factories.role().pk
    response = client_for("dir", "director", staff=True).get(f"{PAGE}&cover_share-{role}=150")
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100" in text(response)
    assert "There is a problem" in text(response)


def test_a_manager_sees_only_their_own_teams_forecast(small_team):  # noqa: F811
    other = factories.team("Other Team")
    for n in range(3):
        leavers_f.employee_in(factories.post(team=other, reference=f"O{n}"), start=dt.date(2015, 1, 1))
    manager = client_for("tm", "manager", teams=[small_team])
    mine = manager.get(f"/planning/forecast.json?as_at={AS_OF}").json()
    assert mine["base"]["start"]["establishment"] == "10.0000"
    theirs = manager.get(f"/planning/forecast.json?as_at={AS_OF}&scope=team:{other.pk}").json()
    assert theirs["base"]["start"]["establishment"] == "10.0000"  # not the other team's 3
    everyone = client_for("dir", "director", staff=True).get(f"/planning/forecast.json?as_at={AS_OF}").json()
    assert everyone["base"]["start"]["establishment"] == "13.0000"


def test_a_scenario_is_made_previewed_saved_and_shown_beside_the_base(small_team):  # noqa: F811
    client = client_for("dir", "director", staff=True)
    form = {
        "name": "Five more posts",
        "description": "",
        "shared": "on",
        "levers-TOTAL_FORMS": "3",
        "levers-INITIAL_FORMS": "0",
        "levers-MIN_NUM_FORMS": "0",
        "levers-MAX_NUM_FORMS": "30",
        "levers-0-kind": LeverKind.POSTS,
        "levers-0-role": str(factories.role().pk),
        "levers-0-team": str(small_team.pk),
        "levers-0-fte": "5",
        "levers-0-starts_on": "2024-07-01",
    }
    preview = client.post(f"/planning/scenarios/new/?as_at={AS_OF}", {**form, "action": "preview"})
    assert preview.status_code == 200
    assert "Preview: the scenario against the base forecast" in text(preview)
    assert not Scenario.objects.exists()
    saved = client.post(f"/planning/scenarios/new/?as_at={AS_OF}", {**form, "action": "save"})
    scenario = Scenario.objects.get()
    assert saved.status_code == 302 and f"scenario={scenario.pk}" in saved["Location"]
    assert [(lever.kind, lever.fte) for lever in scenario.levers.all()] == [(LeverKind.POSTS, 5)]
    data = client.get(f"/planning/forecast.json?as_at={AS_OF}&scenario={scenario.pk}").json()
    first_base, first_scenario = data["base"]["quarters"][0], data["scenario"]["quarters"][0]
    assert float(first_scenario["establishment"]) == float(first_base["establishment"]) + 5


def test_a_lever_missing_what_it_needs_is_named_on_its_row(small_team):  # noqa: F811
    client = client_for("dir", "director", staff=True)
    response = client.post(
        "/planning/scenarios/new/",
        {
            "name": "Broken",
            "levers-TOTAL_FORMS": "2",
            "levers-INITIAL_FORMS": "0",
            "levers-MIN_NUM_FORMS": "0",
            "levers-MAX_NUM_FORMS": "30",
            "levers-0-kind": LeverKind.HIRES,
            "levers-1-fte": "2",
            "action": "save",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "A lever for hires a quarter needs this." in page
    assert "Choose which lever this row is, or clear the row." in page
    assert not Scenario.objects.exists()


def test_only_the_owner_changes_a_scenario_and_readers_make_none(small_team):  # noqa: F811
    owner = factories.user("owner", "director", staff=True)
    shared = planning_f.scenario(owner=owner, name="Shared", shared=True)
    other = client_for("hr1", "hr", staff=True)
    page = other.get(f"/planning/scenarios/{shared.pk}/")
    assert "Only its owner can change this scenario." in text(page)
    other.post(f"/planning/scenarios/{shared.pk}/", {"name": "Taken over", "action": "save"})
    shared.refresh_from_db()
    assert shared.name == "Shared"
    assert other.post(f"/planning/scenarios/{shared.pk}/delete/").status_code == 403
    assert client_for("reader1", "reader").get("/planning/scenarios/new/").status_code == 403


def test_readers_see_no_names(small_team):  # noqa: F811
    owner = factories.user("owner", "director", staff=True, first_name="Dana", last_name="Fairfax")
    planning_f.scenario(owner=owner, name="Shared", shared=True)
    assert "Fairfax" in client_for("dir", "director", staff=True).get(PAGE).content.decode()
    assert "Fairfax" not in client_for("reader1", "reader").get(PAGE).content.decode()


def test_a_managers_levers_are_for_their_own_teams(small_team):  # noqa: F811
    other = factories.team("Other Team")
    client = client_for("tm", "manager", teams=[small_team])
    response = client.post(
        "/planning/scenarios/new/",
        {
            "name": "Theirs",
            "levers-TOTAL_FORMS": "1",
            "levers-INITIAL_FORMS": "0",
            "levers-MIN_NUM_FORMS": "0",
            "levers-MAX_NUM_FORMS": "30",
            "levers-0-kind": LeverKind.HIRES,
            "levers-0-role": str(factories.role().pk),
            "levers-0-team": str(other.pk),
            "levers-0-fte": "1",
            "action": "save",
        },
    )
    assert "Select a valid choice" in text(response)
    assert not Scenario.objects.exists()


def test_the_csv_download_is_safe_to_open_in_a_spreadsheet(small_team):  # noqa: F811
    owner = factories.user("owner", "director", staff=True)
    risky = planning_f.scenario(owner=owner, name="=HYPERLINK(1)", shared=True)
    client = client_for("dir", "director", staff=True)
    content = client.get(f"/planning/forecast.csv?as_at={AS_OF}&scenario={risky.pk}").content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:6] == ["series", "date", "establishment", "in_post", "agency", "vacancy"]
    assert {row[0] for row in rows[1:]} == {"base", "scenario: =HYPERLINK(1)"}
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert len(rows) == 1 + 2 * 5  # now and four quarter-ends, base and scenario


def test_the_page_reads_a_fixed_number_of_queries(small_team):  # noqa: F811
    client = client_for("dir", "director", staff=True)

    def count() -> int:
        cache.clear()  # the accuracy figures are kept for an hour: work them out each time
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{PAGE}&scope=team:{small_team.pk}").status_code == 200
        return len(queries)

    before = count()
    for n in range(6):
        post = factories.post(team=small_team, reference=f"N{n}", active_from=dt.date(2024, 1, 1))
        leavers_f.employee_in(post, start=dt.date(2024, 2, 1), end=dt.date(2024, 9, 30))
    planning_f.cohort(name="Another", teams=[small_team], expected_on=dt.date(2024, 12, 1))
    assert count() == before


def test_a_json_download_names_no_one(small_team):  # noqa: F811
    data = client_for("reader1", "reader").get(f"/planning/forecast.json?as_at={AS_OF}").content.decode()
    assert json.loads(data)["as_at"] == AS_OF.isoformat()
    people = Worker.objects.values_list("last_name", "staff_reference")
    assert people and not any(name in data or reference in data for name, reference in people)


def test_the_date_boxes_show_the_dates_the_page_is_for(small_team, monkeypatch):  # noqa: F811
    """The "Forecast from" box and the two dates of "Why the rates moved" hold the dates the
    headings name, whether the page was opened bare or with only another setting chosen."""
    from django.utils import timezone

    from planning import movement

    monkeypatch.setattr(timezone, "localdate", lambda *args: AS_OF)
    start, end = movement.default_dates(AS_OF)
    client = client_for("dir", "director", staff=True)
    for url in ("/planning/", "/planning/?quarters=8"):
        page = client.get(url).content.decode()
        assert re.search(rf'name="as_at"[^>]*value="{AS_OF.day}/{AS_OF.month}/{AS_OF.year}"', page), url
        assert re.search(rf'name="moved_from"[^>]*value="{start.day}/{start.month}/{start.year}"', page), url
        assert re.search(rf'name="moved_to"[^>]*value="{end.day}/{end.month}/{end.year}"', page), url
        # The rate without the posts added since: since the first date unless another is given.
        since = rf'name="without_since"[^>]*value="{start.day}/{start.month}/{start.year}"'
        assert re.search(since, page), url
    # A first date chosen is the "without the posts added since" date too, unless another is.
    page = client.get("/planning/?moved_from=31/12/2024").content.decode()
    assert re.search(r'name="without_since"[^>]*value="31/12/2024"', page)
    # A date typed in is kept as typed into the box, and used.
    page = client.get("/planning/?as_at=31/3/2025").content.decode()
    assert re.search(r'name="as_at"[^>]*value="31/3/2025"', page)
    assert "From 31 March 2025" in text_of(page)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
