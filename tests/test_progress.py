"""Long-running work shows its progress: exporting a committee report and importing a large
extract run as jobs on the task queue, whose page refreshes itself until the result is
ready for its owner. Every test here runs the real queue (the database backend, or Redis
with REDIS_URL) and its worker (``tests/queue.py``)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dataio.models import ImportOutcome, ImportRun
from jobs import work as jobs
from jobs.models import Job, JobFile, JobKind, JobStatus
from jobs.queue import task
from reporting import services
from reporting.models import ExportLog
from tests import factories
from tests import factories_reporting as fr
from workforce.models import Post, Team

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
UPLOAD = reverse("admin:dataio_importrun_upload")

pytestmark = pytest.mark.queue


@pytest.fixture
def published(worked_example, queue):
    report = fr.report()
    services.publish_report(report=report, user=None)
    queue.run()  # the directors' email about it (there are none yet)
    return report


def login(client, username: str, group: str, **kwargs):
    user = factories.user(username, group, **kwargs)
    client.force_login(user)
    return user


def export_url(report, identifier: str) -> str:
    return reverse("pages:export_report", args=[report.pk, identifier])


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def refuses(job, progress):
    raise jobs.JobFailed("The report was deleted while it was being exported.")


def breaks(job, progress):
    progress(30, "Half way")
    return {}["missing"]


@task()
def refusing_task(job_id: str) -> None:
    jobs.run_job(job_id, refuses)


@task()
def breaking_task(job_id: str) -> None:
    jobs.run_job(job_id, breaks)


# --- Exporting a committee report -----------------------------------------------------------


@pytest.mark.django_db
def test_director_exports_a_pdf_through_the_queue_and_downloads_it_when_ready(client, published, queue):
    director = login(client, "dir", "director", email="dir@example.org")
    response = client.post(export_url(published, "pdf"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pages:job", args=[job.pk])
    assert (job.owner, job.kind, job.status) == (director, JobKind.EXPORT, JobStatus.QUEUED)
    waiting = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "Waiting to start" in waiting

    assert queue.run() == 2  # the export, then the email telling its owner
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100) and job.task_id and job.worker

    page = client.get(response["Location"]).content.decode()
    assert "Your file is ready" in page and 'http-equiv="refresh"' not in page
    download = reverse("pages:job_download", args=[job.pk])
    assert f'href="{download}"' in page

    file = client.get(download)
    assert file["Content-Disposition"] == 'attachment; filename="committee-report-2019-06-30.pdf"'
    assert file["Content-Type"] == "application/pdf"
    assert "42.2% (1.9)" in pdf_text(b"".join(file.streaming_content))
    entry = ExportLog.objects.get()
    assert (entry.format, entry.report, entry.via, entry.user) == ("pdf", published, "web", director)
    (email,) = mail.outbox
    assert email.to == ["dir@example.org"] and email.subject == "Social work workforce: Your export is ready"
    assert f"https://workforce.example.gov.uk/jobs/{job.pk}/" in email.body and "%PDF" not in email.body


@pytest.mark.django_db
def test_only_the_person_who_started_a_job_sees_it_or_its_file(client, published, queue):
    login(client, "dir", "director")
    client.post(export_url(published, "json"))
    queue.run()
    job = Job.objects.get()
    assert client.get(reverse("pages:job_download", args=[job.pk])).status_code == 200
    other = factories.user("dir2", "director")
    client.force_login(other)
    assert client.get(reverse("pages:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("pages:job_download", args=[job.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("pages:job", args=[job.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["hr", "manager", "reader"])
def test_only_directors_start_exports_and_only_by_post(client, published, group):
    login(client, f"{group}1", group)
    assert client.post(export_url(published, "pdf")).status_code == 403
    login(client, "dir", "director")
    assert client.get(export_url(published, "pdf")).status_code == 405
    assert client.post(export_url(published, "odt")).status_code == 404
    assert not Job.objects.exists() and not ExportLog.objects.exists()


@pytest.mark.django_db
def test_the_reports_page_offers_every_export_as_a_button(client, published):
    login(client, "dir", "director")
    page = client.get(reverse("reporting:report", args=[published.pk])).content.decode()
    for identifier in ("pdf", "docx", "xlsx", "csv", "json", "html"):
        assert f'action="{export_url(published, identifier)}"' in page
    assert page.count('name="csrfmiddlewaretoken"') >= 7  # six exports and the sign-out


# --- Progress and failure --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_running_job_refreshes_itself_and_says_what_it_is_doing(client):
    owner = login(client, "dir", "director")
    job = Job.objects.create(
        owner=owner,
        kind=JobKind.EXPORT,
        title="PDF of the paper",
        status=JobStatus.RUNNING,
        progress=40,
        step="Gathering the figures and laying out the PDF",
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Gathering the figures and laying out the PDF…" in page
    assert '<progress class="app-progress" max="100" value="40">' in page and "40% done" in page
    assert client.get(reverse("pages:job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_work_that_fails_says_why_plainly_stops_refreshing_and_tells_its_owner(client, queue):
    owner = login(client, "dir", "director", email="dir@example.org")
    refused = jobs.start_job(
        owner=owner, kind=JobKind.EXPORT, title="Refused", task=refusing_task, back_url="/reports/"
    )
    broken = jobs.start_job(owner=owner, kind=JobKind.EXPORT, title="Broken", task=breaking_task)
    queue.run()
    refused.refresh_from_db()
    broken.refresh_from_db()
    assert (refused.status, broken.status) == (JobStatus.FAILED, JobStatus.FAILED)
    page = client.get(refused.get_absolute_url()).content.decode()
    assert "This did not finish" in page and "The report was deleted while it was being exported." in page
    assert 'http-equiv="refresh"' not in page and 'href="/reports/"' in page
    assert (
        "Something went wrong (KeyError) and nothing was produced."
        in client.get(broken.get_absolute_url()).content.decode()
    )
    subjects = [email.subject for email in mail.outbox]
    assert subjects == ["Social work workforce: Your export did not finish"] * 2
    assert any("The report was deleted while it was being exported." in email.body for email in mail.outbox)


@pytest.mark.django_db
def test_a_job_whose_worker_went_silent_is_marked_interrupted_and_its_owner_told(client, queue):
    """A worker on another machine that stopped: its job stops reporting progress, and after
    JOBS_STALE_AFTER_SECONDS the job's page shows it as interrupted, never running for ever."""
    owner = login(client, "dir", "director", email="dir@example.org")
    job = Job.objects.create(
        owner=owner, kind=JobKind.EXPORT, title="PDF", status=JobStatus.RUNNING, worker="elsewhere:123"
    )
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=14))
    assert 'http-equiv="refresh"' in client.get(job.get_absolute_url()).content.decode()  # still within
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=16))
    page = client.get(job.get_absolute_url()).content.decode()
    assert jobs.INTERRUPTED[JobKind.EXPORT] in page and 'http-equiv="refresh"' not in page
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, jobs.INTERRUPTED[JobKind.EXPORT])
    queue.run()
    (email,) = mail.outbox
    assert email.subject == "Social work workforce: Your export did not finish"
    assert "The export was interrupted" in email.body and "Start it again." in email.body


