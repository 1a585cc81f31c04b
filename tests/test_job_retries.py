"""An export interrupted by its worker stopping (a restart, a crash) is started again, once,
and finishes; a second interruption fails it with a message to its owner. Work that
changes records (an import) is never run twice. Every test runs the real queue and its
worker (``tests/queue.py``)."""

from __future__ import annotations

import datetime as dt
import io
import socket
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from jobs import work as jobs
from jobs.models import Job, JobFile, JobKind, JobStatus
from reporting.models import ExportLog
from tests import factories
from tests.test_progress import published  # noqa: F401 - a published report (a fixture)

pytestmark = [pytest.mark.queue, pytest.mark.django_db]


def _gone_worker() -> str:
    """Return host:pid of a process on this machine that has ended."""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return f"{socket.gethostname()}:{int(ended.stdout)}"


def _killed_mid_way(job: Job, queue) -> None:
    """Leave ``job`` as a worker killed while running it would: taken, its task gone from the
    queue, its process ended."""
    queue.commit()
    queue.drop()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, step="Laying out", progress=20, worker=_gone_worker()
    )


def test_an_export_whose_worker_was_killed_is_started_again_and_finishes(client, published, queue):  # noqa: F811
    from pages.exports import EXPORT_RETRIES, start_export

    director = factories.user("dir", "director", email="dir@example.org")
    job = start_export(report=published, identifier="json", user=director)
    assert (job.task_path, job.retries_left, EXPORT_RETRIES) == ("pages.exports.export_report", 1, 1)
    _killed_mid_way(job, queue)

    call_command("run_worker", batch=True, stdout=io.StringIO())  # a new worker sweeps first
    job.refresh_from_db()
    assert (job.status, job.step, job.worker, job.retries_left) == (
        JobStatus.QUEUED,
        jobs.STARTED_AGAIN,
        "",
        0,
    )
    client.force_login(director)
    page = client.get(job.get_absolute_url()).content.decode()
    assert jobs.STARTED_AGAIN in page and 'http-equiv="refresh"' in page  # still being worked on

    queue.run()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.DONE, "")
    assert JobFile.objects.filter(job=job, role="result").count() == 1
    assert ExportLog.objects.count() == 1
    assert [email.subject for email in mail.outbox] == ["Social work workforce: Your export is ready"]


def test_an_export_silent_on_another_machine_is_started_again_from_its_page(client, published, queue):  # noqa: F811
    from pages.exports import start_export

    director = factories.user("dir", "director")
    job = start_export(report=published, identifier="json", user=director)
    queue.commit()
    queue.drop()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker="elsewhere:123", updated_at=timezone.now() - dt.timedelta(minutes=16)
    )
    client.force_login(director)
    assert jobs.STARTED_AGAIN in client.get(job.get_absolute_url()).content.decode()
    queue.run()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_an_export_interrupted_twice_fails_with_a_message_to_its_owner(published, queue):  # noqa: F811
    from pages.exports import start_export

    director = factories.user("dir", "director", email="dir@example.org")
    job = start_export(report=published, identifier="json", user=director)
    _killed_mid_way(job, queue)
    jobs.sweep()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    _killed_mid_way(job, queue)
    jobs.sweep()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, jobs.INTERRUPTED[JobKind.EXPORT])
    queue.run()
    assert ExportLog.objects.count() == 0
    (email,) = mail.outbox
    assert (
        email.subject == "Social work workforce: Your export did not finish"
        and "Start it again." in email.body
    )


def test_an_import_is_never_started_again(queue):
    from dataio.background import start_import
    from dataio.importing.engine import Source

    owner = factories.user("hr1", "hr", email="hr1@example.org")
    job = start_import(sources=[Source("posts.csv", b"post_id\n")], dry_run=False, user=owner, channel="web")
    assert (job.task_path, job.retries_left) == ("", 0)
    _killed_mid_way(job, queue)
    jobs.sweep()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, jobs.INTERRUPTED[JobKind.IMPORT])
