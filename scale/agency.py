"""The agency part of a generated workforce: suppliers (one a framework, one a project team),
price caps by core job type, permanent costs by role, the agency workers' rates and the
national rules' details, and a year of weekly invoice lines.

Run after the simulation has written the agency assignments (with their supplier's name and
weekly charge) and before the establishment's changes are rebuilt: the assignments are
updated in bulk, around the signals, as the rest of the generator writes. Rates follow from
each assignment's weekly charge, so the two agree; every engagement is within its cap or
signed off over it, so each record passes the model's own validation, and the other rules
are broken or unknown for a few, as in life.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from foundation.periods import add_months
from workforce.invoice_rules import assignment_for_week
from workforce.models import (
    Assignment,
    Contract,
    InvoiceLine,
    JobType,
    PermanentCost,
    PriceCap,
    Role,
    Supplier,
    SupplyRoute,
    SupplyType,
)

PENNY = Decimal("0.01")
BATCH = 5000
SUPPLIER_TERMS = {
    # name in the simulation: (route, framework or contract, supply type)
    "Reed Social Care": (
        SupplyRoute.FRAMEWORK,
        "Corporate managed service framework, lot 2",
        SupplyType.INDIVIDUAL,
    ),
    "Hays Social Care": (SupplyRoute.FRAMEWORK, "Regional agency framework, lot 1", SupplyType.INDIVIDUAL),
    "Sanctuary Personnel": (SupplyRoute.CONTRACT, "Direct contract SP-1", SupplyType.INDIVIDUAL),
    "Liquid Personnel": (SupplyRoute.CONTRACT, "Project team contract LP-1", SupplyType.PROJECT_TEAM),
}
CAPS = {  # £ an hour: illustrative, not DfE's or any region's published caps
    "social-worker": Decimal("40.00"),
    "senior-social-worker": Decimal("44.00"),
    "advanced-practitioner": Decimal("46.00"),
    "team-manager": Decimal("52.00"),
    "iro-cp-chair": Decimal("48.00"),
}
JOB_TYPES = {  # role code: its core job type, as migrated
    "social-worker": "social-worker",
    "senior-practitioner": "senior-social-worker",
    "advanced-practitioner": "advanced-practitioner",
    "team-manager": "team-manager",
}
UPLIFT = Decimal("1.02")
PERMANENT = {  # salary, on-costs %
    "social-worker": ("38500", "29"),
    "senior-practitioner": ("43500", "29"),
    "advanced-practitioner": ("46500", "29"),
    "team-manager": ("52500", "30"),
    "service-manager": ("63000", "30"),
    "head-of-service": ("76000", "31"),
}
MARGIN_SHARE = Decimal("0.20")  # of the hourly charge
NI_SHARE = Decimal("0.12")  # of pay
LEVY_SHARE = Decimal("0.005")  # of pay
TERMS = (
    "supplier_id",
    "pay_rate",
    "employer_ni",
    "apprenticeship_levy",
    "agency_margin",
    "hours_per_week",
    "weekly_charge",
    "notice_weeks",
    "reference_received",
    "reference_given",
    "cool_off_declaration",
    "la_experience_months",
    "dcs_sign_off_by",
    "dcs_sign_off_on",
    "ceo_sign_off_by",
    "ceo_sign_off_on",
)


def _penny(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def add_agency(
    *, today: dt.date, rng: random.Random, out: Callable[[str], None] = lambda line: None
) -> dict[str, int]:
    """Write the agency records of a generated workforce; return the rows written by model."""
    with transaction.atomic():
        suppliers = _suppliers()
        caps = _caps(today)
        costs = _permanent_costs(today)
        since = add_months(today, -15)
        termed = _terms(since, today, suppliers, rng)
        lines = _invoices(add_months(today, -12), today, rng)
    out(
        f"Wrote {len(suppliers)} suppliers, agency terms for {termed:,} assignments and {lines:,} "
        "invoice lines."
    )
    return {
        "workforce.Supplier": len(suppliers),
        "workforce.PriceCap": caps,
        "workforce.PermanentCost": costs,
        "workforce.InvoiceLine": lines,
    }


def _suppliers() -> dict[str, int]:
    names = set(Assignment.objects.agency().values_list("agency_supplier", flat=True).distinct()) - {""}
    found = dict(Supplier.objects.filter(name__in=names).values_list("name", "pk"))
    new = [
        Supplier(name=name, route=terms[0], agreement=terms[1], supply_type=terms[2])
        for name in sorted(names - set(found))
        for terms in [SUPPLIER_TERMS.get(name, (SupplyRoute.OFF_CONTRACT, "", SupplyType.INDIVIDUAL))]
    ]
    for supplier in Supplier.objects.bulk_create(new):
        found[supplier.name] = supplier.pk
    return found


def _caps(today: dt.date) -> int:
    if PriceCap.objects.exists():
        return 0
    job_types = dict(JobType.objects.values_list("code", "pk"))
    caps = [
        PriceCap(
            job_type_id=job_types[code],
            applies_from=start,
            hourly_cap=_penny(amount * uplift),
            notes="Generated",
        )
        for code, amount in CAPS.items()
        for start, uplift in ((add_months(today, -30), Decimal("1")), (add_months(today, -6), UPLIFT))
    ]
    return len(PriceCap.objects.bulk_create(caps))


def _permanent_costs(today: dt.date) -> int:
    if PermanentCost.objects.exists():
        return 0
    roles = dict(Role.objects.values_list("code", "pk"))
    costs = [
        PermanentCost(
            role_id=roles[code],
            applies_from=add_months(today, -48),
            salary=Decimal(salary),
            on_costs_percent=Decimal(on_costs),
        )
        for code, (salary, on_costs) in PERMANENT.items()
        if code in roles
    ]
    return len(PermanentCost.objects.bulk_create(costs))


def _terms(since: dt.date, today: dt.date, suppliers: dict[str, int], rng: random.Random) -> int:
    """Give every agency assignment its supplier, and those of the last fifteen months their
    rates and the rules' details, worked back from the weekly charge; written in bulk."""
    rows = []
    uplift_from = add_months(today, -6)
    for pk, name, charge, fte, start, end, qualified, role in (
        Assignment.objects.agency()
        .order_by("pk")
        .values_list(
            "pk",
            "agency_supplier",
            "weekly_charge",
            "fte",
            "start",
            "end",
            "worker__date_qualified",
            "post__role__code",
        )
    ):
        terms: dict = {name: None for name in TERMS} | {"supplier_id": suppliers.get(name)}
        terms.update(cool_off_declaration="", dcs_sign_off_by="", ceo_sign_off_by="", weekly_charge=charge)
        recent = end is None or end >= since
        if recent and charge is not None:
            hours = (Decimal("37") * fte).quantize(Decimal("0.5"))
            hourly = charge / hours
            margin = _penny(hourly * MARGIN_SHARE)
            pay = _penny((hourly - margin) / (1 + NI_SHARE + LEVY_SHARE))
            terms.update(
                pay_rate=pay,
                employer_ni=_penny(pay * NI_SHARE),
                apprenticeship_levy=_penny(pay * LEVY_SHARE),
                agency_margin=margin,
                hours_per_week=hours,
                notice_weeks=rng.choice((4, 4, 4, 4, 4, 4, 4, 2, None)),
                reference_received=rng.choice((True,) * 12 + (None,)),
                reference_given=True if end is not None and end < today else None,
                cool_off_declaration=rng.choice(("none",) * 10 + ("",)),
            )
            terms["weekly_charge"] = _penny(
                (terms["pay_rate"] + terms["employer_ni"] + terms["apprenticeship_levy"] + margin) * hours
            )
            if qualified is not None:
                months = (start - qualified).days * 12 // 365
                terms["la_experience_months"] = max(0, min(600, months - rng.randint(0, 12)))
            # The dearest of the simulation's charges run over the caps: signed off, as they must be.
            cap = CAPS.get(JOB_TYPES.get(role, ""))
            capped = terms["pay_rate"] + terms["employer_ni"] + terms["apprenticeship_levy"]
            if cap is not None and capped > (_penny(cap * UPLIFT) if start >= uplift_from else cap):
                terms.update(
                    dcs_sign_off_by="Director of Children's Services",
                    dcs_sign_off_on=start - dt.timedelta(days=7),
                    ceo_sign_off_by="Chief Executive",
                    ceo_sign_off_on=start - dt.timedelta(days=5),
                )
        rows.append((pk, terms))
    _update(rows)
    return sum(1 for _, terms in rows if terms["pay_rate"] is not None)


