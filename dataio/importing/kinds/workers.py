"""The workers file: employees and agency workers, with their census fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.batch import Batch, taken_values
from dataio.importing.kinds.base import (
    Applied,
    Column,
    Kind,
    assign,
    choices_text,
    field_values,
    outcome,
)
from workforce.models import (
    CfkssStatus,
    Ethnicity,
    Gender,
    QualificationLevel,
    StartOrigin,
    Worker,
)

if TYPE_CHECKING:
    from dataio.importing.context import Context


class Workers(Kind):
    name = "workers"
    title = "Workers"
    record = "worker"
    key = ("staff_reference",)
    columns = (
        Column(
            "staff_reference",
            read.text,
            "The worker's reference in the HR system (agency workers too), unique.",
            "W004512",
            required=True,
            field="staff_reference",
        ),
        Column("first_name", read.text, "First name.", "Asha", required=True, field="first_name"),
        Column("last_name", read.text, "Last name.", "Patel", required=True, field="last_name"),
        Column(
            "swe_number",
            lambda value: read.text(value).replace(" ", "").upper(),
            "Social Work England number: two letters and ten digits.",
            "SW0000012345",
            field="swe_number",
            empty="",
        ),
        Column(
            "date_qualified",
            read.date,
            "The date the worker qualified as a social worker.",
            "2016-07-01",
            field="date_qualified",
        ),
        Column(
            "service_start",
            read.date,
            "Start of continuous service with the council (employees).",
            "2019-04-01",
            field="service_start",
        ),
        Column(
            "start_origin",
            read.choice(StartOrigin.choices, what="census StartOrigin code"),
            "Where the worker came from, as the census StartOrigin code 1-10: "
            + choices_text(StartOrigin.choices)
            + ".",
            "2",
            field="start_origin",
        ),
        Column("birth_date", read.date, "Date of birth (census).", "1988-02-29", field="birth_date"),
        Column(
            "gender",
            read.choice(Gender.choices, what="census gender code"),
            "Census GenderCurrent code: " + choices_text(Gender.choices) + ".",
            "2",
            field="gender",
            empty="",
        ),
        Column(
            "ethnicity",
            read.choice(Ethnicity.choices, what="census ethnicity code"),
            "Census ethnicity code, such as WBRI, AIND, BAFR, REFU or NOBT.",
            "WBRI",
            field="ethnicity",
            empty="",
        ),
        Column(
            "qualification_level",
            read.choice(QualificationLevel.choices, what="census QualLevel code"),
            "Census QualLevel code: " + choices_text(QualificationLevel.choices) + ".",
            "1",
            field="qualification_level",
            empty="",
        ),
        Column(
            "qualifying_institution",
            read.text,
            "Where the worker qualified (census QualInst).",
            "University of Kent",
            field="qualifying_institution",
            empty="",
        ),
        Column(
            "cfkss_status",
            read.choice(CfkssStatus.choices, what="census CFKSSstatus code"),
            "Census CFKSSstatus code: " + choices_text(CfkssStatus.choices) + ".",
            "2",
            field="cfkss_status",
        ),
        Column(
            "frontline_graduate",
            read.yes_no,
            "Qualified through Frontline? Yes or no; blank: no.",
            "no",
            field="frontline_graduate",
            empty=False,
        ),
        Column(
            "step_up_graduate",
            read.yes_no,
            "Qualified through Step Up to Social Work? Yes or no; blank: no.",
            "no",
            field="step_up_graduate",
            empty=False,
        ),
    )

    refers = {"staff_reference": "workers"}
    batch_model = Worker

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name and which of their references are taken."""
        super().prepare(rows, context)
        taken = taken_values(Worker, {"staff_reference": [values["staff_reference"] for values in rows]})
        context.batches[Worker] = Batch(Worker, taken)

    def refused(self, values: dict[str, Any], context: Context) -> None:
        worker = context.workers.get(values["staff_reference"])
        if worker is not None and worker.pk is None:
            context.workers.discard(values["staff_reference"])

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        worker = context.workers.get(values["staff_reference"]) or Worker()
        adding = worker._state.adding
        fields = field_values(self, values)
        changes = assign(worker, fields)
        if adding or changes:
            context.batches[Worker].stage(worker, context.row)
            context.workers.add(worker)
        return outcome(adding, changes)
