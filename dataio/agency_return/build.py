"""DfE's quarterly return on agency child and family social workers, built from the records.

``build_agency_return(quarter)`` reads every agency engagement active in the quarter (in
children-and-family social work roles) with its rules checked, its rates, and its hours and
charges in the quarter (invoiced where invoiced, estimated from the hours a week and weekly
charge for the rest, as the spend figures count them), and returns plain data with the
problems that would make the return wrong or thin. ``dataio.agency_return.columns`` turns a
row into the file's columns; nothing here formats anything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from foundation.dates import long_date
from foundation.periods import parse_quarter, quarter_label
from workforce.selectors.agency import Engagement, agency_engagements
from workforce.selectors.agency_by_assignment import AssignmentSpend, spend_by_assignment

SWE_PATTERN = re.compile(r"^[A-Za-z]{2}\d{10}$")


@dataclass(frozen=True)
class ReturnProblem:
    """Something missing that would make a row wrong (``blocking``) or the rules unchecked."""

    staff_reference: str
    where: str  # the engagement, as HR would find it: "CP-E-014 from 06/01/2026"
    item: str  # the column or rule affected
    message: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.staff_reference} ({self.where}): {self.item}: {self.message}"


@dataclass(frozen=True)
class ReturnRow:
    """One agency engagement active in the quarter. ``engagement`` carries names and staff
    references for the council's eyes; only what ``columns`` takes from it is written."""

    engagement: Engagement
    spend: AssignmentSpend


@dataclass(frozen=True)
class AgencyReturn:
    quarter: str  # "2026-Q3"
    start: dt.date
    end: dt.date
    rows: tuple[ReturnRow, ...]
    problems: tuple[ReturnProblem, ...] = field(default=())

    @property
    def blocking_problems(self) -> list[ReturnProblem]:
        return [problem for problem in self.problems if problem.blocking]

    @property
    def notes(self) -> list[ReturnProblem]:
        return [problem for problem in self.problems if not problem.blocking]


def quarter_dates(quarter: str | tuple[dt.date, dt.date]) -> tuple[str, dt.date, dt.date]:
    """Return the label, first and last day of ``quarter`` ("2026-Q3", or its two dates).
    Raises ``ValueError`` for a quarter that cannot be read."""
    if isinstance(quarter, tuple):
        start, end = quarter
    else:
        start, end = parse_quarter(quarter)
    return quarter_label(start), start, end


def build_agency_return(quarter: str | tuple[dt.date, dt.date]) -> AgencyReturn:
    """Return the agency return for ``quarter`` ("2026-Q3": July to September 2026): a row per
    agency engagement active on any day of it, and every problem found. Six queries."""
    label, start, end = quarter_dates(quarter)
    engagements = agency_engagements(start=start, end=end, on=end)
    spend = spend_by_assignment(start=start, end=end)
    rows = tuple(ReturnRow(engagement, spend[engagement.pk]) for engagement in engagements)
    problems = tuple(problem for row in rows for problem in _problems(row))
    return AgencyReturn(quarter=label, start=start, end=end, rows=rows, problems=problems)


def _problems(row: ReturnRow) -> list[ReturnProblem]:
    engagement, spend = row.engagement, row.spend
    where = f"{engagement.post_reference} from {long_date(engagement.start)}"

    def problem(item: str, message: str, *, blocking: bool = True) -> ReturnProblem:
        return ReturnProblem(engagement.staff_reference, where, item, message, blocking)

    found = []
    if not engagement.swe_number:
        found.append(problem("swe_number", "no Social Work England number recorded"))
    elif not SWE_PATTERN.match(engagement.swe_number):
        found.append(problem("swe_number", f"'{engagement.swe_number}' is not two letters and ten digits"))
    if not engagement.job_type:
        found.append(
            problem("job_type", f"the role {engagement.role} has no core job type (set it on the role)")
        )
    if not engagement.supplier:
        found.append(problem("supplier", "no supplier recorded"))
    if engagement.pay_rate is None:
        found.append(problem("hourly_pay_rate", "no pay rate and employer National Insurance recorded"))
    if engagement.charge_rate is None:
        found.append(problem("hourly_charge_rate", "no agency margin recorded, so no charge rate"))
    if spend.hours is None:
        found.append(problem("hours_in_quarter", "not all weeks invoiced, and no hours a week recorded"))
    if spend.spend is None:
        found.append(problem("charges_in_quarter", "not all weeks invoiced, and no weekly charge recorded"))
    for result in engagement.unknown:
        found.append(problem(result.name, f"not known: {result.detail}", blocking=False))
    return found


def prechecks(quarter: str | tuple[dt.date, dt.date]) -> list[str]:
    """Return what is missing for the agency return of ``quarter`` ("2026-Q3"), one line each,
    naming the worker's staff reference and the engagement: the blocking problems (data the
    return's columns need) first, then the rules that cannot be checked. Empty when complete.
    For a scheduled job to send HR ahead of the deadline; raises ``ValueError`` for a quarter
    that cannot be read."""
    built = build_agency_return(quarter)
    return [str(problem) for problem in (*built.blocking_problems, *built.notes)]
