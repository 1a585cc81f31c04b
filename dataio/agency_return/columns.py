"""The columns of the agency return: the one place that maps the records to DfE's template.

Each ``ReturnColumn`` has the heading written, what it holds (``docs/agency.md`` is checked
against these), and how to read it from a row. When DfE changes its template, change this
list: headings, order, codes and formats all live here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dataio.agency_return.build import AgencyReturn, ReturnRow
from workforce.agency_rules import PRICE_CAP, Status
from workforce.models import PROJECT_SUPPLY

Value = str | Decimal | int | None


@dataclass(frozen=True)
class ReturnColumn:
    heading: str
    description: str
    value: Callable[[AgencyReturn, ReturnRow], Value]


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _over_cap(row: ReturnRow) -> bool | None:
    result = row.engagement.result(PRICE_CAP)
    if result.status == Status.NOT_KNOWN:
        return None
    return result.status == Status.BREACHED or bool(result.exception)


def _signed_off(row: ReturnRow) -> str:
    facts = row.engagement.facts
    if not facts.signed_off:
        return ""
    return (
        f"Director of Children's Services {facts.dcs_sign_off_on.isoformat()}; "
        f"chief executive {facts.ceo_sign_off_on.isoformat()}"
    )


def _rules(row: ReturnRow, status: Status) -> str:
    return "; ".join(result.name for result in row.engagement.results if result.status == status)


def _exceptions(row: ReturnRow) -> str:
    """Return the rules met by exception; the sign-off over the cap without the officers' names
    (its dates are in ``price_cap_sign_off``)."""
    return "; ".join(
        f"{result.name}: {'over the cap, signed off' if result.rule == PRICE_CAP else result.exception}"
        for result in row.engagement.results
        if result.exception
    )


def _agency(row: ReturnRow, name: str) -> Any:
    return getattr(row.engagement.facts, name)


COLUMNS: tuple[ReturnColumn, ...] = (
    ReturnColumn("quarter", "The quarter, e.g. 2026-Q3 (July to September 2026).", lambda r, row: r.quarter),
    ReturnColumn(
        "swe_number",
        "The worker's Social Work England number (two letters, ten digits).",
        lambda r, row: row.engagement.swe_number,
    ),
    ReturnColumn(
        "job_type",
        "DfE's core job type of the role (social worker, senior social worker, advanced practitioner, "
        "team manager, independent reviewing officer or child protection conference chair).",
        lambda r, row: row.engagement.job_type,
    ),
    ReturnColumn("role", "The council's own role (grade).", lambda r, row: row.engagement.role),
    ReturnColumn("supplier", "The supplying agency.", lambda r, row: row.engagement.supplier),
    ReturnColumn(
        "project_team",
        "Y where supplied in a project team or packaged service, N where individually.",
        lambda r, row: _flag(row.engagement.supply_type in PROJECT_SUPPLY) if row.engagement.supplier else "",
    ),
    ReturnColumn(
        "assignment_start",
        "The first day of the assignment (YYYY-MM-DD).",
        lambda r, row: _date(row.engagement.start),
    ),
    ReturnColumn(
        "assignment_end",
        "The last day of the assignment; blank if it continues.",
        lambda r, row: _date(row.engagement.end),
    ),
    ReturnColumn(
        "reason",
        "Why the worker is engaged (the council's six reasons).",
        lambda r, row: row.engagement.reason_label,
    ),
    ReturnColumn("fte", "Full-time equivalent of the assignment.", lambda r, row: row.engagement.fte),
    ReturnColumn("hours_per_week", "Hours a week agreed.", lambda r, row: row.engagement.hours_per_week),
    ReturnColumn(
        "hours_in_quarter",
        "Hours worked in the quarter: invoiced, and for weeks not yet invoiced the hours a week pro rata.",
        lambda r, row: row.spend.hours,
    ),
    ReturnColumn(
        "hours_basis",
        "invoiced, estimated (from the hours a week) or mixed.",
        lambda r, row: {"actual": "invoiced"}.get(row.spend.basis, row.spend.basis),
    ),
    ReturnColumn(
        "hourly_pay_rate", "The worker's pay rate, £ an hour.", lambda r, row: _agency(row, "pay_rate")
    ),
    ReturnColumn(
        "employer_ni_hourly",
        "Employer National Insurance, £ an hour.",
        lambda r, row: _agency(row, "employer_ni"),
    ),
    ReturnColumn(
        "apprenticeship_levy_hourly",
        "Apprenticeship levy, £ an hour; blank where it does not apply.",
        lambda r, row: _agency(row, "apprenticeship_levy"),
    ),
    ReturnColumn(
        "agency_margin_hourly", "The agency's margin, £ an hour.", lambda r, row: row.engagement.agency_margin
    ),
    ReturnColumn(
        "hourly_charge_rate",
        "What the council is charged an hour: pay, National Insurance, levy and margin.",
        lambda r, row: row.engagement.charge_rate,
    ),
    ReturnColumn(
        "charges_in_quarter",
        "The cost in the quarter, £: invoiced, and for weeks not yet invoiced the weekly charge pro rata.",
        lambda r, row: row.spend.spend,
    ),
    ReturnColumn(
        "over_price_cap",
        "Y where pay, National Insurance and levy are over the regional price cap; blank if not known.",
        lambda r, row: _flag(_over_cap(row)),
    ),
    ReturnColumn(
        "price_cap_sign_off",
        "Over the cap: the dates the Director of Children's Services and the chief executive signed off.",
        lambda r, row: _signed_off(row),
    ),
    ReturnColumn(
        "rules_breached",
        "The national agency rules breached, separated by semicolons.",
        lambda r, row: _rules(row, Status.BREACHED),
    ),
    ReturnColumn(
        "rule_exceptions",
        "Rules met only by an exception or a sign-off, with which (e.g. cool-off: made redundant).",
        lambda r, row: _exceptions(row),
    ),
    ReturnColumn(
        "rules_not_known",
        "Rules that cannot be checked for lack of data.",
        lambda r, row: _rules(row, Status.NOT_KNOWN),
    ),
)
