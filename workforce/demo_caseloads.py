"""The caseloads stage of ``load_demo``: every case holder's cases at each month-end of the
demonstration's three years, and illustrative comparators.

Social workers in case-holding teams carry most cases: each has a usual caseload (mostly 14
to 22, a few over 25) that moves a little from month to month, lower in their first year
after qualifying (the ASYE's protected caseload) and none while on maternity leave, their
cases reallocated. About half of the senior and advanced practitioners in those teams carry a
few. Deterministic, written through ``workforce.caseload_services``. The comparators for
England, the region and statistical neighbours are made up and marked illustrative: the
product never presents invented figures as published ones.

The month-end pattern (``month_ends``, ``usual_caseload``, ``caseload_in_month``) is shared
with the scale generator (``scale.caseloads``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Q

from foundation.periods import add_months, month_end
from workforce.caseload_services import record_caseloads, save_comparator
from workforce.demo import SEED, demo_dates
from workforce.models import Absence, AbsenceReason, Assignment, Caseload, Comparator, ComparatorArea, OrgRole
from workforce.selectors.comparators import last_census_year

TITLE = "Caseloads (every case holder at each month-end) and illustrative comparators"
PRACTITIONER_ROLES = ("senior-practitioner", "advanced-practitioner")
ILLUSTRATIVE_SOURCE = "Illustrative figures for the demonstration, not published ones"
# England, the region and the statistical neighbours in the demonstration's first census year,
# and how each figure moves a year: (turnover, vacancy, agency, caseload, absence rate).
COMPARATORS = {
    ComparatorArea.ENGLAND: ("", (17.1, 20.0, 17.7, 16.6, 3.2), (-0.6, -0.5, -0.5, -0.3, 0.0)),
    ComparatorArea.REGION: ("South East", (18.6, 23.1, 21.0, 17.4, 3.4), (-0.5, -0.6, -0.7, -0.2, 0.0)),
    ComparatorArea.STATISTICAL_NEIGHBOURS: (
        "Ten statistical neighbours",
        (16.4, 19.2, 16.9, 16.9, 3.1),
        (-0.4, -0.4, -0.4, -0.3, 0.0),
    ),
}


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the month-ends from ``start`` to ``end``, both included."""
    days = []
    day = month_end(start.year, start.month)
    while day <= end:
        if day >= start:
            days.append(day)
        following = add_months(day.replace(day=1), 1)
        day = month_end(following.year, following.month)
    return days


def usual_caseload(rng: random.Random, *, practitioner: bool) -> float:
    """Return a worker's usual caseload: a social worker's mostly 14-22, a few over 25."""
    if practitioner:
        return rng.uniform(5, 12)
    if rng.random() < 0.07:
        return rng.uniform(25.5, 31)
    return min(max(rng.gauss(18, 2.6), 13), 24)


def caseload_in_month(rng: random.Random, usual: float, *, first_year: bool, on_leave: bool) -> int:
    """Return the cases at one month-end: the usual caseload moved a little, about 60% of it in
    the first year after qualifying, none on maternity leave."""
    if on_leave:
        return 0
    cases = usual + rng.uniform(-2.5, 2.5)
    if first_year:
        cases *= 0.6
    return max(0, round(cases))


def plan_caseloads(*, start: dt.date, end: dt.date, seed: int) -> list[Caseload]:
    """Return a caseload for every case holder at every month-end from ``start`` to ``end``:
    the social workers in case-holding teams, and about half of the senior and advanced
    practitioners in them."""
    rng = random.Random(seed + 17)
    carrying = Q(post__role__org_role=OrgRole.CASE_HOLDER) | Q(post__role__code__in=PRACTITIONER_ROLES)
    held: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    practitioner: dict[int, bool] = {}
    qualified: dict[int, dt.date | None] = {}
    for worker_id, begun, ended, org_role, date_qualified in (
        Assignment.objects.filter(carrying, post__role__in_scope=True, post__team__case_holding=True)
        .order_by("worker_id", "start")
        .values_list("worker_id", "start", "end", "post__role__org_role", "worker__date_qualified")
    ):
        held[worker_id].append((begun, ended))
        practitioner[worker_id] = practitioner.get(worker_id, True) and org_role != OrgRole.CASE_HOLDER
        qualified[worker_id] = date_qualified
    away: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for worker_id, left, back in Absence.objects.filter(reason=AbsenceReason.MAT).values_list(
        "worker_id", "start", "end"
    ):
        away[worker_id].append((left, back))
    planned = []
    for worker_id in sorted(held):
        if practitioner[worker_id] and rng.random() < 0.5:
            continue
        usual = usual_caseload(rng, practitioner=practitioner[worker_id])
        seen: set[dt.date] = set()
        for begun, ended in held[worker_id]:
            for day in month_ends(max(begun, start), min(ended or end, end)):
                if day in seen:
                    continue
                seen.add(day)
                qualified_on = qualified[worker_id]
                cases = caseload_in_month(
                    rng,
                    usual,
                    first_year=qualified_on is not None and add_months(day, -12) < qualified_on <= day,
                    on_leave=any(
                        left <= day and (back is None or back >= day) for left, back in away[worker_id]
                    ),
                )
                planned.append(Caseload(worker_id=worker_id, recorded_on=day, cases=cases))
    return planned


def _comparators(today: dt.date) -> None:
    """Record illustrative comparators for each census year of the demonstration."""
    last = last_census_year(today)
    for area, (name, first, change) in COMPARATORS.items():
        for step, year in enumerate(range(last - 3, last + 1)):
            figures = [
                Decimal(str(round(value + move * step, 1))) for value, move in zip(first, change, strict=True)
            ]
            turnover, vacancy, agency, caseload, absence = figures
            save_comparator(
                comparator=Comparator(
                    area=area,
                    area_name=name,
                    year=year,
                    turnover_rate=turnover,
                    vacancy_rate=vacancy,
                    agency_rate=agency,
                    caseload=caseload,
                    absence_rate=absence,
                    source=ILLUSTRATIVE_SOURCE,
                    illustrative=True,
                )
            )


def build(*, today: dt.date, stdout: Any = None) -> bool:
    """Record the demonstration's caseloads up to the last month-end and its comparators."""
    if Caseload.objects.exists():
        return False
    dates = demo_dates(today)
    record_caseloads(caseloads=plan_caseloads(start=dates.history_start, end=dates.window_end, seed=SEED))
    _comparators(today)
    return True
