"""Importing a large extract in the background, from the admin's import page.

A small upload is checked (and imported) within the request, as before; a large one
(``in_background``) runs as a job on the task queue, so HR see its progress rather than a
page that seems frozen. The upload is kept with the job in the database until the worker
has read it. The job runs the same ``run_import`` and logs the same ``ImportRun``; its
result is the import report, kept as JSON and laid out on the job's page like the admin's
preview, with the confirmation button when the check was clean.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.urls import reverse

from dataio.importing.engine import Source, run_import
from dataio.importing.reading import count_file_rows
from dataio.importing.report import FileReport, ImportReport, Problem, RowOutcome, TextSeen
from dataio.services import record_import_run
from jobs.models import Job, JobKind
from jobs.queue import task
from jobs.work import Outcome, Progress, input_files, run_job, start_job

BACKGROUND_BYTES = 256 * 1024
BACKGROUND_ROWS = 5000


def in_background(sources: list[Source]) -> bool:
    """Return whether an upload of ``sources`` is large enough to import in the background.

    The settings ``JOBS_IMPORT_BACKGROUND_BYTES`` and ``JOBS_IMPORT_BACKGROUND_ROWS`` decide; by
    default 256 KiB or 5,000 rows. On SQLite,
    which lets one connection write at a time, the job's page reads without writing (it
    does not save the session) and other requests wait their turn (see the settings).
    """
    limit = getattr(settings, "JOBS_IMPORT_BACKGROUND_BYTES", None)
    if limit is None:
        limit = BACKGROUND_BYTES
    if sum(len(source.content) for source in sources) >= int(limit):
        return True
    # A small file may hold many rows (a workbook compresses them): counted, cheaply, too.
    rows = int(getattr(settings, "JOBS_IMPORT_BACKGROUND_ROWS", BACKGROUND_ROWS))
    return sum(count_file_rows(source.content, stop_after=rows) for source in sources) >= rows


def report_data(report: ImportReport) -> dict[str, Any]:
    """Return ``report`` as plain JSON-ready data."""
    return asdict(report)


def report_from_data(data: dict[str, Any]) -> ImportReport:
    """Return the ``ImportReport`` that ``report_data`` wrote."""
    return ImportReport(
        dry_run=data["dry_run"],
        files=[
            FileReport(
                name=file["name"],
                kind=file["kind"],
                notes=list(file["notes"]),
                outcomes=[
                    RowOutcome(
                        row=outcome["row"],
                        reference=outcome["reference"],
                        action=outcome["action"],
                        changes=tuple(outcome["changes"]),
                    )
                    for outcome in file["outcomes"]
                ],
                text_seen=[TextSeen(**seen) for seen in file.get("text_seen", [])],
                text_seen_more=file.get("text_seen_more", 0),
            )
            for file in data["files"]
        ],
        problems=[Problem(**problem) for problem in data["problems"]],
        applied=data["applied"],
        rows_checked=data["rows_checked"],
        problem_count=data.get("problem_count", 0),
        first_unlisted=Problem(**data["first_unlisted"]) if data.get("first_unlisted") else None,
    )


def import_work(job: Job, progress: Progress) -> Outcome:
    """Check (a dry run) or import the files the job was given, for its owner."""
    sources = [Source(name=name, content=content) for name, content in input_files(job)]
    dry_run = bool(job.details.get("dry_run"))
    count = len(sources)
    rows = "Checking" if dry_run else "Importing"
    progress(None, f"{rows} every row of {count} file{'s' if count != 1 else ''}, all or nothing")
    report = run_import(sources, dry_run=dry_run, user=job.owner)
    record_import_run(report=report, user=job.owner, channel=job.details.get("channel", ""))
    progress(None, "Writing up what was found")
    return Outcome(
        name="import-report.json",
        content_type="application/json",
        content=json.dumps(report_data(report)).encode(),
        details={"summary": report.summary(), "ok": report.ok},
    )


@task()
def import_extract(job_id: str) -> None:
    """Run the import job ``job_id`` (queued by ``start_import``)."""
    run_job(job_id, import_work)


def start_import(
    *, sources: list[Source], dry_run: bool, user: Any, channel: str, token: str | None = None
) -> Job:
    """Start checking (``dry_run``) or importing ``sources`` for ``user``; return the job to watch.

    ``token`` names the kept upload a clean check may then confirm.
    """
    names = ", ".join(source.name for source in sources)
    return start_job(
        owner=user,
        kind=JobKind.IMPORT,
        title=f"{'Check' if dry_run else 'Import'} of {names}",
        task=import_extract,
        back_url=reverse("admin:dataio_importrun_changelist"),
        details={"dry_run": dry_run, "token": token or "", "channel": channel},
        inputs=[(source.name, source.content) for source in sources],
    )


def job_report(job: Job, content: bytes | None) -> ImportReport | None:
    """Return the import report an import job produced, if it is still kept."""
    if job.kind != JobKind.IMPORT or content is None:
        return None
    return report_from_data(json.loads(content))
