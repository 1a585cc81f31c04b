"""Agency files: the suppliers, the suppliers' invoice (or timesheet) lines, and the agency
columns of the assignments file.

Suppliers are few and written one by one through ``workforce.agency_services``. Invoice
lines run to thousands a month and are written in batches, each checked in memory as
``workforce.agency_services.save_invoice_line`` checks it: the worker's agency assignment in
the week is found (``workforce.invoice_rules.assignment_for_week``) and must be the
supplier's.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.batch import Batch
from dataio.importing.context import chunks
from dataio.importing.kinds.base import (
    Applied,
    Column,
    Kind,
    RowProblem,
    assign,
    choices_text,
    field_values,
    name_in_history,
    named_records,
    outcome,
)
from workforce import agency_services
from workforce.agency_rules import expected_weekly_charge
from workforce.invoice_rules import assignment_for_week, check_invoice_line
from workforce.models import (
    Assignment,
    CoolOffDeclaration,
    CoolOffException,
    InvoiceLine,
    Supplier,
    SupplyRoute,
    SupplyType,
    Worker,
)

if TYPE_CHECKING:
    from dataio.importing.context import Context

RATES = ("pay_rate", "employer_ni", "apprenticeship_levy", "agency_margin", "hours_per_week")

# The agency columns of the assignments file (all optional; a blank cell clears the value).
AGENCY_COLUMNS = (
    Column(
        "pay_rate", read.money, "Agency only: the worker's pay rate, £ an hour.", "32.50", field="pay_rate"
    ),
    Column(
        "employer_ni",
        read.money,
        "Agency only: employer National Insurance, £ an hour (0 if none); with the pay rate.",
        "3.85",
        field="employer_ni",
    ),
    Column(
        "apprenticeship_levy",
        read.money,
        "Agency only: the apprenticeship levy, £ an hour, where it applies; blank where it does not.",
        "0.16",
        field="apprenticeship_levy",
    ),
    Column(
        "agency_margin",
        read.money,
        "Agency only: the agency's margin, £ an hour.",
        "4.20",
        field="agency_margin",
    ),
    Column(
        "hours_per_week", read.decimal, "Agency only: the hours worked a week.", "37", field="hours_per_week"
    ),
    Column(
        "notice_weeks",
        read.whole_number,
        "Agency only: the assignment's notice period in weeks.",
        "4",
        field="notice_weeks",
    ),
    Column(
        "la_experience_months",
        read.whole_number,
        "Agency only: post-qualifying experience in direct employment in a UK local authority at "
        "engagement, in months (from the references). Blank: judged from the date qualified.",
        "60",
        field="la_experience_months",
    ),
    Column(
        "reference_received",
        read.yes_no,
        "Agency only: was a practice-based reference received before engaging? Yes or no; blank: not known.",
        "yes",
        field="reference_received",
    ),
    Column(
        "reference_given",
        read.yes_no,
        "Agency only: was a reference given at the end? Yes or no; blank: not known (or not ended).",
        "",
        field="reference_given",
    ),
    Column(
        "cool_off_declaration",
        read.choice(CoolOffDeclaration.choices, what="cool-off declaration"),
        "Agency only: a permanent social work role the worker left in a council in the three months "
        "before: " + choices_text(CoolOffDeclaration.choices) + ". Blank: not declared.",
        "none",
        field="cool_off_declaration",
        empty="",
    ),
    Column(
        "previous_role_left_on",
        read.date,
        "Agency only: when the worker left that role (with this_region or other_region).",
        "",
        field="previous_role_left_on",
    ),
    Column(
        "cool_off_exception",
        read.choice(CoolOffException.choices, what="cool-off exception"),
        "Agency only: an exception to the cool-off: " + choices_text(CoolOffException.choices) + ".",
        "",
        field="cool_off_exception",
        empty="",
    ),
    Column(
        "dcs_sign_off_by",
        read.text,
        "Agency only, over the price cap: the Director of Children's Services who signed off.",
        "",
        field="dcs_sign_off_by",
        empty="",
    ),
    Column(
        "dcs_sign_off_on", read.date, "Agency only: the date they signed off.", "", field="dcs_sign_off_on"
    ),
    Column(
        "ceo_sign_off_by",
        read.text,
        "Agency only, over the price cap: the chief executive who signed off.",
        "",
        field="ceo_sign_off_by",
        empty="",
    ),
    Column(
        "ceo_sign_off_on", read.date, "Agency only: the date they signed off.", "", field="ceo_sign_off_on"
    ),
)


def settle_weekly_charge(assignment: Assignment, fields: dict[str, Any]) -> None:
    """Fill a blank weekly charge in ``fields`` from the rates and hours (those in ``fields``, else
    the assignment's own), as ``workforce.agency_rules`` does on saving, so a file that leaves it
    blank is not reported as changing it."""
    if "weekly_charge" not in fields or fields["weekly_charge"] is not None:
        return
    merged = SimpleNamespace(**{name: fields.get(name, getattr(assignment, name)) for name in RATES})
    fields["weekly_charge"] = expected_weekly_charge(merged)


class SupplierBook:
    """The suppliers by name (compared without case or extra spaces), read once per import; a new
    name named by an assignment adds the supplier, noted on the file that named it."""

    def __init__(self) -> None:
        self.by_name = {_key(supplier.name): supplier for supplier in Supplier.objects.all()}

    def find(self, name: str) -> Supplier | None:
        return self.by_name.get(_key(name))

    def named(self, name: str, context: Context) -> Supplier | None:
        """Return the supplier called ``name``, adding it if new; None for a blank name."""
        if not name.strip():
            return None
        found = self.find(name)
        if found is None:
            found = agency_services.save_supplier(supplier=Supplier(name=" ".join(name.split())))
            self.by_name[_key(name)] = found
            if context.row is not None and context.row.plan is not None:
                context.row.plan.report.notes.append(
                    f"row {context.row.number}: new supplier '{found.name}' added (not a framework or "
                    "contract yet: set that in the admin or a suppliers file)"
                )
        return found

    def add(self, supplier: Supplier) -> None:
        self.by_name[_key(supplier.name)] = supplier


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def supplier_book(context: Context) -> SupplierBook:
    """Return the import's suppliers by name, read the first time a file needs them."""
    if "supplier_book" not in context.extra:
        context.extra["supplier_book"] = SupplierBook()
    return context.extra["supplier_book"]


class Suppliers(Kind):
    name = "suppliers"
    title = "Suppliers"
    record = "supplier"
    key = ("supplier",)
    columns = (
        Column(
            "supplier",
            read.text,
            "The supplier's name, unique; how assignments and invoice lines name it.",
            "Reed Social Care",
            required=True,
            field="name",
        ),
        Column(
            "bought_through",
            read.choice(SupplyRoute.choices, what="route"),
            choices_text(SupplyRoute.choices) + ". Blank: off_contract.",
            "framework",
            field="route",
            empty=SupplyRoute.OFF_CONTRACT,
        ),
        Column(
            "framework_or_contract",
            read.text,
            "The framework agreement or contract the supply is bought under (required for framework "
            "and contract).",
            "Mstar 4, lot 2",
            field="agreement",
            empty="",
        ),
        Column(
            "supply_type",
            read.choice(SupplyType.choices, what="supply type"),
            choices_text(SupplyType.choices) + ". Blank: individual.",
            "individual",
            field="supply_type",
            empty=SupplyType.INDIVIDUAL,
        ),
        Column(
            "active", read.yes_no, "Still used? Yes or no; blank: yes.", "yes", field="active", empty=True
        ),
        Column("notes", read.text, "Anything else HR should know.", "", field="notes", empty=""),
    )

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        book = supplier_book(context)
        supplier = book.find(values["supplier"]) or Supplier()
        adding = supplier._state.adding
        changes = assign(supplier, field_values(self, values))
        if adding or changes:
            name_in_history(supplier, context)
            agency_services.save_supplier(supplier=supplier)
            book.add(supplier)
        return outcome(adding, changes)


class InvoiceBatch(Batch):
    """The batch of invoice lines. Their one constraint, a line per supplier, worker and week, is
    the file's own reference: the engine refuses a repeat in the files, and a recorded line is
    matched and updated, never added again; the database's constraint stays behind both."""

    def __post_init__(self) -> None:
        pass


class InvoiceLines(Kind):
    name = "invoices"
    title = "Invoice lines"
    record = "invoice line"
    key = ("supplier", "staff_reference", "week_ending")
    columns = (
        Column(
            "supplier",
            read.text,
            "The supplier, as recorded or in a suppliers file of this import.",
            "Reed Social Care",
            required=True,
        ),
        Column(
            "staff_reference",
            read.text,
            "The agency worker, as in the workers file or already recorded.",
            "AG00123",
            required=True,
        ),
        Column(
            "week_ending",
            read.date,
            "The last day of the week invoiced. With the supplier and worker, the line's reference.",
            "2026-06-28",
            required=True,
            field="week_ending",
        ),
        Column("hours", read.decimal, "Hours worked in the week.", "37", required=True, field="hours"),
        Column(
            "amount",
            read.money,
            "The amount charged for the week, in pounds.",
            "1498.50",
            required=True,
            field="amount",
        ),
        Column(
            "invoice_reference",
            read.text,
            "The supplier's invoice or timesheet number.",
            "INV-20931",
            field="invoice_reference",
            empty="",
        ),
    )
    refers = {"staff_reference": "workers"}
    error_columns = {"supplier": "supplier", "worker": "staff_reference"}
    batch_model = InvoiceLine

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the workers the rows name, their recorded lines and their agency assignments in
        the weeks invoiced (a query per few thousand workers each)."""
        super().prepare(rows, context)
        workers = named_records(context.workers, (values["staff_reference"] for values in rows))
        weeks = [values["week_ending"] for values in rows if values.get("week_ending")]
        existing: dict[tuple, InvoiceLine] = {}
        candidates: dict[int, list[Any]] = defaultdict(list)
        if weeks:
            first, last = min(weeks) - dt.timedelta(days=6), max(weeks)
            recorded = context.recorded_before(Worker, workers)
            for chunk in chunks(recorded):
                for line in InvoiceLine.objects.filter(
                    worker_id__in=chunk, week_ending__gte=min(weeks), week_ending__lte=last
                ).select_related("supplier"):
                    line.worker = workers[line.worker_id]
                    existing[
                        (
                            line.supplier.name.casefold(),
                            line.worker.staff_reference.casefold(),
                            line.week_ending,
                        )
                    ] = line
            for chunk in chunks(sorted(workers)):
                found = Assignment.objects.agency().filter(worker_id__in=chunk).overlapping(first, last)
                for assignment in found.select_related("supplier"):
                    candidates[assignment.worker_id].append(assignment)
        context.extra["invoice_lines"] = existing
        context.extra["invoice_assignments"] = candidates
        supplier_book(context)
        context.batches[InvoiceLine] = InvoiceBatch(InvoiceLine)

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        supplier = supplier_book(context).find(values["supplier"])
        if supplier is None:
            raise RowProblem(
                f"there is no supplier '{values['supplier']}' (it is neither already recorded nor in a "
                "suppliers file of this import)",
                "supplier",
            )
        worker = context.find(
            context.workers,
            values["staff_reference"],
            kind="workers",
            what="worker",
            column="staff_reference",
        )
        existing: dict[tuple, InvoiceLine] = context.extra["invoice_lines"]
        key = (supplier.name.casefold(), worker.staff_reference.casefold(), values["week_ending"])
        line = existing.get(key) or InvoiceLine()
        adding = line._state.adding
        changes = assign(line, {**field_values(self, values), "supplier": supplier, "worker": worker})
        assignment = assignment_for_week(
            context.extra["invoice_assignments"].get(worker.pk, ()), line.week_ending
        )
        check_invoice_line(line, assignment)
        if line.assignment_id != assignment.pk:
            line.assignment = assignment
        if adding or changes:
            context.batches[InvoiceLine].stage(line, context.row, clean=line.clean)
            existing[key] = line
        return outcome(adding, changes)
