"""Builders for agency records: suppliers, price caps, permanent costs, agency engagements with
their terms, and invoice lines. Each writes through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests import factories
from workforce import agency_services, services
from workforce.models import (
    AgencyReason,
    Assignment,
    Contract,
    InvoiceLine,
    JobType,
    PermanentCost,
    Post,
    PriceCap,
    Role,
    Supplier,
    SupplyRoute,
    SupplyType,
    Worker,
)


def job_type(code: str = "social-worker") -> JobType:
    """Return a seeded core job type by its code."""
    return JobType.objects.get(code=code)


def supplier(
    name: str = "Framework Social Care",
    *,
    route: str = SupplyRoute.FRAMEWORK,
    agreement: str = "Regional framework, lot 1",
    supply_type: str = SupplyType.INDIVIDUAL,
) -> Supplier:
    return agency_services.save_supplier(
        supplier=Supplier(name=name, route=route, agreement=agreement, supply_type=supply_type)
    )


def cap(
    amount: str, *, applies_from: dt.date = dt.date(2025, 4, 1), job_type_code: str = "social-worker"
) -> PriceCap:
    return agency_services.save_price_cap(
        cap=PriceCap(job_type=job_type(job_type_code), applies_from=applies_from, hourly_cap=Decimal(amount))
    )


def permanent_cost(
    role_code: str, *, salary: str, on_costs: str, applies_from: dt.date = dt.date(2020, 4, 1)
) -> PermanentCost:
    return agency_services.save_permanent_cost(
        cost=PermanentCost(
            role=Role.objects.get(code=role_code),
            applies_from=applies_from,
            salary=Decimal(salary),
            on_costs_percent=Decimal(on_costs),
        )
    )


def engagement(
    post: Post | None = None,
    *,
    worker_: Worker | None = None,
    start: dt.date = dt.date(2026, 1, 5),
    end: dt.date | None = None,
    fte: str = "1.0",
    reason: str = AgencyReason.VACANCY,
    supplier_: Supplier | None = None,
    **terms: Any,
) -> Assignment:
    """Return an agency assignment saved with ``terms`` (pay_rate, employer_ni, ... as strings or
    values); the post is a new social worker post unless given."""
    if post is None:
        post = factories.post(team=factories.team())
    decimals = (
        "pay_rate",
        "employer_ni",
        "apprenticeship_levy",
        "agency_margin",
        "hours_per_week",
        "weekly_charge",
    )
    values = {
        name: Decimal(value) if name in decimals and value is not None else value
        for name, value in terms.items()
    }
    values.setdefault("weekly_charge", None)
    return services.save_assignment(
        assignment=Assignment(
            worker=worker_ or factories.worker(service_start=None),
            post=post,
            start=start,
            end=end,
            fte=Decimal(fte),
            contract=Contract.AGENCY,
            agency_reason=reason,
            supplier=supplier_,
            **values,
        )
    )


def invoice_line(
    assignment: Assignment, *, week_ending: dt.date, hours: str = "37", amount: str = "1406.00", **fields: Any
) -> InvoiceLine:
    return agency_services.save_invoice_line(
        line=InvoiceLine(
            supplier=fields.pop("supplier", None) or assignment.supplier,
            worker=assignment.worker,
            week_ending=week_ending,
            hours=Decimal(hours),
            amount=Decimal(amount),
            **fields,
        )
    )
