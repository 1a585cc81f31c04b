"""Run long-running work through the task queue and keep its progress and its result.

``start_job`` records a ``Job`` (with the files it works on) and queues a task that takes
the job's id once the record is saved; the task worker (``manage.py run_worker``) runs it
with ``run_job``, which records each step of progress, then the result file or the
failure. The job's page refreshes itself until the work is done, then offers the result,
to its owner only, for a day. The owner is emailed when it ends.

A job whose worker stopped (a restart, a crash) stops reporting progress. ``sweep`` finds
it at once when the worker was on this machine and its process is gone, otherwise once it
has been silent for ``JOBS_STALE_AFTER_SECONDS``. Work that changes nothing (an export) is
started again, ``retries`` times at most, and its owner sees it waiting again; any other
(an import, whose upload is not kept) or work out of retries is marked failed with a message
to its owner, who is emailed too. The sweep runs when a worker starts, on every job's page
and whenever a job is started, so a job is never shown as running for ever.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import FileRole, Job, JobFile, JobKind, JobStatus
from jobs.queue import enqueue_after_commit

logger = logging.getLogger(__name__)

KEEP_RESULTS = dt.timedelta(days=1)
STALE_AFTER_SECONDS = 15 * 60
INTERRUPTED = {
    JobKind.EXPORT: (
        "The export was interrupted (the server running it stopped) and no file was made. Start it again."
    ),
    JobKind.IMPORT: (
        "The import was interrupted (the server running it stopped). Nothing was changed: imports are "
        "all or nothing. Upload the files again."
    ),
}
STARTED_AGAIN = "Started again: the server running it stopped before it finished"
NOT_QUEUED = (
    "This could not be started: the task queue did not answer. Nothing was done; try again in a "
    "minute, and tell your administrator if it happens again."
)
NEVER_STARTED = (
    "This never started: no task worker took it within a day. Start it again, and tell your "
    "administrator that the task worker (manage.py run_worker) is not running."
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
Work = Callable[[Job, Progress], Outcome]


def this_worker() -> str:
    """Return how a job names the process running it: ``host:process id``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _update(job_id: Any, **fields: Any) -> int:
    # ``update`` rather than ``save``: progress ticks are not changes worth keeping in history.
    return Job.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


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


def _queue(queued: Any, job_id: str) -> None:
    try:
        result = queued.enqueue(job_id)
    except Exception:  # noqa: BLE001 - the queue unreachable: say so on the job's page
        logger.exception("Could not queue job %s", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=NOT_QUEUED, finished_at=timezone.now(), updated_at=timezone.now()
        )
        JobFile.objects.filter(job_id=job_id, role=FileRole.INPUT).delete()
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def start_job(
    *,
    owner: Any,
    kind: str,
    title: str,
    task: Any,
    back_url: str = "",
    details: dict[str, Any] | None = None,
    inputs: Iterable[tuple[str, bytes]] = (),
    retries: int = 0,
) -> Job:
    """Record a job for ``owner`` with its ``inputs`` (name, bytes) and queue ``task``, which
    takes the job's id, to run once the record is saved; return the job.

    ``retries``: how many times the work is started again if its worker stops mid-way. Only
    for work that changes nothing and keeps no input (a job's inputs go when it is taken)."""
    sweep()
    with transaction.atomic():
        job = Job(
            owner=owner,
            kind=kind,
            title=title[:200],
            back_url=back_url,
            details=details or {},
            task_path=task.module_path if retries else "",
            retries_left=retries,
        )
        job.full_clean()
        job.save()
        JobFile.objects.bulk_create(
            JobFile(job=job, role=FileRole.INPUT, position=position, name=name[:200], content=content)
            for position, (name, content) in enumerate(inputs)
        )
        transaction.on_commit(lambda: _queue(task, str(job.pk)))
    return job


def input_files(job: Job) -> list[tuple[str, bytes]]:
    """Return the files ``job`` was given, as (name, bytes), in the order given."""
    files = JobFile.objects.filter(job=job, role=FileRole.INPUT).values_list("name", "content")
    return [(name, bytes(content)) for name, content in files]


def run_job(job_id: Any, work: Work) -> None:
    """Run ``work`` for the job, recording its progress, its result file or its failure.

    Safe to run twice: only a job still waiting is taken, so a task delivered again (or a
    job already marked as interrupted) does nothing.
    """
    taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, step="Starting", worker=this_worker()[:200], updated_at=timezone.now()
    )
    if not taken:
        logger.info("Job %s is not waiting to start (taken, finished or gone): nothing to do", job_id)
        return
    job = Job.objects.select_related("owner").get(pk=job_id)

    def progress(percent: int | None, step: str) -> None:
        fields: dict[str, Any] = {"step": step[:200]}
        if percent is not None:
            fields["progress"] = max(0, min(99, int(percent)))
        # A job marked as interrupted meanwhile stays so: its owner has been told.
        if not Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            updated_at=timezone.now(), **fields
        ):
            raise JobFailed(INTERRUPTED.get(job.kind, NEVER_STARTED))

    try:
        outcome = work(job, progress)
        fields: dict[str, Any] = {}
        if outcome.details is not None:
            fields["details"] = {**job.details, **outcome.details}
        with transaction.atomic():
            JobFile.objects.create(
                job_id=job_id,
                role=FileRole.RESULT,
                name=outcome.name[:200],
                content_type=outcome.content_type[:100],
                content=outcome.content,
            )
            finished = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                status=JobStatus.DONE,
                progress=100,
                step="Done",
                result_name=outcome.name[:200],
                result_type=outcome.content_type[:100],
                updated_at=timezone.now(),
                finished_at=timezone.now(),
                **fields,
            )
            if not finished:
                raise JobFailed(INTERRUPTED.get(job.kind, NEVER_STARTED))
    except Exception as error:  # noqa: BLE001 - every failure is reported on the job's page
        logger.exception("Job %s failed", job_id)
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED,
            error=plain_message(error),
            updated_at=timezone.now(),
            finished_at=timezone.now(),
        )
    finally:
        # The upload is personal data: kept only while the work needs it.
        JobFile.objects.filter(job_id=job_id, role=FileRole.INPUT).delete()
    tell_owner(str(job_id))


