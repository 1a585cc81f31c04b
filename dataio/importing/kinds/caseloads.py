"""The caseloads file: each worker's cases on a date, from the case management system's extract.

A typical extract has one row per worker per month-end, optionally split by type of case.
Rows are matched to recorded caseloads by worker and date, so the same extract imported
twice changes nothing, and a corrected one updates the figures in place. Each row is checked
with the rules of ``workforce.models.Caseload`` (cases 0 to 100, types adding up, a date no
later than today, the worker in a post on the date) against what is recorded and the rows
before it, and the caseloads are written together with their history
(``dataio.importing.batch``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from dataio.importing import values as read
from dataio.importing.batch import Batch
from dataio.importing.context import chunks
from dataio.importing.kinds.base import (
    Applied,
    Column,
    Kind,
    assign,
    field_values,
    named_records,
    outcome,
)
from workforce.models import CASE_TYPES, MAX_CASES, Assignment, Caseload, Worker
from workforce.models.caseloads import not_in_post_message

if TYPE_CHECKING:
    from dataio.importing.context import Context

SPANS = "caseload_spans"
EXISTING = "caseloads"


class CaseloadBatch(Batch):
    """The caseloads a file stages. A caseload is unique by worker and date together, which
    ``Batch`` cannot check one field at a time; the kind checks it instead: every row is
    matched to the caseload recorded for its worker and date, and the engine refuses a
    worker and date given twice, so no two staged caseloads ever share them."""

    def __post_init__(self) -> None:
        pass


def _type_column(field: str, label: str) -> Column:
    return Column(
        field,
        read.whole_number,
        f"Of the cases, how many are {label.lower()} cases; blank: not given.",
        "",
        field=field,
    )


class Caseloads(Kind):
    name = "caseloads"
    title = "Caseloads"
    record = "caseload"
    key = ("staff_reference", "date")
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The worker, as in the workers file or already recorded.",
            "W004512",
            required=True,
        ),
        Column(
            "date",
            read.date,
            "The date the cases were counted, usually a month-end; no later than today. The worker must "
            "hold a post on it. With the worker, this is the caseload's reference.",
            "2025-09-30",
            required=True,
            field="recorded_on",
        ),
        Column(
            "cases",
            read.whole_number,
            f"The cases (children) allocated to the worker on the date: a whole number, 0 to {MAX_CASES}.",
            "17",
            required=True,
            field="cases",
        ),
        *(_type_column(field, label) for field, label in CASE_TYPES),
    )
    refers = {"staff_reference": "workers"}
    batch_model = Caseload

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name, their caseloads recorded on the rows' dates and the
        dates they held posts: a query per few thousand workers for each."""
        super().prepare(rows, context)
        workers = named_records(context.workers, (values["staff_reference"] for values in rows))
        dates = [values["date"] for values in rows if values.get("date")]
        existing: dict[tuple, Caseload] = {}
        spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for chunk in chunks(sorted(workers)):
            for worker_id, start, end in Assignment.objects.filter(worker_id__in=chunk).values_list(
                "worker_id", "start", "end"
            ):
                spans[worker_id].append((start, end))
        if dates:
            for chunk in chunks(context.recorded_before(Worker, workers)):
                for caseload in Caseload.objects.filter(
                    worker_id__in=chunk, recorded_on__gte=min(dates), recorded_on__lte=max(dates)
                ):
                    caseload.worker = workers[caseload.worker_id]
                    existing[(caseload.worker.staff_reference.casefold(), caseload.recorded_on)] = caseload
        context.extra[EXISTING] = existing
        context.extra[SPANS] = spans
        context.batches[Caseload] = CaseloadBatch(Caseload)

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.find(
            context.workers,
            values["staff_reference"],
            kind="workers",
            what="worker",
            column="staff_reference",
        )
        existing = context.extra[EXISTING]
        key = self.identity(values)
        caseload = existing.get(key) or Caseload()
        adding = caseload._state.adding
        changes = assign(caseload, {**field_values(self, values), "worker": worker})
        if adding or changes:
            spans = context.extra[SPANS].get(worker.pk, [])
            context.batches[Caseload].stage(caseload, context.row, clean=lambda: _check(caseload, spans))
            existing[key] = caseload
        return outcome(adding, changes)


def _check(caseload: Caseload, spans: list[tuple[dt.date, dt.date | None]]) -> None:
    """Raise what ``Caseload.clean`` would, reading the worker's posts from ``spans``."""
    errors: dict = {}
    try:
        caseload.check_values()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    day = caseload.recorded_on
    held = any(start <= day and (end is None or end >= day) for start, end in spans) if day else True
    if not held and "recorded_on" not in errors:
        errors["recorded_on"] = [not_in_post_message(day)]
    if errors:
        raise ValidationError(errors)
