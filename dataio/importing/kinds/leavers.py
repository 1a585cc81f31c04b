"""The leavers file: employees' departures, recorded through ``leavers.services``.

Recording a leaver ends the worker's employee assignments on the leaving date (the
service does this), and the leaver's rules apply: only employees leave, on a day they
hold a post, once per departure, in a current leaving category.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.context import Lookup, chunks
from dataio.importing.kinds.base import Applied, Column, Kind, RowProblem, assign, outcome
from leavers import services
from leavers.models import Leaver, LeavingCategory
from workforce.models import Worker

if TYPE_CHECKING:
    from dataio.importing.context import Context


class Leavers(Kind):
    name = "leavers"
    title = "Leavers"
    record = "leaver"
    key = ("staff_reference", "leaving_date")
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The employee who left, as in the workers file or already recorded.",
            "W004512",
            required=True,
            field="worker",
        ),
        Column(
            "leaving_date",
            read.date,
            "The last day of employment. With the worker, this is the leaver's reference.",
            "2025-03-31",
            required=True,
            field="leaving_date",
        ),
        Column(
            "leaving_category",
            read.text,
            "The local leaving category, by its code or name as set up in "
            "the admin under Leaving categories (each maps to a census ReasonLeave code).",
            "resignation-new-employment",
            required=True,
            field="category",
        ),
    )

    def _categories(self, context: Context) -> Lookup:
        if "leaving_categories" not in context.extra:
            context.extra["leaving_categories"] = Lookup(
                LeavingCategory.objects.all, lambda category: category.code, lambda category: category.name
            )
        return context.extra["leaving_categories"]

    refers = {"staff_reference": "workers"}
    model = Leaver

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name and the leavers recorded for them."""
        super().prepare(rows, context)
        found = (context.workers.get(values["staff_reference"]) for values in rows)
        workers = {worker.pk: worker for worker in found if worker is not None and worker.pk is not None}
        existing: dict[tuple, Leaver] = {}
        for chunk in chunks(context.recorded_before(Worker, workers)):
            for leaver in Leaver.objects.filter(worker_id__in=chunk).select_related("category"):
                leaver.worker = workers[leaver.worker_id]
                existing[(leaver.worker.staff_reference.casefold(), leaver.leaving_date)] = leaver
        context.extra["leavers"] = existing

    def _existing(self, context: Context) -> dict[tuple, Leaver]:
        """Return the leavers recorded for the rows' workers, by (worker, leaving date)."""
        return context.extra["leavers"]

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.find(
            context.workers,
            values["staff_reference"],
            kind="workers",
            what="worker",
            column="staff_reference",
        )
        categories = self._categories(context)
        category = categories.get(values["leaving_category"])
        if category is None:
            raise RowProblem(
                f"there is no leaving category '{values['leaving_category']}' (the categories are: "
                f"{', '.join(categories.names())})",
                "leaving_category",
            )
        existing = self._existing(context)
        key = self.identity(values)
        leaver = existing.get(key)
        if leaver is None:
            leaver = services.record_leaver(
                worker=worker, leaving_date=values["leaving_date"], category=category, user=context.user
            )
            existing[key] = leaver
            return outcome(True, ())
        changes = assign(leaver, {"category": category})
        if changes:
            services.save_leaver(leaver=leaver, user=context.user)
        return outcome(False, changes)
