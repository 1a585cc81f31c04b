"""The census return's pre-check: the problems ``census_return`` would list, without writing it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from dataio.census.build import build_census_return
from dataio.prechecks import PreCheck, PreCheckProblem, PreCheckResult
from foundation.periods import census_season, census_year

NO_LA_CODE = "the council's LA code is not set: set CENSUS_LA_CODE to its three digits."


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def deadline_setting() -> tuple[int, int]:
    """Return the census return's deadline as (month, day): the setting ``CENSUS_RETURN_DEADLINE``."""
    month, _, day = str(getattr(settings, "CENSUS_RETURN_DEADLINE", "02-28")).partition("-")
    return int(month), int(day)


def check_census(today: dt.date) -> PreCheckResult:
    """Return the problems in the census return of the season ``today`` is in (or nearest before)."""
    year, opens, deadline = census_season(today, deadline=deadline_setting())
    la_code = getattr(settings, "CENSUS_LA_CODE", "")
    census = build_census_return(year=year, la_code=la_code)
    start, reference = census_year(year)
    problems = tuple(
        PreCheckProblem(
            reference=problem.staff_reference,
            item=problem.item,
            message=NO_LA_CODE if problem.item == "LEA" and not la_code else problem.message,
            blocking=problem.blocking,
        )
        for problem in census.problems
    )
    return PreCheckResult(
        title=f"The children's social work workforce census {year}",
        period=f"{_day(start)} to {_day(reference)}",
        deadline=deadline,
        due=opens <= today <= deadline,
        problems=problems,
        records=len(census.workers),
    )


CENSUS = PreCheck(name="census", title="The children's social work workforce census", run=check_census)
