"""Caseloads for a generated workforce: every case holder's cases at each month-end.

Run after the people are written (``scale.generate``): it reads the assignments back and
writes, in the demonstration's pattern (``workforce.demo_caseloads``), one caseload per worker
per month-end they hold a post on, as a case management system's monthly extract would (now
and then missing someone): social workers in case-holding teams, and about half of the
senior and advanced practitioners in them. Deterministic for a seed; no history rows, like
the rest of the generator.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Q

from foundation.periods import add_months
from scale.writer import BulkWriter
from workforce.demo_caseloads import PRACTITIONER_ROLES, caseload_in_month, month_ends, usual_caseload
from workforce.models import Absence, AbsenceReason, Assignment, Caseload, OrgRole

MISSED = 0.015  # month-ends a worker is missing from the extract


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
        usual = usual_caseload(rng, practitioner=practitioner[worker_id])
        done: set[dt.date] = set()
        for begun, end in held[worker_id]:
            for day in month_ends(max(begun, start), min(end or today, today)):
                if day in done:
                    continue
                done.add(day)
                if rng.random() < MISSED:
                    continue  # the extract missed them this month
                qualified_on = qualified[worker_id]
                cases = caseload_in_month(
                    rng,
                    usual,
                    first_year=qualified_on is not None and add_months(day, -12) < qualified_on <= day,
                    on_leave=any(
                        left <= day and (back is None or back >= day) for left, back in away[worker_id]
                    ),
                )
                writer.add(Caseload, worker_id=worker_id, recorded_on=day, cases=cases)
    return sum(writer.finish().values())
