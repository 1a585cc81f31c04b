"""Writes of the data-in app: the log of imports."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dataio.importing.report import CREATED, UNCHANGED, UPDATED, ImportReport
from dataio.models import ImportOutcome, ImportRun

LOGGED_PROBLEMS = 200


@transaction.atomic
def record_import_run(*, report: ImportReport, user: Any, channel: str) -> ImportRun:
    """Log what ``report`` says an import did, with who ran it (``user`` None: the command line)."""
    if not report.ok:
        outcome = ImportOutcome.REJECTED
    elif report.applied:
        outcome = ImportOutcome.APPLIED
    else:
        outcome = ImportOutcome.CHECKED
    totals = report.totals
    run = ImportRun(
        user=user if getattr(user, "is_authenticated", False) else None,
        channel=channel,
        outcome=outcome,
        files=[{"name": file.name, "kind": file.kind, **file.counts} for file in report.files],
        created=totals[CREATED],
        updated=totals[UPDATED],
        unchanged=totals[UNCHANGED],
        problem_count=report.problem_count,
        problems="\n".join(
            [str(problem) for problem in report.problems[:LOGGED_PROBLEMS]]
            + ([report.more_problems()] if report.unlisted else [])
        ),
    )
    run.full_clean()
    run.save()
    return run
