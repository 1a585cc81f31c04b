"""The reporting app's background work: a draft's figures built after the records change."""

from __future__ import annotations

from jobs.queue import task


@task()
def rebuild_draft_figures(report_id: int) -> None:
    """Build and keep a draft report's figures from the records as they are now, unless they
    are kept already (``reporting.selectors.kept_live_summary``). Safe to run any number of
    times; a report published or deleted meanwhile is left alone."""
    from reporting.models import CommitteeReport
    from reporting.selectors import kept_live_summary

    report = CommitteeReport.objects.filter(pk=report_id).first()
    if report is not None and not report.is_published:
        kept_live_summary(report)
