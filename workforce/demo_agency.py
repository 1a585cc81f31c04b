"""The agency stage of ``load_demo``: three suppliers (one a framework, one a project team), the
agency workers' rates and the national rules' details, illustrative regional price caps, the
annual cost of permanent staff by role, and the suppliers' invoice lines for the last twelve
months.

It shows what the product finds: most agency workers within the cap; one near it; one over it
with both sign-offs recorded; one over it without (its rate was recorded before the region's
caps were, so it is flagged, and the admin refuses any change until the sign-off is recorded);
one worker with under three years' post-qualifying experience; one engaged within three months
of leaving a permanent role in another council of the region; a few with the notice or
reference missing. The price caps are illustrative figures for the demonstration, not DfE's or
any region's published caps.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from foundation.dates import long_date
from foundation.periods import add_months
from workforce import agency_services, services
from workforce.agency_rules import expected_weekly_charge
from workforce.demo import demo_dates
from workforce.invoice_rules import assignment_for_week
from workforce.models import (
    AgencyReason,
    Assignment,
    InvoiceLine,
    JobType,
    PermanentCost,
    PriceCap,
    Role,
    Supplier,
    SupplyRoute,
    SupplyType,
)

TITLE = "Agency (suppliers, rates and the national rules, price caps, a year of invoices)"
SEED = 18
PENNY = Decimal("0.01")
ILLUSTRATIVE = "Illustrative figure for the demonstration: not DfE's or any region's published cap."

SUPPLIERS = [
    # (name, route, framework or contract, supply type)
    (
        "Reed Social Care",
        SupplyRoute.FRAMEWORK,
        "Corporate managed service framework (Mstar), lot 2",
        SupplyType.INDIVIDUAL,
    ),
    ("Sanctuary Personnel", SupplyRoute.CONTRACT, "Direct contract SP-2024-03", SupplyType.INDIVIDUAL),
    (
        "Liquid Personnel",
        SupplyRoute.CONTRACT,
        "Assessment project team, contract LP-2025-01",
        SupplyType.PROJECT_TEAM,
    ),
]
# Every demonstration agency worker goes to one of the three; these two are folded in.
FOLDED = {"Hays Social Care": "Sanctuary Personnel", "Charles Hunter Associates": "Reed Social Care"}

# Illustrative caps (£ an hour) by core job type, and a 2% uplift the next April.
CAPS = {
    "social-worker": Decimal("38.50"),
    "senior-social-worker": Decimal("41.00"),
    "advanced-practitioner": Decimal("43.00"),
    "team-manager": Decimal("47.00"),
    "iro-cp-chair": Decimal("45.00"),
}
# Pay an hour by role; employer NI, levy and margin follow from it.
PAY = {
    "social-worker": Decimal("31.00"),
    "senior-practitioner": Decimal("33.50"),
    "advanced-practitioner": Decimal("35.50"),
    "team-manager": Decimal("38.50"),
    "service-manager": Decimal("44.00"),
    "head-of-service": Decimal("50.00"),
}
# Salary (the grade's midpoint, full time) and on-costs %, by role.
PERMANENT = {
    "social-worker": ("38500", "29"),
    "senior-practitioner": ("43500", "29"),
    "advanced-practitioner": ("46500", "29"),
    "team-manager": ("52500", "30"),
    "service-manager": ("63000", "30"),
    "head-of-service": ("76000", "31"),
}
NI_SHARE = Decimal("0.12")  # employer National Insurance as a share of pay (above the threshold)
LEVY_SHARE = Decimal("0.005")


def _penny(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Add the demonstration's agency records up to ``today``; False if already there."""
    if PriceCap.objects.exists() or InvoiceLine.objects.exists():
        return False
    rng = random.Random(SEED)
    dates = demo_dates(today)
    suppliers = _suppliers()
    year_start = add_months(dates.window_end, -12) + dt.timedelta(days=1)
    relevant = list(
        Assignment.objects.agency()
        .overlapping(add_months(year_start, -3), today)
        .select_related("post__role", "worker", "supplier")
        .order_by("start", "pk")
    )
    current = [a for a in relevant if a.start <= today and (a.end is None or a.end >= today)]
    stories = _stories(current, rng)
    for assignment in relevant:
        _set_terms(assignment, suppliers, rng, stories.get(assignment.pk, ""), today)
    _fold_other_suppliers(suppliers)
    # The caps come after the rates: the engagement over the cap without sign-off was recorded
    # before the region agreed them, and is flagged from now on.
    _price_caps(today)
    _permanent_costs(today)
    lines = _invoices(relevant, start=year_start, today=today, rng=rng)
    if stdout is not None:
        stdout.write(
            f"  agency: {len(suppliers)} suppliers, {len(relevant)} agency assignments given rates, "
            f"{len(lines):,} invoice lines from {long_date(year_start)}; price caps illustrative"
        )
    return True


