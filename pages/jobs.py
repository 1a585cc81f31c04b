"""Run long-running work in the background and keep its progress and result.

``start_job`` records a ``Job`` and runs its work in a thread of the web process once
the request's transaction commits (no queue or extra service to run); the job's page
refreshes itself until the work is done, then offers the result, to its owner only.
With the setting ``JOBS_RUN_INLINE`` the work runs at once, inside the request (the
tests use this). A job whose thread died with the process (a restart) stops updating;
after ``JOBS_STALE_AFTER_SECONDS`` it is shown as stopped, so nobody waits forever.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from pages.models import Job, JobStatus

logger = logging.getLogger(__name__)

KEEP_RESULTS_SECONDS = 24 * 60 * 60
STALE_AFTER_SECONDS = 15 * 60
STOPPED = (
    "This stopped without finishing, probably because the server restarted. Nothing was "
    "saved by it; start it again."
)


class JobFailed(Exception):
    """Raised by work that cannot go on, with a message for the person who started it."""


@dataclass(frozen=True)
class Outcome:
    """What a piece of work produced: a file to download (or to lay out on the job's page)."""

    name: str
    content_type: str
    content: bytes
    details: dict[str, Any] | None = None


Progress = Callable[[int | None, str], None]
Work = Callable[[Progress], Outcome]


def run_inline() -> bool:
    """Return whether work runs inside the request instead of a background thread."""
    return bool(getattr(settings, "JOBS_RUN_INLINE", False))


def results_folder() -> Path:
    """Return the private folder that keeps jobs' results (created on first use)."""
    root = Path(getattr(settings, "JOBS_ROOT", "") or Path(tempfile.gettempdir()) / "workforce-jobs")
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def sweep(*, now: float | None = None) -> None:
    """Delete results older than a day: exports hold figures and imports personal data."""
    limit = (now or time.time()) - KEEP_RESULTS_SECONDS
    for path in results_folder().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            continue


def _update(job_id: Any, **fields: Any) -> None:
    # ``update`` rather than ``save``: progress ticks are not changes worth keeping in history.
    Job.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


def plain_message(error: BaseException) -> str:
    """Return what to tell the person who started the work about ``error``."""
    if isinstance(error, JobFailed):
        return str(error)
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return (
        f"Something went wrong ({type(error).__name__}) and nothing was produced. The error has "
        "been logged; try again, and tell your administrator if it happens again."
    )


def run_job(job_id: Any, work: Work) -> None:
    """Run ``work`` for the job, recording its progress, its result file or its failure."""
    _update(job_id, status=JobStatus.RUNNING, step="Starting")

    def progress(percent: int | None, step: str) -> None:
        fields: dict[str, Any] = {"step": step[:200]}
        if percent is not None:
            fields["progress"] = max(0, min(99, int(percent)))
        _update(job_id, **fields)

    try:
        outcome = work(progress)
        path = results_folder() / str(job_id)
        path.write_bytes(outcome.content)
        path.chmod(0o600)
        fields: dict[str, Any] = {}
        if outcome.details is not None:
            started_with = Job.objects.filter(pk=job_id).values_list("details", flat=True).first() or {}
            fields["details"] = {**started_with, **outcome.details}
        _update(
            job_id,
            status=JobStatus.DONE,
            progress=100,
            step="Done",
            result_path=str(path),
            result_name=outcome.name,
            result_type=outcome.content_type,
            finished_at=timezone.now(),
            **fields,
        )
    except Exception as error:  # noqa: BLE001 - every failure is reported on the job's page
        logger.exception("Job %s failed", job_id)
        _update(job_id, status=JobStatus.FAILED, error=plain_message(error), finished_at=timezone.now())


def _run_in_thread(job_id: Any, work: Work) -> None:
    close_old_connections()
    try:
        run_job(job_id, work)
    finally:
        connections.close_all()


def start_job(
    *,
    owner: Any,
    kind: str,
    title: str,
    work: Work,
    back_url: str = "",
    details: dict[str, Any] | None = None,
) -> Job:
    """Record a job for ``owner`` and start ``work`` in the background; return the job."""
    sweep()
    job = Job(owner=owner, kind=kind, title=title[:200], back_url=back_url, details=details or {})
    job.full_clean()
    job.save()
    if run_inline():
        run_job(job.pk, work)
        job.refresh_from_db()
    else:
        thread = threading.Thread(
            target=_run_in_thread, args=(job.pk, work), name=f"job-{job.pk}", daemon=True
        )
        transaction.on_commit(thread.start)
    return job


def is_stale(job: Job, *, now: dt.datetime | None = None) -> bool:
    """Return whether an unfinished job has stopped reporting (its thread is gone)."""
    limit = int(getattr(settings, "JOBS_STALE_AFTER_SECONDS", STALE_AFTER_SECONDS))
    return not job.finished and ((now or timezone.now()) - job.updated_at).total_seconds() > limit


def result_bytes(job: Job) -> bytes | None:
    """Return the job's result, or None if it is not (or no longer) kept."""
    if job.status != JobStatus.DONE or not job.result_path:
        return None
    path = Path(job.result_path)
    if path.parent != results_folder():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None
