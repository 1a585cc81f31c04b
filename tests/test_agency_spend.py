"""Agency spend, worked by hand: invoices to the latest week invoiced, weekly charges after it,
the estimate beside it, by month, supplier, reason, team and role, and the premium over
permanent staff.

The window is April to June 2026. A (a social worker, vacancy, Framework Co) runs from
1 March at £1,400 a week and is invoiced £1,406 for 37 hours every week ending Sunday
5 April to 31 May (9 weeks). B (a senior practitioner, maternity, Other Agency) runs 18 May
to 14 June at £1,750 a week, invoiced for the weeks ending 24 and 31 May (37.5 hours each).
Invoiced to 31 May, so June is estimated: A 30 days x 1,400 / 7 = 6,000; B 14 days x
1,750 / 7 = 3,500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests import factories_agency as agency
from workforce.analysis import agency_spend
from workforce.models import AgencyReason, InvoiceLine
from workforce.scopes import Scope
from workforce.selectors.agency_spend import MIXED, spend_breakdown, spend_to_date

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2026, 4, 1), D(2026, 6, 30)


@pytest.fixture
def spend_world():
    framework, other = agency.supplier("Framework Co"), agency.supplier("Other Agency")
    one, two = factories.team("Team One"), factories.team("Team Two")
    a = agency.engagement(
        factories.post(team=one), start=D(2026, 3, 1), supplier_=framework, weekly_charge="1400"
    )
    b = agency.engagement(
        factories.post(team=two, role_code="senior-practitioner"),
        start=D(2026, 5, 18),
        end=D(2026, 6, 14),
        reason=AgencyReason.MATERNITY,
        supplier_=other,
        weekly_charge="1750",
    )
    for week in range(9):
        agency.invoice_line(
            a, week_ending=D(2026, 4, 5) + dt.timedelta(weeks=week), hours="37", amount="1406"
        )
    for week_ending in (D(2026, 5, 24), D(2026, 5, 31)):
        agency.invoice_line(b, week_ending=week_ending, hours="37.5", amount="1750")
    agency.permanent_cost("social-worker", salary="40000", on_costs="30")
    return {"a": a, "b": b, "teams": (one, two), "suppliers": (framework, other)}


def test_spend_to_date_is_invoiced_then_estimated(spend_world):
    total = spend_to_date(start=START, end=END)
    assert total.invoiced_to == D(2026, 5, 31)
    # Invoiced: A 9 x 1,406 = 12,654; B 2 x 1,750 = 3,500.
    assert total.actual == Decimal("16154.00")
    assert total.estimated_rest == Decimal("9500.00")
    assert total.spend == Decimal("25654.00")
    # The estimate throughout: A 91 days x 200 = 18,200; B 28 days x 250 = 7,000.
    assert total.estimated == Decimal("25200.00") == agency_spend(start=START, end=END)
    assert total.basis == MIXED
    assert total.basis_text == (
        "from supplier invoices (to the week ending 31 May 2026) where received, and estimated from weekly "
        "charges for the weeks not yet invoiced"
    )


def test_without_invoices_spend_is_the_estimate():
    agency.engagement(start=D(2026, 3, 1), weekly_charge="1400")
    total = spend_to_date(start=START, end=END)
    assert (total.invoiced_to, total.actual, total.spend) == (None, Decimal("0"), Decimal("18200.00"))
    assert total.basis_text == "estimated from weekly charges as no supplier invoices are recorded"


def test_spend_by_month_actual_beside_estimated(spend_world):
    breakdown = spend_breakdown(start=START, end=END)
    months = [(m.key, m.actual, m.estimated_rest, m.estimated) for m in breakdown.months]
    assert months == [
        (D(2026, 4, 1), Decimal("5624.00"), Decimal("0.00"), Decimal("6000.00")),  # 4 weeks of A
        (D(2026, 5, 1), Decimal("10530.00"), Decimal("0.00"), Decimal("9700.00")),  # 5 of A, 2 of B
        (D(2026, 6, 1), Decimal("0.00"), Decimal("9500.00"), Decimal("9500.00")),
    ]
    assert [m.label for m in breakdown.months] == ["April 2026", "May 2026", "June 2026"]
    assert breakdown.total.spend == Decimal("25654.00")


def test_spend_by_supplier_reason_and_team(spend_world):
    breakdown = spend_breakdown(start=START, end=END)
    assert [(row.label, row.spend) for row in breakdown.by_supplier] == [
        ("Framework Co", Decimal("18654.00")),
        ("Other Agency", Decimal("7000.00")),
    ]
    assert [(row.label, row.spend) for row in breakdown.by_reason] == [
        ("Covering vacancies", Decimal("18654.00")),
        ("Covering maternity", Decimal("7000.00")),
    ]
    assert [(row.label, row.actual, row.hours) for row in breakdown.by_team] == [
        ("Team One", Decimal("12654.00"), Decimal("333.00")),
        ("Team Two", Decimal("3500.00"), Decimal("75.00")),
    ]


def test_the_premium_over_permanent_staff(spend_world):
    (senior, social_worker) = spend_breakdown(start=START, end=END).premiums
    # £40,000 + 30% = £52,000 a year. Invoiced 333 hours: 52,000 x 333 x 7 / (365 x 37) = 8,975.34;
    # June estimated, 30 FTE-days: 52,000 x 30 / 365 = 4,273.97. Agency: 12,654 + 6,000 = 18,654.
    assert social_worker.annual_cost == Decimal("52000.00")
    assert social_worker.agency_cost == Decimal("18654.00")
    assert social_worker.permanent_cost == Decimal("13249.31")
    assert social_worker.premium == Decimal("5404.69")
    assert social_worker.premium_percent == Decimal("40.8")
    # No annual cost recorded for senior practitioners: no premium, never a guess.
    assert (senior.role, senior.permanent_cost, senior.premium) == ("Senior Practitioner", None, None)


def test_spend_in_a_teams_scope(spend_world):
    one, _ = spend_world["teams"]
    breakdown = spend_breakdown(start=START, end=END, scope=Scope.team(one.pk))
    assert breakdown.total.spend == Decimal("18654.00")
    assert spend_to_date(start=START, end=END, scope=Scope.team(one.pk)).spend == Decimal("18654.00")


def test_an_assignment_not_yet_invoiced_is_estimated_whatever_others_are(spend_world):
    # C (Other Agency) from 1 May at £1,050 a week, never invoiced: 61 days x 150 = 9,150.
    c = agency.engagement(start=D(2026, 5, 1), supplier_=spend_world["suppliers"][1], weekly_charge="1050")
    total = spend_to_date(start=START, end=END)
    assert total.spend == Decimal("25654.00") + Decimal("9150.00")
    assert c.invoice_lines.count() == 0


def test_the_breakdown_takes_the_same_queries_however_many_lines(spend_world, django_assert_num_queries):
    # The assignments; the invoice lines grouped; the suppliers; the permanent costs.
    with django_assert_num_queries(4):
        spend_breakdown(start=START, end=END)
    a = spend_world["a"]
    for week in range(4):
        agency.invoice_line(a, week_ending=D(2026, 6, 7) + dt.timedelta(weeks=week))
    with django_assert_num_queries(4):
        breakdown = spend_breakdown(start=START, end=END)
    assert breakdown.invoiced_to == D(2026, 6, 28)


def test_an_invoice_line_needs_the_workers_agency_assignment_that_week(spend_world):
    a = spend_world["a"]
    with pytest.raises(ValidationError) as caught:
        agency.invoice_line(a, week_ending=D(2026, 2, 22))
    assert caught.value.message_dict["week_ending"] == [
        "The worker has no agency assignment in the week 16 February 2026 to 22 February 2026: record the "
        "assignment first, or correct the worker or week."
    ]
    _, other = spend_world["suppliers"]
    with pytest.raises(ValidationError) as caught:
        agency.invoice_line(a, week_ending=D(2026, 6, 7), supplier=other)
    assert caught.value.message_dict["supplier"] == [
        "The worker's assignment that week is supplied by Framework Co, not this supplier."
    ]
    with pytest.raises(ValidationError) as caught:
        agency.invoice_line(a, week_ending=D(2026, 4, 5))
    assert "already exists" in str(caught.value)
    assert InvoiceLine.objects.count() == 11


def test_before_the_first_week_invoiced_spend_is_estimated(spend_world):
    # From 1 March: A worked all March at £1,400 a week (31 days x 200 = 6,200) before its first
    # invoiced week (30 March to 5 April), so March is estimated, not nothing.
    total = spend_to_date(start=D(2026, 3, 1), end=END)
    # Estimated: A 1 to 29 March (29 x 200 = 5,800) and June (6,000), B June (3,500); invoiced 16,154.
    assert total.estimated_rest == Decimal("15300.00")
    assert total.spend == Decimal("31454.00")
    breakdown = spend_breakdown(start=D(2026, 3, 1), end=END)
    assert breakdown.total.spend == total.spend
    march = breakdown.months[0]
    assert (march.label, march.actual, march.estimated_rest, march.estimated) == (
        "March 2026",
        Decimal("0.00"),
        Decimal("5800.00"),
        Decimal("6200.00"),
    )


def test_a_month_counts_from_its_last_day_to_the_next_months_first():
    # £700 a week is £100 a day: 30 April alone, all of May, 1 June alone.
    agency.engagement(start=D(2026, 4, 30), end=D(2026, 6, 1), weekly_charge="700")
    months = spend_breakdown(start=START, end=END).months
    assert [(m.label, m.estimated) for m in months] == [
        ("April 2026", Decimal("100.00")),
        ("May 2026", Decimal("3100.00")),
        ("June 2026", Decimal("100.00")),
    ]