def _suppliers() -> dict[str, Supplier]:
    found = {}
    for name, route, agreement, supply_type in SUPPLIERS:
        supplier = Supplier.objects.filter(name=name).first() or Supplier(name=name)
        supplier.route, supplier.agreement, supplier.supply_type = route, agreement, supply_type
        found[name] = agency_services.save_supplier(supplier=supplier)
    return found


def _stories(current: list[Assignment], rng: random.Random) -> dict[int, str]:
    """Choose the current agency workers whose records tell the product's stories."""
    by_role: dict[str, list[Assignment]] = {}
    for assignment in current:
        if assignment.agency_reason != AgencyReason.AWAITING_TRANSFER:
            by_role.setdefault(assignment.post.role.code, []).append(assignment)
    stories: dict[int, str] = {}

    def pick(role: str, story: str) -> None:
        free = [a for a in by_role.get(role, []) if a.pk not in stories]
        if free:
            stories[rng.choice(free).pk] = story

    pick("team-manager", "over_signed")
    pick("advanced-practitioner", "over_unsigned")
    pick("social-worker", "near_cap")
    pick("social-worker", "inexperienced")
    pick("social-worker", "cool_off")
    for story in ("no_notice", "short_notice", "no_reference", "undeclared"):
        pick("social-worker", story)
    return stories


def _set_terms(
    assignment: Assignment, suppliers: dict[str, Supplier], rng: random.Random, story: str, today: dt.date
) -> None:
    role = assignment.post.role.code
    named = assignment.supplier.name if assignment.supplier_id else ""
    supplier = suppliers.get(FOLDED.get(named, named)) or suppliers["Reed Social Care"]
    project_team = assignment.agency_reason == AgencyReason.ADDITIONAL_CAPACITY and rng.random() < 0.5
    if story == "cool_off" or project_team:
        supplier = suppliers["Liquid Personnel"]
    pay = PAY[role] + Decimal(rng.randint(-60, 60)) / 100
    if story == "near_cap":
        pay = Decimal("34.18")  # 34.18 + 4.10 + 0.17 = 38.45, 5p under the £38.50 cap
    elif story == "over_signed":
        pay = Decimal("43.80")  # 43.80 + 5.26 + 0.22 = 49.28, over the £47.00 cap
    elif story == "over_unsigned":
        pay = Decimal("40.00")  # 40.00 + 4.80 + 0.20 = 45.00, over the £43.00 cap (£43.86 from April 2026)
    hours = Decimal("37") * assignment.fte
    assignment.supplier = supplier
    assignment.agency_supplier = supplier.name
    assignment.pay_rate = pay
    assignment.employer_ni = _penny(pay * NI_SHARE)
    assignment.apprenticeship_levy = _penny(pay * LEVY_SHARE)
    assignment.agency_margin = Decimal(rng.choice(["4.20", "4.60", "5.10", "5.60"]))
    assignment.hours_per_week = hours.quantize(Decimal("0.5"))
    assignment.weekly_charge = None  # worked out from the rates and hours
    assignment.notice_weeks = {"no_notice": None, "short_notice": 2}.get(story, 4)
    assignment.reference_received = None if story == "no_reference" else True
    if assignment.end is not None and assignment.end < today:
        assignment.reference_given = True
    assignment.cool_off_declaration = "" if story == "undeclared" else "none"
    worker = assignment.worker
    if story == "inexperienced":
        worker.date_qualified = assignment.start - dt.timedelta(days=2 * 365 + 40)
        services.save_worker(worker=worker)
    elif _newly_qualified_agency_worker(assignment):
        # The rules engage only workers with three years' experience: the demonstration's
        # agency workers (never employees here) qualified long enough ago, but for one.
        worker.date_qualified = assignment.start - dt.timedelta(days=3 * 365 + rng.randint(60, 4000))
        services.save_worker(worker=worker)
    if story != "inexperienced" and worker.date_qualified:
        months = (assignment.start - worker.date_qualified).days * 12 // 365
        if months >= 36:  # from the references: some years were outside local authorities
            assignment.la_experience_months = min(600, months - rng.randint(0, min(14, months - 36)))
    if story == "cool_off":
        assignment.cool_off_declaration = "this_region"
        assignment.previous_role_left_on = assignment.start - dt.timedelta(days=45)
    if story == "over_signed":
        assignment.dcs_sign_off_by = "Dana Fairfax, Director of Children's Services"
        assignment.dcs_sign_off_on = assignment.start - dt.timedelta(days=6)
        assignment.ceo_sign_off_by = "Jordan Ellis, Chief Executive"
        assignment.ceo_sign_off_on = assignment.start - dt.timedelta(days=4)
    services.save_assignment(assignment=assignment)


