"""The agency stage of the demonstration: three suppliers (a framework, a project team), rates
near and over the cap (one over with sign-off, one without, flagged), one worker under three
years' experience, one cool-off breach, a year of invoices, and spend near the budget."""

import datetime as dt

import pytest

from reporting.agency_section import budget_by_month
from workforce import demo_agency
from workforce.agency_rules import COOL_OFF, EXPERIENCE, PRICE_CAP, Status
from workforce.models import InvoiceLine, PriceCap, Supplier, SupplyRoute, SupplyType
from workforce.selectors.agency import agency_engagements
from workforce.selectors.agency_spend import spend_breakdown

TODAY = dt.date(2026, 11, 22)
YEAR = (dt.date(2025, 11, 1), dt.date(2026, 10, 31))


def breaches(rule: str) -> list:
    return [e for e in agency_engagements(start=TODAY, end=TODAY) if e.result(rule).status == Status.BREACHED]


@pytest.mark.django_db
def test_three_suppliers_a_framework_and_a_project_team(demo):
    suppliers = {s.name: (s.route, s.supply_type) for s in Supplier.objects.all()}
    assert suppliers == {
        "Reed Social Care": (SupplyRoute.FRAMEWORK, SupplyType.INDIVIDUAL),
        "Sanctuary Personnel": (SupplyRoute.CONTRACT, SupplyType.INDIVIDUAL),
        "Liquid Personnel": (SupplyRoute.CONTRACT, SupplyType.PROJECT_TEAM),
    }
    assert "Agency (suppliers, rates and the national rules" in demo


@pytest.mark.django_db
def test_the_price_caps_say_they_are_illustrative(demo):
    assert PriceCap.objects.count() == 10  # five job types, and April 2026's uplift
    assert all(cap.notes.startswith(demo_agency.ILLUSTRATIVE) for cap in PriceCap.objects.all())


@pytest.mark.django_db
def test_rates_near_and_over_the_cap(demo):
    engagements = agency_engagements(start=TODAY, end=TODAY)
    caps = [e.result(PRICE_CAP) for e in engagements]
    signed = [r for r in caps if r.exception]
    assert len(signed) == 1 and "Jordan Ellis, Chief Executive" in signed[0].exception
    (unsigned,) = breaches(PRICE_CAP)
    assert unsigned.result(PRICE_CAP).detail.endswith("over, with no recorded sign-off")
    # Five pence under: £38.45 against £38.50 (or £39.27 from April 2026).
    assert any(e.result(PRICE_CAP).detail.startswith("£38.45 an hour against") for e in engagements)


@pytest.mark.django_db
def test_one_worker_under_three_years_and_one_cool_off_breach(demo):
    (inexperienced,) = breaches(EXPERIENCE)
    assert "less than three years before the engagement" in inexperienced.result(EXPERIENCE).detail
    (cool_off,) = breaches(COOL_OFF)
    assert "another council in this region" in cool_off.result(COOL_OFF).detail


@pytest.mark.django_db
def test_a_year_of_invoices_and_spend_near_the_budget(demo):
    assert InvoiceLine.objects.filter(week_ending__lte=YEAR[0] + dt.timedelta(days=7)).exists()
    assert InvoiceLine.objects.filter(week_ending__gte=YEAR[1] - dt.timedelta(days=7)).exists()
    spend = spend_breakdown(start=YEAR[0], end=YEAR[1])
    budget = sum(budget_by_month(*YEAR).values())
    assert spend.total.actual > 0
    # Believable: over the budget, as in the county's paper, but not wildly (within 25%).
    assert budget < spend.total.spend < budget * 5 / 4


@pytest.mark.django_db
def test_running_the_stage_again_adds_nothing(demo):
    lines = InvoiceLine.objects.count()
    assert demo_agency.build(today=TODAY) is False
    assert InvoiceLine.objects.count() == lines
