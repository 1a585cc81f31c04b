"""Writes of the agency records: suppliers, price caps, permanent costs and invoice lines.
Each runs in a transaction and validates with ``full_clean``; the admin, the importer and
the demo call these (agency assignments themselves go through ``workforce.services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from workforce.invoice_rules import assignment_for_week, check_invoice_line, week_of
from workforce.models import Assignment, InvoiceLine, PermanentCost, PriceCap, Supplier


@transaction.atomic
def save_supplier(*, supplier: Supplier) -> Supplier:
    """Validate and save ``supplier``."""
    supplier.full_clean()
    supplier.save()
    return supplier


@transaction.atomic
def save_price_cap(*, cap: PriceCap) -> PriceCap:
    """Validate and save a price cap."""
    cap.full_clean()
    cap.save()
    return cap


@transaction.atomic
def save_permanent_cost(*, cost: PermanentCost) -> PermanentCost:
    """Validate and save the annual cost of a permanent worker in a role."""
    cost.full_clean()
    cost.save()
    return cost


def supplier_named(name: str) -> Supplier:
    """Return the supplier called ``name`` (spaces tidied, case ignored), added if new."""
    tidy = " ".join(name.split())
    found = Supplier.objects.filter(name__iexact=tidy).first()
    return found or save_supplier(supplier=Supplier(name=tidy))


def link_supplier(assignment: Assignment) -> None:
    """Point an agency assignment at its supplier: the one named in ``agency_supplier`` (as an HR
    extract or older code writes it) when no supplier is set; the text then follows the
    supplier's name, so the two never disagree."""
    if assignment.supplier_id is None and assignment.agency_supplier.strip():
        assignment.supplier = supplier_named(assignment.agency_supplier)
    if assignment.supplier_id is not None:
        assignment.agency_supplier = assignment.supplier.name


def agency_assignment_in_week(*, worker_id: int, week_ending: dt.date) -> Assignment | None:
    """Return the worker's agency assignment an invoice week is for (``assignment_for_week``)."""
    first, last = week_of(week_ending)
    candidates = (
        Assignment.objects.agency()
        .filter(worker_id=worker_id)
        .overlapping(first, last)
        .select_related("supplier")
    )
    return assignment_for_week(candidates, week_ending)


@transaction.atomic
def save_invoice_line(*, line: InvoiceLine) -> InvoiceLine:
    """Validate and save one invoice line, attached to the worker's agency assignment that week."""
    assignment = None
    if line.worker_id and line.week_ending:
        assignment = agency_assignment_in_week(worker_id=line.worker_id, week_ending=line.week_ending)
    check_invoice_line(line, assignment)
    line.assignment = assignment
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def add_invoice_lines(*, lines: Iterable[InvoiceLine]) -> list[InvoiceLine]:
    """Validate and add many new invoice lines at once, each already attached to its assignment
    (the demonstration's twelve months), with their history rows."""
    lines = list(lines)
    for line in lines:
        check_invoice_line(line, line.assignment if line.assignment_id else None)
        line.full_clean(validate_unique=False, validate_constraints=False)
    return bulk_create_with_history(lines, InvoiceLine, batch_size=1000, default_date=timezone.now())