def tell_owner(job_id: str) -> None:
    """Queue the email telling a job's owner that it finished (or failed)."""
    from jobs.tasks import email_job_outcome

    enqueue_after_commit(email_job_outcome, job_id)


def _worker_gone(worker: str) -> bool:
    """Return whether ``worker`` (host:pid) ran on this machine and its process has ended."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's process
        return False
    return False


def stale_after() -> dt.timedelta:
    """Return how long a running job may go without reporting before it counts as interrupted."""
    return dt.timedelta(seconds=int(getattr(settings, "JOBS_STALE_AFTER_SECONDS", STALE_AFTER_SECONDS)))


def sweep(*, now: dt.datetime | None = None) -> list[str]:
    """Mark interrupted jobs as failed and queue an email to each owner; delete results kept
    longer than a day. Return the ids of the jobs marked.

    Two queries when nothing is running: one delete, one read of the running jobs.
    """
    now = now or timezone.now()
    JobFile.objects.filter(created_at__lt=now - KEEP_RESULTS).delete()
    silent_since = now - stale_after()
    marked: list[str] = []
    unfinished = Job.objects.filter(status__in=[JobStatus.RUNNING, JobStatus.QUEUED]).values_list(
        "pk", "kind", "status", "worker", "updated_at", "created_at", "task_path", "retries_left"
    )
    for pk, kind, status, worker, updated_at, created_at, task_path, retries_left in unfinished:
        if status == JobStatus.RUNNING and (updated_at < silent_since or _worker_gone(worker)):
            message = INTERRUPTED.get(kind, NEVER_STARTED)
        elif status == JobStatus.QUEUED and created_at < now - KEEP_RESULTS:
            message = NEVER_STARTED
        else:
            continue
        # Only if nothing moved it since it was read: a worker may have just reported.
        if (
            status == JobStatus.RUNNING
            and retries_left
            and task_path
            and _start_again(pk, task_path, updated_at, now)
        ):
            continue
        if Job.objects.filter(pk=pk, status=status, updated_at=updated_at).update(
            status=JobStatus.FAILED, error=message, finished_at=now, updated_at=now
        ):
            logger.warning("Job %s was interrupted (worker %s); its owner will be told", pk, worker or "none")
            JobFile.objects.filter(job_id=pk, role=FileRole.INPUT).delete()
            marked.append(str(pk))
            tell_owner(str(pk))
    return marked


def _start_again(pk: Any, task_path: str, updated_at: dt.datetime, now: dt.datetime) -> bool:
    """Queue an interrupted job's task (``task_path``) again, the job still as it was read;
    return whether it was. One query."""
    try:
        task = import_string(task_path)
    except ImportError:
        logger.exception("Job %s cannot be started again: its task %s is gone", pk, task_path)
        return False
    with transaction.atomic():
        taken = Job.objects.filter(
            pk=pk, status=JobStatus.RUNNING, updated_at=updated_at, retries_left__gt=0
        ).update(
            status=JobStatus.QUEUED,
            progress=0,
            step=STARTED_AGAIN,
            worker="",
            retries_left=F("retries_left") - 1,
            updated_at=now,
        )
        if taken:
            logger.warning("Job %s was interrupted; it is queued again", pk)
            transaction.on_commit(lambda: _queue(task, str(pk)))
    return bool(taken)


def waiting_too_long(job: Job, *, now: dt.datetime | None = None) -> bool:
    """Return whether a job has waited for a worker longer than a running job may stay silent."""
    return job.status == JobStatus.QUEUED and ((now or timezone.now()) - job.created_at) > stale_after()


def result_bytes(job: Job) -> bytes | None:
    """Return the job's result, or None if it is not (or no longer) kept."""
    if job.status != JobStatus.DONE:
        return None
    content = (
        JobFile.objects.filter(job=job, role=FileRole.RESULT, created_at__gte=timezone.now() - KEEP_RESULTS)
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)


def result_kept(job: Job) -> bool:
    """Return whether the job's result can still be downloaded (one query)."""
    return (
        job.status == JobStatus.DONE
        and JobFile.objects.filter(
            job=job, role=FileRole.RESULT, created_at__gte=timezone.now() - KEEP_RESULTS
        ).exists()
    )
