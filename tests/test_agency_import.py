"""Importing agency records: the suppliers file, the agency columns of the assignments file
(refused over the price cap without sign-off, naming the rule, the row and the column), and
the suppliers' invoice lines (all or nothing, matched to the week's assignment, idempotent)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dataio.importing.engine import Source, run_import
from tests import factories_agency as agency
from workforce.models import Assignment, Contract, InvoiceLine, Supplier, SupplyRoute, SupplyType

pytestmark = pytest.mark.django_db
D = dt.date

TEAMS = "team,service_area,case_holding\nChild Protection East,Child Protection,yes\n"
POSTS = "post_reference,team,role,fte,active_from\nCPE-01,Child Protection East,Social Worker,1,2010-04-01\n"
WORKERS = (
    "staff_reference,first_name,last_name,swe_number,date_qualified\n"
    "A1,Kwame,Mensah,SW0000000001,2015-07-01\n"
)
SUPPLIERS = (
    "supplier,bought_through,framework_or_contract,supply_type\n"
    "Sanctuary Personnel,framework,Regional framework lot 1,individual\n"
)
HEADINGS = (
    "staff_reference,post_reference,start,end,fte,contract,agency_reason,agency_supplier,weekly_charge,"
    "pay_rate,employer_ni,apprenticeship_levy,agency_margin,hours_per_week,notice_weeks,reference_received,"
    "dcs_sign_off_by,dcs_sign_off_on,ceo_sign_off_by,ceo_sign_off_on\n"
)


def csv(name: str, text: str) -> Source:
    return Source(name=name, content=text.encode("utf-8"))


def messages(report) -> list[str]:
    return [str(problem) for problem in report.problems]


def engagement_files(row: str, *extra: Source) -> list[Source]:
    return [
        csv("teams.csv", TEAMS),
        csv("posts.csv", POSTS),
        csv("workers.csv", WORKERS),
        csv("suppliers.csv", SUPPLIERS),
        csv("assignments.csv", HEADINGS + row),
        *extra,
    ]


def test_the_agency_columns_are_kept_and_the_weekly_charge_worked_out():
    row = "A1,CPE-01,2026-01-05,,1,agency,vacancy,sanctuary personnel,,32.50,3.85,0.16,4.49,37,4,yes,,,,\n"
    report = run_import(engagement_files(row))
    assert report.ok, messages(report)
    assignment = Assignment.objects.get()
    supplier = Supplier.objects.get()
    assert (supplier.name, supplier.route) == ("Sanctuary Personnel", SupplyRoute.FRAMEWORK)
    assert assignment.supplier == supplier and assignment.agency_supplier == "Sanctuary Personnel"
    # (32.50 + 3.85 + 0.16 + 4.49) = 41.00 an hour x 37 = £1,517.00.
    assert assignment.weekly_charge == Decimal("1517.00")
    assert (assignment.notice_weeks, assignment.reference_received) == (4, True)
    again = run_import(engagement_files(row))
    assert again.ok and {file.kind: file.counts["unchanged"] for file in again.files}["assignments"] == 1


def test_over_the_cap_without_sign_off_is_refused_naming_the_rule_row_and_column():
    agency.cap("40.00")
    row = "A1,CPE-01,2026-01-05,,1,agency,vacancy,Sanctuary Personnel,,37.00,4.20,,4.00,37,4,yes,,,,\n"
    report = run_import(engagement_files(row))
    assert not report.ok
    (message,) = messages(report)
    assert message.startswith(
        "assignments.csv, row 2, column pay_rate: Price cap: £41.20 an hour against the Social worker cap of "
        "£40.00 (from 1 April 2025): £1.20 over, with no recorded sign-off."
    )
    assert not Assignment.objects.exists() and not Supplier.objects.exists()  # all or nothing
    signed = (
        "A1,CPE-01,2026-01-05,,1,agency,vacancy,Sanctuary Personnel,,37.00,4.20,,4.00,37,4,yes,"
        "A. Director,2026-01-02,C. Executive,2026-01-03\n"
    )
    assert run_import(engagement_files(signed)).ok
    assert Assignment.objects.get().ceo_sign_off_on == D(2026, 1, 3)


def test_a_new_supplier_named_by_an_assignment_is_added_and_noted():
    files = engagement_files("A1,CPE-01,2026-01-05,,1,agency,vacancy,Brand New Agency,1500,,,,,,,,,,,\n")
    report = run_import(files, dry_run=True)
    assert report.ok, messages(report)
    (assignments,) = [file for file in report.files if file.kind == "assignments"]
    assert assignments.notes == [
        "row 2: new supplier 'Brand New Agency' added (not a framework or contract yet: set that in the "
        "admin or a suppliers file)"
    ]
    assert not Supplier.objects.exists()  # a dry run keeps nothing


def test_a_framework_supplier_needs_its_framework():
    report = run_import([csv("suppliers.csv", "supplier,bought_through\nReed,framework\n")])
    assert messages(report) == [
        "suppliers.csv, row 2, column framework_or_contract: Name the framework agreement the supply is "
        "bought under."
    ]


INVOICE_HEADINGS = "supplier,staff_reference,week_ending,hours,amount,invoice_reference\n"
ENGAGED = "A1,CPE-01,2026-01-05,2026-02-01,1,agency,vacancy,Sanctuary Personnel,1500,,,,,,,,,,,\n"


def test_invoice_lines_are_matched_to_the_weeks_assignment():
    lines = (
        "Sanctuary Personnel,A1,2026-01-11,37,1500,INV-1\n"
        "Sanctuary Personnel,A1,2026-01-18,37,1500,INV-2\n"
        "Sanctuary Personnel,A1,2026-02-01,30,1216.22,INV-3\n"
    )
    report = run_import(engagement_files(ENGAGED, csv("invoices.csv", INVOICE_HEADINGS + lines)))
    assert report.ok, messages(report)
    assignment = Assignment.objects.get(contract=Contract.AGENCY)
    assert list(InvoiceLine.objects.order_by("week_ending").values_list("assignment", "amount")) == [
        (assignment.pk, Decimal("1500.00")),
        (assignment.pk, Decimal("1500.00")),
        (assignment.pk, Decimal("1216.22")),
    ]
    assert InvoiceLine.history.count() == 3
    # The same file again changes nothing; a corrected amount updates its line.
    again = run_import([csv("invoices.csv", INVOICE_HEADINGS + lines)])
    assert again.files[0].counts == {"created": 0, "updated": 0, "unchanged": 3}
    corrected = run_import([csv("invoices.csv", INVOICE_HEADINGS + lines.replace("1216.22", "1200.00"))])
    assert corrected.files[0].counts == {"created": 0, "updated": 1, "unchanged": 2}
    assert corrected.files[0].outcomes[2].changes == ("amount (£): 1216.22 → 1200",)


def test_bad_invoice_lines_are_refused_with_row_and_column_and_nothing_is_kept():
    lines = (
        "Sanctuary Personnel,A1,2026-01-11,37,1500,INV-1\n"
        "Sanctuary Personnel,A1,2026-03-01,37,1500,INV-2\n"  # no assignment that week
        "Nobody Ltd,A1,2026-01-18,37,1500,INV-3\n"
        "Sanctuary Personnel,A1,2026-01-25,37,-5,INV-4\n"
        "Sanctuary Personnel,A9,2026-01-25,37,100,INV-5\n"
        "Sanctuary Personnel,A1,2026-01-11,37,1500,INV-1\n"
    )
    report = run_import(engagement_files(ENGAGED, csv("invoices.csv", INVOICE_HEADINGS + lines)))
    assert messages(report) == [
        "invoices.csv, row 3, column week_ending: The worker has no agency assignment in the week "
        "23 February 2026 to 1 March 2026: record the assignment first, or correct the worker or week.",
        "invoices.csv, row 4, column supplier: there is no supplier 'Nobody Ltd' (it is neither already "
        "recorded nor in a suppliers file of this import)",
        "invoices.csv, row 5, column amount: Ensure this value is greater than or equal to 0.",
        "invoices.csv, row 6, column staff_reference: there is no worker 'A9' (it is neither already "
        "recorded nor in a workers file of this import)",
        "invoices.csv, row 7, column supplier: invoice line Sanctuary Personnel / A1 / 11 January 2026 "
        "appears more than once (first at invoices.csv row 2); each invoice line may appear only once",
    ]
    assert not InvoiceLine.objects.exists() and not Assignment.objects.exists()


def test_an_invoice_from_another_supplier_than_the_assignments_is_refused():
    two = SUPPLIERS + "Hays Social Care,contract,Direct HSC-1,project_team\n"
    files = engagement_files(
        ENGAGED, csv("invoices.csv", INVOICE_HEADINGS + "Hays Social Care,A1,2026-01-11,37,1,X\n")
    )
    files[3] = csv("suppliers.csv", two)
    report = run_import(files)
    assert messages(report) == [
        "invoices.csv, row 2, column supplier: The worker's assignment that week is supplied by Sanctuary "
        "Personnel, not this supplier."
    ]
    assert Supplier.objects.count() == 0
    assert SupplyType.PROJECT_TEAM == "project_team"
