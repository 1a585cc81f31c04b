"""The committee report in the admin: drafted sentences to edit, the paper previewed,
published and exported; strategy actions and budgets kept through their services."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from reporting.admin import SENTENCE_FIELDS
from reporting.models import (
    ActionStatus,
    AgencyBudget,
    CommitteeReport,
    ExportLog,
    ReportStatus,
    StrategyAction,
)
from reporting.sentences import DRAFTERS
from tests import factories
from tests import factories_reporting as fr

pytestmark = pytest.mark.django_db
DRAFTED_VACANCIES = (
    "As of 30 June 2019 there are 0.9 FTE social worker vacancies and 1.0 FTE team manager vacancies. "
    "In all, 1.9 FTE is vacant."
)


@pytest.fixture
def director(client):
    client.force_login(factories.user("ad", "director", staff=True))
    return client


@pytest.fixture
def report(worked_example):
    return fr.report()


def form_data(report: CommitteeReport, **changes) -> dict:
    data = {
        "title": report.title,
        "committee": report.committee,
        "meeting_date": report.meeting_date.isoformat(),
        "as_at": report.as_at.isoformat(),
        "comparison_dates": report.comparison_dates,
        "scope": report.scope,
        "window_months": report.window_months,
        "purpose": report.purpose,
        "officer_to_contact": report.officer_to_contact,
    }
    data.update(changes)
    return data


def test_every_figures_section_has_a_sentence_box():
    assert SENTENCE_FIELDS == [f"sentence_{key}" for key in DRAFTERS]


def test_the_change_form_offers_each_drafted_sentence_to_edit(director, report):
    page = director.get(reverse("admin:reporting_committeereport_change", args=[report.pk])).content.decode()
    assert "Vacancies: sentence" in page
    assert DRAFTED_VACANCIES in page
    assert reverse("admin:reporting_committeereport_preview", args=[report.pk]) in page


def test_an_edited_sentence_is_kept_and_one_left_as_drafted_is_not(director, report):
    response = director.post(
        reverse("admin:reporting_committeereport_change", args=[report.pk]),
        form_data(
            report,
            sentence_vacancies="At the end of June 2019 the department had 1.9 FTE vacancies.",
            sentence_agency="At 30 June 2019 there were 2.5 FTE agency workers (3 people), broken down by "
            "the reason they were engaged as follows.",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.sentences == {"vacancies": "At the end of June 2019 the department had 1.9 FTE vacancies."}


def test_a_bad_scope_is_shown_on_its_field(director, report):
    response = director.post(
        reverse("admin:reporting_committeereport_change", args=[report.pk]),
        form_data(report, scope="team:Mars"),
    )
    assert response.status_code == 200
    assert "Unknown team &#x27;Mars&#x27;" in response.content.decode()


def test_a_new_report_is_added_with_default_comparison_dates(director, worked_example):
    response = director.post(
        reverse("admin:reporting_committeereport_add"),
        {
            "title": "Recruitment and retention",
            "committee": "Cabinet Committee",
            "meeting_date": "2019-09-02",
            "as_at": "2019-06-30",
            "comparison_dates": "",
            "scope": "case-holding",
            "window_months": "12",
        },
    )
    assert response.status_code == 302
    report = CommitteeReport.objects.get()
    assert report.comparison_date_list()[0] == dt.date(2018, 3, 31)
    assert report.history.get().history_user.username == "ad"


def test_the_preview_is_the_paper_with_numbered_paragraphs_tables_and_charts(director, report):
    page = director.get(reverse("admin:reporting_committeereport_preview", args=[report.pk])).content.decode()
    assert '<span class="para-num">1.</span> The purpose of this report' in page
    assert '<table class="paper-table" id="table-measures"' in page
    assert "42.2% (1.9)" in page
    # The measures and agency spend by month; no funnel or leavers' reasons yet.
    assert page.count('<figure class="paper-chart"') == 2
    assert "Check and publish" in page


def test_publishing_from_the_admin_freezes_the_report_and_makes_it_read_only(director, report):
    url = reverse("admin:reporting_committeereport_publish", args=[report.pk])
    check = director.get(url).content.decode()
    assert "“Background” is empty." in check and "“Legal implications” is empty." in check
    assert f"meeting on {report.meeting_date:%-d %B %Y}" in check and report.committee in check
    assert director.post(url).status_code == 200  # not confirmed: nothing published
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    response = director.post(url, {"confirm": str(report.pk)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_by.username == "ad"
    change_url = reverse("admin:reporting_committeereport_change", args=[report.pk])
    page = director.get(change_url).content.decode()
    assert 'name="_save"' not in page
    assert director.post(change_url, form_data(report, conclusion="Rewritten.")).status_code == 403
    report.refresh_from_db()
    assert report.conclusion == ""


def test_a_user_without_the_publish_permission_cannot_publish(client, report):
    client.force_login(factories.user("hr1", "hr", staff=True))
    response = client.post(reverse("admin:reporting_committeereport_publish", args=[report.pk]))
    assert response.status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_exporting_from_the_admin_gives_the_word_paper_and_logs_it(director, report):
    response = director.get(reverse("admin:reporting_committeereport_export", args=[report.pk, "docx"]))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    assert any(DRAFTED_VACANCIES == p.text for p in document.paragraphs)
    assert ExportLog.objects.get().via == "admin"


def test_the_changes_page_of_a_published_report(director, report, worked_example):
    publish = reverse("admin:reporting_committeereport_publish", args=[report.pk])
    director.post(publish, {"confirm": report.pk})
    factories.assign(worked_example["posts"]["P5"], start=dt.date(2019, 4, 1))
    page = director.get(reverse("admin:reporting_committeereport_changes", args=[report.pk])).content.decode()
    assert "20.0% (0.9)" in page and "42.2% (1.9)" in page


def test_strategy_actions_are_kept_in_the_admin_with_their_history(director):
    response = director.post(
        reverse("admin:reporting_strategyaction_add"),
        {
            "title": "Introduce a market premium",
            "owner": "Head of Service",
            "due_date": "2019-03-31",
            "status": "complete",
        },
    )
    assert response.status_code == 302
    action = StrategyAction.objects.get()
    assert action.status == ActionStatus.COMPLETE and action.history.count() == 1


def test_an_overlapping_agency_budget_is_refused_on_its_field(director):
    fr.agency_budget(start=dt.date(2019, 4, 1), end=dt.date(2020, 3, 31), amount="250000")
    response = director.post(
        reverse("admin:reporting_agencybudget_add"),
        {"period_start": "2019-10-01", "period_end": "2020-09-30", "amount": "100000", "notes": ""},
    )
    assert response.status_code == 200
    assert "overlaps another agency budget" in response.content.decode()
    assert AgencyBudget.objects.count() == 1


@pytest.mark.parametrize("model", ["committeereport", "strategyaction", "agencybudget", "exportlog"])
def test_changelists_do_not_grow_queries_with_rows(director, model):
    url = reverse(f"admin:reporting_{model}_changelist")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert director.get(url).status_code == 200
        return len(captured)

    made = iter(range(100))

    def grow(n: int) -> None:
        for _ in range(n):
            number = next(made)
            report = fr.report(meeting_date=dt.date(2019, 9, 1) + dt.timedelta(days=number))
            fr.strategy_actions(1, due=dt.date(2019, 3, 31))
            fr.agency_budget(
                start=dt.date(1990 + number, 4, 1), end=dt.date(1991 + number, 3, 31), amount="1000"
            )
            ExportLog.objects.create(report=report, format="pdf", as_at=report.as_at, scope="all")

    grow(2)
    few = count()
    grow(8)
    assert count() == few


def test_a_published_report_is_copied_to_a_new_draft_from_the_list(director, report):
    publish = reverse("admin:reporting_committeereport_publish", args=[report.pk])
    director.post(publish, {"confirm": report.pk})
    response = director.post(
        reverse("admin:reporting_committeereport_changelist"),
        {"action": "copy_to_new_draft", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    assert CommitteeReport.objects.filter(status=ReportStatus.DRAFT, committee=report.committee).count() == 1


def test_a_published_paper_is_corrected_by_a_new_version_and_both_stay(director, report):
    publish = reverse("admin:reporting_committeereport_publish", args=[report.pk])
    director.post(publish, {"confirm": report.pk})
    response = director.post(
        reverse("admin:reporting_committeereport_changelist"),
        {"action": "correct_with_new_version", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    correction = CommitteeReport.objects.get(supersedes=report)
    assert correction.version == 2 and correction.status == ReportStatus.DRAFT
    url = reverse("admin:reporting_committeereport_publish", args=[correction.pk])
    assert "as version 2 correcting version 1" in director.get(url).content.decode()
    director.post(url, {"confirm": correction.pk})
    report.refresh_from_db()
    correction.refresh_from_db()
    assert report.status == correction.status == ReportStatus.PUBLISHED
    preview = "admin:reporting_committeereport_preview"
    old = director.get(reverse(preview, args=[report.pk])).content.decode()
    new = director.get(reverse(preview, args=[correction.pk])).content.decode()
    assert "Superseded by version 2" in old
    assert "Version 2. This version corrects version 1, published on" in new
