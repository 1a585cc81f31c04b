"""Caseloads for a generated workforce: every case holder's cases at each month-end.

Run after the people are written (``scale.generate``): it reads the assignments back and
writes one caseload per worker per month-end they hold a post on, as a case management
system's monthly extract would (now and then missing someone). Social workers in
case-holding teams carry most cases (mostly 14-22, some over 25, fewer in their first year
after qualifying, none while on maternity leave); about half of the senior and advanced
practitioners in those teams carry a few. Deterministic for a seed; no history rows, like the
rest of the generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Q

from foundation.periods import add_months, month_end
from scale.writer import BulkWriter
from workforce.models import Absence, AbsenceReason, Assignment, Caseload, OrgRole

PRACTITIONER_ROLES = {"senior-practitioner", "advanced-practitioner"}
MISSED = 0.015  # month-ends a worker is missing from the extract


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


def base_caseload(rng: random.Random, *, practitioner: bool) -> float:
    """Return a worker's usual caseload: social workers mostly 14-22, a few over 25."""
    if practitioner:
        return rng.uniform(5, 12)
    if rng.random() < 0.07:
        return rng.uniform(25.5, 31)
    return min(max(rng.gauss(18, 3), 10), 25)


def write_caseloads(*, start: dt.date, today: dt.date, seed: int, flush_every: int = 20_000) -> int:
    """Write the month-end caseloads of every case holder from ``start`` to ``today``;
    return how many were written."""
    rng = random.Random(seed + 17)
    held: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    practitioner: dict[int, bool] = {}
    qualified: dict[int, dt.date | None] = {}
    carrying = Q(post__role__org_role=OrgRole.CASE_HOLDER) | Q(post__role__code__in=PRACTITIONER_ROLES)
    for worker_id, begun, end, org_role, date_qualified in (
        Assignment.objects.filter(carrying, post__role__in_scope=True, post__team__case_holding=True)
        .order_by("worker_id", "start")
        .values_list("worker_id", "start", "end", "post__role__org_role", "worker__date_qualified")
    ):
        held[worker_id].append((begun, end))
        practitioner[worker_id] = practitioner.get(worker_id, True) and org_role != OrgRole.CASE_HOLDER
        qualified[worker_id] = date_qualified
    away: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for worker_id, left, back in Absence.objects.filter(reason=AbsenceReason.MAT).values_list(
        "worker_id", "start", "end"
    ):
        away[worker_id].append((left, back))

    writer = BulkWriter(order=[Caseload], flush_every=flush_every)
    for worker_id in sorted(held):
        if practitioner[worker_id] and rng.random() < 0.5:
            continue
        usual = base_caseload(rng, practitioner=practitioner[worker_id])
        done: set[dt.date] = set()
        for begun, end in held[worker_id]:
            for day in month_ends(max(begun, start), min(end or today, today)):
                if day in done:
                    continue
                done.add(day)
                if rng.random() < MISSED:
                    continue  # the extract missed them this month
                cases = usual + rng.uniform(-2.5, 2.5)
                first_year = qualified[worker_id] and add_months(day, -12) < qualified[worker_id] <= day
                if first_year:
                    cases *= 0.6
                if any(left <= day and (back is None or back >= day) for left, back in away[worker_id]):
                    cases = 0
                writer.add(Caseload, worker_id=worker_id, recorded_on=day, cases=max(0, round(cases)))
    return sum(writer.finish().values())
