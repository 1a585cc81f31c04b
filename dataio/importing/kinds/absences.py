"""The absences file: census absence reasons and working days lost."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.batch import Batch
from dataio.importing.context import chunks
from dataio.importing.kinds.base import (
    KEEP,
    Applied,
    Column,
    Kind,
    assign,
    choices_text,
    field_values,
    named_records,
    outcome,
)
from workforce.models import (
    Absence,
    AbsenceReason,
    Worker,
)

if TYPE_CHECKING:
    from dataio.importing.context import Context


class Absences(Kind):
    name = "absences"
    title = "Absences"
    record = "absence"
    key = ("staff_reference", "reason", "start")
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The worker, as in the workers file or already recorded.",
            "W004512",
            required=True,
        ),
        Column(
            "reason",
            read.choice(AbsenceReason.choices, what="census absence code"),
            "The census absence code: " + choices_text(AbsenceReason.choices) + ".",
            "SIC",
            required=True,
            field="reason",
        ),
        Column(
            "start",
            read.date,
            "The first day away. With the worker and reason, this is the absence's reference.",
            "2025-01-13",
            required=True,
            field="start",
        ),
        Column(
            "end",
            read.date,
            "The last day away; blank if the worker is still away.",
            "2025-01-24",
            field="end",
        ),
        Column(
            "working_days_lost",
            read.decimal,
            "Working days lost (up to two decimal places); blank: 0.",
            "10",
            field="working_days_lost",
            empty=KEEP,
        ),
    )

    refers = {"staff_reference": "workers"}
    batch_model = Absence

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name and their recorded absences."""
        super().prepare(rows, context)
        workers = named_records(context.workers, (values["staff_reference"] for values in rows))
        existing: dict[tuple, Absence] = {}
        for chunk in chunks(context.recorded_before(Worker, workers)):
            for absence in Absence.objects.filter(worker_id__in=chunk):
                absence.worker = workers[absence.worker_id]
                existing[
                    (absence.worker.staff_reference.casefold(), absence.reason.casefold(), absence.start)
                ] = absence
        context.extra["absences"] = existing
        context.batches[Absence] = Batch(Absence)

    def _existing(self, context: Context) -> dict[tuple, Absence]:
        return context.extra["absences"]

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.find(
            context.workers,
            values["staff_reference"],
            kind="workers",
            what="worker",
            column="staff_reference",
        )
        existing = self._existing(context)
        key = self.identity(values)
        absence = existing.get(key) or Absence()
        adding = absence._state.adding
        changes = assign(absence, {**field_values(self, values), "worker": worker})
        if adding or changes:
            context.batches[Absence].stage(absence, context.row)
            existing[key] = absence
        return outcome(adding, changes)
