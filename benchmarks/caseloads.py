"""Benchmark items for caseloads (imported by ``benchmarks/run.py``; Django is set up by then).

- ``caseload_summary``: every caseload figure on the report's as-at date for the whole
  council (``workforce.selectors.caseloads.caseloads_on``: caseload per case holder, newly
  qualified against others, the spread, by team and by role). Target: under 300 ms at 40,000
  posts, with the same number of queries as at 300.
- ``caseload_section``: the committee report's caseloads section as the summary builds it:
  the same at the as-at date and caseload per case holder at each of the report's dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def _report_dates() -> tuple[dt.date, list[dt.date]]:
    """Return a report's as-at date run today (the last month-end) and its comparison dates,
    as ``benchmarks/run.py`` measures the committee summary."""
    from django.utils import timezone

    from foundation.periods import default_comparison_dates

    as_of = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return as_of, default_comparison_dates(as_of)


def caseload_summary() -> Callable[[], Any]:
    """Return the caseloads on the report's as-at date, whole council, to time."""
    from workforce.selectors.caseloads import caseloads_on

    as_of, _ = _report_dates()

    def run() -> Any:
        snapshot = caseloads_on(as_of)
        if not snapshot.total.holders:
            raise RuntimeError("no caseloads: generate the workforce with this version (scale.caseloads)")
        return snapshot

    return run


def caseload_section() -> Callable[[], Any]:
    """Return the committee report's caseloads section (with its comparators), to time."""
    from reporting.caseload_section import caseload_section as build_section
    from reporting.caseload_section import comparators
    from workforce.scopes import Scope

    as_of, comparison = _report_dates()
    dates = tuple(sorted({*comparison, as_of}))
    baseline = dates[0] if len(dates) > 1 else None

    def run() -> Any:
        return build_section(
            as_of=as_of, dates=dates, baseline=baseline, scope=Scope.everything(), found=comparators(as_of)
        )

    return run