def _ended_process_id() -> int:
    import subprocess
    import sys

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return int(finished.stdout)


@pytest.mark.django_db
def test_a_job_whose_worker_process_is_gone_on_this_machine_is_marked_at_once(client, queue):
    """A worker killed mid-way (``kill -9``, a restart) on this machine: its job is marked as
    interrupted at once, by the next worker to start or the next view of the job's page."""
    import socket

    from django.core.management import call_command

    owner = factories.user("hr1", "hr", email="hr1@example.org")
    gone = f"{socket.gethostname()}:{_ended_process_id()}"
    job = Job.objects.create(owner=owner, kind=JobKind.IMPORT, title="Import of posts.csv", worker=gone)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    call_command("run_worker", batch=True, stdout=io.StringIO())  # starting a worker sweeps first
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, jobs.INTERRUPTED[JobKind.IMPORT])
    queue.run()
    (email,) = mail.outbox
    assert email.to == ["hr1@example.org"] and "Nothing was changed" in email.body


@pytest.mark.django_db
def test_a_job_the_queue_would_not_take_is_failed_with_a_message(client, published, monkeypatch, queue):
    from jobs.queue import task_backends

    def unreachable(self, task, args, kwargs):
        raise ConnectionError("the queue's server is down")

    monkeypatch.setattr(type(task_backends["default"]), "enqueue", unreachable)
    login(client, "dir", "director")
    response = client.post(export_url(published, "pdf"))
    queue.commit()  # the job is saved; queueing it fails
    job = Job.objects.get()
    assert (job.status, job.error) == (JobStatus.FAILED, jobs.NOT_QUEUED)
    assert jobs.NOT_QUEUED in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_task_delivered_twice_runs_its_job_once(published, queue):
    from pages.exports import export_report, start_export

    director = factories.user("dir", "director")
    job = start_export(report=published, identifier="json", user=director)
    queue.run()
    export_report.enqueue(str(job.pk))  # a queue that delivers again (at least once)
    queue.run()
    assert ExportLog.objects.count() == 1
    assert JobFile.objects.filter(job=job).count() == 1


@pytest.mark.django_db
def test_results_are_kept_in_the_database_for_a_day_then_deleted(client, published, queue):
    director = login(client, "dir", "director")
    client.post(export_url(published, "json"))
    queue.run()
    job = Job.objects.get()
    assert JobFile.objects.filter(job=job, role="result").count() == 1
    download = reverse("pages:job_download", args=[job.pk])
    assert client.get(download).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=1, minutes=1)):
        client.force_login(director)  # (the session itself ended long before)
        jobs.sweep()
        assert not JobFile.objects.exists()
        assert client.get(download).status_code == 404
        page = client.get(job.get_absolute_url()).content.decode()
    assert "This file is no longer kept" in page


