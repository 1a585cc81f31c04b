"""The reports page: directors see drafts, publish and export; readers see published figures
only, never quotes or narrative; nobody else publishes or exports."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from reporting import services
from reporting.models import CommitteeReport, ExportLog, ReportStatus
from tests import factories
from tests import factories_leavers as lf
from tests import factories_reporting as fr

pytestmark = pytest.mark.django_db
QUOTE = "wanted some time out of frontline work given the increasing pressures"


@pytest.fixture
def reports(worked_example):
    """A published report and a draft, with a consented quote among the leavers."""
    manager = factories.user("tm", "manager", teams=[worked_example["team"]])
    left = lf.leaver(post=worked_example["posts"]["P5"], leaving_date=dt.date(2019, 4, 30))
    lf.conversation(left, user=manager, quote=QUOTE, quote_consent=True)
    published = fr.report(background="Churn has risen across teams.")
    services.publish_report(report=published, user=None)
    draft = fr.report(as_at=dt.date(2019, 9, 30), meeting_date=dt.date(2019, 11, 4))
    return published, draft


def login(client, group: str, **kwargs):
    client.force_login(factories.user(f"{group}-user", group, **kwargs))
    return client


def test_readers_list_only_published_reports(client, reports):
    published, draft = reports
    page = login(client, "reader").get(reverse("reporting:reports")).content.decode()
    assert reverse("reporting:report", args=[published.pk]) in page
    assert reverse("reporting:report", args=[draft.pk]) not in page


def test_readers_see_published_figures_without_quotes_or_narrative(client, reports):
    published, draft = reports
    reader = login(client, "reader")
    page = reader.get(reverse("reporting:report", args=[published.pk])).content.decode()
    assert "42.2% (1.9)" in page
    assert QUOTE not in page
    assert "Churn has risen across teams." not in page
    assert reader.get(reverse("reporting:report", args=[draft.pk])).status_code == 404


def test_readers_and_managers_can_neither_publish_nor_export(client, reports, worked_example):
    published, draft = reports
    for group in ("reader", "manager", "hr"):
        client.force_login(factories.user(f"{group}-2", group))
        assert client.post(reverse("reporting:publish", args=[draft.pk])).status_code == 403
        assert client.get(reverse("reporting:export", args=[published.pk, "pdf"])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert not ExportLog.objects.exists()


def test_hr_sees_the_whole_published_paper(client, reports):
    published, _ = reports
    page = login(client, "hr").get(reverse("reporting:report", args=[published.pk])).content.decode()
    assert QUOTE in page and "Churn has risen across teams." in page


def test_director_previews_a_draft_as_the_numbered_paper_with_charts(client, reports):
    _, draft = reports
    page = login(client, "director").get(reverse("reporting:report", args=[draft.pk])).content.decode()
    assert '<span class="para-num">1.</span>' in page
    assert "<svg" in page and "<script" not in page.split("</header>")[-1]
    assert "Check and publish" in page
    assert QUOTE in page


def test_director_publishes_from_the_page(client, reports):
    _, draft = reports
    director = login(client, "director")
    url = reverse("reporting:publish", args=[draft.pk])
    check = director.get(url).content.decode()
    assert "Before publishing" in check and "Publish and freeze these figures" in check
    assert director.post(url).status_code == 200  # the confirmation was not ticked
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    response = director.post(url, {"confirm": str(draft.pk)})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.PUBLISHED and draft.published_by.username == "director-user"
    assert director.post(url, {"confirm": str(draft.pk)}).status_code == 302  # already published: refused
    assert CommitteeReport.objects.get(pk=draft.pk).published_at == draft.published_at


def test_director_exports_a_pdf_and_the_export_is_logged(client, reports):
    published, _ = reports
    response = login(client, "director").get(reverse("reporting:export", args=[published.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="committee-report-2019-06-30.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "42.2% (1.9)" in " ".join(text.split())
    entry = ExportLog.objects.get()
    assert (entry.format, entry.report, entry.via, entry.user.username) == (
        "pdf",
        published,
        "web",
        "director-user",
    )


def test_an_unknown_export_format_is_not_found(client, reports):
    published, _ = reports
    assert (
        login(client, "director").get(reverse("reporting:export", args=[published.pk, "odt"])).status_code
        == 404
    )


def test_director_sees_what_would_differ_on_request(client, reports, worked_example):
    published, _ = reports
    factories.assign(worked_example["posts"]["P5"], start=dt.date(2019, 5, 1))
    director = login(client, "director")
    assert (
        "What would differ if built today</h2>"
        not in director.get(reverse("reporting:report", args=[published.pk])).content.decode()
    )
    page = director.get(reverse("reporting:report", args=[published.pk]) + "?compare=1").content.decode()
    assert "What would differ if built today</h2>" in page
    assert "20.0% (0.9)" in page


def test_the_list_takes_the_same_queries_however_many_reports(client, reports):
    director = login(client, "director")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert director.get(reverse("reporting:reports")).status_code == 200
        return len(captured)

    few = count()
    for month in range(1, 9):
        fr.report(as_at=dt.date(2018, month, 28), meeting_date=dt.date(2018, month, 28))
    assert count() == few


def test_signed_out_visitors_are_sent_to_sign_in(client, reports):
    published, _ = reports
    response = client.get(reverse("reporting:report", args=[published.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