def _newly_qualified_agency_worker(assignment: Assignment) -> bool:
    """Return whether the worker qualified less than three years before the engagement (or it is
    not known) and has never been an employee here, whose record would say otherwise."""
    qualified = assignment.worker.date_qualified
    if qualified is not None and add_months(qualified, 36) <= assignment.start:
        return False
    return not Assignment.objects.employees().filter(worker_id=assignment.worker_id).exists()


def _fold_other_suppliers(suppliers: dict[str, Supplier]) -> None:
    """Move the older demonstration assignments of the folded suppliers to the three, and remove
    the folded suppliers."""
    for old, new in FOLDED.items():
        folded = Supplier.objects.filter(name=old).first()
        if folded is None:
            continue
        for assignment in Assignment.objects.filter(supplier=folded).select_related("post"):
            assignment.supplier, assignment.agency_supplier = suppliers[new], new
            services.save_assignment(assignment=assignment)
        folded.delete()


def _price_caps(today: dt.date) -> None:
    first = dt.date(2025, 4, 1)
    uplift = dt.date(2026, 4, 1)
    for code, amount in CAPS.items():
        job_type = JobType.objects.get(code=code)
        agency_services.save_price_cap(
            cap=PriceCap(job_type=job_type, applies_from=first, hourly_cap=amount, notes=ILLUSTRATIVE)
        )
        if uplift <= today:
            agency_services.save_price_cap(
                cap=PriceCap(
                    job_type=job_type,
                    applies_from=uplift,
                    hourly_cap=_penny(amount * Decimal("1.02")),
                    notes=ILLUSTRATIVE + " A 2% uplift.",
                )
            )


def _permanent_costs(today: dt.date) -> None:
    for code, (salary, on_costs) in PERMANENT.items():
        agency_services.save_permanent_cost(
            cost=PermanentCost(
                role=Role.objects.get(code=code),
                applies_from=dt.date(today.year - 3, 4, 1),
                salary=Decimal(salary),
                on_costs_percent=Decimal(on_costs),
            )
        )


def _days_in_week(assignment: Assignment, week_ending: dt.date) -> int:
    lo = max(assignment.start, week_ending - dt.timedelta(days=6))
    hi = min(assignment.end or week_ending, week_ending)
    return max(0, (hi - lo).days + 1)


def _invoices(
    assignments: list[Assignment], *, start: dt.date, today: dt.date, rng: random.Random
) -> list[InvoiceLine]:
    """Write a line for each week ending on a Sunday from ``start`` that each assignment worked
    in, up to what each supplier has invoiced: Reed weekly to last Sunday but one, Sanctuary
    monthly in arrears, the project team to the end of last month."""
    month_start = today.replace(day=1)
    invoiced_to = {
        "Reed Social Care": today - dt.timedelta(days=today.weekday() + 8),
        "Sanctuary Personnel": add_months(month_start, -1) - dt.timedelta(days=1),
        "Liquid Personnel": month_start - dt.timedelta(days=1),
    }
    first_sunday = start + dt.timedelta(days=(6 - start.weekday()) % 7)
    by_worker: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        assignment.refresh_from_db(fields=["weekly_charge", "hours_per_week", "supplier"])
        by_worker.setdefault(assignment.worker_id, []).append(assignment)
    lines = []
    numbers: dict[int, int] = {}
    for own in by_worker.values():
        week_ending = first_sunday
        while week_ending <= today:
            # One line a week per worker: for the assignment with most days in it (as the
            # import matches them), for every day worked that week.
            chosen = assignment_for_week(own, week_ending)
            if chosen is not None and week_ending <= invoiced_to[chosen.supplier.name]:
                days = sum(_days_in_week(assignment, week_ending) for assignment in own)
                hours = (chosen.hours_per_week * min(days, 5) / 5).quantize(Decimal("0.5"))
                if rng.random() < 0.04:  # a week with a day's leave or sickness
                    hours = max(Decimal("0"), hours - chosen.hours_per_week / 5).quantize(Decimal("0.5"))
                rate = expected_weekly_charge(chosen) / chosen.hours_per_week
                numbers[chosen.pk] = numbers.get(chosen.pk, 0) + 1
                lines.append(
                    InvoiceLine(
                        supplier=chosen.supplier,
                        worker=chosen.worker,
                        week_ending=week_ending,
                        hours=hours,
                        amount=_penny(rate * hours),
                        invoice_reference=f"{chosen.supplier.name[:3].upper()}-{chosen.pk}-{numbers[chosen.pk]:03d}",
                        assignment=chosen,
                    )
                )
            week_ending += dt.timedelta(days=7)
    agency_services.add_invoice_lines(lines=lines)
    return lines
