"""The import page in the admin: a dry-run preview first, a confirmation only when clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataio.importing.report import ImportReport
from dataio.models import ImportOutcome, ImportRun
from dataio.services import record_import_run
from tests import factories
from workforce.models import Assignment, Post, Team, Worker

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"
UPLOAD = reverse("admin:dataio_importrun_upload")
LOG = reverse("admin:dataio_importrun_changelist")


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="text/csv")


def establishment_files() -> list[SimpleUploadedFile]:
    return [sample(name) for name in ("teams.csv", "posts.csv", "workers.csv", "assignments.csv")]


def token_in(page: str) -> str:
    match = re.search(r'action="/admin/dataio/importrun/confirm/([^/]+)/"', page)
    assert match, "no confirmation form on the page"
    return match.group(1)


@pytest.fixture
def hr_client(client):
    client.force_login(factories.user("hr1", "hr", staff=True))
    return client


def test_hr_uploads_sees_a_preview_and_nothing_is_saved_until_confirmed(hr_client):
    response = hr_client.post(UPLOAD, {"files": establishment_files()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dry run, nothing saved: would be 32 created, 0 updated, 0 unchanged in 4 files." in page
    assert "<td>CPE-04</td><td>new</td>" in page.replace("\n", "").replace("  ", "") or "CPE-04" in page
    assert (Team.objects.count(), Post.objects.count(), Worker.objects.count()) == (0, 0, 0)

    confirmed = hr_client.post(reverse("admin:dataio_importrun_confirm", args=[token_in(page)]))
    assert confirmed.status_code == 302 and confirmed["Location"] == LOG
    assert (Team.objects.count(), Post.objects.count(), Worker.objects.count()) == (3, 9, 10)
    assert Assignment.objects.count() == 10
    assert [run.outcome for run in ImportRun.objects.order_by("at", "pk")] == [
        ImportOutcome.CHECKED,
        ImportOutcome.APPLIED,
    ]
    assert ImportRun.objects.filter(user__username="hr1").count() == 2
    # The history of each imported record names who imported it.
    assert Post.history.filter(history_user__username="hr1").count() == 9
    log = hr_client.get(LOG).content.decode()
    assert "Imported: 32 created, 0 updated, 0 unchanged in 4 files." in log


def test_a_corrected_file_shows_what_would_change(hr_client):
    hr_client.post(
        reverse(
            "admin:dataio_importrun_confirm",
            args=[token_in(hr_client.post(UPLOAD, {"files": establishment_files()}).content.decode())],
        )
    )
    corrected = (
        (SAMPLES / "posts.csv")
        .read_text()
        .replace(
            "CPE-03,Child Protection East,Social Worker,0.5", "CPE-03,Child Protection East,Social Worker,1"
        )
    )
    page = hr_client.post(
        UPLOAD, {"files": [SimpleUploadedFile("posts.csv", corrected.encode())]}
    ).content.decode()
    assert "would be 0 created, 1 updated, 8 unchanged" in page
    assert "FTE: 0.5 → 1" in page


def test_a_file_with_problems_lists_each_one_and_offers_no_confirmation(hr_client):
    bad = (
        (SAMPLES / "posts.csv")
        .read_text()
        .replace(
            "CPE-02,Child Protection East,Social Worker,1,", "CPE-02,Child Protection East,Social Worker,one,"
        )
    )
    files = [sample("teams.csv"), SimpleUploadedFile("posts.csv", bad.encode())]
    page = hr_client.post(UPLOAD, {"files": files}).content.decode()
    assert "Import rejected: 1 problem; nothing was changed." in page
    assert "<td>posts.csv</td><td>3</td><td>fte</td><td>&#x27;one&#x27; is not a number" in page
    assert "confirm" not in page
    assert Team.objects.count() == 0


def test_confirming_needs_the_token_of_this_session(hr_client, client):
    page = hr_client.post(UPLOAD, {"files": establishment_files()}).content.decode()
    token = token_in(page)
    other = Client()
    other.force_login(factories.user("hr2", "hr", staff=True))
    response = other.post(reverse("admin:dataio_importrun_confirm", args=[token]), follow=True)
    assert "Those files are no longer here" in response.content.decode()
    assert Team.objects.count() == 0
    forged = hr_client.post("/admin/dataio/importrun/confirm/..passwd/")
    assert forged.status_code == 302
    assert Team.objects.count() == 0


def test_a_confirmed_upload_cannot_be_confirmed_twice(hr_client):
    token = token_in(hr_client.post(UPLOAD, {"files": establishment_files()}).content.decode())
    url = reverse("admin:dataio_importrun_confirm", args=[token])
    assert hr_client.post(url).status_code == 302
    again = hr_client.post(url, follow=True)
    assert "Those files are no longer here" in again.content.decode()
    assert ImportRun.objects.filter(outcome=ImportOutcome.APPLIED).count() == 1


def test_confirming_is_a_post_and_the_forms_carry_csrf_tokens():
    user = factories.user("hr3", "hr", staff=True)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    form = strict.get(UPLOAD).content.decode()
    assert 'name="csrfmiddlewaretoken"' in form and 'enctype="multipart/form-data"' in form
    assert strict.post(UPLOAD, {"files": establishment_files()}).status_code == 403
    relaxed = Client()
    relaxed.force_login(user)
    assert relaxed.get(reverse("admin:dataio_importrun_confirm", args=["x" * 32])).status_code == 405


@pytest.mark.parametrize(("group", "staff"), [("manager", True), ("director", True), ("reader", True)])
def test_only_hr_and_administrators_may_import(client, group, staff):
    client.force_login(factories.user(f"{group}1", group, staff=staff))
    assert client.get(UPLOAD).status_code == 403
    assert client.post(UPLOAD, {"files": establishment_files()}).status_code == 403
    assert client.get(LOG).status_code == 403
    assert Team.objects.count() == 0


def test_the_import_page_is_linked_from_the_log_for_hr(hr_client):
    page = hr_client.get(LOG).content.decode()
    assert f'href="{UPLOAD}"' in page
    index = hr_client.get(reverse("admin:index")).content.decode()
    assert LOG in index


def test_the_upload_form_needs_a_file(hr_client):
    page = hr_client.post(UPLOAD, {}).content.decode()
    assert "This field is required." in page


def test_the_log_of_imports_takes_the_same_queries_however_long_it_is(hr_client):
    def grow(n: int) -> None:
        for _ in range(n):
            record_import_run(report=ImportReport(dry_run=True), user=None, channel="command line")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(LOG).status_code == 200
        return len(captured)

    grow(2)
    small = queries()
    grow(15)
    assert queries() == small


def test_a_misspelt_heading_is_shown_with_its_correction(hr_client):
    workers = b"staff_reference,first_name,last_name,swe_numbr\nW1,A,B,SW0000000001\n"
    files = [sample("teams.csv"), SimpleUploadedFile("workers.csv", workers)]
    page = hr_client.post(UPLOAD, {"files": files}).content.decode()
    assert (
        "<td>workers.csv</td><td>1</td><td>swe_numbr</td><td>unknown column in a workers file. Did you mean"
        in page
    )
    assert "The rows are checked once every file can be read and its headings are right." in page
