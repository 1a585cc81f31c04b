"""Long-running work shows its progress: exporting a committee report and importing a large
extract run as jobs, whose page refreshes itself until the result is ready for its owner."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dataio.models import ImportOutcome, ImportRun
from pages import jobs
from pages.models import Job, JobKind, JobStatus
from reporting import services
from reporting.models import ExportLog
from tests import factories
from tests import factories_reporting as fr
from workforce.models import Post, Team

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
UPLOAD = reverse("admin:dataio_importrun_upload")


@pytest.fixture(autouse=True)
def inline_jobs(settings, tmp_path):
    """Run work inside the request (as the test settings should) and keep results apart."""
    settings.JOBS_RUN_INLINE = True
    settings.JOBS_ROOT = str(tmp_path / "jobs")
    return settings


@pytest.fixture
def published(worked_example):
    report = fr.report()
    services.publish_report(report=report, user=None)
    return report


def login(client, username: str, group: str, **kwargs):
    user = factories.user(username, group, **kwargs)
    client.force_login(user)
    return user


def export_url(report, identifier: str) -> str:
    return reverse("pages:export_report", args=[report.pk, identifier])


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


# --- Exporting a committee report -----------------------------------------------------------


@pytest.mark.django_db
def test_director_exports_a_pdf_as_a_job_and_downloads_it_when_ready(client, published):
    director = login(client, "dir", "director")
    response = client.post(export_url(published, "pdf"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pages:job", args=[job.pk])
    assert (job.owner, job.kind, job.status, job.progress) == (director, JobKind.EXPORT, JobStatus.DONE, 100)

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


@pytest.mark.django_db
def test_only_the_person_who_started_a_job_sees_it_or_its_file(client, published):
    login(client, "dir", "director")
    client.post(export_url(published, "json"))
    job = Job.objects.get()
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
def test_work_that_fails_says_why_plainly_and_stops_refreshing(client):
    owner = login(client, "dir", "director")

    def refuses(progress):
        raise jobs.JobFailed("The report was deleted while it was being exported.")

    def breaks(progress):
        progress(30, "Half way")
        return {}["missing"]

    refused = jobs.start_job(
        owner=owner, kind=JobKind.EXPORT, title="Refused", work=refuses, back_url="/reports/"
    )
    broken = jobs.start_job(owner=owner, kind=JobKind.EXPORT, title="Broken", work=breaks)
    assert (refused.status, broken.status) == (JobStatus.FAILED, JobStatus.FAILED)
    page = client.get(refused.get_absolute_url()).content.decode()
    assert "This did not finish" in page and "The report was deleted while it was being exported." in page
    assert 'http-equiv="refresh"' not in page and 'href="/reports/"' in page
    assert (
        "Something went wrong (KeyError) and nothing was produced."
        in client.get(broken.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_a_job_whose_thread_died_is_shown_as_stopped_not_running_forever(client):
    owner = login(client, "dir", "director")
    job = Job.objects.create(owner=owner, kind=JobKind.EXPORT, title="PDF", status=JobStatus.RUNNING)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    page = client.get(job.get_absolute_url()).content.decode()
    assert jobs.STOPPED in page and 'http-equiv="refresh"' not in page


@pytest.mark.django_db
def test_results_are_kept_for_a_day_then_deleted(client, published):
    login(client, "dir", "director")
    client.post(export_url(published, "json"))
    job = Job.objects.get()
    path = Path(job.result_path)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    day_old = time.time() - jobs.KEEP_RESULTS_SECONDS - 60
    os.utime(path, (day_old, day_old))
    jobs.sweep()
    assert not path.exists()
    assert client.get(reverse("pages:job_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_inline_setting_the_work_runs_in_a_background_thread(settings):
    settings.JOBS_RUN_INLINE = False
    owner = factories.user("dir", "director")
    seen = []

    def work(progress):
        progress(50, "Half way")
        seen.append((threading.current_thread().name, Job.objects.get(owner=owner).status))
        return jobs.Outcome(name="done.txt", content_type="text/plain", content=b"made in the background")

    job = jobs.start_job(owner=owner, kind=JobKind.EXPORT, title="Background", work=work)
    for thread in threading.enumerate():  # (gone already if it finished first)
        if thread.name == f"job-{job.pk}":
            thread.join(timeout=30)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and seen == [(f"job-{job.pk}", JobStatus.RUNNING)]
    assert jobs.result_bytes(job) == b"made in the background"


# --- Importing a large extract -----------------------------------------------------------------


def establishment_files() -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="text/csv")
        for name in ("teams.csv", "posts.csv", "workers.csv", "assignments.csv")
    ]


@pytest.mark.django_db
def test_a_large_extract_is_checked_then_imported_in_the_background(client, settings):
    settings.JOBS_IMPORT_BACKGROUND_BYTES = 1  # every upload counts as large
    login(client, "hr1", "hr", staff=True)
    response = client.post(UPLOAD, {"files": establishment_files()})
    check = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert (check.kind, check.status, Team.objects.count()) == (JobKind.IMPORT, JobStatus.DONE, 0)

    page = client.get(check.get_absolute_url()).content.decode()
    assert "Dry run, nothing saved: would be 32 created, 0 updated, 0 unchanged in 4 files." in page
    confirm = reverse("admin:dataio_importrun_confirm", args=[check.details["token"]])
    assert f'action="{confirm}"' in page

    imported = client.post(confirm)
    job = Job.objects.exclude(pk=check.pk).get()
    assert imported["Location"] == job.get_absolute_url()
    assert (Team.objects.count(), Post.objects.count()) == (3, 9)
    assert (
        "Imported: 32 created, 0 updated, 0 unchanged in 4 files."
        in client.get(job.get_absolute_url()).content.decode()
    )
    assert [run.outcome for run in ImportRun.objects.order_by("at", "pk")] == [
        ImportOutcome.CHECKED,
        ImportOutcome.APPLIED,
    ]


@pytest.mark.django_db
def test_a_large_extract_with_problems_lists_them_and_offers_no_confirmation(client, settings):
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
    from dataio.importing.engine import Source
    from pages.imports import in_background

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
