"""Exporting a committee report in the background: the PDF or Word paper takes a while to lay out."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from foundation.dates import long_date
from jobs.models import Job, JobKind
from jobs.queue import task
from jobs.work import JobFailed, Outcome, Progress, run_job, start_job
from reporting.exporters import EXPORTERS
from reporting.models import CommitteeReport
from reporting.views import render_export

# An export changes nothing, so one interrupted by its worker stopping (a restart, a crash)
# is started again, once: a second interruption is more likely the export's own fault.
EXPORT_RETRIES = 1


def export_work(job: Job, progress: Progress) -> Outcome:
    """Export the report named in ``job.details`` in its format, for the job's owner."""
    identifier = job.details["identifier"]
    report = CommitteeReport.objects.filter(pk=job.details["report_id"]).first()
    if report is None:
        raise JobFailed("The report was deleted before it could be exported.")
    progress(20, f"Gathering the figures and laying out the {EXPORTERS[identifier].verbose_name}")
    filename, content_type, content = render_export(report, identifier, user=job.owner, via="web")
    progress(95, "Keeping the file for you to download")
    return Outcome(name=filename, content_type=content_type, content=content)


@task()
def export_report(job_id: str) -> None:
    """Run the export job ``job_id`` (queued by ``start_export``)."""
    run_job(job_id, export_work)


def start_export(*, report: CommitteeReport, identifier: str, user: Any) -> Job:
    """Start exporting ``report`` as ``identifier`` for ``user``; return the job to watch."""
    exporter = EXPORTERS[identifier]
    return start_job(
        owner=user,
        kind=JobKind.EXPORT,
        title=(
            f"{exporter.verbose_name} of the {report.committee} paper (figures at {long_date(report.as_at)})"
        ),
        task=export_report,
        back_url=reverse("reporting:report", args=[report.pk]),
        details={"report_id": report.pk, "identifier": identifier},
        retries=EXPORT_RETRIES,
    )
