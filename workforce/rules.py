"""Rules of the establishment that span more than one row.

``check_assignment`` is called from ``Assignment.clean()``, so the admin, the
services, the importer and the demo loader all apply it; each failure names the
field a person would correct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from foundation.dates import long_date

if TYPE_CHECKING:
    from workforce.models import Assignment

Interval = tuple[dt.date, dt.date | None, Decimal]


def peak_fte(intervals: Iterable[Interval], *, start: dt.date, end: dt.date | None) -> Decimal:
    """Return the largest total FTE of ``intervals`` on any one day from ``start`` to ``end``.

    Each interval is ``(first_day, last_day_or_None, fte)``; ``None`` means open-ended.
    """
    events: list[tuple[dt.date, Decimal]] = []
    for first, last, fte in intervals:
        lo = max(first, start)
        hi = last if end is None else (end if last is None else min(last, end))
        if hi is not None and hi < lo:
            continue
        events.append((lo, fte))
        if hi is not None:
            events.append((hi + dt.timedelta(days=1), -fte))
    # On the same day, apply ends (negative) before starts so back-to-back cover is fine.
    events.sort(key=lambda event: (event[0], event[1]))
    peak = running = Decimal("0")
    for _, delta in events:
        running += delta
        peak = max(peak, running)
    return peak


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_assignment(assignment: Assignment, *, siblings: Iterable[Assignment] = ()) -> None:
    """Raise ``ValidationError`` naming the field of every rule ``assignment`` breaks.

    ``siblings`` are unsaved assignments submitted alongside it (an admin inline),
    counted as though they were already saved.
    """
    from workforce.models import Assignment

    errors: dict[str, list[str]] = {}
    if _check_alone(assignment, errors):
        others = Assignment.objects.overlapping(assignment.start, assignment.end)
        if assignment.pk:
            others = others.exclude(pk=assignment.pk)
        sibling_list = [s for s in siblings if s is not assignment and s.start and s.fte]

        if assignment.is_employee:
            in_post: list[Interval] = [
                (a.start, a.end, a.fte) for a in others.employees().filter(post_id=assignment.post_id)
            ]
            in_post += [
                (s.start, s.end, s.fte)
                for s in sibling_list
                if s.is_employee and s.post_id == assignment.post_id
            ]
            _check_post_fte(assignment, in_post, errors)

        if assignment.worker_id is not None:
            own: list[Interval] = [
                (a.start, a.end, a.fte) for a in others.filter(worker_id=assignment.worker_id)
            ]
            _check_worker_fte(assignment, own, errors)
    if errors:
        raise ValidationError(errors)


def check_assignment_among(assignment: Assignment, recorded: Iterable[Assignment]) -> None:
    """Raise ``ValidationError`` as ``check_assignment`` does, reading no records.

    ``recorded`` stands for the assignments already recorded (saved, or accepted earlier
    in the same batch): it must hold at least every one in ``assignment``'s post and
    every one of its worker; any others, and ``assignment`` itself (the same object or
    the same primary key), are ignored. Each needs ``pk``, ``post_id``, ``worker_id``,
    ``start``, ``end``, ``fte`` and ``is_employee``, like an ``Assignment``. An importer
    that fetches every assignment of the posts and workers it touches in one query checks
    each row with this instead of two queries a row.
    """
    errors: dict[str, list[str]] = {}
    if _check_alone(assignment, errors):
        others = [
            other
            for other in recorded
            if other is not assignment and (other.pk is None or other.pk != assignment.pk)
        ]
        if assignment.is_employee:
            _check_post_fte(
                assignment,
                [
                    (other.start, other.end, other.fte)
                    for other in others
                    if other.is_employee and other.post_id == assignment.post_id
                ],
                errors,
            )
        if assignment.worker_id is not None:
            _check_worker_fte(
                assignment,
                [
                    (other.start, other.end, other.fte)
                    for other in others
                    if other.worker_id == assignment.worker_id
                ],
                errors,
            )
    if errors:
        raise ValidationError(errors)


def _check_alone(assignment: Assignment, errors: dict[str, list[str]]) -> bool:
    """Add to ``errors`` each rule the assignment breaks on its own or against its post.

    Return whether the rules on FTE across assignments apply (False while the post, start or
    FTE is missing: the field validators report that).
    """
    from workforce.models import Contract

    if assignment.end and assignment.start and assignment.end < assignment.start:
        errors.setdefault("end", []).append("The assignment cannot end before it starts.")
    if assignment.contract == Contract.AGENCY:
        if not assignment.agency_reason:
            errors.setdefault("agency_reason", []).append(
                "An agency assignment needs a reason (covering a vacancy, maternity, sickness, "
                "awaiting transfer, ASYE support or additional capacity)."
            )
    elif assignment.contract and (assignment.agency_reason or assignment.agency_supplier):
        errors.setdefault("agency_reason", []).append(
            "Only agency assignments have an agency reason and supplier."
        )
    if assignment.post_id is None or assignment.start is None or assignment.fte is None:
        return False

    post = assignment.post
    if assignment.start < post.active_from:
        errors.setdefault("start", []).append(
            f"Post {post.reference} is only active from "
            f"{long_date(post.active_from)}; the assignment cannot start before that."
        )
    if post.active_to and (assignment.end is None or assignment.end > post.active_to):
        errors.setdefault("end", []).append(
            f"Post {post.reference} ends on {long_date(post.active_to)}; the assignment must end by then."
        )
    return True


def _check_post_fte(assignment: Assignment, in_post: list[Interval], errors: dict[str, list[str]]) -> None:
    """Add to ``errors`` if the post's employees, ``in_post`` and ``assignment`` (an employee's),
    would hold more than the post's FTE on any day of the assignment."""
    post = assignment.post
    peak = peak_fte(
        [*in_post, (assignment.start, assignment.end, assignment.fte)],
        start=assignment.start,
        end=assignment.end,
    )
    if peak > post.fte:
        errors.setdefault("fte", []).append(
            f"Post {post.reference} is {_fmt(post.fte)} FTE; with this assignment "
            f"its employees would hold {_fmt(peak)} FTE on one day. Employees in a post "
            "cannot add up to more than the post's FTE (end the other assignment first)."
        )


def _check_worker_fte(assignment: Assignment, own: list[Interval], errors: dict[str, list[str]]) -> None:
    """Add to ``errors`` if the worker's other assignments, ``own``, and ``assignment`` would add
    up to more than 1.0 FTE on any day of the assignment."""
    peak = peak_fte(
        [*own, (assignment.start, assignment.end, assignment.fte)], start=assignment.start, end=assignment.end
    )
    if peak > 1:
        errors.setdefault("fte", []).append(
            f"{assignment.worker.staff_reference} would work {_fmt(peak)} FTE on "
            "one day across their assignments; a worker cannot exceed 1.0 FTE."
        )
