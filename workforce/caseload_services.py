"""Writes of caseloads and comparators. Each runs in a transaction and validates with ``full_clean``.

The admin, the importer and the demo loader call these, so every rule of
``workforce.models.caseloads`` applies wherever a record comes from.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from foundation.dates import long_date
from workforce.models import Assignment, Caseload, Comparator
from workforce.models.caseloads import not_in_post_message

CHUNK = 5000  # workers in one query's IN list


@transaction.atomic
def save_caseload(*, caseload: Caseload) -> Caseload:
    """Validate and save ``caseload`` (new or corrected)."""
    caseload.full_clean()
    caseload.save()
    return caseload


@transaction.atomic
def save_comparator(*, comparator: Comparator) -> Comparator:
    """Validate and save ``comparator``."""
    comparator.full_clean()
    comparator.save()
    return comparator


@transaction.atomic
def record_caseloads(*, caseloads: list[Caseload], user: Any = None) -> list[Caseload]:
    """Validate and save many new ``caseloads`` at once (a month-end extract, the demonstration)
    with their history rows; return them saved. All or nothing.

    Each is checked as ``Caseload.clean`` checks it (``check_values``, the worker in a post on
    the date) and against the caseloads recorded and the others given (one per worker and
    date), from two reads up front rather than queries per caseload; a ``ValidationError``
    names the first that is wrong and nothing is saved.
    """
    workers = sorted({caseload.worker_id for caseload in caseloads})
    spans: dict[int, list[tuple]] = defaultdict(list)
    taken: set[tuple[int, object]] = set()
    for start in range(0, len(workers), CHUNK):
        chunk = workers[start : start + CHUNK]
        for worker_id, begun, ended in Assignment.objects.filter(worker_id__in=chunk).values_list(
            "worker_id", "start", "end"
        ):
            spans[worker_id].append((begun, ended))
        taken.update(Caseload.objects.filter(worker_id__in=chunk).values_list("worker_id", "recorded_on"))
    for number, caseload in enumerate(caseloads, 1):
        try:
            caseload.clean_fields(exclude=["worker"])
            caseload.check_values()
            day = caseload.recorded_on
            if not any(
                begun <= day and (ended is None or ended >= day) for begun, ended in spans[caseload.worker_id]
            ):
                raise ValidationError({"recorded_on": not_in_post_message(day)})
            if (caseload.worker_id, day) in taken:
                raise ValidationError({"recorded_on": f"A caseload on {long_date(day)} is already recorded."})
        except ValidationError as error:
            raise ValidationError(
                f"Caseload {number} ({caseload.worker_id}, {caseload.recorded_on}): {error}"
            ) from None
        taken.add((caseload.worker_id, day))
    return bulk_create_with_history(caseloads, Caseload, batch_size=1000, default_user=user)
