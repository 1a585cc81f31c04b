"""The establishment page and its CSV download, as each kind of user sees them."""

import csv
import io

import pytest
from django.urls import reverse

from tests import factories
from workforce.models import AgencyReason, Contract

pytestmark = pytest.mark.django_db
URL = reverse("workforce:establishment")
CSV_URL = reverse("workforce:establishment_csv")


@pytest.fixture
def county(worked_example):
    other = factories.team("Disabled Children North")
    occupied = factories.post(team=other, reference="DCN-1")
    factories.assign(occupied, worker_=factories.worker(first_name="Olwen", last_name="Otherteam"))
    factories.post(team=other, reference="DCN-2")
    return {"mine": worked_example["team"], "other": other}


def client_for(client, username, group, **kwargs):
    client.force_login(factories.user(username, group, **kwargs))
    return client


def rows_of(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_hr_sees_every_post_with_totals(client, county):
    response = client_for(client, "hr1", "hr").get(URL, {"as_of": "2019-06-30"})
    assert response.status_code == 200
    page = response.content.decode()
    for reference in ("P1", "P5", "DCN-1", "DCN-2"):
        assert f">{reference}<" in page
    totals = response.context["totals"]
    assert totals["establishment_fte"] == "6.5"
    assert totals["vacancy_fte"] == "2.9"
    assert "Olwen Otherteam" in page


def test_filters_narrow_the_table_and_the_totals(client, county):
    client_for(client, "hr1", "hr")
    response = client.get(URL, {"as_of": "2019-06-30", "team": county["mine"].pk, "vacant_only": "on"})
    references = [row.record.reference for row in response.context["table"].page.object_list]
    assert references == ["P2", "P3", "P5"]
    assert response.context["totals"]["vacancy_fte"] == "1.9"
    # A rate over only the vacant posts (1.9 / (1.9 + P2's 0.6) = 76%) would mean nothing:
    # the rates are those of every post the other filters choose (the worked example's).
    assert response.context["totals"]["vacancy_rate"] == "–"
    whole = response.context["whole_totals"]
    assert (whole["posts"], whole["vacancy_fte"], whole["vacancy_rate"]) == (6, "1.9", "42.2%")
    assert (whole["agency_rate"], whole["permanent_fill_rate"]) == ("49.0%", "57.8%")
    page = response.content.decode()
    assert "Rates: see the next row" in page and "All 6 posts the other filters choose" in page
    assert "Worked Example Team: vacant posts only" in page  # the heading says what is shown
    agency = client.get(URL, {"as_of": "2019-06-30", "agency_only": "on"})
    assert sorted(row.record.reference for row in agency.context["table"].page.object_list) == [
        "P3",
        "P4",
        "P6",
    ]


def test_the_team_list_follows_the_chosen_service_area(client, county):
    client_for(client, "hr1", "hr")
    care = factories.team("Children in Care West", area=factories.service_area("Children in Care"))
    factories.post(team=care, reference="CIC-1")
    response = client.get(URL, {"as_of": "2019-06-30", "service_area": care.service_area.pk})
    page = response.content.decode()
    assert f'<option value="{care.pk}">Children in Care West</option>' in page
    assert ">Worked Example Team</option>" not in page and ">P1<" not in page
    assert [row.record.reference for row in response.context["table"].page.object_list] == ["CIC-1"]
    # Without a service area every team the user may see is offered (there are few here).
    assert ">Worked Example Team</option>" in client.get(URL).content.decode()


def test_the_table_sorts_by_any_figure(client, county):
    client_for(client, "hr1", "hr")
    response = client.get(URL, {"as_of": "2019-06-30", "sort": "-vacancy_fte"})
    rows = [
        (row.record.reference, row.record.vacancy_fte) for row in response.context["table"].page.object_list
    ]
    assert [vacancy for _, vacancy in rows] == sorted((vacancy for _, vacancy in rows), reverse=True)
    assert {reference for reference, _ in rows} == {"P1", "P2", "P3", "P4", "P5", "P6", "DCN-1", "DCN-2"}


def test_as_at_date_changes_the_figures(client, county):
    client_for(client, "hr1", "hr")
    before = client.get(URL, {"as_of": "2017-12-31", "team": county["mine"].pk})
    assert before.context["totals"]["in_post_fte"] == "0.0"
    assert before.context["as_of"].isoformat() == "2017-12-31"


def test_a_bad_date_gets_a_message_naming_the_field(client, county):
    response = client_for(client, "hr1", "hr").get(URL, {"as_of": "31/31/2019"})
    assert response.status_code == 200
    assert "As at: Enter a real date, like 30/6/2019" in response.content.decode()


def test_manager_sees_only_their_own_teams(client, county):
    client_for(client, "mgr", "manager", teams=[county["mine"]])
    page = client.get(URL, {"as_of": "2019-06-30"}).content.decode()
    assert ">P1<" in page and "DCN-1" not in page and "Olwen" not in page


def test_manager_cannot_reach_another_team_by_editing_the_filter(client, county):
    client_for(client, "mgr", "manager", teams=[county["mine"]])
    response = client.get(URL, {"as_of": "2019-06-30", "team": county["other"].pk})
    assert "DCN-1" not in response.content.decode()
    assert "team" in response.context["filter"].form.errors
    rows = rows_of(client.get(CSV_URL, {"as_of": "2019-06-30", "team": county["other"].pk}))
    assert all(row["team"] == "Worked Example Team" for row in rows)


def test_reader_sees_figures_but_no_names(client, county):
    client_for(client, "rdr", "reader")
    page = client.get(URL, {"as_of": "2019-06-30"}).content.decode()
    assert "DCN-1" in page and "Olwen" not in page and "Otherteam" not in page
    assert "(name withheld)" in page
    csv_text = b"".join(client.get(CSV_URL, {"as_of": "2019-06-30"}).streaming_content).decode()
    assert "Olwen" not in csv_text and "Otherteam" not in csv_text


def test_csv_download_is_exactly_what_is_filtered(client, county):
    client_for(client, "hr1", "hr")
    rows = rows_of(
        client.get(CSV_URL, {"as_of": "2019-06-30", "team": county["mine"].pk, "vacant_only": "on"})
    )
    assert [(r["post"], r["vacancy_fte"], r["employee_fte"]) for r in rows] == [
        ("P2", "0.4", "0.6"),
        ("P3", "0.5", "0"),
        ("P5", "1", "0"),
    ]
    assert rows[0]["as_at"] == "2019-06-30"


def test_page_query_count_does_not_grow_with_posts(client, county):
    client_for(client, "hr1", "hr")
    client.get(URL)  # warm the session

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"as_of": "2019-06-30"}).status_code == 200
        return len(captured)

    small, kept = count(), count()
    team = factories.team(area=factories.service_area())
    for _ in range(10):
        factories.team(area=factories.service_area())
    for _ in range(40):
        post = factories.post(team=team)
        factories.assign(post, fte="0.5")
        factories.assign(post, fte="0.5", contract=Contract.AGENCY, reason=AgencyReason.VACANCY)
    assert (count(), count()) == (small, kept)  # the records changed: worked out again, then kept
    # session, user, groups; the version of the workforce's records and the totals (with the
    # number of posts, for the pages; kept while the records are unchanged), the filter
    # form's choices (service areas, teams, roles), the page's keys, its posts, their
    # holders; the caseloads by team (posts, newly qualified, assignments, caseloads, team and
    # role names); the session's save (savepoint, update, release).
    assert (small, kept) == (14 + 6, 13 + 6)


def test_vacant_only_costs_one_query_more_whatever_the_number_of_posts(client, county):
    client_for(client, "hr1", "hr")
    client.get(URL)  # warm the session

    def count(**query: str) -> int:
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # the totals worked out, not kept from the visit before
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"as_of": "2019-06-30", **query}).status_code == 200
        return len(captured)

    plain, narrowed = count(), count(vacant_only="on")
    team = factories.team(area=factories.service_area())
    for _ in range(40):
        post = factories.post(team=team)
        factories.assign(post, fte="0.5")
    # The totals of every post the other filters choose, for the rates: one query.
    assert narrowed == plain + 1
    assert count(vacant_only="on") == narrowed
