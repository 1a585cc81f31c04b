"""The committee paper's agency section, worked by hand: agency workers by the national rules at
the as-at date, spend against budget by month over the window (a chart), the top suppliers,
and its drafted sentence; a paper published before the section existed still lays out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reporting import frozen
from reporting.agency_section import budget_by_month
from reporting.outline import outline
from reporting.summary import build_committee_summary
from tests import factories
from tests import factories_agency as agency
from tests import factories_reporting as fr
from workforce.models import AgencyReason, SupplyRoute
from workforce.selectors.agency_spend import spend_breakdown

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2026, 6, 30)


def build(**kwargs):
    return build_committee_summary(as_of=AS_OF, comparison_dates=[], window_months=3, **kwargs)


@pytest.fixture
def paper_world():
    """The 3 months to 30 June 2026 (31 March to 30 June). A: within the cap, four weeks' notice,
    reference received, declared no role left, qualified 2015: every rule met. B: over the cap,
    signed off; qualified 2024 (a breach of experience); no notice recorded. Framework Co
    invoices A; B is estimated."""
    agency.cap("40.00")
    framework = agency.supplier("Framework Co", agreement="Regional framework, lot 1")
    other = agency.supplier("Other Agency", route=SupplyRoute.CONTRACT, agreement="Contract OA-1")
    team = factories.team("Team One")
    a = agency.engagement(
        factories.post(team=team),
        worker_=factories.worker(date_qualified=D(2015, 7, 1), service_start=None),
        start=D(2026, 3, 1),
        supplier_=framework,
        pay_rate="30.00",
        employer_ni="3.50",
        apprenticeship_levy="0.15",
        agency_margin="4.35",
        hours_per_week="37",
        notice_weeks=4,
        reference_received=True,
        cool_off_declaration="none",
    )
    agency.engagement(
        factories.post(team=team),
        worker_=factories.worker(date_qualified=D(2024, 7, 1), service_start=None),
        start=D(2026, 5, 18),
        reason=AgencyReason.MATERNITY,
        supplier_=other,
        pay_rate="40.00",
        employer_ni="4.80",
        agency_margin="5.20",
        hours_per_week="35",
        reference_received=True,
        cool_off_declaration="none",
        dcs_sign_off_by="A. Director",
        dcs_sign_off_on=D(2026, 5, 11),
        ceo_sign_off_by="C. Executive",
        ceo_sign_off_on=D(2026, 5, 12),
    )
    for week in range(9):  # weeks ending 5 April to 31 May
        agency.invoice_line(a, week_ending=D(2026, 4, 5) + dt.timedelta(weeks=week), amount="1406")
    fr.agency_budget(start=D(2026, 3, 1), end=D(2027, 2, 28), amount="365000")  # £1,000 a day


def test_agency_workers_by_rule(paper_world):
    table = build().table("agency_compliance")
    cells = {row.key: [cell.text for cell in row.cells[1:]] for row in table.rows}
    # Met, of which by exception or sign-off, breached, not known.
    assert cells["price_cap"] == ["2", "1", "0", "0"]
    assert cells["experience"] == ["1", "0", "1", "0"]
    assert cells["cool_off"] == ["2", "0", "0", "0"]
    assert cells["notice"] == ["1", "0", "0", "1"]
    assert cells["reference"] == ["2", "0", "0", "0"]
    assert cells["project_team"] == ["2", "0", "0", "0"]
    assert cells["every_rule"] == ["1", "", "1", "0"]


def test_spend_against_budget_by_month(paper_world):
    section = build().section("agency_rules")
    table = section.table("agency_spend_by_month")
    rows = {row.key: [cell.text for cell in row.cells] for row in table.rows}
    # A's weekly charge: (30.00 + 3.50 + 0.15 + 4.35) x 37 = £1,406, £200.86 a day; B's:
    # (40.00 + 4.80 + 5.20) x 35 = £1,750, £250 a day. A is invoiced for the weeks ending 5 April
    # to 31 May (30 March to 31 May, so 31 March is invoiced, in the week ending in April); B
    # never: B's 14 days in May (3,500) and both in June (6,025.71 + 7,500) are estimated.
    assert rows["2026-03-31"] == ["Mar 2026", "£1,000", "£0", "£0", "(£1,000)"]
    assert rows["2026-04-01"] == ["Apr 2026", "£30,000", "£5,624", "£5,624", "(£24,376)"]
    assert rows["2026-05-01"] == ["May 2026", "£31,000", "£10,530", "£7,030", "(£20,470)"]
    assert rows["2026-06-01"] == ["Jun 2026", "£30,000", "£13,526", "£0", "(£16,474)"]
    assert rows["total"] == ["Total", "£92,000", "£29,680", "£12,654", "(£62,320)"]
    # The estimate from weekly charges alone, beside it on /agency/spend/: A 31 March to 30 June
    # (92 days x 1,406 / 7 = 18,478.86) and B (44 days x 250 = 11,000).
    assert spend_breakdown(start=D(2026, 3, 31), end=AS_OF).total.estimated == Decimal("29478.86")
    (chart,) = section.charts
    assert (chart.table, chart.columns, chart.rows) == (
        "agency_spend_by_month",
        ("budget", "spend"),
        ("2026-03-31", "2026-04-01", "2026-05-01", "2026-06-01"),
    )


def test_the_top_suppliers(paper_world):
    table = build().table("agency_top_suppliers")
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Framework Co (framework agreement)", "£18,680", "62.9%"],
        ["Other Agency (direct contract)", "£11,000", "37.1%"],
        ["Total", "£29,680", "100.0%"],
    ]


def test_the_drafted_sentence(paper_world):
    assert build().section("agency_rules").sentence == (
        "At 30 June 2026, 1 agency worker met every national agency rule, 1 breached at least one and for "
        "0 a rule could not be checked for lack of data. The rule breached is the three years' "
        "post-qualifying experience (1). Agency spend in the 3 months to 30 June 2026 was £29,680 (£12,654 "
        "of it invoiced by suppliers and the rest estimated from weekly charges) against a budget of "
        "£92,000 for the same months. The most was spent with Framework Co (framework agreement): £18,680, "
        "62.9% of the total."
    )


def test_a_budget_for_part_of_the_window_gives_no_total():
    fr.agency_budget(start=D(2026, 5, 1), end=D(2026, 5, 31), amount="3100")
    assert budget_by_month(D(2026, 4, 1), D(2026, 6, 30)) == {
        D(2026, 4, 1): None,
        D(2026, 5, 1): Decimal("3100.00"),
        D(2026, 6, 1): None,
    }
    table = build().table("agency_spend_by_month")
    assert table.cell("total", "budget").text == "–"
    assert table.cell("2026-05-01", "variance").text == "(£3,100)"


def test_a_paper_published_before_the_section_still_lays_out(paper_world):
    data = frozen.dump(build())
    sections = data["summary"]["sections"]
    data["summary"]["sections"] = [section for section in sections if section["key"] != "agency_rules"]
    older = frozen.load(data)
    parts = [part.key for part in outline(older).parts]
    assert "agency_rules" not in parts and "agency" in parts
    assert "agency_rules" in [part.key for part in outline(frozen.load(frozen.dump(build()))).parts]


def test_the_section_holds_no_names(paper_world):
    text = str(frozen.dump(build())["summary"]["sections"])
    assert "A. Director" not in text and "Test" not in text
