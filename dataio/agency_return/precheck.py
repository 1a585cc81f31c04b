"""The agency return's pre-check: what ``agency_return`` would list for the quarter being
prepared, without writing it.

DfE collects the quarterly agency data after each calendar quarter ends; the council's own
deadline for it is ``AGENCY_RETURN_DEADLINE_DAYS`` after the quarter's last day (a setting,
30 by default). Between a quarter's end and that deadline the return is in season, and its
problems are emailed to HR and the directors each week (``run_scheduled agency-precheck``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from dataio.agency_return.build import build_agency_return
from dataio.prechecks import PreCheck, PreCheckProblem, PreCheckResult
from foundation.dates import long_date
from foundation.periods import quarter_end_on_or_before, quarter_label


def deadline_days() -> int:
    """Return the days after a quarter's end by which its return is due (the setting)."""
    return int(getattr(settings, "AGENCY_RETURN_DEADLINE_DAYS", 30))


def quarter_being_prepared(today: dt.date) -> tuple[dt.date, dt.date]:
    """Return the first and last day of the last calendar quarter to have ended before ``today``."""
    end = quarter_end_on_or_before(today - dt.timedelta(days=1))
    start = dt.date(end.year, end.month - 2, 1)
    return start, end


def check_agency_return(today: dt.date) -> PreCheckResult:
    """Return the problems in the agency return of the quarter ``today`` comes after."""
    start, end = quarter_being_prepared(today)
    built = build_agency_return((start, end))
    deadline = end + dt.timedelta(days=deadline_days())
    problems = tuple(
        PreCheckProblem(
            reference=problem.staff_reference,
            item=problem.item,
            message=f"{problem.where}: {problem.message}",
            blocking=problem.blocking,
        )
        for problem in built.problems
    )
    return PreCheckResult(
        title=f"DfE's agency return {quarter_label(start)}",
        period=f"{long_date(start)} to {long_date(end)}",
        deadline=deadline,
        due=end < today <= deadline,
        problems=problems,
        records=len(built.rows),
    )


AGENCY = PreCheck(name="agency", title="DfE's quarterly agency return", run=check_agency_return)
