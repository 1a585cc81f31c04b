"""Telling directors by email when a committee report is published.

The publish service (``reporting.services.publish_report``) sends ``report_published``;
this receiver queues ``email_report_published`` once the publication commits, and the
task emails each director who has not turned these emails off, once each.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from access.roles import DIRECTOR
from jobs.queue import enqueue_after_commit, task
from notices.email import link, send_notice, users_in_group
from notices.kinds import Kind
from reporting.models import CommitteeReport, ReportStatus


@task()
def email_report_published(report_id: int) -> int:
    """Email the directors that report ``report_id`` is published; return how many were sent."""
    report = CommitteeReport.objects.filter(pk=report_id, status=ReportStatus.PUBLISHED).first()
    if report is None:
        return 0
    context = {"report": report, "url": link(reverse("reporting:report", args=[report.pk]))}
    meeting = f"{report.meeting_date.day} {report.meeting_date:%B %Y}"
    return sum(
        send_notice(
            kind=Kind.REPORTS,
            key=f"report:{report.pk}:{report.published_at:%Y%m%d%H%M%S}",
            user=director,
            subject=f"Committee report published: {report.committee}, {meeting}",
            template="reporting/email/published.txt",
            context=context,
        )
        for director in users_in_group(DIRECTOR)
    )


def on_report_published(sender: Any, report: CommitteeReport, **kwargs: Any) -> None:
    """Queue the directors' email once the publication commits (nothing if it rolls back)."""
    enqueue_after_commit(email_report_published, report.pk)


def connect() -> None:
    """Listen for publications."""
    from reporting.signals import report_published

    report_published.connect(on_report_published, dispatch_uid="pages.report_notices")
