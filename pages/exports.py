"""Exporting a committee report in the background: the PDF or Word paper takes a while to lay out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from foundation.dates import long_date
from pages.jobs import Outcome, Progress, Work, start_job
from pages.models import Job, JobKind
from reporting.exporters import EXPORTERS
from reporting.models import CommitteeReport
from reporting.views import render_export


def export_work(*, report_id: int, identifier: str, user_id: int) -> Work:
    """Return the work of exporting report ``report_id`` as ``identifier`` for user ``user_id``."""

    def work(progress: Progress) -> Outcome:
        report = CommitteeReport.objects.get(pk=report_id)
        user = get_user_model().objects.get(pk=user_id)
        progress(20, f"Gathering the figures and laying out the {EXPORTERS[identifier].verbose_name}")
        filename, content_type, content = render_export(report, identifier, user=user, via="web")
        progress(95, "Keeping the file for you to download")
        return Outcome(name=filename, content_type=content_type, content=content)

    return work


def start_export(*, report: CommitteeReport, identifier: str, user: Any) -> Job:
    """Start exporting ``report`` as ``identifier`` for ``user``; return the job to watch."""
    exporter = EXPORTERS[identifier]
    return start_job(
        owner=user,
        kind=JobKind.EXPORT,
        title=(
            f"{exporter.verbose_name} of the {report.committee} paper "
            f"(figures at {long_date(report.as_at)})"
        ),
        work=export_work(report_id=report.pk, identifier=identifier, user_id=user.pk),
        back_url=reverse("reporting:report", args=[report.pk]),
    )
