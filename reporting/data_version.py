"""Which version of the records the figures are built from, read in one cheap query
(``jobs.cache.records_version`` over every app a figure reads).

The home dashboard keys its cached committee summary on this value, and a draft report its
kept figures (``reporting.selectors.kept_live_summary``).
"""

from __future__ import annotations

from jobs.cache import records_version

APPS = ("workforce", "recruitment", "leavers", "planning", "reporting")  # planning: the forecast section
# Recorded models no figure reads: the log of exports gains a row with every export, and
# counting it made every export put every kept summary (the dashboard's, a draft report's)
# out of date (docs/performance.md, "Under load").
NOT_READ_BY_FIGURES = {"reporting.exportlog"}


def data_version() -> str:
    """Return a short text that changes whenever any record the figures use changes (one query)."""
    return records_version(APPS, leave_out=NOT_READ_BY_FIGURES)
