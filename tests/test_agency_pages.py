"""The agency pages as their users meet them: HR and directors see every agency worker with each
rule's result and each breach with its sign-off or exception; managers only their own teams;
readers the figures, never names. Filters by supplier, team, reason and rule; the same queries
however many agency workers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests import factories_agency as agency
from tests import factories_reporting as fr
from workforce.models import AgencyReason, SupplyRoute

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 6, 15)
URL = reverse("agency:agency")
SPEND = reverse("agency:spend")


@pytest.fixture
def world():
    agency.cap("40.00")
    framework = agency.supplier("Framework Co")
    spot = agency.supplier("Spot Agency", route=SupplyRoute.OFF_CONTRACT, agreement="")
    mine, other = factories.team("Mine"), factories.team("Other")
    within = agency.engagement(
        factories.post(team=mine, reference="MINE-1"),
        worker_=factories.worker(first_name="Wendy", last_name="Within", date_qualified=D(2015, 1, 1)),
        start=D(2026, 1, 5),
        supplier_=framework,
        pay_rate="30",
        employer_ni="3",
        agency_margin="4",
        hours_per_week="37",
        notice_weeks=4,
        reference_received=True,
        cool_off_declaration="none",
    )
    over = agency.engagement(
        factories.post(team=other, reference="OTHER-1"),
        worker_=factories.worker(first_name="Oscar", last_name="Baxter", date_qualified=D(2015, 1, 1)),
        start=D(2026, 2, 2),
        reason=AgencyReason.MATERNITY,
        supplier_=spot,
        pay_rate="40",
        employer_ni="4",
        dcs_sign_off_by="Dee Director",
        dcs_sign_off_on=D(2026, 1, 30),
        ceo_sign_off_by="Chris Chief",
        ceo_sign_off_on=D(2026, 1, 31),
        notice_weeks=2,
    )
    for week in range(4):
        agency.invoice_line(within, week_ending=D(2026, 4, 5) + dt.timedelta(weeks=week), amount="1369")
    fr.agency_budget(start=D(2026, 4, 1), end=D(2027, 3, 31), amount="365000")
    users = {
        "hr": factories.user("hr", "hr", staff=True),
        "manager": factories.user("manager", "manager", teams=[mine]),
        "reader": factories.user("reader", "reader"),
        "director": factories.user("director", "director", staff=True),
    }
    return {"within": within, "over": over, "mine": mine, "other": other, "users": users, "spot": spot}


def page(client, user, url=URL, **query) -> str:
    client.force_login(user)
    response = client.get(url, {"as_of": DAY.isoformat(), **query})
    assert response.status_code == 200
    return response.content.decode()


def test_hr_see_each_rule_and_each_breach_with_its_sign_off(client, world):
    html = page(client, world["users"]["hr"])
    assert "Wendy Within" in html and "Oscar Baxter" in html
    # Oscar: notice 2 weeks is a breach, with nothing to excuse it; over the cap with both sign-offs.
    assert "Only 2 weeks&#x27; notice (4 weeks needed)" in html
    assert "None recorded" in html
    assert (
        "Over the cap, signed off by the Director of Children&#x27;s Services "
        "(Dee Director, 30 January 2026) and "
        "the chief executive (Chris Chief, 31 January 2026)" in html
    )
    assert reverse("admin:workforce_assignment_change", args=[world["over"].pk]) in html


def test_readers_see_figures_never_names(client, world):
    html = page(client, world["users"]["reader"])
    for name in ("Wendy", "Within", "Oscar", "Baxter", "Dee Director", "Chris Chief"):
        assert name not in html
    # No staff reference (W0...) outside the random CSRF token, which may hold "W0" by chance.
    assert not re.search(r"\bW0\d", re.sub(r'value="[A-Za-z0-9]{32,}"', "", html))
    assert "(name withheld)" in html
    assert "signed off by the Director of Children&#x27;s Services (30 January 2026)" in html
    assert "2 of the 2 agency workers engaged on the date are shown" in html
    spend = page(client, world["users"]["reader"], SPEND, start="2026-04-01", end="2026-04-30")
    assert "Wendy" not in spend and "Framework Co" in spend


def test_managers_see_only_their_own_teams(client, world):
    html = page(client, world["users"]["manager"])
    assert "Wendy Within" in html and "MINE-1" in html
    assert "Oscar" not in html and "OTHER-1" not in html
    html = page(client, world["users"]["manager"], team=world["other"].pk)
    assert "Oscar" not in html
    spend = page(client, world["users"]["manager"], SPEND, start="2026-04-01", end="2026-04-30")
    assert "Spot Agency" not in spend
    assert "the agency budget is the whole council" in spend.lower()


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"supplier": "spot"}, "Oscar", "Wendy"),
        ({"team": "mine"}, "Wendy", "Oscar"),
        ({"reason": AgencyReason.MATERNITY}, "Oscar", "Wendy"),
        ({"rule": "notice", "status": "breached"}, "Oscar", "Wendy"),
        ({"rule": "price_cap", "status": "exception"}, "Oscar", "Wendy"),
        ({"rule": "price_cap", "status": "met"}, "Wendy", "Oscar"),
    ],
)
def test_the_filters(client, world, query, shown, hidden):
    keys = {"spot": world["spot"].pk, "mine": world["mine"].pk}
    html = page(
        client, world["users"]["director"], **{name: keys.get(value, value) for name, value in query.items()}
    )
    assert shown in html and hidden not in html


def test_the_page_takes_the_same_queries_however_many_agency_workers(client, world):
    client.force_login(world["users"]["hr"])
    client.get(URL)  # the session and content types are read on the first request

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"as_of": DAY.isoformat()}).status_code == 200
        return len(captured)

    before = queries()
    for number in range(8):
        agency.engagement(
            factories.post(team=world["mine"]), start=D(2026, 3, number + 1), supplier_=world["spot"]
        )
    assert queries() == before


def test_spend_against_the_budget_by_month(client, world):
    html = page(client, world["users"]["hr"], SPEND, start="2026-04-01", end="2026-04-30")
    # Wendy: invoiced 4 weeks (5 to 26 April) at £1,369, then 27 to 30 April estimated at
    # 37 x 37 = £1,369 a week: 4 days = £782.29. Oscar: (40 + 4) x no hours: no weekly charge.
    assert "£5,476" in html  # invoiced
    assert "£6,258" in html  # spend: 5,476 + 782.29
    assert "£30,000" in html  # April's budget: £1,000 a day
    assert "(£23,742)" in html  # under budget, in the column headed "Over (under) budget"
    assert "-£23,742" not in html


def test_the_admin_refuses_an_engagement_over_the_cap_until_both_sign_offs_are_recorded(client, world):
    client.force_login(world["users"]["hr"])
    post = factories.post(team=world["mine"], reference="MINE-2")
    person = factories.worker()
    form = {
        "worker": person.pk,
        "post": post.pk,
        "start": "2026-06-01",
        "end": "",
        "fte": "1",
        "contract": "agency",
        "agency_reason": "vacancy",
        "supplier": world["spot"].pk,
        "pay_rate": "37.00",
        "employer_ni": "4.20",
        "apprenticeship_levy": "",
        "agency_margin": "",
        "hours_per_week": "",
        "weekly_charge": "",
        "notice_weeks": "4",
        "la_experience_months": "",
        "reference_received": "true",
        "reference_given": "unknown",
        "cool_off_declaration": "none",
        "previous_role_left_on": "",
        "cool_off_exception": "",
        "dcs_sign_off_by": "",
        "dcs_sign_off_on": "",
        "ceo_sign_off_by": "",
        "ceo_sign_off_on": "",
    }
    url = reverse("admin:workforce_assignment_add")
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Price cap: £41.20 an hour against the Social worker cap of £40.00" in response.content.decode()
    assert not post.assignments.exists()
    signed = form | {
        "dcs_sign_off_by": "Dee Director",
        "dcs_sign_off_on": "2026-05-28",
        "ceo_sign_off_by": "Chris Chief",
        "ceo_sign_off_on": "2026-05-29",
    }
    assert client.post(url, signed).status_code == 302
    assert post.assignments.get().history.first().history_user == world["users"]["hr"]


def test_the_breaches_are_listed_a_page_at_a_time(client, world, monkeypatch):
    from pages import agency as views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    html = page(client, world["users"]["hr"])
    assert "Page 1 of 2" in html and "listed=2" in html
    assert "Page 2 of 2" in page(client, world["users"]["hr"], listed=2)


def test_the_date_boxes_show_the_dates_the_pages_are_for(world, client, monkeypatch):
    """The "As at" box holds the day the page shows, and the spend page's "From" and "To" the
    period its heading names, opened bare or with only a team chosen; a typed date is read and used."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args: DAY)
    client.force_login(factories.user("hr-dates", "hr", staff=True))
    team = world["mine"].pk
    for query in ("", f"?team={team}"):
        html = client.get(URL + query).content.decode()
        assert re.search(r'name="as_of"[^>]*value="15/6/2026"', html), query
        html = client.get(SPEND + query).content.decode()
        assert re.search(r'name="start"[^>]*value="1/4/2026"', html), query
        assert re.search(r'name="end"[^>]*value="15/6/2026"', html), query
    html = client.get(URL + "?as_of=1 March 2026").content.decode()
    assert re.search(r'name="as_of"[^>]*value="1/3/2026"', html)  # read, shown as typed