def _update(rows: list[tuple[int, dict]]) -> None:
    """UPDATE each assignment's agency terms: one prepared statement for all (executemany)."""
    table = Assignment._meta.db_table
    quote = connection.ops.quote_name
    fields = [Assignment._meta.get_field(name) for name in TERMS]
    sql = f"UPDATE {quote(table)} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} WHERE id = %s"
    params = [
        [
            field.get_db_prep_save(terms[field.attname if field.attname in terms else field.name], connection)
            for field in fields
        ]
        + [pk]
        for pk, terms in rows
    ]
    with connection.cursor() as cursor:
        for first in range(0, len(params), BATCH):
            cursor.executemany(sql, params[first : first + BATCH])


def _invoices(start: dt.date, today: dt.date, rng: random.Random) -> int:
    """Write a weekly line for each agency worker for each week ending on a Sunday from ``start``
    to a fortnight before ``today`` (the invoices not yet in), for the assignment with most
    days in the week, in batches."""
    last = today - dt.timedelta(days=today.weekday() + 8)
    first = start + dt.timedelta(days=(6 - start.weekday()) % 7)
    by_worker: dict[int, list] = defaultdict(list)
    for row in (
        Assignment.objects.filter(
            contract=Contract.AGENCY, supplier_id__isnull=False, hours_per_week__isnull=False
        )
        .overlapping(first - dt.timedelta(days=6), last)
        .values_list("pk", "worker_id", "supplier_id", "start", "end", "hours_per_week", "weekly_charge")
    ):
        by_worker[row[1]].append(_Spell(*row))
    written = 0
    batch: list[InvoiceLine] = []
    for spells in by_worker.values():
        week_ending = first
        while week_ending <= last:
            spell = assignment_for_week(spells, week_ending)
            if spell is not None:
                days = min(
                    5,
                    (
                        min(spell.end or week_ending, week_ending)
                        - max(spell.start, week_ending - dt.timedelta(days=6))
                    ).days
                    + 1,
                )
                hours = (spell.hours_per_week * days / 5).quantize(Decimal("0.5"))
                if rng.random() < 0.05:
                    hours = max(Decimal("0"), hours - spell.hours_per_week / 5).quantize(Decimal("0.5"))
                batch.append(
                    InvoiceLine(
                        supplier_id=spell.supplier_id,
                        worker_id=spell.worker_id,
                        assignment_id=spell.pk,
                        week_ending=week_ending,
                        hours=hours,
                        amount=_penny(spell.weekly_charge * hours / spell.hours_per_week),
                    )
                )
            week_ending += dt.timedelta(days=7)
        if len(batch) >= BATCH:
            written += len(InvoiceLine.objects.bulk_create(batch, batch_size=1000))
            batch = []
    written += len(InvoiceLine.objects.bulk_create(batch, batch_size=1000))
    return written


class _Spell:
    """An agency assignment as the invoice weeks read it."""

    __slots__ = ("end", "hours_per_week", "pk", "start", "supplier_id", "weekly_charge", "worker_id")

    def __init__(self, pk, worker_id, supplier_id, start, end, hours_per_week, weekly_charge) -> None:  # noqa: ANN001
        self.pk, self.worker_id, self.supplier_id = pk, worker_id, supplier_id
        self.start, self.end = start, end
        self.hours_per_week, self.weekly_charge = hours_per_week, weekly_charge
