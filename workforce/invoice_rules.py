"""The rules of an agency invoice line: the week it is for, the worker's agency assignment
that week, and that assignment's supplier. Used by the admin, the import, the demo and the
generator alike (through ``workforce.agency_services`` where a line is written)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

from foundation.dates import long_date


def week_of(week_ending: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the week ending on ``week_ending``."""
    return week_ending - dt.timedelta(days=6), week_ending


def assignment_for_week(candidates: Iterable[Any], week_ending: dt.date) -> Any | None:
    """Return, of a worker's agency assignments (``candidates``), the one an invoice week is
    for: the one with most days in the week (the later start on a tie), or None if none
    overlaps it."""
    first, last = week_of(week_ending)
    best, best_key = None, None
    for candidate in candidates:
        lo, hi = max(candidate.start, first), min(candidate.end or last, last)
        if hi < lo:
            continue
        key = ((hi - lo).days, candidate.start)
        if best_key is None or key > best_key:
            best, best_key = candidate, key
    return best


def check_invoice_line(line: Any, assignment: Any | None) -> None:
    """Raise ``ValidationError`` naming the field if ``line`` cannot stand: no agency assignment
    of the worker in its week, or one supplied by another supplier."""
    if line.week_ending is None or line.worker_id is None:
        return
    first, last = week_of(line.week_ending)
    if assignment is None:
        raise ValidationError(
            {
                "week_ending": f"The worker has no agency assignment in the week {long_date(first)} to "
                f"{long_date(last)}: record the assignment first, or correct the worker or week."
            }
        )
    supplier_id = getattr(assignment, "supplier_id", None)
    if supplier_id is not None and line.supplier_id is not None and supplier_id != line.supplier_id:
        raise ValidationError(
            {
                "supplier": f"The worker's assignment that week is supplied by {assignment.supplier}, "
                "not this supplier."
            }
        )