# --- Importing a large extract -----------------------------------------------------------------


def establishment_files() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="text/csv")
        for name in ("teams.csv", "posts.csv", "workers.csv", "assignments.csv")
    ]


@pytest.mark.django_db
def test_a_large_extract_is_checked_then_imported_through_the_queue(client, settings, queue):
    settings.JOBS_IMPORT_BACKGROUND_BYTES = 1  # every upload counts as large
    login(client, "hr1", "hr", staff=True, email="hr1@example.org")
    response = client.post(UPLOAD, {"files": establishment_files()})
    check = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert JobFile.objects.filter(job=check, role="input").count() == 4  # the upload, kept for the worker
    queue.run()
    check.refresh_from_db()
    assert (check.kind, check.status, Team.objects.count()) == (JobKind.IMPORT, JobStatus.DONE, 0)
    assert not JobFile.objects.filter(role="input").exists()  # personal data: gone once read

    page = client.get(check.get_absolute_url()).content.decode()
    assert "Dry run, nothing saved: would be 32 created, 0 updated, 0 unchanged in 4 files." in page
    confirm = reverse("admin:dataio_importrun_confirm", args=[check.details["token"]])
    assert f'action="{confirm}"' in page

    imported = client.post(confirm)
    job = Job.objects.exclude(pk=check.pk).get()
    assert imported["Location"] == job.get_absolute_url()
    queue.run()
    assert (Team.objects.count(), Post.objects.count()) == (3, 9)
    assert (
        "Imported: 32 created, 0 updated, 0 unchanged in 4 files."
        in client.get(job.get_absolute_url()).content.decode()
    )
    assert [run.outcome for run in ImportRun.objects.order_by("at", "pk")] == [
        ImportOutcome.CHECKED,
        ImportOutcome.APPLIED,
    ]
    assert [email.subject for email in mail.outbox] == ["Social work workforce: Your import has finished"] * 2
    assert "Imported: 32 created, 0 updated, 0 unchanged in 4 files." in mail.outbox[1].body


@pytest.mark.django_db
def test_a_large_extract_with_problems_lists_them_and_offers_no_confirmation(client, settings, queue):
    settings.JOBS_IMPORT_BACKGROUND_BYTES = 1
    login(client, "hr1", "hr", staff=True)
    bad = (
        (SAMPLES / "posts.csv")
        .read_text()
        .replace(
            "CPE-02,Child Protection East,Social Worker,1,", "CPE-02,Child Protection East,Social Worker,one,"
        )
    )
    files = [
        SimpleUploadedFile("teams.csv", (SAMPLES / "teams.csv").read_bytes()),
        SimpleUploadedFile("posts.csv", bad.encode()),
    ]
    client.post(UPLOAD, {"files": files})
    queue.run()
    page = client.get(Job.objects.get().get_absolute_url()).content.decode()
    assert "Import rejected: 1 problem; nothing was changed." in page
    assert "&#x27;one&#x27; is not a number" in page
    assert "dataio/importrun/confirm" not in page and "Upload corrected files" in page
    assert Team.objects.count() == 0


@pytest.mark.django_db
def test_a_small_extract_is_still_checked_at_once(client):
    login(client, "hr1", "hr", staff=True)
    response = client.post(UPLOAD, {"files": establishment_files()})
    assert response.status_code == 200 and not Job.objects.exists()


@pytest.mark.django_db
def test_a_large_extract_goes_to_a_job_on_every_database_unless_told_otherwise(settings):
    from dataio.background import in_background
    from dataio.importing.engine import Source

    del settings.JOBS_IMPORT_BACKGROUND_BYTES
    assert in_background([Source(name="posts.csv", content=b"x" * 300_000)])
    assert not in_background([Source(name="posts.csv", content=b"x" * 1000)])
    settings.JOBS_IMPORT_BACKGROUND_BYTES = 1000
    assert in_background([Source(name="posts.csv", content=b"x" * 1000)])


@pytest.mark.django_db
def test_watching_a_job_does_not_write_the_session(client):
    """On SQLite a session save would wait for the import's writes and freeze the page;
    so the progress page saves nothing, and watching alone does not keep a session alive."""
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        owner = login(client, "dir", "director")
        job = Job.objects.create(owner=owner, kind=JobKind.EXPORT, title="PDF", status=JobStatus.RUNNING)
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        response = client.get(job.get_absolute_url())
        assert response.status_code == 200 and "sessionid" not in response.cookies
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        assert client.get(reverse("home")).status_code == 302  # 31 minutes since the last save


@pytest.mark.django_db
def test_other_pages_still_keep_the_session_alive(client):
    start = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        login(client, "dir", "director")
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get(reverse("reporting:reports")).status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        assert client.get(reverse("home")).status_code == 200
