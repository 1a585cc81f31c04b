"""The recruitment pages as each kind of user sees them, with pinned query counts."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foundation.dates import short_date
from tests import factories
from tests import factories_recruitment as rf

pytestmark = pytest.mark.django_db
URL = reverse("recruitment:campaigns")
D = dt.date


@pytest.fixture
def county(time_machine):
    # Today is 15 January 2026: the default period is the twelve months to 31 December 2025.
    time_machine.move_to(dt.datetime(2026, 1, 15, 12, 0), tick=False)
    return rf.small_county()


def client_for(client, username, group, **kwargs):
    client.force_login(factories.user(username, group, **kwargs))
    return client


def page_url(campaign) -> str:
    return reverse("recruitment:campaign", args=[campaign.pk])


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_hr_sees_the_campaigns_of_the_last_twelve_months_with_their_funnels(client, county):
    response = client_for(client, "hr1", "hr").get(URL)
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (D(2025, 1, 1), D(2025, 12, 31))
    assert titles(response) == ["Cohort", "Main"]  # "Last year" closed in 2024
    page = response.content.decode()
    funnel = response.context["funnel"]
    assert (funnel.rows[0].received, funnel.rows[0].interviewed, funnel.rows[0].offered) == (6, 5, 3)
    assert funnel.newly_qualified.received == 2
    assert "Newly qualified (counted apart)" in page
    assert "£8,000" in page  # campaigns in the period; one start: £8,000 a start


def test_period_filter_changes_the_campaigns_and_the_funnel(client, county):
    client_for(client, "hr1", "hr")
    response = client.get(URL, {"start": "2024-01-01", "end": "2024-12-31"})
    assert titles(response) == ["Main", "Last year"]
    assert response.context["funnel"].total.received == 1  # a6, received 15/12/2024


def test_role_channel_and_status_filters(client, county):
    client_for(client, "hr1", "hr")
    sp = factories.role("senior-practitioner")
    by_role = client.get(URL, {"role": sp.pk})
    assert titles(by_role) == ["Main"]
    assert [row.role_name for row in by_role.context["funnel"].rows] == ["Senior Practitioner"]
    partner = rf.campaign(title="Partner", opens_on=D(2025, 6, 1), channel_codes=("partner",))
    by_channel = client.get(URL, {"channel": partner.channels.get().pk})
    assert titles(by_channel) == ["Partner"]
    assert titles(client.get(URL, {"status": "closed"})) == ["Main"]
    assert titles(client.get(URL, {"status": "open"})) == ["Partner", "Cohort"]


def test_campaigns_sort_by_their_counts_and_show_their_dates(client, county):
    client_for(client, "hr1", "hr")
    by_received = client.get(URL, {"sort": "received"})
    assert titles(by_received) == ["Cohort", "Main"]
    received = [row.record.received for row in by_received.context["table"].page.object_list]
    assert received == sorted(received) and received[-1] == 9
    assert titles(client.get(URL, {"sort": "-received"})) == ["Main", "Cohort"]
    assert f">{short_date(county['main'].opens_on)}<" in by_received.content.decode()


def test_a_period_ending_before_it_starts_gets_a_message_naming_the_field(client, county):
    response = client_for(client, "hr1", "hr").get(URL, {"start": "2025-06-01", "end": "2025-01-01"})
    assert response.status_code == 200
    assert "To: The period cannot end before it starts." in response.content.decode()


def test_hr_sees_candidates_names_on_the_campaign_page(client, county):
    page = client_for(client, "hr1", "hr").get(page_url(county["main"])).content.decode()
    assert "Anna Number" in page
    assert "Offer declined" in page


def test_manager_sees_only_campaigns_for_their_teams_and_no_names(client, county):
    client_for(client, "mgr", "manager", teams=[county["two"]])
    response = client.get(URL)
    assert titles(response) == ["Main"]
    assert response.context["funnel"].total.received == 2  # team two's senior practitioners only
    page = client.get(page_url(county["main"])).content.decode()
    assert "(name withheld)" in page and "Anna" not in page
    rows = client.get(page_url(county["main"])).context["table"].page.object_list
    assert {row.record.team.name for row in rows} == {"Team Two"}


def test_manager_cannot_open_a_campaign_without_applications_for_their_teams(client, county):
    client_for(client, "mgr", "manager", teams=[county["two"]])
    assert client.get(page_url(county["cohort"])).status_code == 404


def test_reader_sees_figures_but_no_applications(client, county):
    client_for(client, "rdr", "reader")
    response = client.get(page_url(county["main"]))
    assert response.status_code == 200
    assert response.context["table"] is None
    page = response.content.decode()
    assert "Anna" not in page and "Number" not in page and "Received" in page


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(county, n: int) -> None:
    for index in range(n):
        app = rf.application(county["main"], received_on=D(2025, 2, 1 + index % 20), team=county["one"])
        rf.progress(app, to="offered")
        rf.campaign(title=f"Extra {index}", opens_on=D(2025, 3, 1))


def test_campaigns_page_query_count_does_not_grow(client, county):
    client_for(client, "hr1", "hr")
    client.get(URL)  # warm the session
    small = queries_for(client, URL)
    grow(county, 12)
    assert queries_for(client, URL) == small
    # session, user, groups; the table's count; the funnel's seven; the filter form's roles,
    # service areas, teams and channels; the table's page, its roles and channels; the
    # session's save (savepoint, update, release).
    assert small == 21


def test_campaign_page_query_count_does_not_grow(client, county):
    client_for(client, "hr1", "hr")
    url = page_url(county["main"])
    client.get(url)
    small = queries_for(client, url)
    grow(county, 12)
    assert queries_for(client, url) == small


def test_the_funnel_shows_internal_interviews_and_offers_declined_by_reason(client, county):
    page = client_for(client, "hr1", "hr").get(URL).content.decode()
    # Every share says what it is a share of.
    for heading in (
        "Interviewed, % of received",
        "Internal candidates interviewed (% of interviewed)",
        "Offers to internal candidates (% of offered)",
        "% of all declined or withdrawn",
    ):
        assert heading in page
    # Social workers: a5 of the 5 interviewed was internal; all roles, a5 and b1 of 6.
    assert '<td class="num">1 (20.0%)</td>' in page and '<td class="num">2 (33.3%)</td>' in page
    # b1 declined for the salary: one offer of one.
    salary = page[page.index('<th scope="row">Salary</th>') :].split("</tr>")[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', salary) == ["1", "0", "1", "100.0%"]
    assert '<th scope="row">Not recorded' not in page  # every decline here has its reason


def test_a_campaign_page_shows_its_offers_declined_by_reason(client, county):
    page = client_for(client, "hr1", "hr").get(page_url(county["main"])).content.decode()
    assert "Offers declined or withdrawn, by reason" in page and "Candidate withdrew" in page
